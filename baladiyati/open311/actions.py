"""The Open311 state changes: issuing API keys. The admin and `manage.py create_api_key` both
call `do_issue_key`."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from baladiyati.cities.models import Municipality
from baladiyati.core import audit

from .models import ApiKey


def do_issue_key(
    name: str,
    *,
    actor: Any,
    municipality: Municipality | None = None,
    user: Any = None,
    raw: str | None = None,
) -> tuple[ApiKey, str]:
    """A new active key for a client application; the raw key is returned once, never stored."""
    name = name.strip()
    if not name or len(name) > 200:
        raise ValueError("the application name must be 1 to 200 characters")
    with transaction.atomic():
        key = ApiKey(name=name, municipality=municipality, user=user)
        raw = key.set_new_key(raw)
        key.save()
        audit.record(
            actor=actor,
            action="open311.key_issued",
            obj=key,
            municipality_id=municipality.pk if municipality else None,
            extra={"name": name, "prefix": key.prefix},
        )
    return key, raw

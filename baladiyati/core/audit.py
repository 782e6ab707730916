"""Writing the audit trail. Every action in a domain `actions.py` calls `record` once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.core.prepared import Insert

# Every state change writes one: compiled once (core/prepared.py).
_insert = Insert(AuditEvent)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the before/after record."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()  # one zone, so before/after compare
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if (
        hasattr(value, "name")
        and isinstance(getattr(value, "name", None), str)
        and hasattr(value, "storage")
    ):
        return value.name  # a FieldFile
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields` (attnames for foreign keys) as they are now."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _plain(getattr(obj, attname))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed."""
    return {
        key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)
    }


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    municipality_id: int | None,
    changes: dict[str, list[Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if is_user:
        label = actor.get_full_name() or actor.get_username()
    else:
        label = "system" if actor is None else "anonymous"
    return _insert(
        AuditEvent(
            created_at=clock.now(),
            actor=actor if is_user else None,
            actor_label=label[:200],
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:200],
            municipality_id=municipality_id,
            changes=changes or {},
            extra=_plain(extra or {}),
        )
    )

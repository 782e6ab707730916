"""Reading what browsers send. The portal parses posts itself (the domain actions validate),
so it does here what Django's form fields would: NUL characters never reach the database
(PostgreSQL refuses them in text), and a lookup key holding one finds nothing.
"""

from __future__ import annotations

from django.http import Http404, QueryDict


def text(data: QueryDict, name: str, limit: int | None = None) -> str:
    value = data.get(name, "").replace("\x00", "")
    return value[:limit] if limit is not None else value


def texts(data: QueryDict, name: str) -> list[str]:
    return [value.replace("\x00", "") for value in data.getlist(name)]


def key(value: str) -> str:
    """A value used to look a row up: one with a NUL character names nothing (404)."""
    if "\x00" in value:
        raise Http404
    return value

"""The rows every Open311 request reads first: the jurisdiction (with its working calendar)
and, for a write, the API key — one statement each, compiled once per process.

Through the ORM each of these cost more than the rest of a submission's reads together:
building and compiling the queryset (Municipality with select_related, the key with its
ordering) for a lookup by a unique key (docs/benchmarks.md). Here the statement is a
queryset compiled once (prepared.py); its row goes through the same converters the ORM
applies, and becomes model instances as the ORM would make them (`Model.from_db`), fresh for
each request. Nothing is cached but the SQL: an edit shows at the next request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from baladiyati.cities.models import Municipality, WorkingCalendar

from .models import ApiKey
from .prepared import Prepared, Slot

Converter = Callable[[Any, Any, Any], Any]


def _fields(model: type[Model]) -> list[Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _converters(fields: Sequence[Field[Any, Any]]) -> list[tuple[Any, list[Converter]]]:
    """Per column, its expression and the converters the ORM would run on its value."""
    found = []
    for field in fields:
        column = field.get_col(field.model._meta.db_table)
        found.append(
            (
                column,
                connection.ops.get_db_converters(column) + column.get_db_converters(connection),
            )
        )
    return found


def _convert(values: Sequence[Any], converters: list[tuple[Any, list[Converter]]]) -> list[Any]:
    out = []
    for value, (column, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, column, connection)
        out.append(value)
    return out


def _instance(model: type[Model], values: Sequence[Any]) -> Model:
    return model.from_db(connection.alias, [f.attname for f in _fields(model)], list(values))


@lru_cache(maxsize=8)
def _municipality_statement(vendor: str) -> tuple[Prepared, list[tuple[Any, list[Converter]]]]:
    own, calendar = _fields(Municipality), _fields(WorkingCalendar)
    columns = [f.attname for f in own] + [f"calendar__{f.name}" for f in calendar]
    statement = Prepared(
        lambda s: Municipality.objects.active().filter(slug=s["slug"]).values_list(*columns)[:1],
        [Slot("slug", "str")],
    )
    return statement, _converters(own + calendar)


def municipality(slug: str) -> Municipality | None:
    """The active municipality with this slug and its working calendar (as
    `select_related("calendar")` would give them), or None."""
    statement, converters = _municipality_statement(connection.vendor)
    row = statement.one({"slug": slug})
    if row is None:
        return None
    values = _convert(row, converters)
    count = len(_fields(Municipality))
    found = _instance(Municipality, values[:count])
    calendar_values = values[count:]
    calendar = None
    if calendar_values[0] is not None:  # its id: a municipality may have no calendar yet
        calendar = _instance(WorkingCalendar, calendar_values)
        forward: Any = WorkingCalendar._meta.get_field("municipality")
        forward.set_cached_value(calendar, found)
    reverse: Any = Municipality._meta.get_field("calendar")
    reverse.set_cached_value(found, calendar)  # None: the reverse one-to-one is known empty
    return found  # type: ignore[return-value]


@lru_cache(maxsize=8)
def _key_statement(vendor: str) -> tuple[Prepared, list[tuple[Any, list[Converter]]]]:
    fields = _fields(ApiKey)
    statement = Prepared(
        lambda s: (
            ApiKey.objects.filter(hashed=s["hashed"], is_active=True)
            .order_by()
            .values_list(*[f.attname for f in fields])[:1]
        ),
        [Slot("hashed", "str")],
    )
    return statement, _converters(fields)


def active_key(hashed: str) -> ApiKey | None:
    """The active API key with this hash, or None (its user is read when asked for)."""
    statement, converters = _key_statement(connection.vendor)
    row = statement.one({"hashed": hashed})
    if row is None:
        return None
    return _instance(ApiKey, _convert(row, converters))  # type: ignore[return-value]

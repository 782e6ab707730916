"""Queries written with the ORM, compiled once per process, run with new values each time.

Why: for a page of 100 published requests the database works about 0.3 ms, while building
and compiling the queryset costs about 0.4 ms and turning the rows into model instances
(select_related, converters, prefetching) another 3 to 7 ms (docs/benchmarks.md). The Open311
read path runs these few queries thousands of times a second, always the same shapes.

So a query is still written as a queryset — `CaseQuerySet.public()` keeps saying, in one
place, what may be published — but built once per shape with stand-in values ("slots"),
compiled to SQL by Django, and then executed with the driver and the real values. A stand-in
is found again among the compiled parameters by its value, which is chosen so that nothing
else can be equal to it; compiling fails loudly when one is not found, or found twice for
different slots, so a queryset that transforms its values cannot be mistaken for one that
does not.

Rows come back as tuples, in the column order of the queryset; datetimes as the driver gives
them (see `moment`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

UTC = dt.UTC

# Stand-in values: unlike anything a query holds (ids are positive, coordinates small,
# times after 1970), and distinct from one another.
_serial = itertools.count(1)


class Slot:
    """A value given at run time. `kind` is int, float, str, datetime, or a list of one of
    these with a fixed length (`size`)."""

    def __init__(self, name: str, kind: str = "int", size: int = 0) -> None:
        self.name, self.kind, self.size = name, kind, size

    def stand_ins(self) -> list[Any]:
        count = self.size if self.kind.endswith("list") else 1
        return [_stand_in(self.kind.removesuffix("list")) for _ in range(count)]


def _stand_in(kind: str) -> Any:
    n = next(_serial)
    if kind == "int":
        return -(10**15) - n
    if kind == "float":
        return -987_654_321.0 - n / 1024
    if kind == "str":
        return f"\x01slot{n}\x01"
    if kind == "datetime":
        return dt.datetime(1901, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=n)
    raise ValueError(f"unknown slot kind {kind!r}")


def _adapt(kind: str, value: Any) -> Any:
    """What the ORM itself would send for a value of this kind."""
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value(value)
    return value


class Prepared:
    """SQL compiled from a queryset built by `build(stand_ins)`; see the module docstring.

    `wrap` turns the compiled SELECT into the statement run (e.g. a bounded count), with
    `{sql}` for it; `extra` names slots that `wrap` adds after the compiled parameters.
    """

    def __init__(
        self,
        build: Callable[[Mapping[str, Any]], QuerySet[Any]],
        slots: Sequence[Slot],
        *,
        wrap: str = "{sql}",
        extra: Sequence[Slot] = (),
    ) -> None:
        self.vendor = connection.vendor
        stand_ins = {slot.name: slot.stand_ins() for slot in slots}
        found: dict[Any, tuple[Slot, int]] = {}
        for slot in slots:
            for index, value in enumerate(stand_ins[slot.name]):
                found[_adapt(slot.kind.removesuffix("list"), value)] = (slot, index)
        queryset = build(
            {
                s.name: stand_ins[s.name] if s.kind.endswith("list") else stand_ins[s.name][0]
                for s in slots
            }
        )
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        # Each parameter: ("const", value) or ("slot", slot, index).
        self.plan: list[tuple[Any, ...]] = []
        seen: set[str] = set()
        for param in params:
            hit = found.get(param) if _hashable(param) else None
            if hit is None:
                self.plan.append(("const", param))
            else:
                slot, index = hit
                seen.add(slot.name)
                self.plan.append(("slot", slot, index))
        missing = {s.name for s in slots} - seen
        if missing:
            raise RuntimeError(f"slots {sorted(missing)} not found in the compiled query: {sql}")
        for slot in extra:
            self.plan.append(("slot", slot, 0))
        self.sql = wrap.replace("{sql}", sql)

    def params(self, values: Mapping[str, Any]) -> list[Any]:
        out = []
        for step in self.plan:
            if step[0] == "const":
                out.append(step[1])
                continue
            slot, index = step[1], step[2]
            value = values[slot.name]
            if slot.kind.endswith("list"):
                value = value[index]
            out.append(_adapt(slot.kind.removesuffix("list"), value))
        return out

    def rows(self, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            return cursor.fetchall()

    def one(self, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            return cursor.fetchone()


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def moment(value: Any) -> dt.datetime | None:
    """An aware datetime from a datetime column as the driver returns it.

    PostgreSQL gives an aware datetime; SQLite a naive one in the connection's time zone
    (Django's converter for `datetime` columns), or text for computed columns. The same
    conversion as Django's own `convert_datetimefield_value`.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=connection.timezone)
    return value

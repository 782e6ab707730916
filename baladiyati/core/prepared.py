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
them (see `moment`). `Instances` turns them into model instances as the ORM would (its
converters, `Model.from_db`, `select_related` one level deep), and `Insert` writes one new
instance with an INSERT compiled by Django once per model — the write path of a submission
runs a handful of these per request (docs/benchmarks.md, "POST").
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Field, Model, QuerySet, signals
from django.db.models.sql import InsertQuery

UTC = dt.UTC
M = TypeVar("M", bound=Model)

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


class Query:
    """A `Prepared` statement compiled on first use, once per database: for module-level
    statements (compiling needs the database connection's settings)."""

    def __init__(
        self, build: Callable[[Mapping[str, Any]], QuerySet[Any]], slots: Sequence[Slot]
    ) -> None:
        self.build, self.slots = build, slots
        self._compiled: dict[str, Prepared] = {}

    def statement(self) -> Prepared:
        key = f"{connection.alias}:{connection.vendor}"
        if key not in self._compiled:
            self._compiled[key] = Prepared(self.build, self.slots)
        return self._compiled[key]

    def rows(self, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return self.statement().rows(values)

    def one(self, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return self.statement().one(values)


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


# ---------------------------------------------------------------------------- model instances

Converter = Callable[[Any, Any, Any], Any]


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


class Instances:
    """Model instances from a queryset compiled once per database (see the module docstring).

    `build(stand_ins)` returns the queryset (filters, ordering, slicing) of `model`; `related`
    names forward foreign keys or reverse one-to-ones to read in the same statement, as
    `select_related` would, one level deep. The instances are new for each call: nothing is
    cached but the SQL, so an edit shows at the next call.
    """

    def __init__(
        self,
        model: type[Model],
        build: Callable[[Mapping[str, Any]], QuerySet[Any]],
        slots: Sequence[Slot],
        *,
        related: Sequence[str] = (),
    ) -> None:
        self.model, self.build, self.slots, self.related = model, build, slots, related
        self._compiled: dict[str, tuple[Prepared, list[Any], list[Any]]] = {}

    def _compile(self) -> tuple[Prepared, list[Any], list[Any]]:
        key = f"{connection.alias}:{connection.vendor}"
        if key not in self._compiled:
            own = list(self.model._meta.concrete_fields)
            columns = [f.attname for f in own]
            groups: list[tuple[Any, type[Model], list[Field[Any, Any]]]] = [(None, self.model, own)]
            for name in self.related:
                relation: Any = self.model._meta.get_field(name)
                other = relation.related_model
                fields = list(other._meta.concrete_fields)
                columns += [f"{name}__{f.name}" for f in fields]
                groups.append((relation, other, fields))
            statement = Prepared(lambda s: self.build(s).values_list(*columns), self.slots)
            converters = _converters([f for _r, _m, fields in groups for f in fields])
            self._compiled[key] = (statement, groups, converters)
        return self._compiled[key]

    def _instance(self, row: Sequence[Any]) -> Model:
        _statement, groups, converters = self._compile()
        values = _convert(row, converters)
        start = 0
        found: Any = None
        for relation, model, fields in groups:
            part = values[start : start + len(fields)]
            start += len(fields)
            names = [f.attname for f in fields]
            if relation is None:
                found = model.from_db(connection.alias, names, part)
                continue
            other = None
            if part[names.index(model._meta.pk.attname)] is not None:
                other = model.from_db(connection.alias, names, part)
            relation.set_cached_value(found, other)
            if other is not None and relation.one_to_one and relation.auto_created:
                relation.remote_field.set_cached_value(other, found)  # the forward side
        return found

    def all(self, values: Mapping[str, Any]) -> list[Any]:
        statement = self._compile()[0]
        return [self._instance(row) for row in statement.rows(values)]

    def first(self, values: Mapping[str, Any]) -> Any:
        row = self._compile()[0].one(values)
        return None if row is None else self._instance(row)


class Insert:
    """Writes a new instance of `model` with an INSERT compiled by Django once per database.

    What `instance.save()` does for a new instance, without building and compiling the
    statement each time: the fields' `pre_save` and `get_db_prep_save`, the returned primary
    key, the instance's state, and the pre_save and post_save signals. For models whose
    `save()` adds nothing of its own when an instance is added; a value that is an expression
    (a database default left unset, an F()) goes through `save()` instead.
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self._compiled: dict[str, tuple[str, list[Any], list[Any], Any, list[Any]]] = {}

    def _compile(self) -> tuple[str, list[Any], list[Any], Any, list[Any]]:
        key = f"{connection.alias}:{connection.vendor}"
        if key not in self._compiled:
            meta = self.model._meta
            fields = [
                f
                for f in meta.local_concrete_fields
                if not f.generated and f is not meta.auto_field
            ]
            query = InsertQuery(self.model)
            sample = self.model(**{f.attname: None for f in fields})
            query.insert_values(fields, [sample])
            compiler: Any = query.get_compiler(connection=connection)
            returning = list(meta.db_returning_fields)
            compiler.returning_fields = returning
            [(sql, params)] = compiler.as_sql()
            if len(params) != len(fields) or sql.count("%s") != len(fields) + len(
                compiler.returning_params or ()
            ):
                raise RuntimeError(
                    f"{self.model.__name__}: one placeholder per field expected: {sql}"
                )
            self._compiled[key] = (
                sql,
                fields,
                returning,
                compiler.returning_params,
                _converters(returning),
            )
        return self._compiled[key]

    def __call__(self, instance: M) -> M:
        return self.prepare(instance).write()

    def prepare(self, instance: M) -> PendingInsert[M]:
        """The instance's row made ready to write, for `write()` later — outside a
        transaction, so that the transaction holds the database's write lock the shorter
        (cases.actions.do_submit_case). The pre_save signal is sent now."""
        _sql, fields, _returning, _params, _converters = self._compile()
        cls = type(instance)
        if cls is not self.model or not instance._state.adding:
            raise ValueError("Insert writes new instances of its own model")
        signals.pre_save.send(
            sender=cls, instance=instance, raw=False, using=connection.alias, update_fields=None
        )
        instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        params = []
        for field in fields:
            value = field.pre_save(instance, True)
            if hasattr(value, "resolve_expression"):
                return PendingInsert(self, instance, None)  # an expression: the ORM's save()
            params.append(field.get_db_prep_save(value, connection=connection))
        return PendingInsert(self, instance, params)

    def _write(self, instance: M, params: list[Any] | None) -> M:
        if params is None:
            instance.save(force_insert=True)
            return instance
        sql, _fields, returning, returning_params, converters = self._compile()
        cls = type(instance)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if returning:
                row = connection.ops.fetch_returned_insert_columns(cursor, returning_params)
                for field, value in zip(returning, _convert(row, converters), strict=True):
                    setattr(instance, field.attname, value)
        instance._state.adding = False
        instance._state.db = connection.alias
        signals.post_save.send(
            sender=cls,
            instance=instance,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )
        return instance


class PendingInsert(Generic[M]):
    """A row prepared by `Insert.prepare`: `set` changes a field before it is written (the
    instance and the row alike), `write` inserts it."""

    def __init__(self, insert: Insert, instance: M, params: list[Any] | None) -> None:
        self.insert, self.instance, self.params = insert, instance, params

    def set(self, attname: str, value: Any) -> None:
        setattr(self.instance, attname, value)
        if self.params is not None:
            _sql, fields, *_rest = self.insert._compile()
            for position, field in enumerate(fields):
                if field.attname == attname:
                    self.params[position] = field.get_db_prep_save(value, connection=connection)
                    break
            else:
                raise ValueError(f"{attname} is not a column Insert writes")

    def write(self) -> M:
        return self.insert._write(self.instance, self.params)

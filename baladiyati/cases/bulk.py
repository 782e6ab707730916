"""Inserting many cases at once: synthetic load (`seed_demo --cases N`, benchmarks) and imports.

Why this bypasses `cases.actions`: each `do_submit_case` validates one report, takes the
reference counter, writes the case, its timeline, an audit row and queues notifications —
about ten queries, a few hundred cases a second. Bulk rows are synthetic load data or
historic records copied from another system: nobody is to be notified of them and a per-case
audit trail would only repeat the rows themselves. So `insert_cases` (and `Inserter`, for
imports that prepare their batches elsewhere) writes the rows with raw `executemany` in
batches (one transaction each), and one AuditEvent records the whole insert (its action,
the count, the reference range; also an insert stopped half-way, for what it wrote). With
`on_problem`, a bad row is reported and left out instead of failing its batch (imports).

What the actions guarantee is kept, computed the same way:
- references `<CODE>-<year>-<number>` from the same Counter (`case-ref:<municipality>:<year>`,
  the year local to the municipality), one block per year and batch, in input order;
- `h3_cell`, and `district` as `Municipality.district_at` (the first district in order that
  covers the point); points outside the municipality are refused;
- `due_at` from the service's SLA on the municipality's working calendar, equal to
  `WorkingTime.add` (computed for whole batches with numpy), counted from the reopening for
  a reopened case;
- an open case's SLA clock as `sla.start_clock` starts it (the same start, the warning at
  `sla.WARN_FRACTION` of the allowed time, the first check by `sla.next_check`), so that the
  deadline scan finds it; with a due time given (an import's), the warning time is unknown
  and the first check is the due time, as migration 0007 did for older cases;
- `search_text` as `search_terms(description, address, service names)`;
- the CheckConstraints (close reason only when closed without fixing, duplicate_of only for
  a duplicate) and consistent timestamps, checked before anything is written;
- the timeline: a "submitted" CaseUpdate for every case and one for its current status when
  that is not "submitted" (the Open311 and portal timelines read them); a reporter with an
  account follows the case.

Rows are sent with the model's column names (see `_CASE_FIELDS`) and `%s` parameters, so this
works on SQLite and PostgreSQL alike. Ids are reserved first (PostgreSQL: the identity
sequence; SQLite: above the largest id ever used, under the write lock that IMMEDIATE
transactions hold), so that duplicates can name their originals and the database itself
derives the timeline and followers from the rows just written (`_derived_sql`).

Speed: 1,000,000 generated cases take about 90 s on SQLite on a 2-core machine with the
default 20,000-row batches. Most of it is SQLite's upkeep of the case table's two dozen
indexes (about 35 µs a row, and 10 more at commit); the rest is Python preparing rows, which
an import does in a second process meanwhile (open311/importer.py). A second *thread* does
not help: sqlite3 takes Python's global lock back after every row of an executemany and
waits for it each time, which made a threaded writer slower than none (docs/benchmarks.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import random
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

import h3
import numpy as np
import orjson
import shapely
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED

from baladiyati.accounts.models import Role, StaffMembership
from baladiyati.cities.calendar import WorkingTime
from baladiyati.cities.models import (
    Datatype,
    District,
    Municipality,
    Service,
    ServiceQuestion,
)
from baladiyati.core import audit, clock, geo
from baladiyati.core.models import Counter
from baladiyati.core.text import search_terms

from . import sla
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseFollower,
    CaseUpdate,
    Channel,
    CloseReason,
    Priority,
    Status,
)

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
US = dt.timedelta(microseconds=1)
HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US


@dataclass(slots=True)
class NewCase:
    """One case to insert. Defaults follow `do_submit_case`; see `insert_cases`.

    `updated_at` is the time of the last change (the reopening, for a reopened case); it
    defaults to the latest of the timestamps. `duplicate_of` is a case id, another NewCase
    inserted before (or earlier in the same call), or the external id of one (same source,
    written before or earlier in the batch). `id` and `reference` are filled in.
    """

    service_id: int
    created_at: dt.datetime
    lat: float
    lon: float
    channel: str
    status: str = Status.SUBMITTED
    priority: int = Priority.NORMAL
    description: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    address: str = ""
    close_reason: str = ""
    duplicate_of: NewCase | int | str | None = None
    acknowledged_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    reopen_count: int = 0
    department_id: int | None = None
    assignee_id: int | None = None
    reporter_id: int | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    is_private: bool | None = None
    device_id: str = ""
    media_url: str = ""
    external_source: str | None = None
    external_id: str | None = None
    id: int | None = None
    reference: str = ""


# on_problem(position, case, problem): a row left out of an insert (see insert_cases).
OnProblem = Callable[[int, "NewCase", str], Any]


@dataclass(frozen=True)
class BulkResult:
    count: int
    first_reference: str = ""
    last_reference: str = ""


# The columns written, in order. `_check_columns` proves nothing the database needs is left out.
_CASE_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "municipality_id",
    "reference",
    "service_id",
    "status",
    "close_reason",
    "duplicate_of_id",
    "priority",
    "channel",
    "description",
    "answers",
    "lat",
    "lon",
    "h3_cell",
    "district_id",
    "address",
    "department_id",
    "assignee_id",
    "reporter_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "tracking_token",
    "is_private",
    "is_hidden",
    "due_at",
    "acknowledged_at",
    "closed_at",
    "reopen_count",
    "media_url",
    "idempotency_key",
    "device_id",
    "submission_hash",
    "search_text",
    "external_source",
    "external_id",
    "sla_started_at",
    "sla_warn_at",
    "sla_next_check_at",
)
_UPDATE_FIELDS = (
    "case_id",
    "created_at",
    "author_id",
    "kind",
    "status",
    "close_reason",
    "message",
    "is_public",
)
_FOLLOWER_FIELDS = ("case_id", "user_id", "created_at")
# Plain sets: `Status.values` rebuilds a list on every call, too slow a million times over.
_STATUSES = frozenset(Status.values)
_CHANNELS = frozenset(Channel.values)
_PRIORITIES = frozenset(Priority.values)
_CLOSE_REASONS = frozenset(CloseReason.values)
# Choices as the plain str or int they are equal to: rows hold only plain values (an
# import sends them to the writing process with marshal, which takes nothing else).
_PLAIN: dict[Any, Any] = {
    choice: choice.value
    for choices in (Status, Channel, Priority, CloseReason)
    for choice in choices
}


def _prepared(geojson: dict[str, Any]) -> Any:
    shape = geo.geometry(geojson)
    shapely.prepare(shape)  # in place: fast repeated point tests
    return shape


def _insert_sql(model: Any, attnames: Sequence[str]) -> str:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(_column(model, a)) for a in attnames)
    placeholders = ", ".join(["%s"] * len(attnames))
    # Identifiers come from the model's metadata, quoted; values go as parameters.
    table = qn(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608


def _copy_sql(model: Any, attnames: Sequence[str]) -> str:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(_column(model, a)) for a in attnames)
    return f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"


def _column(model: Any, attname: str) -> str:
    """The database column of a model field, by attname (`service_id`, not `service`)."""
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return str(f.column)
    raise LookupError(f"{model.__name__} has no field {attname}")


def _check_columns(model: Any, written: Sequence[str]) -> None:
    """Fail loudly when `model` gained a column this module leaves out and the database
    cannot fill in (not nullable, no db_default)."""
    missing = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in written
        and not f.primary_key
        and not f.null
        and f.db_default is NOT_PROVIDED
    ]
    unknown = set(written) - {f.attname for f in model._meta.concrete_fields}
    if missing or unknown:
        raise RuntimeError(
            f"cases.bulk is out of date with {model.__name__}: "
            f"missing {sorted(missing)}, unknown {sorted(unknown)}"
        )


# ---------------------------------------------------------------------------- working time


class WorkingClock:
    """`WorkingTime.add` for whole arrays of instants (microseconds since the epoch).

    Each working day of a table contributes its opening hours to a running total; a start
    instant maps to the working time elapsed before it, the SLA is added, and the total maps
    back to the day and moment where it is reached. Same results as `WorkingTime.add`
    (a start outside hours counts from the next opening; exactly at closing time stays there).
    """

    def __init__(self, engine: WorkingTime) -> None:
        self.engine = engine
        self.first_day: dt.date | None = None
        self.last_day: dt.date | None = None

    def _build(self, first_day: dt.date, last_day: dt.date) -> None:
        opens, lengths = [], []
        day = first_day
        while day <= last_day:
            if self.engine.is_working_day(day):
                opened = dt.datetime.combine(day, self.engine.day_start, tzinfo=self.engine.tz)
                closed = dt.datetime.combine(day, self.engine.day_end, tzinfo=self.engine.tz)
                opens.append((opened - EPOCH) // US)
                lengths.append((closed - opened) // US)
            day += dt.timedelta(days=1)
        if not opens:
            raise ValueError("no working day in the calendar's range")
        self.open_us = np.array(opens, dtype=np.int64)
        self.len_us = np.array(lengths, dtype=np.int64)
        self.cum_close = np.cumsum(self.len_us)
        self.cum_open = self.cum_close - self.len_us
        self.first_day, self.last_day = first_day, last_day

    def _local_day(self, us: int) -> dt.date:
        return (EPOCH + dt.timedelta(microseconds=us)).astimezone(self.engine.tz).date()

    def add(self, start_us: np.ndarray, hours_us: np.ndarray) -> np.ndarray:
        if len(start_us) == 0:
            return np.array([], dtype=np.int64)
        if np.any(hours_us < 0):
            raise ValueError("hours must not be negative")
        first = self._local_day(int(start_us.min())) - dt.timedelta(days=1)
        working_days = 7 - len(self.engine.weekend)
        day_hours = (
            dt.datetime.combine(dt.date.min, self.engine.day_end)
            - dt.datetime.combine(dt.date.min, self.engine.day_start)
        ) / dt.timedelta(hours=1)
        span = math.ceil(int(hours_us.max()) / HOUR_US / day_hours * 7 / working_days) + 31
        last = self._local_day(int(start_us.max())) + dt.timedelta(days=span)
        for _ in range(12):
            if self.first_day is None or self.last_day is None:
                self._build(first, last)
            elif first < self.first_day or last > self.last_day:
                self._build(min(first, self.first_day), max(last, self.last_day))
            due = self._add(start_us, hours_us)
            if due is not None:
                return due
            last += dt.timedelta(days=span * 2)  # holidays ate the margin: look further
        raise ValueError("no working time found within the calendar's range")

    def _add(self, start_us: np.ndarray, hours_us: np.ndarray) -> np.ndarray | None:
        # i: the last working day opened by the start; the start counts from there, or from
        # the next working day's opening when it comes after closing (or before any day).
        i = np.searchsorted(self.open_us, start_us, side="right") - 1
        before_first = i < 0
        i = np.maximum(i, 0)
        after_closing = start_us > self.open_us[i] + self.len_us[i]
        first = np.where(before_first, 0, np.where(after_closing, i + 1, i))
        elapsed = np.clip(start_us - self.open_us[i], 0, self.len_us[i])
        worked = np.where(before_first, 0, self.cum_open[i] + elapsed)
        target = worked + hours_us
        # The first day, from the start's, whose working hours reach the target. Not earlier:
        # "no time" from an opening (or from after closing) is that opening, not the closing
        # of the day before, whose running total is the same.
        j = np.maximum(np.searchsorted(self.cum_close, target, side="left"), first)
        if np.any(j >= len(self.cum_close)):
            return None
        return self.open_us[j] + (target - self.cum_open[j])


def by_external_id(
    municipality_id: int, sources: Collection[str | None], external_ids: Collection[str | None]
) -> list[tuple[str, int]]:
    """(external id, case id) of the cases imported from `sources` under these ids.

    Unordered, on purpose: with the model's ordering (newest first) SQLite walked
    `case_created` through every case of the city to return them in that order, rather
    than seek each id in `case_external_once` — 100 ms a batch with 200,000 cases, and an
    import taking longer with every batch (docs/benchmarks.md)."""
    rows = (
        Case.objects.filter(
            municipality_id=municipality_id,
            external_source__in=list(sources),
            external_id__in=list(external_ids),
        )
        .order_by()
        .values_list("external_id", "pk")
    )
    return [(str(external_id), pk) for external_id, pk in rows]


def to_us(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("aware datetimes only")
    return (moment - EPOCH) // US


def from_us(us: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=us)


# ---------------------------------------------------------------------------- inserting


@dataclass(frozen=True)
class _ServiceInfo:
    department_id: int
    sla_us: int
    warn_us: int  # the warning's share of sla_us, as sla.deadlines computes it
    is_private: bool
    name_ar: str
    name_en: str


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(search_terms(text).split())


@lru_cache(maxsize=65536)
def _search_text(*texts: str) -> str:
    """search_terms(*texts), from cached per-text terms (addresses and descriptions repeat)."""
    seen: dict[str, None] = {}
    for text in texts:
        for term in _terms(text):
            seen.setdefault(term, None)
    return " ".join(seen)


def _datetime_adapter() -> Callable[[dt.datetime | None], Any]:
    """What the database driver takes for an aware datetime (Django's adaptation, faster)."""
    if connection.vendor == "sqlite":
        tz = connection.timezone  # SQLite stores naive datetimes in this zone (UTC by default)

        def adapt(value: dt.datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is not tz:
                value = value.astimezone(tz)
            return value.replace(tzinfo=None).isoformat(" ")

        def adapt_utc(value: dt.datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is not UTC:
                value = value.astimezone(UTC)
            return value.isoformat(" ")[:-6]  # without "+00:00"

        return adapt_utc if tz is UTC else adapt

    # PostgreSQL (rows go by COPY, as text): the UTC time with its offset, so that rows hold
    # plain values only (an import sends them between processes with marshal).
    def adapt_offset(value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.isoformat(" ")

    return adapt_offset


def _many_adapter(
    adapt: Callable[[dt.datetime | None], Any],
) -> Callable[[list[dt.datetime | None]], list[Any]]:
    """`adapt` for a whole column at once. The text `adapt_utc` (SQLite in UTC, the
    settings') and `adapt_offset` (PostgreSQL) give — `isoformat(" ")` of the UTC time,
    microseconds only when not 0 — is made by numpy for the whole list: a fifth of the cost
    of a call per value."""
    if connection.vendor == "postgresql":
        suffix = "+00:00"
    elif connection.timezone is UTC:
        suffix = ""
    else:
        return lambda values: [adapt(value) for value in values]

    def adapt_many(values: list[dt.datetime | None]) -> list[Any]:
        where = [i for i, value in enumerate(values) if value is not None]
        if not where:
            return list(values)
        whole = len(where) == len(values)
        present = values if whole else [values[i] for i in where]
        us = np.array([(value - EPOCH) // US for value in present], dtype=np.int64)  # type: ignore[operator]
        moments = us.astype("datetime64[us]")
        texts = np.datetime_as_string(moments, unit="s").tolist()
        fraction = np.flatnonzero(us % 1_000_000)
        if len(fraction):
            precise = np.datetime_as_string(moments[fraction], unit="us").tolist()
            for index, text in zip(fraction.tolist(), precise, strict=True):
                texts[index] = text
        texts = [text.replace("T", " ") + suffix for text in texts]
        if whole:
            return texts
        out: list[Any] = [None] * len(values)
        for index, text in zip(where, texts, strict=True):
            out[index] = text
        return out

    return adapt_many


def _json_text(value: Any, encoder: Any) -> str:
    """SQLite's JSON column value: the text (compact; read back with json.loads)."""
    return orjson.dumps(value).decode()


def _derived_sql() -> list[tuple[str, list[Any], list[Any]]]:
    """INSERT … SELECT statements that derive, from the case rows `{ids}` selects, their
    "submitted" timeline entry, the entry of their current status and the reporter's follow;
    each with its parameters before and after the `{ids}` condition.

    Done by the database rather than sent row by row: a third of the time of a bulk insert
    would otherwise go into the parameters of these two million rows.
    Only quoted identifiers are put into the SQL; values are parameters.
    """
    qn = connection.ops.quote_name

    def c(name: str) -> str:
        return qn(_column(Case, name))

    def insert(model: Any, attnames: Sequence[str]) -> str:
        columns = ", ".join(qn(_column(model, a)) for a in attnames)
        return f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "

    cases = qn(Case._meta.db_table)
    submitted = insert(CaseUpdate, _UPDATE_FIELDS) + (
        f"SELECT {c('id')}, {c('created_at')}, {c('reporter_id')}, %s, %s, '', '', %s "  # noqa: S608
        f"FROM {cases} WHERE {{ids}}"
    )
    # The moment of the current status: closing, acknowledgement, or the last change.
    current = insert(CaseUpdate, _UPDATE_FIELDS) + (
        f"SELECT {c('id')}, "  # noqa: S608
        f"CASE WHEN {c('status')} IN (%s, %s, %s) THEN {c('closed_at')} "
        f"WHEN {c('status')} = %s THEN {c('acknowledged_at')} ELSE {c('updated_at')} END, "
        f"{c('assignee_id')}, CASE WHEN {c('status')} = %s THEN %s ELSE %s END, "
        f"{c('status')}, {c('close_reason')}, '', %s "
        f"FROM {cases} WHERE {{ids}} AND {c('status')} <> %s"
    )
    follow = insert(CaseFollower, _FOLLOWER_FIELDS) + (  # noqa: S608
        f"SELECT {c('id')}, {c('reporter_id')}, {c('created_at')} FROM {cases} "  # noqa: S608
        f"WHERE {{ids}} AND {c('reporter_id')} IS NOT NULL"
    )
    return [
        (submitted, [CaseUpdate.Kind.SUBMITTED, Status.SUBMITTED, True], []),
        (
            current,
            [
                *sorted(CLOSED_STATUSES),
                Status.ACKNOWLEDGED,
                Status.REOPENED,
                CaseUpdate.Kind.REOPENED,
                CaseUpdate.Kind.STATUS,
                True,
            ],
            [Status.SUBMITTED],
        ),
        (follow, [], []),
    ]


def _id_filter(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL selecting the case rows with these ids (contiguous on SQLite, see _reserve_ids)."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return f"{qn('id')} = ANY(%s)", [list(ids)]
    return f"{qn('id')} BETWEEN %s AND %s", [ids[0], ids[-1]]


def _reserve_ids(cursor: Any, count: int) -> list[int]:
    table = Case._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]
    if connection.vendor == "sqlite":
        # The write lock is held (IMMEDIATE transaction): nobody else takes ids meanwhile.
        # sqlite_sequence remembers ids of deleted rows, which AUTOINCREMENT never reuses.
        cursor.execute(
            f'SELECT MAX(x) FROM (SELECT MAX(id) AS x FROM "{table}" '  # noqa: S608
            "UNION ALL SELECT seq AS x FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        last = cursor.fetchone()[0] or 0
        return list(range(last + 1, last + 1 + count))
    # The bulk path knows the two databases the project supports (DESIGN.md: SQLite, PostgreSQL).
    raise ImproperlyConfigured(
        f"bulk insert supports SQLite and PostgreSQL, not {connection.vendor}"
    )


def _problem(case: NewCase, services: Mapping[int, _ServiceInfo]) -> str | None:
    """Why the row would break a constraint or tell an impossible story, or None."""
    status = case.status
    if case.service_id not in services:
        return f"service {case.service_id} is not a service of this municipality"
    if status not in _STATUSES:
        return f"unknown status {status!r}"
    if case.channel not in _CHANNELS:
        return f"unknown channel {case.channel!r}"
    if case.priority not in _PRIORITIES:
        return f"unknown priority {case.priority!r}"
    if (status == Status.CLOSED_NOT_FIXED) != bool(case.close_reason):
        return "a close reason belongs to, and only to, a case closed without fixing"
    if case.close_reason and case.close_reason not in _CLOSE_REASONS:
        return f"unknown close reason {case.close_reason!r}"
    if (status == Status.DUPLICATE) != (case.duplicate_of is not None):
        return "duplicate_of belongs to, and only to, a duplicate"
    if (status == Status.SUBMITTED) != (case.acknowledged_at is None):
        return "acknowledged_at is set once, and only once, a case is no longer submitted"
    if (status in CLOSED_STATUSES) != (case.closed_at is not None):
        return "closed_at is set for, and only for, a closed case"
    if (status == Status.REOPENED) and case.reopen_count < 1:
        return "a reopened case has a reopen_count"
    for moment in (case.created_at, case.acknowledged_at, case.closed_at, case.updated_at):
        if moment is not None and moment.tzinfo is None:
            return "aware datetimes only"
    if case.acknowledged_at is not None and case.acknowledged_at < case.created_at:
        return "acknowledged before it was created"
    if case.closed_at is not None and case.closed_at < (case.acknowledged_at or case.created_at):
        return "closed before it was acknowledged"
    return None


class _Writer:
    """Turns batches of NewCase into rows (`prepare`) and writes them (`write`).

    `prepare` validates and computes, without the database; what needs the database inside
    the batch's transaction — ids, references, the ids of originals — `write` fills in.
    """

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self.services = {
            s.pk: _ServiceInfo(
                s.department_id,
                s.sla_hours * HOUR_US,
                (dt.timedelta(hours=float(s.sla_hours)) * sla.WARN_FRACTION) // US,
                s.is_private,
                s.name_ar,
                s.name_en,
            )
            for s in Service.objects.filter(municipality=municipality)
        }
        # In Municipality.district_at's order: the first district covering a point has it.
        self.districts = [
            (d.pk, _prepared(d.boundary))
            for d in District.objects.filter(municipality=municipality).order_by("order", "id")
        ]
        self.boundary = _prepared(municipality.boundary)
        self.working = WorkingClock(municipality.calendar.engine())
        self.tz = municipality.zoneinfo
        # Taken here, in the caller's thread: `connection` is per thread.
        self.adapt_dt = _datetime_adapter()
        self.adapt_many = _many_adapter(self.adapt_dt)
        # Text for both: SQLite's JSON columns hold it, PostgreSQL's COPY parses it.
        self.adapt_json = _json_text
        # Rows left out (with on_problem), and so are their duplicates in later batches.
        self.left_out: dict[int, NewCase] = {}
        self.case_sql = _insert_sql(Case, _CASE_FIELDS)
        self.copy_sql = _copy_sql(Case, _CASE_FIELDS) if connection.vendor == "postgresql" else ""
        self.derived_sql = _derived_sql()

    def prepare(
        self, batch: list[NewCase], offset: int, on_problem: OnProblem | None = None
    ) -> _Prepared:
        """Rows for `batch` (its cases numbered from `offset`). A bad case raises ValueError,
        or with `on_problem` is reported to it and left out, with the duplicates pointing
        at it."""
        services, adapt_json = self.services, self.adapt_json
        refused: dict[int, str] = {}  # position in batch → problem
        for index, case in enumerate(batch):
            problem = _problem(case, services)
            if problem:
                refused[index] = problem
        lat = np.fromiter((c.lat for c in batch), dtype=np.float64, count=len(batch))
        lon = np.fromiter((c.lon for c in batch), dtype=np.float64, count=len(batch))
        with np.errstate(invalid="ignore"):
            outside = ~shapely.intersects_xy(self.boundary, lon, lat)
        for index in np.flatnonzero(outside).tolist():
            refused.setdefault(index, f"the location is outside {self.municipality}")
        if refused and on_problem is None:
            index = min(refused)
            raise ValueError(f"row {offset + index}: {refused[index]}")
        left_out = self.left_out
        left_out.update((id(batch[i]), batch[i]) for i in refused)
        if left_out:
            for index, case in enumerate(batch):
                original = case.duplicate_of
                if isinstance(original, NewCase) and left_out.get(id(original)) is original:
                    refused.setdefault(index, "its original is left out")
                    left_out[id(case)] = case
        if refused:
            assert on_problem is not None
            for index in sorted(refused):
                on_problem(offset + index, batch[index], refused[index])
            keep = [i for i in range(len(batch)) if i not in refused]
            batch = [batch[i] for i in keep]
            lat, lon = lat[keep], lon[keep]
        district_ids: list[int | None] = [None] * len(batch)
        unplaced = np.ones(len(batch), dtype=bool)
        for pk, shape in self.districts:
            hit = unplaced & shapely.intersects_xy(shape, lon, lat)
            for index in np.flatnonzero(hit).tolist():
                district_ids[index] = pk
            unplaced &= ~hit
        dues, clocks = self._due_times(batch)

        prepared = _Prepared(batch)
        municipality_id = self.municipality.pk
        # Per row, what geo.h3_cell and secrets.token_urlsafe(24) give, without reading the
        # setting for each row, nor asking the system for random bytes 24 at a time.
        h3_cell, resolution = h3.latlng_to_cell, settings.H3_RESOLUTION
        # secrets.token_urlsafe(24) for each row: 24 random bytes are 32 characters of
        # base64, whole, so the encoding of all of them at once, cut every 32, is the same.
        tokens = base64.urlsafe_b64encode(secrets.token_bytes(24 * len(batch))).decode("ascii")
        adapt_many, plain = self.adapt_many, _PLAIN.get
        created_at = adapt_many([case.created_at for case in batch])
        updated_at = adapt_many(
            [
                case.updated_at
                or max(m for m in (case.created_at, case.acknowledged_at, case.closed_at) if m)
                for case in batch
            ]
        )
        due_at = adapt_many([case.due_at or due for case, due in zip(batch, dues, strict=True)])
        acknowledged_at = adapt_many([case.acknowledged_at for case in batch])
        closed_at = adapt_many([case.closed_at for case in batch])
        for index, case in enumerate(batch):
            info = services[case.service_id]
            # id, reference and duplicate_of (slots 0, 4, 8) are filled in by `write`.
            prepared.rows.append(
                [
                    None,
                    created_at[index],
                    updated_at[index],
                    municipality_id,
                    "",
                    case.service_id,
                    plain(case.status, case.status),
                    plain(case.close_reason, case.close_reason),
                    None,
                    plain(case.priority, case.priority),
                    plain(case.channel, case.channel),
                    case.description,
                    adapt_json(case.answers, None),
                    case.lat,
                    case.lon,
                    h3_cell(case.lat, case.lon, resolution),
                    district_ids[index],
                    case.address,
                    case.department_id or info.department_id,
                    case.assignee_id,
                    case.reporter_id,
                    case.contact_name,
                    case.contact_email,
                    case.contact_phone,
                    tokens[32 * index : 32 * index + 32],
                    info.is_private if case.is_private is None else case.is_private,
                    False,
                    due_at[index],
                    acknowledged_at[index],
                    closed_at[index],
                    case.reopen_count,
                    case.media_url,
                    None,
                    case.device_id,
                    "",
                    _search_text(case.description, case.address, info.name_ar, info.name_en),
                    case.external_source,
                    case.external_id,
                    *clocks[index],
                ]
            )
            prepared.years.append(case.created_at.astimezone(self.tz).year)
        return prepared

    def write(self, prepared: _Prepared, offset: int) -> None:
        """Write a prepared batch in one transaction; then (only once it is committed) give
        its cases their ids: `case.id is not None` means the case can be read back."""
        batch, rows = prepared.cases, prepared.rows
        if not batch:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            ids = _reserve_ids(cursor, len(batch))
            here: dict[int, int] = {}  # id(case) → its id, for originals in this batch
            for case, row, pk in zip(batch, rows, ids, strict=True):
                row[0] = here[id(case)] = pk
            self._assign_references(prepared)
            named = self._originals_by_external_id(batch, ids)
            for index, case in enumerate(batch):
                original = case.duplicate_of
                if isinstance(original, NewCase):
                    original = original.id or here.get(id(original))
                elif isinstance(original, str):
                    original = named.get(original)
                if case.duplicate_of is not None and (
                    original is None or original >= rows[index][0]
                ):
                    raise ValueError(f"row {offset + index}: its original is not inserted yet")
                rows[index][8] = original
            if self.copy_sql:
                # PostgreSQL: COPY, not one INSERT per row to parse and plan.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.case_sql, rows)
            # The timeline and followers are read off the rows just written, by the database.
            where, id_params = _id_filter(ids)
            for sql, before, after in self.derived_sql:
                cursor.execute(sql.replace("{ids}", where), [*before, *id_params, *after])
        for case, pk in zip(batch, ids, strict=True):
            case.id = pk

    def _originals_by_external_id(self, batch: list[NewCase], ids: list[int]) -> dict[str, int]:
        """{external id: case id} of the originals the batch names by their external id
        (imports from another process): in this batch, or written before from the same
        source."""
        wanted = {c.duplicate_of for c in batch if isinstance(c.duplicate_of, str)}
        if not wanted:
            return {}
        found: dict[str | None, int] = {
            case.external_id: pk
            for case, pk in zip(batch, ids, strict=True)
            if case.external_id in wanted
        }
        sources = {c.external_source for c in batch if isinstance(c.duplicate_of, str)}
        missing = wanted - set(found)
        if missing:
            found.update(by_external_id(self.municipality.pk, sources, missing))
        return {str(k): v for k, v in found.items()}

    def _assign_references(self, prepared: _Prepared) -> None:
        """Per local year, one block of the reference counter, in the order of the rows."""
        municipality = self.municipality
        positions: dict[int, list[int]] = {}
        for index, year in enumerate(prepared.years):
            positions.setdefault(year, []).append(index)
        for year, indexes in sorted(positions.items()):
            numbers = Counter.allocate(f"case-ref:{municipality.pk}:{year}", len(indexes))
            for index, number in zip(indexes, numbers, strict=True):
                reference = f"{municipality.code}-{year}-{number:06d}"
                prepared.cases[index].reference = prepared.rows[index][4] = reference

    def _due_times(
        self, batch: Sequence[NewCase]
    ) -> tuple[list[dt.datetime | None], list[tuple[Any, Any, Any]]]:
        """The computed due times (None where given) and each row's SLA clock columns
        (sla_started_at, sla_warn_at, sla_next_check_at, adapted): set for open cases only."""
        starts, hours, where = [], [], []
        open_starts, warn_hours, open_where = [], [], []
        for index, case in enumerate(batch):
            start = case.created_at
            if case.status == Status.REOPENED and case.updated_at is not None:
                start = case.updated_at  # a reopened case is due again from the reopening
            if case.due_at is None:
                starts.append(to_us(start))
                hours.append(self.services[case.service_id].sla_us)
                where.append(index)
            if case.status in OPEN_STATUSES:
                open_starts.append(start)
                warn_hours.append(self.services[case.service_id].warn_us)
                open_where.append(index)
        result: list[dt.datetime | None] = [None] * len(batch)
        if where:
            due = self.working.add(
                np.array(starts, dtype=np.int64), np.array(hours, dtype=np.int64)
            )
            for index, us in zip(where, due.tolist(), strict=True):
                result[index] = from_us(us)
        clocks: list[tuple[Any, Any, Any]] = [(None, None, None)] * len(batch)
        if open_where:
            adapt_dt, next_check = self.adapt_dt, sla.next_check
            warns = self.working.add(
                np.array([to_us(s) for s in open_starts], dtype=np.int64),
                np.array(warn_hours, dtype=np.int64),
            ).tolist()
            for index, start, warn_us in zip(open_where, open_starts, warns, strict=True):
                case = batch[index]
                # A due time given (an import's) leaves the warning time unknown.
                warn_at = from_us(warn_us) if case.due_at is None else None
                check = next_check(
                    status=case.status,
                    paused_at=None,
                    warn_at=warn_at,
                    due_at=case.due_at or result[index],
                    warned_at=None,
                    breached_at=None,
                )
                clocks[index] = (adapt_dt(start), adapt_dt(warn_at), adapt_dt(check))
        return result, clocks


# ---------------------------------------------------------------------------- indexes


def _index_statements() -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every non-unique index the models declare on the
    case table and its timeline — the statements `migrate` ran; the unique ones (reference,
    tracking token, `case_external_once`, …) are constraints and not among them."""
    # Not entered (`with`): entering SQLite's schema editor switches foreign keys off; the
    # statements are only composed here.
    editor = connection.schema_editor(collect_sql=True)
    statements = []
    for model in (Case, CaseUpdate):
        for statement in editor._model_indexes_sql(model):  # type: ignore[attr-defined]
            statements.append((str(statement.parts["name"]).strip('"'), str(statement)))
    return statements


def _existing_indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s, %s)",
                [Case._meta.db_table, CaseUpdate._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename IN (%s, %s)",
                [Case._meta.db_table, CaseUpdate._meta.db_table],
            )
        return {row[0] for row in cursor.fetchall()}


def restore_indexes() -> list[str]:
    """Build the case table's and timeline's declared indexes that are missing — left out
    by a bulk insert into an empty table (`Inserter(defer_indexes=True)`) that was killed
    before it could build them. Returns their names. Every Inserter calls it first."""
    existing = _existing_indexes()
    built = []
    for name, sql in _index_statements():
        if name not in existing:
            with transaction.atomic(), connection.cursor() as cursor:
                _ddl(cursor, [sql])
            built.append(name)
    return built


def _ddl(cursor: Any, statements: Sequence[str]) -> None:
    """Run index statements. PostgreSQL refuses them on a table with foreign key checks
    pending (Django's are deferred to the commit): inside a longer transaction (tests) the
    checks are run first, as Django's own `check_constraints` does."""
    pending = connection.vendor == "postgresql" and connection.in_atomic_block
    if pending:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in statements:
        cursor.execute(sql)
    if pending:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _drop_indexes(keep: Collection[str] = ()) -> list[str]:
    """Drop the declared non-unique indexes of cases and timeline but `keep` (Inserter)."""
    existing = _existing_indexes()
    qn = connection.ops.quote_name
    dropped = [name for name, _sql in _index_statements() if name in existing and name not in keep]
    with transaction.atomic(), connection.cursor() as cursor:
        _ddl(cursor, [f"DROP INDEX {qn(name)}" for name in dropped])
    return dropped


@dataclass
class _Prepared:
    cases: list[NewCase]
    rows: list[list[Any]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


class Inserter:
    """Writes prepared batches of one municipality, one transaction each, and records the
    whole insert in one AuditEvent when closed — also when it stopped half-way (an error,
    Ctrl-C): then for the batches written, marked `"complete": False`.

        with Inserter(municipality, action="case.imported") as inserter:
            inserter.write(inserter.writer.prepare(batch, offset), offset)
    """

    def __init__(
        self,
        municipality: Municipality,
        *,
        actor: Any = None,
        action: str = "case.bulk_inserted",
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        _check_columns(Case, _CASE_FIELDS)
        # A bulk insert killed while its indexes were left out: build them first.
        restore_indexes()
        self.indexes_deferred = False
        _check_columns(CaseUpdate, _UPDATE_FIELDS)
        _check_columns(CaseFollower, _FOLLOWER_FIELDS)
        self.municipality = municipality
        self.actor, self.action, self.extra = actor, action, dict(extra or {})
        self.writer = _Writer(municipality)
        self.count, self.first_reference, self.last_reference = 0, "", ""
        self.restore: list[str] = []
        if connection.vendor == "sqlite":
            # For the insert: a larger page cache (a large table's indexes are updated all
            # over), and a checkpoint every 40 MB of log rather than every 4 — about a fifth
            # less work per row. Put back when closed.
            with connection.cursor() as cursor:
                for pragma, value in (("cache_size", -262144), ("wal_autocheckpoint", 10000)):
                    cursor.execute(f"PRAGMA {pragma}")
                    self.restore.append(f"PRAGMA {pragma} = {int(cursor.fetchone()[0])}")
                    cursor.execute(f"PRAGMA {pragma} = {value}")

    def defer_indexes(self, keep: Collection[str] = ()) -> bool:
        """Leave the non-unique indexes of cases and their timeline (but those named in
        `keep`) out until closed, when they are built again — only into an empty case
        table (a city moving in), else nothing is done and False returned.

        Maintaining 29 indexes row by row costs more than twice what building them once
        at the end does (docs/benchmarks.md). A table holding cases keeps them: the
        rebuild would cover every case, and the server's queries need them meanwhile.
        Once closed (also after an error or Ctrl-C) the indexes are built again; if the
        process is killed first, the next Inserter builds them (`restore_indexes`).
        """
        if self.indexes_deferred or self.count or Case.objects.exists():
            return self.indexes_deferred
        self.indexes_deferred = bool(_drop_indexes(keep))
        return self.indexes_deferred

    def write(self, prepared: _Prepared, offset: int) -> None:
        self.writer.write(prepared, offset)
        if prepared.cases:
            self.count += len(prepared.cases)
            self.first_reference = self.first_reference or prepared.cases[0].reference
            self.last_reference = prepared.cases[-1].reference

    def close(self, *, complete: bool = True) -> BulkResult:
        if self.indexes_deferred:
            restore_indexes()
            self.indexes_deferred = False
        if self.restore:
            with connection.cursor() as cursor:
                for statement in self.restore:
                    cursor.execute(statement)
            self.restore = []
        if self.count:
            details = {
                "count": self.count,
                "first_reference": self.first_reference,
                "last_reference": self.last_reference,
                **self.extra,
            }
            if not complete:
                details["complete"] = False
            audit.record(
                actor=self.actor,
                action=self.action,
                obj=self.municipality,
                municipality_id=self.municipality.pk,
                extra=details,
            )
        return self.result

    @property
    def result(self) -> BulkResult:
        return BulkResult(self.count, self.first_reference, self.last_reference)

    def __enter__(self) -> Inserter:
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        self.close(complete=kind is None)


def insert_cases(
    municipality: Municipality,
    cases: Iterable[NewCase],
    *,
    actor: Any = None,
    action: str = "case.bulk_inserted",
    batch_size: int = 20_000,
    progress: Callable[[int], Any] | None = None,
    on_problem: OnProblem | None = None,
    extra: Mapping[str, Any] | None = None,
    defer_indexes: bool = False,
) -> BulkResult:
    """Insert `cases` of `municipality` in batches of `batch_size`, one transaction each.

    Rows come in the order their references should run (oldest first). A batch with a bad
    row raises ValueError and writes nothing; earlier batches stay. With `on_problem`, a bad
    row is instead reported to it — `on_problem(position, case, problem)`, the position
    counted from 0 over all of `cases` — and left out, the rest written. `progress(n)` is
    called after each batch with the number of rows it took in.

    One AuditEvent (`action`, with the count, the reference range and `extra`) records the
    insert (see Inserter). With `defer_indexes`, an insert of more than one batch into an
    empty case table builds the indexes at the end (Inserter.defer_indexes).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    iterator = iter(cases)
    seen = 0
    with Inserter(municipality, actor=actor, action=action, extra=extra) as inserter:
        while batch := list(islice(iterator, batch_size)):
            if defer_indexes and not seen and len(batch) == batch_size:
                inserter.defer_indexes()
            inserter.write(inserter.writer.prepare(batch, seen, on_problem), seen)
            seen += len(batch)
            if progress is not None:
                progress(len(batch))
    return inserter.result


# ---------------------------------------------------------------------------- synthetic


@dataclass(frozen=True)
class Place:
    """A neighbourhood where reports cluster: points fall around it, addresses name it."""

    lat: float
    lon: float
    address_ar: str
    address_en: str = ""
    weight: float = 1.0
    spread_m: float = 900.0


@dataclass(frozen=True)
class SyntheticSpec:
    """What makes generated cases look like the city's own. Everything is optional."""

    places: Sequence[Place] = ()
    # Relative frequency by service code (1.0 when missing).
    service_weights: Mapping[str, float] = field(default_factory=dict)
    # {service code: {"ar": [...], "en": [...]}}; the service's name when missing.
    descriptions: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)
    contact_names: Sequence[str] = ()
    # Values for short-text questions by question code (see AnswerSampler).
    answer_examples: Mapping[str, Sequence[str]] = field(default_factory=dict)
    arabic_share: float = 0.75


CHANNEL_WEIGHTS = {
    Channel.APP: 0.42,
    Channel.WEB: 0.14,
    Channel.PHONE: 0.26,
    Channel.OPEN311: 0.06,
    Channel.REST: 0.05,
    Channel.COUNTER: 0.07,
}
PRIORITY_WEIGHTS = {
    Priority.LOW: 0.10,
    Priority.NORMAL: 0.65,
    Priority.HIGH: 0.18,
    Priority.URGENT: 0.07,
}
CLOSE_REASON_WEIGHTS = {
    CloseReason.NOT_MUNICIPALITY: 0.40,
    CloseReason.NO_ACTION_NEEDED: 0.35,
    CloseReason.COULD_NOT_LOCATE: 0.25,
}
# Local hour of day → relative volume: quiet nights, a morning peak, an evening one.
# fmt: off
HOURLY = np.array([0.15, 0.08, 0.05, 0.04, 0.06, 0.2, 0.5, 0.9, 1.3, 1.5, 1.5, 1.4,
                   1.2, 1.1, 1.0, 1.0, 1.1, 1.3, 1.4, 1.4, 1.2, 0.9, 0.6, 0.3])
# fmt: on
# date.weekday() → relative volume (the weekend is Friday–Saturday in Oman).
WEEKDAY = np.array([1.1, 1.05, 1.0, 1.0, 0.6, 0.75, 1.15])
_OUTCOMES = ("fixed", "closed_not_fixed", "duplicate", "stalled")
_OUTCOME_P = np.array([0.70, 0.12, 0.07, 0.11])
_WAYS = 6  # street ("way") numbers per place, so that addresses repeat like real ones do


def _weighted(rng: np.random.Generator, weights: Mapping[Any, float], size: int) -> list[Any]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=np.float64)
    return [keys[i] for i in rng.choice(len(keys), size=size, p=p / p.sum()).tolist()]


def _created_times(
    rng: np.random.Generator, count: int, start_us: int, end_us: int, tz: Any, engine: WorkingTime
) -> np.ndarray:
    """`count` sorted instants in [start, end): daily and weekly rhythm, a slow seasonal swell."""
    bins = np.arange(start_us - start_us % HOUR_US, end_us, HOUR_US, dtype=np.int64)
    lengths = np.minimum(bins + HOUR_US, end_us) - np.maximum(bins, start_us)
    weights = np.empty(len(bins))
    days = (bins - bins[0]) / DAY_US
    for index, b in enumerate(bins.tolist()):
        local = from_us(b).astimezone(tz)
        holiday = 0.7 if local.date() in engine.holidays else 1.0
        weights[index] = HOURLY[local.hour] * WEEKDAY[local.weekday()] * holiday
    weights *= 1 + 0.25 * np.sin(2 * np.pi * days / 45) + 0.002 * days
    weights *= np.maximum(lengths, 0) / HOUR_US
    chosen = rng.choice(len(bins), size=count, p=weights / weights.sum())
    starts = np.maximum(bins[chosen], start_us)
    offsets = (rng.random(count) * lengths[chosen]).astype(np.int64)
    return np.sort(starts + offsets)


def _lognormal_us(
    rng: np.random.Generator, median_hours: float, sigma: float, n: int
) -> np.ndarray:
    hours = rng.lognormal(math.log(median_hours), sigma, n)
    return np.maximum(hours * HOUR_US, 60_000_000).astype(np.int64)


def _points(
    rng: np.random.Generator, count: int, places: Sequence[Place], boundary: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points inside `boundary`: around weighted places, else uniform over it."""
    lat = np.empty(count)
    lon = np.empty(count)
    place_index = np.full(count, -1, dtype=np.int64)
    missing = np.arange(count)
    minx, miny, maxx, maxy = boundary.bounds
    if places:
        weights = np.array([p.weight for p in places], dtype=np.float64)
        place_index[:] = rng.choice(len(places), size=count, p=weights / weights.sum())
        centre_lat = np.array([p.lat for p in places])
        centre_lon = np.array([p.lon for p in places])
        spread = np.array([p.spread_m for p in places]) / 111_000
    for _ in range(200):
        if not len(missing):
            break
        n = len(missing)
        if places:
            k = place_index[missing]
            y = centre_lat[k] + rng.normal(0, 1, n) * spread[k]
            x = centre_lon[k] + rng.normal(0, 1, n) * spread[k] / math.cos(math.radians(miny))
        else:
            y = rng.uniform(miny, maxy, n)
            x = rng.uniform(minx, maxx, n)
        # Rounded (to about 10 cm) before the test, so that what is stored is what was tested.
        x, y = x.round(6), y.round(6)
        inside = shapely.intersects_xy(boundary, x, y)
        lat[missing[inside]] = y[inside]
        lon[missing[inside]] = x[inside]
        missing = missing[~inside]
    if len(missing):
        raise ValueError("could not place points inside the municipality (is a place outside it?)")
    return lat, lon, place_index


class AnswerSampler:
    """Plausible answers to a service's questions, valid for `clean_answers`.

    `examples` gives values for short-text questions by question code (pole numbers,
    plates); others get a code-like value. Optional questions are answered now and then.
    """

    def __init__(
        self,
        questions: Sequence[ServiceQuestion],
        examples: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.questions = [q for q in questions if q.variable]
        self.examples = examples or {}

    def sample(self, rng: random.Random, created: dt.datetime, tz: Any) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for q in self.questions:
            if not q.required and rng.random() < 0.4:
                continue
            keys = [item["key"] for item in q.values]
            if q.datatype == Datatype.SINGLE:
                answers[q.code] = rng.choice(keys)
            elif q.datatype == Datatype.MULTI:
                chosen = set(rng.sample(keys, rng.randint(1, min(2, len(keys)))))
                answers[q.code] = [k for k in keys if k in chosen]
            elif q.datatype == Datatype.NUMBER:
                answers[q.code] = rng.randint(1, 6)
            elif q.datatype == Datatype.DATETIME:
                seen = created - dt.timedelta(hours=rng.randint(1, 72))
                answers[q.code] = seen.astimezone(tz).replace(second=0, microsecond=0).isoformat()
            elif q.datatype == Datatype.STRING:
                examples = self.examples.get(q.code)
                answers[q.code] = (
                    rng.choice(examples)
                    if examples
                    else f"{q.code[:3].upper()}-{rng.randint(100, 9999)}"
                )
            # Long text is optional everywhere and left empty here.
        return answers


def synthetic_cases(
    municipality: Municipality,
    count: int,
    *,
    seed: int = 0,
    days: int = 90,
    end: dt.datetime | None = None,
    spec: SyntheticSpec | None = None,
) -> Iterator[NewCase]:
    """`count` plausible cases created over the `days` before `end` (now), oldest first.

    Deterministic for a seed. Statuses follow from age: a case is acknowledged a few hours
    after it is filed and closed a few days later (fixed, closed without fixing for one of
    the reasons, or a duplicate of an earlier case of the same service); some stall, some
    are reopened. Every timestamp is before `end`.
    """
    spec = spec or SyntheticSpec()
    end = end or clock.now()
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    tz = municipality.zoneinfo
    engine = municipality.calendar.engine()
    services = list(
        Service.objects.filter(municipality=municipality, is_active=True)
        .prefetch_related("questions")
        .order_by("id")
    )
    if not services:
        raise ValueError(f"{municipality} has no active service")
    boundary = _prepared(municipality.boundary)
    answers = {s.pk: AnswerSampler(list(s.questions.all()), spec.answer_examples) for s in services}
    workers: dict[int, list[int]] = {}
    city_wide: list[int] = []
    for m in StaffMembership.objects.active().filter(municipality=municipality).order_by("id"):
        if m.role == Role.CLERK and m.department_id:
            workers.setdefault(m.department_id, []).append(m.user_id)
        elif m.role in (Role.SUPERVISOR, Role.ADMIN):
            city_wide.append(m.user_id)

    end_us = to_us(end)
    created = _created_times(rng, count, end_us - days * DAY_US, end_us, tz, engine)
    weights = {s.pk: spec.service_weights.get(s.code, 1.0) for s in services}
    service_ids = _weighted(rng, weights, count)
    lat, lon, place_index = _points(rng, count, spec.places, boundary)
    channels = _weighted(rng, CHANNEL_WEIGHTS, count)
    priorities = _weighted(rng, PRIORITY_WEIGHTS, count)
    reasons = _weighted(rng, CLOSE_REASON_WEIGHTS, count)
    outcomes = rng.choice(len(_OUTCOMES), size=count, p=_OUTCOME_P)
    ack = created + _lognormal_us(rng, 5, 1.0, count)
    close = ack + np.where(
        outcomes == 1, _lognormal_us(rng, 24, 0.9, count), _lognormal_us(rng, 60, 0.9, count)
    )
    progress_at = ack + ((np.minimum(close, end_us - 1) - ack) * rng.random(count) * 0.6).astype(
        np.int64
    )
    reopen = rng.random(count) < 0.04
    reopen_at = close + (rng.random(count) * 10 * DAY_US).astype(np.int64) + 2 * HOUR_US
    in_progress = rng.random(count) < 0.6
    contact = rng.random(count)

    by_service = {s.pk: s for s in services}
    originals: dict[int, NewCase] = {}
    rows = zip(
        created.tolist(),
        service_ids,
        lat.tolist(),
        lon.tolist(),
        place_index.tolist(),
        channels,
        priorities,
        reasons,
        outcomes.tolist(),
        ack.tolist(),
        close.tolist(),
        progress_at.tolist(),
        reopen.tolist(),
        reopen_at.tolist(),
        in_progress.tolist(),
        contact.tolist(),
        strict=True,
    )
    for (
        c_us,
        service_id,
        y,
        x,
        place,
        channel,
        priority,
        reason,
        outcome,
        a_us,
        z_us,
        p_us,
        reopens,
        r_us,
        progressing,
        contact_draw,
    ) in rows:
        service = by_service[service_id]
        created_at = from_us(c_us)
        arabic = prng.random() < spec.arabic_share
        texts = spec.descriptions.get(service.code, {}).get("ar" if arabic else "en")
        description = (
            prng.choice(texts) if texts else (service.name_ar if arabic else service.name_en)
        )
        address = ""
        if place >= 0:
            p = spec.places[place]
            name = p.address_ar if arabic or not p.address_en else p.address_en
            way = 1000 + (place * 37 + prng.randrange(_WAYS) * 113) % 9000
            address = f"{name}، سكة {way}" if arabic else f"{name}, Way {way}"
        case = NewCase(
            service_id=service_id,
            created_at=created_at,
            lat=y,
            lon=x,
            channel=channel,
            priority=priority,
            description=description,
            address=address,
            answers=answers[service_id].sample(prng, created_at, tz),
        )
        if contact_draw < 0.3 and spec.contact_names:
            case.contact_name = prng.choice(spec.contact_names)
            case.contact_phone = f"+9689{prng.randrange(1_000_000, 9_999_999)}"
            if contact_draw < 0.1:
                case.contact_email = f"resident{prng.randrange(10_000)}@example.om"
        if a_us < end_us:
            _progress(
                case,
                _OUTCOMES[outcome],
                reason,
                a_us,
                z_us,
                p_us,
                end_us,
                progressing,
                reopens,
                r_us,
                originals.get(service_id),
            )
            if case.status != Status.SUBMITTED:
                people = workers.get(service.department_id) or city_wide
                case.assignee_id = prng.choice(people) if people else None
        if case.status != Status.DUPLICATE:
            originals[service_id] = case
        yield case


def _progress(
    case: NewCase,
    outcome: str,
    reason: str,
    a_us: int,
    z_us: int,
    p_us: int,
    end_us: int,
    progressing: bool,
    reopens: bool,
    r_us: int,
    original: NewCase | None,
) -> None:
    """Move a generated case along the workflow as far as `end` allows."""
    case.acknowledged_at = from_us(a_us)
    if outcome == "duplicate" and original is not None:
        case.status, case.duplicate_of, case.closed_at = (
            Status.DUPLICATE,
            original,
            case.acknowledged_at,
        )
        return
    if outcome == "stalled" or z_us >= end_us:
        if progressing:
            case.status, case.updated_at = Status.IN_PROGRESS, from_us(max(p_us, a_us))
        else:
            case.status = Status.ACKNOWLEDGED
        return
    if reopens and r_us < end_us and outcome != "duplicate":
        case.status, case.reopen_count, case.updated_at = Status.REOPENED, 1, from_us(r_us)
        return
    if outcome == "closed_not_fixed":
        case.status, case.close_reason = Status.CLOSED_NOT_FIXED, reason
    else:
        case.status = Status.FIXED  # a duplicate without an earlier case to point at is fixed
    case.closed_at = from_us(z_us)


def generate_cases(
    municipality: Municipality,
    count: int,
    *,
    seed: int = 0,
    days: int = 90,
    end: dt.datetime | None = None,
    spec: SyntheticSpec | None = None,
    actor: Any = None,
    batch_size: int = 20_000,
    progress: Callable[[int], Any] | None = None,
) -> BulkResult:
    """Generate and insert `count` synthetic cases (AuditEvent "case.bulk_generated")."""
    return insert_cases(
        municipality,
        synthetic_cases(municipality, count, seed=seed, days=days, end=end, spec=spec),
        actor=actor,
        action="case.bulk_generated",
        batch_size=batch_size,
        progress=progress,
        defer_indexes=True,
    )

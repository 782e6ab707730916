"""The published requests, as Open311 reads them: prepared queries and their rows.

Lists and single requests run the few statements here (see prepared.py for why they are
compiled once): the page, a bounded count, and for `extensions` the photos and public
updates of the page. What is published is `CaseQuerySet.public()`; what is shown of it is
`COLUMNS`, never the reporter (the privacy tests read every response).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    CharField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from baladiyati.cases.models import Case, CasePhoto, CaseUpdate, Status
from baladiyati.cities.models import Municipality, Service
from baladiyati.core.geo import bbox_around
from baladiyati.core.prepared import Prepared, Slot, moment

EARTH_M_PER_DEG = 111_320.0


class PublishedRequest(NamedTuple):
    """One published case, as a row of `COLUMNS` (+ `EXTENSION_COLUMNS`)."""

    id: int
    reference: str
    status: str
    close_reason: str
    description: str
    address: str
    lat: float
    lon: float
    created_at: Any  # as the driver returns it: see prepared.moment
    updated_at: Any
    due_at: Any
    service_code: str
    service_name_ar: str
    service_name_en: str
    service_notice_ar: str
    service_notice_en: str
    department_name_ar: str
    department_name_en: str
    duplicate_of: str  # the original's reference, or ""
    first_photo: str  # storage name of the first photo, or ""
    answers: Any = None  # extensions only, from here on
    district_name_ar: str = ""
    district_name_en: str = ""


COLUMNS = (
    "id",
    "reference",
    "status",
    "close_reason",
    "description",
    "address",
    "lat",
    "lon",
    "created_at",
    "updated_at",
    "due_at",
    "service__code",
    "service__name_ar",
    "service__name_en",
    "service__service_notice_ar",
    "service__service_notice_en",
    "department__name_ar",
    "department__name_en",
    "duplicate_reference",
    "first_photo",
)
EXTENSION_COLUMNS = ("answers", "district__name_ar", "district__name_en")
TIMES = ("created_at", "updated_at", "due_at")


@dataclass(frozen=True)
class Shape:
    """Which filters a list uses (each one a different statement)."""

    ids: int = 0  # how many service_request_ids; they override every other filter
    status: str = ""  # "open", "closed" or "" for both
    services: int = 0  # how many service ids
    updated_after: bool = False
    bbox: bool = False
    circle: bool = False
    extensions: bool = False


def _filtered(shape: Shape, s: Mapping[str, Any]) -> Any:
    qs = Case.objects.filter(municipality_id=s["municipality"]).public()
    if shape.ids:
        return qs.filter(reference__in=s["ids"])
    qs = qs.filter(created_at__gte=s["start"], created_at__lte=s["end"])
    if shape.status == "open":
        qs = qs.open()
    elif shape.status == "closed":
        qs = qs.closed()
    if shape.services:
        qs = qs.filter(service_id__in=s["services"])
        if not shape.status:
            # Every status, said: the index case_public_service puts status before time,
            # and a range of time can be sought in it only under named statuses.
            qs = qs.filter(status__in=sorted(Status.values))
    if shape.updated_after:
        qs = qs.filter(updated_at__gt=s["updated_after"])
    if shape.bbox:
        qs = qs.filter(lat__gte=s["lat_min"], lat__lte=s["lat_max"])
        qs = qs.filter(lon__gte=s["lon_min"], lon__lte=s["lon_max"])
    if shape.circle:
        # An index-friendly box, then an equirectangular distance: plain arithmetic so that
        # SQLite (no trigonometry) and PostgreSQL agree; the cosine is taken once at the
        # centre, well under 1% off for radii up to the 50 km allowed.
        dlat = (F("lat") - Value(s["c_lat"])) * Value(EARTH_M_PER_DEG)
        dlon = (F("lon") - Value(s["c_lon"])) * Value(s["c_k_lon"])
        qs = (
            qs.filter(
                lat__gte=s["c_lat_min"],
                lat__lte=s["c_lat_max"],
                lon__gte=s["c_lon_min"],
                lon__lte=s["c_lon_max"],
            )
            .annotate(d2=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField()))
            .filter(d2__lte=s["c_r2"])
        )
    return qs


def _slots(shape: Shape) -> list[Slot]:
    slots = [Slot("municipality")]
    if shape.ids:
        return [*slots, Slot("ids", "strlist", shape.ids)]
    slots += [Slot("start", "datetime"), Slot("end", "datetime")]
    if shape.services:
        slots.append(Slot("services", "intlist", shape.services))
    if shape.updated_after:
        slots.append(Slot("updated_after", "datetime"))
    if shape.bbox:
        slots += [Slot(n, "float") for n in ("lat_min", "lat_max", "lon_min", "lon_max")]
    if shape.circle:
        names = ("c_lat", "c_lon", "c_k_lon", "c_lat_min", "c_lat_max", "c_lon_min", "c_lon_max")
        slots += [Slot(n, "float") for n in (*names, "c_r2")]
    return slots


def shown(qs: Any, extensions: bool) -> Any:
    """The columns a response shows: the case, its service, department, original, photo."""
    photos = CasePhoto.objects.filter(case_id=OuterRef("pk")).order_by("created_at", "id")
    first_photo = photos.values("image")
    columns: tuple[str, ...] = COLUMNS + EXTENSION_COLUMNS if extensions else COLUMNS
    # Datetimes come as text, in UTC (SQLite stores them so; Django's PostgreSQL sessions
    # are in UTC), and the serializer writes them in the city's zone from the text
    # (RequestWriter.w3c). Parsed by the driver into datetimes they cost a Python call per
    # value, a third of a page's time on SQLite and 0.3 ms a page on PostgreSQL.
    qs = qs.annotate(**{f"{name}_text": Cast(name, TextField()) for name in TIMES})
    columns = tuple(f"{c}_text" if c in TIMES else c for c in columns)
    qs = qs.annotate(
        duplicate_reference=Coalesce(F("duplicate_of__reference"), Value("")),
        first_photo=Coalesce(Subquery(first_photo[:1]), Value(""), output_field=CharField()),
    )
    return qs.values_list(*columns)


PUBLIC_INDEX = "case_public_created"
UPDATED_INDEX = "case_updated"


def _hinted(statement: Prepared, index: str | None) -> Prepared:
    """On SQLite, the statement told to read the cases through `index` (see _index_for)."""
    if index and statement.vendor == "sqlite":
        table = 'FROM "cases_case" '
        assert statement.sql.count(table) == 1, statement.sql
        statement.sql = statement.sql.replace(table, f'{table}INDEXED BY "{index}" ')
    return statement


def _index_for(shape: Shape, *, counting: bool) -> str | None:
    """The index SQLite is to use for this shape, where it chooses badly on its own.

    SQLite keeps no planner statistics. For a bbox, a circle or closed requests it read the
    pages through `case_created` (municipality, created_at), checking place, status and
    publication in the table row by row: a central Muscat bbox page read ten rows for each
    one it returned (1.3 ms); with status=open or closed 600-700 ms; a circle of open
    requests 120 ms. PUBLIC_INDEX holds all of these, in the order asked. Where a service is
    named, `case_public_service` serves the page better and SQLite finds it unaided. And
    counting what changed since `updated_after` scanned the whole window (50-150 ms) where
    UPDATED_INDEX reads just the changes (under 1 ms); the page itself is found faster
    newest first, as SQLite does. Measured with a million cases (docs/benchmarks.md).
    """
    if shape.ids:
        return None
    if counting and shape.updated_after:
        return UPDATED_INDEX
    narrow = shape.bbox or shape.circle or shape.status == "closed"
    return PUBLIC_INDEX if narrow and (counting or not shape.services) else None


def _index_order(index: str | None) -> tuple[str, ...]:
    """Newest first, ties broken by id; through PUBLIC_INDEX, in that index's own order.

    The index holds (municipality, created_at, status, service, lat, lon, updated_at) and
    then the row id: ordered by created_at and id alone, SQLite sorted every run of equal
    times apart ("temp b-tree for right part of order by"), 13% of a bbox page. Ordered by
    all its columns, newest first, the index gives the rows in order: the same total order
    for equal times, decided by the other columns and then the id (docs/benchmarks.md)."""
    if index != PUBLIC_INDEX:
        return ("-created_at", "-id")
    (found,) = (i for i in Case._meta.indexes if i.name == PUBLIC_INDEX)
    # By column (service_id): ordering by a foreign key would order by the other model's.
    fields: list[Any] = [Case._meta.get_field(n) for n in found.fields if n != "municipality"]
    columns = [field.attname for field in fields]
    assert columns[0] == "created_at", columns
    return (*(f"-{name}" for name in columns), "-id")


@lru_cache(maxsize=512)
def _page_statement(shape: Shape, vendor: str) -> Prepared:
    index = _index_for(shape, counting=False) if vendor == "sqlite" else None
    statement = Prepared(
        lambda s: shown(_filtered(shape, s), shape.extensions).order_by(*_index_order(index)),
        _slots(shape),
        wrap="{sql} LIMIT %s OFFSET %s",
        extra=[Slot("limit"), Slot("offset")],
    )
    return _hinted(statement, index)


@lru_cache(maxsize=512)
def _count_statement(shape: Shape, vendor: str) -> Prepared:
    # Counting stops at `limit`: the database reads at most that many index entries.
    statement = Prepared(
        lambda s: _filtered(shape, s).order_by().annotate(one=Value(1)).values_list("one"),
        _slots(shape),
        wrap="SELECT COUNT(*) FROM ({sql} LIMIT %s) counted",
        extra=[Slot("limit")],
    )
    return _hinted(statement, _index_for(shape, counting=True))


@lru_cache(maxsize=8)
def _one_statement(extensions: bool, vendor: str) -> Prepared:
    return Prepared(
        lambda s: shown(
            Case.objects.filter(municipality_id=s["municipality"])
            .public()
            .filter(reference=s["reference"]),
            extensions,
        )[:1],
        [Slot("municipality"), Slot("reference", "str")],
    )


@lru_cache(maxsize=8)
def _jurisdiction_statement(vendor: str) -> Prepared:
    return Prepared(
        lambda s: (
            Municipality.objects.active().filter(slug=s["slug"]).values_list("pk", "timezone")[:1]
        ),
        [Slot("slug", "str")],
    )


@lru_cache(maxsize=256)
def _codes_statement(count: int, vendor: str) -> Prepared:
    return Prepared(
        lambda s: Service.objects.filter(
            municipality_id=s["municipality"], code__in=s["codes"]
        ).values_list("code", "pk"),
        [Slot("municipality"), Slot("codes", "strlist", count)],
    )


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Jurisdiction:
    pk: int
    tz: ZoneInfo


def jurisdiction(slug: str) -> Jurisdiction | None:
    """The active municipality with this slug."""
    row = _jurisdiction_statement(connection.vendor).one({"slug": slug})
    return Jurisdiction(row[0], ZoneInfo(row[1])) if row else None


def service_ids(municipality_id: int, codes: Sequence[str]) -> dict[str, int]:
    """{code: id} of the municipality's services among `codes`."""
    statement = _codes_statement(len(codes), connection.vendor)
    return dict(statement.rows({"municipality": municipality_id, "codes": list(codes)}))


def circle_values(lat: float, lon: float, radius_m: float) -> dict[str, float]:
    lat_min, lon_min, lat_max, lon_max = bbox_around(lat, lon, radius_m)
    return {
        "c_lat": lat,
        "c_lon": lon,
        "c_k_lon": EARTH_M_PER_DEG * math.cos(math.radians(lat)),
        "c_lat_min": lat_min,
        "c_lat_max": lat_max,
        "c_lon_min": lon_min,
        "c_lon_max": lon_max,
        "c_r2": float(radius_m) ** 2,
    }


def page(shape: Shape, values: dict[str, Any], limit: int, offset: int) -> list[PublishedRequest]:
    statement = _page_statement(shape, connection.vendor)
    rows = statement.rows({**values, "limit": limit, "offset": offset})
    return _requests(rows, shape.extensions)


_NO_EXTENSIONS = tuple(
    PublishedRequest._field_defaults[name] for name in PublishedRequest._fields[len(COLUMNS) :]
)


def _requests(rows: Iterable[Sequence[Any]], extensions: bool) -> list[PublishedRequest]:
    """Rows as PublishedRequest, the way `PublishedRequest(*row)` makes them at half the
    cost (a page's hundred rows: 0.05 ms of 1.3): the tuple made at once, the fields an
    extension-less row lacks given their defaults."""
    make, pad = tuple.__new__, () if extensions else _NO_EXTENSIONS
    return [make(PublishedRequest, (*row, *pad)) for row in rows]


def count(shape: Shape, values: dict[str, Any], limit: int) -> int:
    """How many requests match, counting no further than `limit`."""
    statement = _count_statement(shape, connection.vendor)
    row = statement.one({**values, "limit": limit})
    return int(row[0]) if row else 0


def one(municipality_id: int, reference: str, *, extensions: bool) -> PublishedRequest | None:
    statement = _one_statement(extensions, connection.vendor)
    row = statement.one({"municipality": municipality_id, "reference": reference})
    return PublishedRequest(*row) if row else None


@dataclass
class Extras:
    """What `extensions=true` adds for a page: every photo and the public timeline."""

    photos: dict[int, list[str]]
    notes: dict[int, list[tuple[Any, ...]]]


def extras(rows: Iterable[PublishedRequest]) -> Extras:
    ids = [row.id for row in rows]
    photos: dict[int, list[str]] = {}
    notes: dict[int, list[tuple[Any, ...]]] = {}
    if not ids:
        return Extras(photos, notes)
    for case_id, image in (
        CasePhoto.objects.filter(case_id__in=ids)
        .order_by("created_at", "id")
        .values_list("case_id", "image")
    ):
        photos.setdefault(case_id, []).append(image)
    for case_id, *note in (
        CaseUpdate.objects.filter(case_id__in=ids, is_public=True)
        .order_by("created_at", "id")
        .values_list("case_id", "created_at", "kind", "status", "message")
    ):
        notes.setdefault(case_id, []).append(tuple(note))
    return Extras(photos, notes)


__all__ = [
    "COLUMNS",
    "EXTENSION_COLUMNS",
    "Extras",
    "Jurisdiction",
    "PublishedRequest",
    "Shape",
    "circle_values",
    "count",
    "extras",
    "jurisdiction",
    "moment",
    "one",
    "page",
    "service_ids",
    "shown",
]

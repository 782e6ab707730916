"""Writing a municipality's requests out (manage.py export_cases): GeoReport JSON or CSV.

The requests are what Open311 publishes with `extensions=true` — the same columns and the
same serializer (published.py, serializers.RequestWriter) — so an export reads back with
`import_open311` and never holds more than Open311 shows: no reporter (name, email, phone,
account, tracking token, device), no internal notes, no assignee. Unpublished cases
(private, or hidden by moderation) are left out unless asked for.

Streaming: rows are read in chunks of `chunk_size` in (created_at, id) order, oldest
first, and written as they come; memory does not grow with the number of requests.
GeoReport JSON is one array with one request per line, so that a line number names a
request (import_open311 reports problems by line).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any

import orjson
from django.conf import settings
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from baladiyati.cases.models import Case
from baladiyati.cities.models import Municipality

from . import published
from .published import PublishedRequest
from .serializers import RequestWriter

CSV_COLUMNS = [
    "service_request_id",
    "status",
    "detailed_status",
    "close_reason",
    "duplicate_of",
    "status_notes",
    "service_code",
    "service_name",
    "agency_responsible",
    "description",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "wilayat",
    "lat",
    "long",
    "media_url",
]


@dataclass(frozen=True)
class ExportFilter:
    municipality: Municipality
    since: dt.datetime | None = None  # created at or after
    until: dt.datetime | None = None  # created before
    include_unpublished: bool = False
    limit: int | None = None  # at most this many, the oldest


def _rows(where: ExportFilter, chunk_size: int) -> Iterator[PublishedRequest]:
    qs = Case.objects.filter(municipality=where.municipality)
    if not where.include_unpublished:
        qs = qs.public()
    if where.since is not None:
        qs = qs.filter(created_at__gte=where.since)
    if where.until is not None:
        qs = qs.filter(created_at__lt=where.until)
    shown = published.shown(qs, extensions=True).order_by("created_at", "id")
    if where.limit is not None:
        shown = shown[: where.limit]
    for row in shown.iterator(chunk_size=chunk_size):
        yield PublishedRequest(*row)


def _chunks(rows: Iterator[PublishedRequest], size: int) -> Iterator[list[PublishedRequest]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def export(
    where: ExportFilter,
    out: IO[str],
    *,
    fmt: str = "json",
    language: str = "ar",
    chunk_size: int = 2000,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Write the requests to `out` as GeoReport JSON ("json") or CSV ("csv"); the count."""
    if fmt not in ("json", "csv"):
        raise ValueError(f"unknown format {fmt!r}")
    root = settings.SITE_ROOT.rstrip("/")
    count = 0
    with translation.override(language):
        writer = RequestWriter(where.municipality.zoneinfo, lambda path: root + path)
        table = csv.writer(out) if fmt == "csv" else None
        if table is not None:
            table.writerow(CSV_COLUMNS)
        else:
            out.write("[")
        for chunk in _chunks(_rows(where, chunk_size), chunk_size):
            extras = published.extras(chunk)
            for row in chunk:
                body = writer.request(row, extras)
                if table is not None:
                    table.writerow(_csv_row(body))
                else:
                    out.write(",\n" if count else "\n")
                    out.write(orjson.dumps(body).decode())
                count += 1
            if progress is not None:
                progress(len(chunk))
        if table is None:
            out.write("\n]\n" if count else "]\n")
    return count


def _csv_row(body: dict[str, Any]) -> list[Any]:
    ext = body["extended_attributes"]
    flat = {
        **body,
        "detailed_status": ext["detailed_status"],
        "close_reason": ext["close_reason"],
        "duplicate_of": ext["duplicate_of"],
        "wilayat": ext["wilayat"],
    }
    return [flat[column] for column in CSV_COLUMNS]


def moment_argument(raw: str | None, tz: Any, *, end_of_day: bool, name: str) -> dt.datetime | None:
    """A command-line date (its start, or with `end_of_day` the next day's) or date and
    time, in `tz`; ValueError for anything else."""
    if not raw:
        return None
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise ValueError(
                _("%(name)s must be a date (2026-11-25) or a date and time.") % {"name": name}
            )
        if end_of_day:
            day += dt.timedelta(days=1)
        moment = dt.datetime.combine(day, dt.time.min)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment

"""CSV export of a queue of cases, streamed row by row.

The caller (the back office) passes a queryset already scoped to what the user may see and
filtered as on screen; `stream_csv` reads it in one query with the names it needs joined in
(`values_list` over an iterator, no model instances) and yields CSV lines, so a queue of a
hundred thousand cases streams in constant memory:

    StreamingHttpResponse(stream_csv(qs), content_type="text/csv; charset=utf-8")

Times are ISO 8601 in the municipality's time zone. Cells that a spreadsheet would run as a
formula (starting with = + - @ or a tab) get a leading apostrophe. The file starts with a
UTF-8 byte order mark so that spreadsheet programs read Arabic correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from baladiyati.core import clock

from .models import Case, Channel, Priority, Status

CHUNK = 2000


class _Line:
    """A file-like object whose write returns what was written (csv.writer → one line)."""

    def write(self, value: str) -> str:
        return value


def _header() -> list[str]:
    return [
        _("Reference"),
        _("Service"),
        _("Status"),
        _("Priority"),
        _("Wilayat"),
        _("Department"),
        _("Assignee"),
        _("Channel"),
        _("Created"),
        _("Acknowledged"),
        _("Fixed"),
        _("Closed"),
        _("Due"),
        _("Warned"),
        _("Deadline missed"),
        _("Escalated"),
        _("Hours awaiting the citizen"),
    ]


_FIELDS = (
    "reference",
    "service__name_ar",
    "service__name_en",
    "status",
    "priority",
    "district__name_ar",
    "district__name_en",
    "department__name_ar",
    "department__name_en",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "channel",
    "created_at",
    "acknowledged_at",
    "closed_at",
    "due_at",
    "sla_warned_at",
    "breached_at",
    "escalated_at",
    "sla_paused_seconds",
    "sla_paused_at",
    "municipality__timezone",
)


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _time(moment: dt.datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else ""


def rows(queryset: QuerySet[Case], *, language: str | None = None) -> Iterator[list[str]]:
    """The header, then one list of cells per case, in `language` (default: the active one)."""
    language = language if language in ("ar", "en") else (translation.get_language() or "ar")[:2]
    english = language == "en"
    now = clock.now()
    with translation.override(language):
        yield _header()
        statuses = {s.value: str(s.label) for s in Status}
        priorities = {p.value: str(p.label) for p in Priority}
        channels = {c.value: str(c.label) for c in Channel}
    zones: dict[str, ZoneInfo] = {}
    for r in queryset.order_by().values_list(*_FIELDS).iterator(chunk_size=CHUNK):
        (
            reference,
            service_ar,
            service_en,
            status,
            priority,
            district_ar,
            district_en,
            department_ar,
            department_en,
            username,
            first_name,
            last_name,
            channel,
            created_at,
            acknowledged_at,
            closed_at,
            due_at,
            warned_at,
            breached_at,
            escalated_at,
            paused_seconds,
            paused_at,
            tz_name,
        ) = r
        tz = zones.setdefault(tz_name, ZoneInfo(tz_name))
        assignee = f"{first_name} {last_name}".strip() or (username or "")
        paused = paused_seconds or 0
        if paused_at is not None:
            paused += max(0, int((now - paused_at).total_seconds()))  # still waiting: so far
        yield [
            safe_cell(reference),
            safe_cell((service_en if english else service_ar) or service_ar),
            statuses.get(status, status),
            priorities.get(priority, str(priority)),
            safe_cell((district_en if english else district_ar) or district_ar or ""),
            safe_cell((department_en if english else department_ar) or department_ar),
            safe_cell(assignee),
            channels.get(channel, channel),
            _time(created_at, tz),
            _time(acknowledged_at, tz),
            _time(closed_at, tz) if status == Status.FIXED else "",
            _time(closed_at, tz),
            _time(due_at, tz),
            _time(warned_at, tz),
            _time(breached_at, tz),
            _time(escalated_at, tz),
            f"{paused / 3600:.2f}" if paused else "",
        ]


def stream_csv(queryset: QuerySet[Case], *, language: str | None = None) -> Iterator[str]:
    """CSV text, one line at a time, starting with a UTF-8 byte order mark."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows(queryset, language=language):
        yield writer.writerow(row)


def write_csv(queryset: QuerySet[Case], out: Any, *, language: str | None = None) -> int:
    """Write the export to a text file object; the number of cases written."""
    lines = 0
    for line in stream_csv(queryset, language=language):
        out.write(line)
        lines += 1
    return max(lines - 2, 0)  # the byte order mark and the header are not cases


def filename(municipality: Any, at: dt.datetime | None = None) -> str:
    at = (at or clock.now()).astimezone(municipality.zoneinfo)
    return f"{municipality.code.lower()}-requests-{at:%Y%m%d-%H%M}.csv"

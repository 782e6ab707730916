"""Cases and services as GeoReport v2 dictionaries.

Never includes who reported a case: no names, emails, phone numbers or account ids (the
privacy tests read every GET response for them).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from baladiyati.cases.models import CLOSED_STATUSES, CaseUpdate, CloseReason, Status
from baladiyati.cities.models import Service, ServiceQuestion

from .published import Extras, PublishedRequest

# mySociety's update statuses, for servicerequestupdates.
MYSOCIETY_STATUS = {
    Status.SUBMITTED: "OPEN",
    Status.ACKNOWLEDGED: "INVESTIGATING",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.FIXED: "FIXED",
    Status.DUPLICATE: "DUPLICATE",
    Status.REOPENED: "OPEN",
}
MYSOCIETY_CLOSE_REASON = {
    CloseReason.NOT_MUNICIPALITY: "NOT_COUNCILS_RESPONSIBILITY",
    CloseReason.NO_ACTION_NEEDED: "NO_FURTHER_ACTION",
    CloseReason.COULD_NOT_LOCATE: "CLOSED",
}


def w3c(moment: dt.datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else ""


def service_dict(service: Service) -> dict[str, Any]:
    # Arabic keywords may be separated by the Arabic comma.
    raw = f"{service.keywords_ar},{service.keywords_en}".replace("،", ",")
    keywords = ", ".join(k.strip() for k in raw.split(",") if k.strip())
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(getattr(service, "question_count", 0)),
        "type": "realtime",
        "keywords": keywords,
        "group": service.group.name,
    }


def attribute_dict(question: ServiceQuestion) -> dict[str, Any]:
    return {
        "variable": question.variable,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": question.datatype_description,
        "order": question.order,
        "description": question.description,
        "values": [
            {"key": item["key"], "name": question.choice_name(item["key"])}
            for item in question.values
        ],
    }


UTC = dt.UTC


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> tuple[dict[str, str], dict[str, str], str]:
    """The status and close reason names, and the duplicate note, in the active language
    `language`: looked up once per process and language (a tenth of a short page's time)."""
    return (
        {str(s.value): str(s.label) for s in Status},
        {str(r.value): str(r.label) for r in CloseReason},
        _("Duplicate of %(reference)s"),
    )


# Hours remembered per zone (a year is 8,760): beyond this the memo starts again.
ZONE_MEMO_SIZE = 50_000
Offsets = dict[tuple[int, int, int, int], tuple[dt.timedelta, str] | None]
Heads = dict[str, tuple[str, str]]
_ZONE_MEMOS: dict[dt.tzinfo, tuple[Offsets, Heads]] = {}


def _zone_memo(tz: dt.tzinfo) -> tuple[Offsets, Heads]:
    """The zone's offsets and written hours, shared by every response of the process: a page's
    expected and updated times fall in dozens of different hours, and working each out again
    for every response cost 0.2 ms of a 1.3 ms page (docs/benchmarks.md)."""
    memo = _ZONE_MEMOS.get(tz)
    if memo is None:
        memo = _ZONE_MEMOS[tz] = ({}, {})
    return memo


class RequestWriter:
    """Published requests (rows of `published.COLUMNS`) as GeoReport v2 dictionaries.

    Made once per response: the labels of the active language are looked up once, not per
    row, and `absolute` turns a path into the address clients fetch (a request's
    `build_absolute_uri`, or the site's root for exports).
    """

    def __init__(self, tz: ZoneInfo, absolute: Callable[[str], str]) -> None:
        self.tz = tz
        self.db_tz = connection.timezone  # of naive datetimes from SQLite (prepared.moment)
        self.utc_text = self.db_tz is UTC
        self.absolute = absolute
        language = get_language() or "ar"
        self.english = language[:2] == "en"
        self.status_labels, self.reason_labels, self.duplicate_of = _labels(language)
        # Per status: open or closed, and its notes where they need nothing else of the row.
        self.open_closed = {
            str(s.value): "closed" if s in CLOSED_STATUSES else "open" for s in Status
        }
        self.plain_notes = {
            s: label
            for s, label in self.status_labels.items()
            if s != Status.CLOSED_NOT_FIXED and s != Status.DUPLICATE
        }
        # What a UTC hour is in the zone never changes: known once per process and zone.
        self.offsets, self.heads = _zone_memo(tz)

    def text(self, ar: str | None, en: str | None) -> str:
        """Like `cities.models.localized`: the active language's value, else the other."""
        ar, en = ar or "", en or ""
        return (en if self.english else ar) or ar or en

    def w3c(self, value: Any) -> str:
        """A datetime column's value (see prepared.moment) in the municipality's time zone,
        to the second: what `value.astimezone(tz).isoformat(timespec="seconds")` gives."""
        if value.__class__ is str and self.utc_text:
            # The database's text, "YYYY-MM-DD HH:MM:SS[.ffffff][+00]" in UTC: in a zone whole
            # hours away, only the date and hour change, the same for the whole UTC hour.
            head = self.heads.get(value[:13])
            if head is not None and head[0] and len(value) >= 19:
                return head[0] + value[13:19] + head[1]
        return self._w3c(value)

    def _w3c(self, value: Any) -> str:
        if value is None:
            return ""
        if value.__class__ is str and self.utc_text and len(value) >= 19:
            hour = value[:13]
            head = self.heads.get(hour)
            if head is None:
                if len(self.heads) > ZONE_MEMO_SIZE:
                    self.heads.clear()
                head = self.heads[hour] = self._head(hour)
            if head[0]:
                return head[0] + value[13:19] + head[1]
        if value.__class__ is str:
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        elif self.db_tz is not UTC:
            value = value.replace(tzinfo=self.db_tz).astimezone(UTC).replace(tzinfo=None)
        # A page holds a few hundred instants but few distinct hours: the zone's offset is
        # looked up once per UTC hour, and used when it is the same at both ends of it.
        key = (value.year, value.month, value.day, value.hour)
        if key in self.offsets:
            found = self.offsets.get(key)
        else:
            if len(self.offsets) > ZONE_MEMO_SIZE:
                self.offsets.clear()
            found = self.offsets[key] = self._offset(value)
        if found is None:
            aware = value.replace(tzinfo=UTC).astimezone(self.tz)
            return str(aware.isoformat(timespec="seconds"))
        delta, suffix = found
        return f"{(value + delta).isoformat(timespec='seconds')}{suffix}"

    def _head(self, hour: str) -> tuple[str, str]:
        """ "YYYY-MM-DDTHH" in the zone for a UTC hour "YYYY-MM-DD HH", and the offset as
        written, when the offset is a whole number of hours all through it; ("", "")
        otherwise."""
        found = self._offset(dt.datetime.fromisoformat(hour + ":00:00"))
        if found is None or found[0] % dt.timedelta(hours=1):
            return "", ""
        delta, suffix = found
        return (dt.datetime.fromisoformat(hour + ":00:00") + delta).isoformat()[:13], suffix

    def _offset(self, utc: dt.datetime) -> tuple[dt.timedelta, str] | None:
        """The zone's offset during this UTC hour and how it is written; None if it changes."""
        start = utc.replace(minute=0, second=0, microsecond=0, tzinfo=UTC)
        first = start.astimezone(self.tz)
        last = (start + dt.timedelta(hours=1, microseconds=-1)).astimezone(self.tz)
        if first.utcoffset() != last.utcoffset():
            return None
        delta = first.utcoffset() or dt.timedelta(0)
        return delta, first.isoformat(timespec="seconds")[19:]  # e.g. "+04:00"

    def status_notes(self, row: PublishedRequest) -> str:
        label = self.status_labels[row.status]
        if row.status == Status.CLOSED_NOT_FIXED and row.close_reason:
            return f"{label}: {self.reason_labels[row.close_reason]}"
        if row.status == Status.DUPLICATE and row.duplicate_of:
            return self.duplicate_of % {"reference": row.duplicate_of}
        return label

    def media_url(self, name: str) -> str:
        return self.absolute(default_storage.url(name))

    def request(self, row: PublishedRequest, extras: Extras | None = None) -> dict[str, Any]:
        """One request; `extras` (photos and notes of the page) adds `extended_attributes`.

        Written for speed (a page's hundred rows were a sixth of its time): the row unpacked
        at once rather than read field by field, each text chosen inline."""
        (
            _id,
            reference,
            status,
            _reason,
            description,
            address,
            lat,
            lon,
            created_at,
            updated_at,
            due_at,
            service_code,
            name_ar,
            name_en,
            notice_ar,
            notice_en,
            agency_ar,
            agency_en,
            _duplicate_of,
            first_photo,
            *_extensions,
        ) = row
        w3c = self.w3c
        if self.english:
            name = name_en or name_ar or ""
            notice = notice_en or notice_ar or ""
            agency = agency_en or agency_ar or ""
        else:
            name = name_ar or name_en or ""
            notice = notice_ar or notice_en or ""
            agency = agency_ar or agency_en or ""
        body: dict[str, Any] = {
            "service_request_id": reference,
            "status": self.open_closed[status],
            "status_notes": self.plain_notes.get(status) or self.status_notes(row),
            "service_name": name,
            "service_code": service_code,
            "description": description,
            "agency_responsible": agency,
            "service_notice": notice,
            "requested_datetime": w3c(created_at),
            "updated_datetime": w3c(updated_at),
            "expected_datetime": w3c(due_at),
            "address": address,
            "address_id": "",
            "zipcode": "",
            "lat": lat,
            "long": lon,
            "media_url": self.media_url(first_photo) if first_photo else "",
        }
        if extras is not None:
            answers = row.answers
            if isinstance(answers, str):  # SQLite returns the JSON text
                answers = json.loads(answers)
            body["extended_attributes"] = {
                "detailed_status": row.status,
                "detailed_status_name": self.status_labels[row.status],
                "close_reason": row.close_reason,
                "duplicate_of": row.duplicate_of,
                "wilayat": self.text(row.district_name_ar, row.district_name_en),
                "attributes": [
                    {"code": code, "values": value if isinstance(value, list) else [value]}
                    for code, value in (answers or {}).items()
                ],
                "notes": [self.note(*note) for note in extras.notes.get(row.id, [])],
                "media_urls": [self.media_url(name) for name in extras.photos.get(row.id, [])],
            }
        return body

    def note(self, created_at: Any, kind: str, status: str, message: str) -> dict[str, Any]:
        return {
            "datetime": self.w3c(created_at),
            "type": kind,
            "status": "closed" if status in CLOSED_STATUSES else "open",
            "detailed_status": status,
            "description": message or self.status_labels[status],
        }


def mysociety_status(status: str, close_reason: str) -> str:
    if status == Status.CLOSED_NOT_FIXED:
        return (
            MYSOCIETY_CLOSE_REASON.get(CloseReason(close_reason), "CLOSED")
            if close_reason
            else "CLOSED"
        )
    return MYSOCIETY_STATUS[Status(status)]


def update_dict(update: CaseUpdate, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "update_id": str(update.pk),
        "service_request_id": update.case.reference,
        "status": mysociety_status(update.status, update.close_reason),
        "detailed_status": update.status,
        "updated_datetime": w3c(update.created_at, tz),
        "description": update.message or str(Status(update.status).label),
        "media_url": "",
    }

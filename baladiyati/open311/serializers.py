"""Cases and services as GeoReport v2 dictionaries.

Never includes who reported a case: no names, emails, phone numbers or account ids (the
privacy tests read every GET response for them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils.translation import gettext as _

from baladiyati.cases.models import CLOSED_STATUSES, Case, CaseUpdate, CloseReason, Status
from baladiyati.cities.models import Service, ServiceQuestion, localized

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


def status_notes(case: Case) -> str:
    label = str(Status(case.status).label)
    if case.status == Status.CLOSED_NOT_FIXED and case.close_reason:
        return f"{label}: {CloseReason(case.close_reason).label}"
    if case.status == Status.DUPLICATE and case.duplicate_of_id:
        return _("Duplicate of %(reference)s") % {"reference": case.duplicate_of.reference}  # type: ignore[union-attr]
    return label


def photo_urls(request: HttpRequest, case: Case) -> list[str]:
    return [request.build_absolute_uri(photo.image.url) for photo in case.photos.all()]


def request_dict(
    request: HttpRequest, case: Case, tz: ZoneInfo, *, extensions: bool = False
) -> dict[str, Any]:
    media = photo_urls(request, case)
    body: dict[str, Any] = {
        "service_request_id": case.reference,
        "status": "closed" if case.status in CLOSED_STATUSES else "open",
        "status_notes": status_notes(case),
        "service_name": case.service.name,
        "service_code": case.service.code,
        "description": case.description,
        "agency_responsible": case.department.name,
        "service_notice": case.service.service_notice,
        "requested_datetime": w3c(case.created_at, tz),
        "updated_datetime": w3c(case.updated_at, tz),
        "expected_datetime": w3c(case.due_at, tz),
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": case.lat,
        "long": case.lon,
        "media_url": media[0] if media else "",
    }
    if extensions:
        body["extended_attributes"] = {
            "detailed_status": case.status,
            "detailed_status_name": str(Status(case.status).label),
            "close_reason": case.close_reason,
            "duplicate_of": case.duplicate_of.reference if case.duplicate_of_id else "",  # type: ignore[union-attr]
            "wilayat": localized(case.district, "name") if case.district_id else "",
            "attributes": [
                {"code": code, "values": value if isinstance(value, list) else [value]}
                for code, value in case.answers.items()
            ],
            "notes": [note_dict(update, tz) for update in case.updates.all()],
            "media_urls": media,
        }
    return body


def note_dict(update: CaseUpdate, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "datetime": w3c(update.created_at, tz),
        "type": update.kind,
        "status": "closed" if update.status in CLOSED_STATUSES else "open",
        "detailed_status": update.status,
        "description": update.message or str(Status(update.status).label),
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

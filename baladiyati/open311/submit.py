"""POST requests and POST servicerequestupdates: parse the form, call cases.actions."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from baladiyati.cases import actions
from baladiyati.cases.models import OPEN_STATUSES, Case, Channel, CloseReason, Status
from baladiyati.cities.models import District, Municipality
from baladiyati.core.text import normalize

from . import lookups, params
from .formats import respond
from .models import KEY_PREFIX, ApiKey, hash_key
from .params import Open311Error, bad
from .views import _municipality

ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,50})\](\[\])?$")
MAX_FIELD = 4000

# Statuses a back-end system may post (mySociety's names, and ours) → (status, reason).
UPDATE_STATUSES: dict[str, tuple[str, str]] = {
    "OPEN": (Status.ACKNOWLEDGED, ""),
    "INVESTIGATING": (Status.ACKNOWLEDGED, ""),
    "ACTION_SCHEDULED": (Status.IN_PROGRESS, ""),
    "IN_PROGRESS": (Status.IN_PROGRESS, ""),
    "FIXED": (Status.FIXED, ""),
    "NOT_COUNCILS_RESPONSIBILITY": (Status.CLOSED_NOT_FIXED, CloseReason.NOT_MUNICIPALITY),
    "NO_FURTHER_ACTION": (Status.CLOSED_NOT_FIXED, CloseReason.NO_ACTION_NEEDED),
    "UNABLE_TO_LOCATE": (Status.CLOSED_NOT_FIXED, CloseReason.COULD_NOT_LOCATE),
    "DUPLICATE": (Status.DUPLICATE, ""),
    "ACKNOWLEDGED": (Status.ACKNOWLEDGED, ""),
}


def _key(request: HttpRequest, data: QueryDict, municipality: Municipality) -> ApiKey:
    raw = data.get("api_key") or request.GET.get("api_key") or ""
    key = None
    if raw.startswith(KEY_PREFIX) and len(raw) <= 100:  # what ApiKey.objects.verify checks
        key = lookups.active_key(hash_key(raw))
    if key is None or not key.works_in(municipality):
        raise Open311Error(403, _("A valid api_key is required to post."))
    return key


def _answers(data: QueryDict) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for name in data:
        match = ATTRIBUTE.match(name)
        if match is None:
            continue
        code, many = match.group(1), match.group(2)
        values = [v[:MAX_FIELD] for v in data.getlist(name)]
        if many:
            answers.setdefault(code, [])
            if isinstance(answers[code], list):
                answers[code].extend(values)
        else:
            answers[code] = values if len(values) > 1 else values[0]
    return answers


def _locate(data: QueryDict, municipality: Municipality) -> tuple[float, float, str]:
    """lat+long, or an address_string naming a wilayat (located at its centre)."""
    address = params.text(data, "address_string", 300)
    raw_lat, raw_lon = data.get("lat", "").strip(), data.get("long", "").strip()
    if raw_lat or raw_lon:
        if not (raw_lat and raw_lon):
            raise bad(_("lat and long go together."))
        return params.latitude(raw_lat), params.longitude(raw_lon), address
    if not address:
        raise bad(_("A location is required: lat and long, or address_string."))
    wanted = normalize(address)
    for district in District.objects.filter(municipality=municipality).only(
        "name_ar", "name_en", "boundary"
    ):
        names = {normalize(district.name_ar), normalize(district.name_en)} - {""}
        if any(name in wanted for name in names):
            from baladiyati.core.geo import geometry

            point = geometry(district.boundary).representative_point()
            return point.y, point.x, address
    raise bad(_("The address could not be located; send lat and long."))


def create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    municipality = _municipality(request, data if data.get("jurisdiction_id") else None)
    key = _key(request, data, municipality)
    service_code = params.text(data, "service_code", 50)
    if not service_code:
        raise bad(_("service_code is required."))
    lat, lon, address = _locate(data, municipality)
    description = data.get("description", "")
    if len(description) > MAX_FIELD:
        raise bad(_("description may be at most 4,000 characters."))
    media_url = params.text(data, "media_url", 500)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise bad(_("media_url must be an http or https address.")) from None
    name = " ".join(
        part for part in (params.text(data, "first_name"), params.text(data, "last_name")) if part
    )
    contact = actions.Contact(
        name=name, email=params.text(data, "email", 254), phone=params.text(data, "phone", 30)
    )
    idempotency = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency) > 80:
        raise bad(_("Idempotency-Key may be at most 80 characters."))
    photos = request.FILES.getlist("media")
    case = actions.do_submit_case(
        municipality=municipality,
        service_code=service_code,
        lat=lat,
        lon=lon,
        channel=Channel.OPEN311,
        actor=None,
        description=description,
        answers=_answers(data),
        photos=photos,
        address=address,
        contact=contact,
        media_url=media_url,
        idempotency_key=f"open311:{key.pk}:{idempotency}" if idempotency else None,
        device_id=params.text(data, "device_id", 100),
    )
    body = [
        {
            "service_request_id": case.reference,
            "token": case.reference,
            "service_notice": case.service.service_notice,
            "account_id": "",
        }
    ]
    return respond(fmt, "service_requests", body)


def post_update(request: HttpRequest, fmt: str) -> HttpResponse:
    """A back-end system's update, applied through the same actions as a staff update."""
    data = request.POST
    municipality = _municipality(request, data if data.get("jurisdiction_id") else None)
    key = _key(request, data, municipality)
    if key.user is None:
        raise Open311Error(403, _("This api_key may not post updates."))
    reference = params.text(data, "service_request_id", 24)
    if not reference:
        raise bad(_("service_request_id is required."))
    case = Case.objects.of(municipality).filter(reference=reference).first()
    if case is None:
        raise Open311Error(404, _("Unknown service_request_id “%(id)s”.") % {"id": reference})
    raw_status = params.text(data, "status", 40).upper()
    if raw_status.lower() in Status.values:
        target, reason = raw_status.lower(), params.text(data, "close_reason", 40)
    elif raw_status in UPDATE_STATUSES:
        target, reason = UPDATE_STATUSES[raw_status]
    elif raw_status in ("", "CLOSED"):
        target, reason = "", ""
        if raw_status == "CLOSED":
            raise bad(
                _(
                    "Say how it was closed: FIXED, NOT_COUNCILS_RESPONSIBILITY, "
                    "NO_FURTHER_ACTION, UNABLE_TO_LOCATE or DUPLICATE."
                )
            )
    else:
        raise bad(_("Unknown status “%(status)s”.") % {"status": raw_status[:40]})
    description = data.get("description", "")
    if len(description) > MAX_FIELD:
        raise bad(_("description may be at most 4,000 characters."))
    params.datetime_param(data, "updated_datetime", municipality.zoneinfo)  # validated only
    external_id = params.text(data, "update_id", 100) or None
    duplicate_of = None
    if target == Status.DUPLICATE:
        original = params.text(data, "duplicate_of", 24)
        duplicate_of = Case.objects.of(municipality).filter(reference=original).first()
        if duplicate_of is None:
            raise bad(_("duplicate_of must name another request of this municipality."))

    actor = key.user
    if external_id and case.updates.filter(external_id=external_id).exists():
        pass  # a resend of an update already applied: answer as the first time
    elif not target or target == case.status:
        actions.do_reply_to_case(case, description, actor=actor, external_id=external_id)
    elif target == Status.ACKNOWLEDGED and case.status not in OPEN_STATUSES:
        reason_text = description or _("Reopened by %(app)s") % {"app": key.name}
        actions.do_reopen_case(case, reason_text, actor=actor, external_id=external_id)
    else:
        actions.do_transition_case(
            case,
            target,
            actor=actor,
            reason=reason,
            duplicate_of=duplicate_of,
            message=description,
            external_id=external_id,
        )
    updates = case.updates.order_by("-id")
    update = (updates.filter(external_id=external_id) if external_id else updates).first()
    assert update is not None
    body = [{"update_id": str(update.pk), "service_request_id": case.reference}]
    return respond(fmt, "service_request_updates", body)

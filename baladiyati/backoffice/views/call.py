"""The 1111 contact centre: GET/POST /backoffice/call, GET /backoffice/call/history.

One screen, phone first: typing the caller's number brings up their history (a small fetch
of /call/history; without JavaScript the "Look up" button does the same with a round trip),
then the service, the wilayat or a pin, and what the caller says. The case is filed with
`cases.actions.do_submit_case`, channel phone, in the caller's name: their account when the
number belongs to one, else the number (and name) as contact details.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from baladiyati.accounts.models import User
from baladiyati.cases.actions import Contact, do_submit_case
from baladiyati.cases.models import Channel
from baladiyati.cities.models import District
from baladiyati.portal.catalogue import catalogue, read_answers, services_of
from baladiyati.portal.inputs import text
from baladiyati.portal.places import district_centre, parse_coordinate

from .. import people
from ..access import FILERS, Desk, staff_view

HISTORY_SHOWN = 10


def _caller(desk: Desk, raw: str) -> dict[str, Any]:
    """What the history panel shows for a typed number."""
    phone = people.phone_or_none(raw) if raw.strip() else None
    if phone is None:
        return {"phone": "", "valid": False, "typed": bool(raw.strip())}
    user = User.objects.filter(phone=phone).first()
    cases = list(people.history(desk, user=user, phone=phone)[: HISTORY_SHOWN + 1])
    return {
        "phone": phone,
        "valid": True,
        "typed": True,
        "user": user,
        "cases": cases[:HISTORY_SHOWN],
        "more": len(cases) > HISTORY_SHOWN,
        "profile_url": (
            reverse("backoffice:citizen", args=[user.pk])
            if user is not None and desk.city_wide and cases
            else ""
        ),
    }


@require_GET
@staff_view(FILERS)
def history(request: HttpRequest, desk: Desk) -> HttpResponse:
    return render(
        request,
        "backoffice/_caller.html",
        {"desk": desk, "caller": _caller(desk, request.GET.get("phone", ""))},
    )


@require_http_methods(["GET", "POST"])
@staff_view(FILERS)
def call(request: HttpRequest, desk: Desk) -> HttpResponse:
    services = services_of(desk.municipality)
    districts = list(
        District.objects.filter(municipality=desk.municipality).order_by("order", "id")
    )
    data = request.POST if request.method == "POST" else request.GET
    errors: dict[str, list[str]] = {}
    chosen = text(data, "service", 50)
    if request.method == "POST":
        case = _file(desk, data, services, districts, errors)
        if case is not None:
            messages.success(
                request,
                _("Request %(reference)s filed for the caller. Read them the reference.")
                % {"reference": case.reference},
            )
            return redirect("backoffice:case", reference=case.reference)
    context = {
        "desk": desk,
        "nav": "call",
        "municipality": desk.municipality,
        "groups": catalogue(
            services, chosen=chosen, data=data if request.method == "POST" else None, errors=errors
        ),
        "districts": districts,
        "values": {
            "phone": text(data, "phone", 40),
            "name": text(data, "name", 200),
            "service": chosen,
            "wilayat": text(data, "wilayat", 20),
            "lat": text(data, "lat", 30),
            "lon": text(data, "lon", 30),
            "address": text(data, "address", 300),
            "description": text(data, "description", 4000),
        },
        "errors": errors,
        "caller": _caller(desk, text(data, "phone", 40)),
    }
    return render(request, "backoffice/call.html", context, status=400 if errors else 200)


def _file(
    desk: Desk,
    data: Any,
    services: list[Any],
    districts: list[District],
    errors: dict[str, list[str]],
) -> Any:
    phone = people.phone_or_none(text(data, "phone", 40))
    if phone is None:
        errors["phone"] = [_("Enter the caller's phone number, e.g. 9123 4567.")]
    service = next((s for s in services if s.code == text(data, "service", 50)), None)
    if service is None:
        errors["service_code"] = [_("Choose the service.")]
    lat, lon = parse_coordinate(data.get("lat")), parse_coordinate(data.get("lon"))
    if lat is None or lon is None:
        district = next((d for d in districts if str(d.pk) == text(data, "wilayat", 20)), None)
        if district is not None:
            lat, lon = district_centre(district)
        else:
            errors["location"] = [_("Choose the wilayat or place the pin on the map.")]
    if errors:
        return None
    assert phone is not None and service is not None and lat is not None and lon is not None
    user = User.objects.filter(phone=phone, is_active=True).first()
    try:
        return do_submit_case(
            municipality=desk.municipality,
            service_code=service.code,
            lat=lat,
            lon=lon,
            channel=Channel.PHONE,
            actor=desk.user,
            description=text(data, "description", 4000),
            answers=read_answers(service, data),
            address=text(data, "address", 300),
            reporter=user,
            contact=None
            if user is not None
            else Contact(name=text(data, "name", 200), phone=phone),
        )
    except ValidationError as exc:
        errors.update(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
    except PermissionDenied as exc:
        errors["__all__"] = [str(exc)]
    return None

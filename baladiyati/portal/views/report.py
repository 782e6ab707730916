"""Reporting a problem: one form, filled step by step by the app, or all at once without JS.

GET /report[?lat=&lon= | ?district= | ?m=]  the form for the municipality at that place.
POST /report  files the report through cases.actions.do_submit_case. The app posts with
`Accept: application/json` (201 with the reference and links, 400 with errors keyed by
field); a plain form post gets the page back with every problem in place, or a redirect to
the confirmation. `submission_id` (a UUID made on the device) is the idempotency key, so a
report resent from the offline outbox, or posted twice, is filed once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from baladiyati.cases.actions import Contact, do_submit_case
from baladiyati.cases.models import Case, Channel
from baladiyati.cities.models import Municipality

from ..catalogue import catalogue, read_answers, services_of
from ..formatting import digits, digits_for
from ..inputs import key, text
from ..places import Place, active_municipalities, default_municipality, locate

PORTAL_CHANNELS = {Channel.APP.value, Channel.WEB.value}
SIMILAR_SHOWN = 5


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def submission_key(raw: str) -> str | None:
    """`portal:<uuid>` for a well-formed UUID made by the device (or the page), else None."""
    try:
        return f"portal:{uuid.UUID(str(raw).strip())}"
    except ValueError:
        return None


def js_messages() -> dict[str, str]:
    """What the app says in the browser, translated here (placeholders in braces)."""
    return {
        "required": _("Please answer this question."),
        "chooseService": _("Choose what the problem is."),
        "chooseLocation": _(
            "Choose the place of the problem: on the map, with your location, or a wilayat."
        ),
        "outside": _("This place is outside the municipalities served by Baladiyati."),
        "otherCity": _("This place is in {municipality}. Opening its services…"),
        "chosenPlace": _("Chosen place: {place}"),
        "locating": _("Finding your location…"),
        "locateFailed": _(
            "Your location could not be found. Move the map or choose the wilayat instead."
        ),
        "tooManyPhotos": _("You can add at most {count} photos."),
        "notImage": _("The file is not a photo. Please send a JPEG, PNG or WebP image."),
        "tooLarge": _("The photo is larger than {size} MB."),
        "photo": _("Photo {number}"),
        "removePhoto": _("Remove photo {number}"),
        "searching": _("Searching…"),
        "matchOne": _("One service matches."),
        "matches": _("{count} services match."),
        "noMatch": _("No service matches. Try another word, or clear the search to see them all."),
        "step": _("Step {number} of {total}"),
        "sending": _("Sending…"),
        "savedOffline": _(
            "No connection: the report is saved on this phone and will be sent as soon as the "
            "connection returns."
        ),
        "serverError": _("The report could not be sent. Please try again."),
        "summaryPlace": _("Place"),
        "summaryService": _("Problem"),
        "summaryPhotos": _("Photos"),
        "followFailed": _("Could not follow this report. Please try again."),
        "draftRestored": _("Your report is here as you left it, photos included."),
    }


def location_problem(place: Place | None) -> str:
    if place is None or place.lat is None:
        return _("Choose the place of the problem: on the map, with your location, or a wilayat.")
    if place.problem == "outside":
        return _("This place is outside the municipalities served by Baladiyati.")
    if place.problem == "elsewhere" and place.other is not None:
        return _("This place is in %(municipality)s. Please start the report again from there.") % {
            "municipality": place.other.name
        }
    return ""


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    municipalities = active_municipalities()
    if not municipalities:
        return render(request, "portal/no_municipality.html", status=503)
    if request.method == "POST":
        return _submit(request, municipalities)
    place = locate(request, request.GET, municipalities)
    errors: dict[str, list[str]] = {}
    if place is not None and place.other is not None and place.lat is not None:
        # A point in another city than the one named: that city's form, at that point.
        other, lat, lon = place.other, place.lat, place.lon or 0.0
        place = Place(other, lat, lon, other.district_at(lat, lon))
    if place is not None and place.problem == "outside":
        errors["location"] = [location_problem(place)]
    if place is None:
        place = Place(default_municipality(request, municipalities))
    return _page(
        request,
        municipalities,
        place,
        values={"service": request.GET.get("service", "")},
        errors=errors,
    )


def photos_not_kept(request: HttpRequest) -> str:
    """Said in place when a plain post (no JavaScript) comes back without being filed: a
    browser never fills a file field again, so the photos chosen must be chosen again. (With
    JavaScript the form is never reloaded and keeps its photos.)"""
    count = len([f for f in request.FILES.getlist("photos") if f.size])
    if not count:
        return ""
    return ngettext(
        "The photo you chose was not kept. Please choose it again before sending.",
        "The %(count)s photos you chose were not kept. Please choose them again before sending.",
        count,
    ) % {"count": digits(count, digits_for(request))}


FIELD_OF_ERROR = {
    "location": "f-district",
    "lat": "f-district",
    "lon": "f-district",
    "district": "f-district",
    "address": "f-address",
    "service_code": "services",
    "description": "f-description",
    "photos": "f-photos",
    "name": "f-name",
    "phone": "f-phone",
    "email": "f-email",
}


def error_links(errors: dict[str, list[str]], service_code: str) -> list[tuple[str, str]]:
    """The error summary's lines, each with the field it is about (`#id`, or "" for none), so
    that a keyboard or screen reader user goes straight to what needs correcting."""
    lines: list[tuple[str, str]] = []
    for field, problems in errors.items():
        anchor = FIELD_OF_ERROR.get(field, "")
        if field.startswith("attribute[") and service_code:
            anchor = f"field-a-{service_code}-{field[len('attribute[') : -1]}"
        lines.extend((problem, anchor) for problem in problems)
    return lines


def _page(
    request: HttpRequest,
    municipalities: list[Municipality],
    place: Place,
    *,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    data: Any = None,
    similar: list[Case] | None = None,
    status: int = 200,
) -> HttpResponse:
    if request.method == "POST" and (again := photos_not_kept(request)):
        errors = {**errors, "photos": [*errors.get("photos", []), again]} if errors else errors
        values = {**values, "photos_again": again}
    services = services_of(place.municipality)
    context = {
        "tab": "report",
        "municipality": place.municipality,
        "municipalities": municipalities,
        "place": place,
        "groups": catalogue(services, chosen=values.get("service", ""), data=data, errors=errors),
        "values": values,
        "errors": errors,
        "error_lines": error_links(errors, values.get("service", "")),
        "has_errors": bool(errors),
        "submission_id": values.get("submission_id") or str(uuid.uuid4()),
        "similar": similar,
        "max_photos": settings.CASE_MAX_PHOTOS,
        "max_photo_mb": settings.CASE_MAX_PHOTO_BYTES // (1024 * 1024),
        "max_photo_bytes": settings.CASE_MAX_PHOTO_BYTES,
        "max_description": settings.CASE_MAX_DESCRIPTION,
        "js_messages": js_messages(),
    }
    return render(request, "portal/report.html", context, status=status)


def _contact(request: HttpRequest) -> Contact | None:
    if request.user.is_authenticated:
        return None
    return Contact(
        name=text(request.POST, "name", 200),
        email=text(request.POST, "email", 254),
        phone=text(request.POST, "phone", 30),
    )


def _submit(request: HttpRequest, municipalities: list[Municipality]) -> HttpResponse:
    data = request.POST
    by_slug = {m.slug: m for m in municipalities}
    place = locate(request, data, municipalities)
    municipality = by_slug.get(data.get("m", "")) or (place.municipality if place else None)
    if municipality is None:
        municipality = default_municipality(request, municipalities)
    if place is None:
        place = Place(municipality)
    elif place.municipality.pk != municipality.pk:
        # A wilayat of another city chosen on this city's form.
        place = Place(municipality, place.lat, place.lon, None, "elsewhere", place.municipality)
    service_code = text(data, "service", 50).strip()
    values = {
        "service": service_code,
        "lat": data.get("lat", ""),
        "lon": data.get("lon", ""),
        "district": data.get("district", ""),
        "description": text(data, "description"),
        "address": text(data, "address"),
        "name": text(data, "name"),
        "email": text(data, "email"),
        "phone": text(data, "phone"),
        "submission_id": data.get("submission_id", ""),
    }
    service = (
        next((s for s in services_of(municipality) if s.code == service_code), None)
        if service_code
        else None
    )
    problem = location_problem(place)

    key = submission_key(data.get("submission_id", ""))
    # A resend of a report already filed is answered with that report (do_submit_case
    # returns it), never with the report itself as "a similar case nearby".
    resent = (
        bool(key) and Case.objects.filter(municipality=municipality, idempotency_key=key).exists()
    )
    if not problem and service is not None and not resent and data.get("similar_checked") != "1":
        similar = list(
            Case.objects.similar_open(service, place.lat, place.lon).select_related(  # type: ignore[arg-type]
                "service", "district", "municipality"
            )[:SIMILAR_SHOWN]
        )
        if similar:
            if wants_json(request):
                html = render_to_string(
                    "portal/_similar.html",
                    {"similar": similar, "municipality": municipality},
                    request=request,
                )
                return JsonResponse({"similar": html}, status=409)
            return _page(
                request,
                municipalities,
                place,
                values=values,
                errors={},
                data=data,
                similar=similar,
            )

    errors: dict[str, list[str]] = {}
    channel = data.get("channel", "")
    try:
        case = do_submit_case(
            municipality=municipality,
            service_code=service_code,
            lat=place.lat if place.lat is not None else float("nan"),
            lon=place.lon if place.lon is not None else float("nan"),
            channel=channel if channel in PORTAL_CHANNELS else Channel.WEB,
            actor=request.user,
            description=text(data, "description"),
            answers=read_answers(service, data) if service is not None else {},
            photos=[f for f in request.FILES.getlist("photos") if f.size],
            address=text(data, "address"),
            contact=_contact(request),
            idempotency_key=key,
        )
    except ValidationError as exc:
        errors = {key: list(messages) for key, messages in exc.message_dict.items()}
    except PermissionDenied as exc:
        errors = {"form": [str(exc)]}
    else:
        return _sent(request, case)

    # Say it the citizen's way where the action's message is written for machines.
    if problem:
        errors["location"] = [problem]
    if not service_code:
        errors["service_code"] = [_("Choose what the problem is.")]
    if wants_json(request):
        return JsonResponse({"errors": errors}, status=400)
    return _page(
        request, municipalities, place, values=values, errors=errors, data=data, status=400
    )


def _sent(request: HttpRequest, case: Case) -> HttpResponse:
    sent_url = reverse("portal:sent", args=[case.tracking_token])
    if wants_json(request):
        return JsonResponse(
            {
                "reference": case.reference,
                "tracking_url": request.build_absolute_uri(
                    reverse("portal:track", args=[case.tracking_token])
                ),
                "sent_url": sent_url,
                "service": case.service.name,
            },
            status=201,
        )
    return redirect(sent_url)


def sent(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation: the reference and the private tracking link to keep."""
    case = get_object_or_404(
        Case.objects.select_related("service", "municipality", "district"),
        tracking_token=key(token),
    )
    return render(
        request,
        "portal/sent.html",
        {
            "case": case,
            "municipality": case.municipality,
            "tracking_url": request.build_absolute_uri(
                reverse("portal:track", args=[case.tracking_token])
            ),
        },
    )

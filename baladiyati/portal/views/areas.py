"""Following an area: a signed-in citizen is told of every new published request in a
wilayat, or within a radius of a point chosen on the map, optionally for one service.

GET /areas[?m=<municipality>]   my area subscriptions and the form to add one
POST /areas                     follow an area (cases.actions.do_subscribe_area)
POST /areas/<id>/stop           stop following it (cases.actions.do_unsubscribe)

Only for signed-in citizens: the list of what one follows needs an account (someone without
one stops a subscription with the link every message carries).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from baladiyati.cases.actions import do_subscribe_area, do_unsubscribe
from baladiyati.cases.models import AreaSubscription
from baladiyati.cases.subscriptions import MAX_RADIUS_M, MIN_RADIUS_M
from baladiyati.cities.models import Municipality, Service

from ..inputs import text
from ..places import active_municipalities, default_municipality, parse_coordinate

# The radii offered (metres); the domain accepts MIN_RADIUS_M to MAX_RADIUS_M.
RADII = [r for r in (250, 500, 1000, 2000, 5000, 10000) if MIN_RADIUS_M <= r <= MAX_RADIUS_M]
DEFAULT_RADIUS = 1000


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _mine(user: Any) -> list[AreaSubscription]:
    return list(
        AreaSubscription.objects.filter(user=user, is_active=True)
        .select_related("municipality", "district", "service")
        .order_by("-created_at", "-id")
    )


def _page(
    request: HttpRequest,
    municipalities: list[Municipality],
    municipality: Municipality,
    *,
    status: int = 200,
    errors: dict[str, list[str]] | None = None,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    signed_in = request.user.is_authenticated
    context = {
        "tab": "settings",
        "signed_in": signed_in,
        "subscriptions": _mine(request.user) if signed_in else [],
        "municipality": municipality,
        "municipalities": municipalities,
        "districts": list(municipality.districts.all()),
        "services": list(
            Service.objects.of(municipality).filter(is_active=True).order_by("name_ar", "id")
        )
        if signed_in
        else [],
        "radii": RADII,
        "errors": errors or {},
        "values": values or {"kind": "district", "radius_m": str(DEFAULT_RADIUS)},
    }
    return _private(render(request, "portal/areas.html", context, status=status))


def _municipality(data: Any, request: HttpRequest, municipalities: list[Municipality]) -> Any:
    by_slug = {m.slug: m for m in municipalities}
    return by_slug.get(text(data, "m", 60)) or default_municipality(request, municipalities)


@require_http_methods(["GET", "POST"])
def areas(request: HttpRequest) -> HttpResponse:
    municipalities = active_municipalities()
    if not municipalities:
        return render(request, "portal/no_municipality.html", status=503)
    data = request.POST if request.method == "POST" else request.GET
    municipality = _municipality(data, request, municipalities)
    if request.method == "GET":
        return _page(request, municipalities, municipality)
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('portal:signin')}?{urlencode({'next': reverse('portal:areas')})}"
        )
    values = {
        name: text(request.POST, name, 60)
        for name in ("kind", "district", "lat", "lon", "radius_m", "service")
    }
    errors: dict[str, list[str]] = {}
    district = service = None
    lat = lon = radius = None
    if values["kind"] == "point":
        lat, lon = parse_coordinate(values["lat"]), parse_coordinate(values["lon"])
        radius = parse_coordinate(values["radius_m"])
    else:
        district = next(
            (d for d in municipality.districts.all() if str(d.pk) == values["district"]), None
        )
        if district is None:
            errors["area"] = [_("Choose a wilayat.")]
    if values["service"]:
        service = (
            Service.objects.of(municipality).filter(code=values["service"], is_active=True).first()
        )
        if service is None:
            errors["service_code"] = [_("Choose a service from the list.")]
    if not errors:
        try:
            do_subscribe_area(
                municipality=municipality,
                actor=request.user,
                district=district,
                lat=lat,
                lon=lon,
                radius_m=radius,
                service=service,
            )
        except ValidationError as exc:
            errors = exc.message_dict
    if errors:
        return _page(
            request, municipalities, municipality, status=400, errors=errors, values=values
        )
    messages.success(request, _("Done. You will be told of new requests in this area."))
    return redirect(f"{reverse('portal:areas')}?{urlencode({'m': municipality.slug})}")


@require_POST
def stop(request: HttpRequest, subscription_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    subscription = AreaSubscription.objects.filter(
        pk=subscription_id, user=request.user, is_active=True
    ).first()
    if subscription is None:
        raise Http404
    try:
        do_unsubscribe(subscription, actor=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("You no longer follow this area."))
    return redirect("portal:areas")

"""The app's home: report a problem, my requests, the map, and the latest public reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baladiyati.cases.models import Case
from baladiyati.cities.models import Municipality

from ..casepage import status_kind

RECENT = 5


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    municipality = None
    if request.user.is_authenticated:
        profile = getattr(request.user, "citizen_profile", None)
        municipality = getattr(profile, "home_municipality", None)
    if municipality is None:
        municipality = Municipality.objects.active().order_by("id").first()
    recent: list[Case] = []
    if municipality is not None:
        recent = list(
            Case.objects.public()
            .of(municipality)
            .select_related("service", "district")
            .order_by("-created_at", "-id")[:RECENT]
        )
        for case in recent:
            case.status_kind = status_kind(case.status)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/home.html",
        {"tab": "home", "municipality": municipality, "recent": recent},
    )

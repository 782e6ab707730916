"""GET /report/similar?m=&service=&lat=&lon=: open published cases of the same service
within 50 m, shown before a report is sent, each with "this is my problem too".

Answers an HTML fragment (rendered here, so it is translated and its digits follow the
reader) that the report form inserts; `X-Similar-Count` says how many.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from baladiyati.cases.models import Case
from baladiyati.cities.models import Municipality, Service
from baladiyati.core import geo

from ..inputs import key
from ..places import parse_coordinate
from .report import SIMILAR_SHOWN


@require_GET
def similar_cases(request: HttpRequest) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.active(), slug=key(request.GET.get("m", ""))
    )
    service = get_object_or_404(
        Service.objects.of(municipality).active(), code=key(request.GET.get("service", ""))
    )
    lat, lon = parse_coordinate(request.GET.get("lat")), parse_coordinate(request.GET.get("lon"))
    similar: list[Case] = []
    if lat is not None and lon is not None and geo.valid_coordinates(lat, lon):
        similar = list(
            Case.objects.similar_open(service, lat, lon).select_related(
                "service", "district", "municipality"
            )[:SIMILAR_SHOWN]
        )
    response = render(
        request, "portal/_similar.html", {"similar": similar, "municipality": municipality}
    )
    response["X-Similar-Count"] = str(len(similar))
    response["Cache-Control"] = "no-store"
    return response

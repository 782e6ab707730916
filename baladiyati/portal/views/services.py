"""GET /report/services.json?m=<municipality>&q=<text>: the services that match, for the
search box of the report form. Forgiving Arabic (ة/ه, أ/إ/آ/ا, ى/ي, diacritics, light
stemming) and English, through Service.objects.search.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from baladiyati.cities.models import Municipality, Service

from .. import inputs
from ..inputs import key

LIMIT = 50


@require_GET
def search_services(request: HttpRequest) -> JsonResponse:
    municipality = get_object_or_404(
        Municipality.objects.active(), slug=key(request.GET.get("m", ""))
    )
    text = inputs.text(request.GET, "q", 100)
    services = (
        Service.objects.of(municipality)
        .active()
        .search(text)
        .select_related("group")
        .order_by("group__order", "group__id", "order", "id")[:LIMIT]
    )
    response = JsonResponse(
        {
            "query": text,
            "results": [{"code": s.code, "name": s.name, "group": s.group.name} for s in services],
        }
    )
    response["Cache-Control"] = "private, max-age=300"
    return response

"""GET /geo/boundaries.geojson: the outlines of every active municipality and its wilayats.

The app's maps draw these even with no tile server (MAP_TILE_URL empty, offline, tests), and
the report form uses the municipalities' outlines to tell which city a point belongs to.
Outlines are simplified to about 30 m and coordinates rounded to 5 decimals (about 1 m): a
drawing, not the authority (the server decides containment with the stored polygons).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET
from shapely.geometry import mapping

from baladiyati.cities.models import District, Municipality
from baladiyati.core import geo

TOLERANCE_DEGREES = 0.0003


def _rounded(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return round(value, 5)
    return value


def _outline(boundary: dict[str, Any]) -> dict[str, Any]:
    shape = geo.geometry(boundary).simplify(TOLERANCE_DEGREES, preserve_topology=True)
    drawn = mapping(shape)
    return {"type": drawn["type"], "coordinates": _rounded(drawn["coordinates"])}


@lru_cache(maxsize=4)
def _collection(version: str) -> tuple[bytes, str]:
    features = []
    for m in Municipality.objects.active().order_by("id"):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "municipality",
                    "slug": m.slug,
                    "name_ar": m.name_ar,
                    "name_en": m.name_en,
                },
                "geometry": _outline(m.boundary),
            }
        )
    for d in (
        District.objects.filter(municipality__is_active=True)
        .select_related("municipality")
        .order_by("municipality_id", "order", "id")
    ):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "district",
                    "id": d.pk,
                    "municipality": d.municipality.slug,
                    "name_ar": d.name_ar,
                    "name_en": d.name_en,
                },
                "geometry": _outline(d.boundary),
            }
        )
    body = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def version() -> str:
    # Editing a wilayat touches its municipality (cities.signals), so this sees every edit.
    stats = Municipality.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    actives = list(Municipality.objects.active().values_list("id", flat=True))
    return f"{stats['n']}:{stats['last']}:{actives}"


@require_GET
def boundaries(request: HttpRequest) -> HttpResponse:
    body, etag = _collection(version())
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    return response

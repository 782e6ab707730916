"""Where a report is: a point from the map or the phone's GPS, or a chosen wilayat.

The municipality is the one that contains the point; the form for it shows its services.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, QueryDict

from baladiyati.cities.models import District, Municipality
from baladiyati.core import geo
from baladiyati.core.text import to_ascii_digits


@dataclass
class Place:
    municipality: Municipality
    lat: float | None = None
    lon: float | None = None
    district_id: int | None = None
    # "": inside `municipality`; "outside": in no municipality; "elsewhere": in `other`.
    problem: str = ""
    other: Municipality | None = None


def parse_coordinate(raw: Any) -> float | None:
    try:
        value = float(to_ascii_digits(str(raw or "")).strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def active_municipalities() -> list[Municipality]:
    """Every active municipality with its districts (two queries), for the wilayat list."""
    return list(
        Municipality.objects.active()
        .order_by("id")
        .prefetch_related(Prefetch("districts", queryset=District.objects.order_by("order", "id")))
    )


@lru_cache(maxsize=256)
def _centre(district_id: int, version: str) -> tuple[float, float]:
    boundary = District.objects.only("boundary").get(pk=district_id).boundary
    point = geo.geometry(boundary).representative_point()
    return round(point.y, 6), round(point.x, 6)


def district_centre(district: District) -> tuple[float, float]:
    """A point surely inside the wilayat (not its centroid, which may fall in the sea)."""
    return _centre(
        district.pk, f"{district.updated_at.isoformat()}:{geo.digest(district.boundary)}"
    )


def default_municipality(request: HttpRequest, municipalities: list[Municipality]) -> Municipality:
    user = request.user
    if user.is_authenticated:
        profile = getattr(user, "citizen_profile", None)
        home = getattr(profile, "home_municipality_id", None)
        for municipality in municipalities:
            if municipality.pk == home:
                return municipality
    return municipalities[0]


def locate(
    request: HttpRequest, data: QueryDict, municipalities: list[Municipality]
) -> Place | None:
    """The place the form names (lat+lon, a district, or a municipality slug); None if none."""
    by_slug = {m.slug: m for m in municipalities}
    lat, lon = parse_coordinate(data.get("lat")), parse_coordinate(data.get("lon"))
    if lat is not None and lon is not None and geo.valid_coordinates(lat, lon):
        named = by_slug.get(data.get("m", ""))
        containing = next((m for m in municipalities if m.contains(lat, lon)), None)
        if containing is None:
            return Place(
                named or default_municipality(request, municipalities), lat, lon, None, "outside"
            )
        if named is not None and named.pk != containing.pk:
            return Place(named, lat, lon, None, "elsewhere", containing)
        return Place(containing, lat, lon, containing.district_at(lat, lon))
    district_id = parse_coordinate(data.get("district"))
    if district_id is not None:
        for municipality in municipalities:
            for district in municipality.districts.all():
                if district.pk == district_id:
                    lat, lon = district_centre(district)
                    return Place(municipality, lat, lon, district.pk)
    named = by_slug.get(data.get("m", ""))
    return Place(named) if named is not None else None

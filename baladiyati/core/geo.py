"""Geometry without GDAL: GeoJSON stored as JSON, shapely for tests, h3 for cells."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import h3
from django.conf import settings
from shapely import prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = 111_320.0  # of latitude; of longitude at the equator


def geometry(geojson: dict[str, Any]) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry (or Feature) mapping."""
    if geojson.get("type") == "Feature":
        geojson = geojson["geometry"]
    return shape(geojson)


def polygon_problem(geojson: Any) -> str | None:
    """Why `geojson` is not a usable (Multi)Polygon, or None when it is."""
    if not isinstance(geojson, dict):
        return "not a GeoJSON object"
    try:
        geom = geometry(geojson)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return f"not valid GeoJSON: {exc}"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return f"a {geom.geom_type}, not a polygon"
    if geom.is_empty or not geom.is_valid:
        return explain_validity(geom)
    return None


def prepare(geojson: dict[str, Any]) -> Any:
    """A prepared geometry: fast repeated point-in-polygon tests."""
    return prepared.prep(geometry(geojson))


def digest(geojson: Any) -> str:
    """A short stable fingerprint of a GeoJSON value, for cache keys."""
    return hashlib.blake2b(json.dumps(geojson, sort_keys=True).encode(), digest_size=8).hexdigest()


def contains(prepared_geom: Any, lat: float, lon: float) -> bool:
    return bool(prepared_geom.covers(Point(lon, lat)))


def valid_coordinates(lat: float, lon: float) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


def h3_cell(lat: float, lon: float, resolution: int | None = None) -> str:
    return str(h3.latlng_to_cell(lat, lon, resolution or settings.H3_RESOLUTION))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bbox_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(lat_min, lon_min, lat_max, lon_max) that holds the circle; for index pre-filters."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon

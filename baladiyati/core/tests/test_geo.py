"""Geometry helpers: coordinates, polygons, H3 cells, distances."""

from __future__ import annotations

import math

import h3
import pytest

from baladiyati.core import geo
from baladiyati.testing import box


@pytest.mark.parametrize(
    ("lat", "lon", "valid"),
    [
        (23.6, 58.5, True),
        (90.0, 180.0, True),
        (-90.0, -180.0, True),
        (90.0001, 0.0, False),
        (0.0, -180.0001, False),
        (math.nan, 58.5, False),
        (23.6, math.inf, False),
        ("23.6", 58.5, False),
        (None, 58.5, False),
    ],
)
def test_it_knows_valid_coordinates(lat: object, lon: object, valid: bool) -> None:
    assert geo.valid_coordinates(lat, lon) is valid  # type: ignore[arg-type]


def test_a_box_is_a_usable_polygon_and_a_line_is_not() -> None:
    assert geo.polygon_problem(box(58.4, 23.5, 58.7, 23.7)) is None
    assert geo.polygon_problem({"type": "LineString", "coordinates": [[0, 0], [1, 1]]})
    assert geo.polygon_problem({"type": "Polygon", "coordinates": "x"})
    assert geo.polygon_problem(None)


def test_a_prepared_polygon_covers_its_inside_and_edge_only() -> None:
    prepared = geo.prepare(box(58.4, 23.5, 58.7, 23.7))
    assert geo.contains(prepared, 23.6, 58.5)
    assert geo.contains(prepared, 23.5, 58.5)
    assert not geo.contains(prepared, 23.8, 58.5)


def test_the_h3_cell_uses_the_configured_resolution() -> None:
    cell = geo.h3_cell(23.6, 58.5)
    assert h3.get_resolution(cell) == 10
    assert h3.latlng_to_cell(23.6, 58.5, 10) == cell
    assert h3.get_resolution(geo.h3_cell(23.6, 58.5, 7)) == 7


def test_distance_and_bounding_box_agree() -> None:
    assert geo.distance_m(23.6, 58.5, 23.6, 58.5) == 0
    one_degree = geo.distance_m(23.0, 58.5, 24.0, 58.5)
    assert 111_000 < one_degree < 111_400
    lat_min, lon_min, lat_max, lon_max = geo.bbox_around(23.6, 58.5, 500)
    assert geo.distance_m(23.6, 58.5, lat_max, 58.5) == pytest.approx(500, rel=1e-6)
    assert geo.distance_m(23.6, 58.5, 23.6, lon_max) == pytest.approx(500, rel=1e-3)
    assert lat_min < 23.6 < lat_max and lon_min < 58.5 < lon_max


def test_the_digest_is_stable_and_tells_boundaries_apart() -> None:
    assert geo.digest(box(1, 2, 3, 4)) == geo.digest(box(1, 2, 3, 4))
    assert geo.digest(box(1, 2, 3, 4)) != geo.digest(box(1, 2, 3, 5))

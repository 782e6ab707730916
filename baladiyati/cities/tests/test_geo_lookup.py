"""Which municipality and which wilayat a point falls in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from baladiyati.cities.models import District, Municipality
from baladiyati.testing import MUSCAT_POINT, MUTTRAH_POINT, OUTSIDE_POINT, BaseTestCase, box

INVALID_POINTS = [
    (float("nan"), 58.5),
    (23.6, float("nan")),
    (float("inf"), 58.5),
    (91.0, 58.5),
    (-90.5, 58.5),
    (23.6, 180.5),
    (23.6, -181.0),
]


class GeoLookupTest(BaseTestCase):
    def fresh_muscat(self) -> Municipality:
        """A newly read municipality, as every request reads it."""
        return Municipality.objects.get(pk=self.muscat.pk)

    def test_it_contains_a_point_inside_its_boundary(self) -> None:
        assert self.muscat.contains(*MUTTRAH_POINT)
        assert self.muscat.contains(*MUSCAT_POINT)

    def test_it_does_not_contain_a_point_outside(self) -> None:
        assert not self.muscat.contains(*OUTSIDE_POINT)
        assert not self.muscat.contains(23.6, 58.71)
        assert self.sohar.contains(*OUTSIDE_POINT)

    def test_a_point_on_the_boundary_is_inside(self) -> None:
        assert self.muscat.contains(23.50, 58.45)  # southern edge
        assert self.muscat.contains(23.70, 58.70)  # north-eastern corner

    def test_it_finds_the_wilayat_of_a_point(self) -> None:
        assert self.muscat.district_at(*MUTTRAH_POINT) == self.muttrah.pk
        assert self.muscat.district_at(*MUSCAT_POINT) == self.muscat_wilayat.pk

    def test_a_point_on_the_border_of_two_wilayats_goes_to_the_first_in_order(self) -> None:
        assert self.muscat.district_at(23.60, 58.55) == self.muttrah.pk
        District.objects.filter(pk=self.muttrah.pk).update(order=5)
        # update() sends no signal: touch the municipality as an edit in the admin would.
        self.muttrah.refresh_from_db()
        self.muttrah.save(update_fields=["order"])
        assert self.fresh_muscat().district_at(23.60, 58.55) == self.muscat_wilayat.pk

    def test_a_point_outside_every_wilayat_has_no_district(self) -> None:
        assert self.muscat.district_at(*OUTSIDE_POINT) is None
        assert self.sohar.district_at(*OUTSIDE_POINT) is None  # Sohar has no wilayats here

    def test_invalid_coordinates_are_in_no_municipality_and_no_district(self) -> None:
        for lat, lon in INVALID_POINTS:
            with self.subTest(lat=lat, lon=lon):
                assert not self.muscat.contains(lat, lon)
                assert self.muscat.district_at(lat, lon) is None
                assert Municipality.objects.containing(lat, lon) is None

    def test_it_finds_the_municipality_containing_a_point(self) -> None:
        assert Municipality.objects.containing(*MUTTRAH_POINT) == self.muscat
        assert Municipality.objects.containing(*OUTSIDE_POINT) == self.sohar
        assert Municipality.objects.containing(20.0, 50.0) is None

    def test_an_inactive_municipality_contains_nothing_any_more(self) -> None:
        Municipality.objects.filter(pk=self.sohar.pk).update(is_active=False)
        assert Municipality.objects.containing(*OUTSIDE_POINT) is None

    def test_changing_a_wilayat_boundary_updates_the_lookup(self) -> None:
        point = (23.60, 58.52)
        assert self.fresh_muscat().district_at(*point) == self.muttrah.pk  # now cached
        before = self.fresh_muscat().updated_at

        muttrah = District.objects.get(pk=self.muttrah.pk)
        muttrah.boundary = box(58.40, 23.50, 58.50, 23.70)
        muttrah.save(update_fields=["boundary"])
        muscat_wilayat = District.objects.get(pk=self.muscat_wilayat.pk)
        muscat_wilayat.boundary = box(58.50, 23.50, 58.70, 23.70)
        muscat_wilayat.save(update_fields=["boundary"])

        muscat = self.fresh_muscat()
        assert muscat.updated_at > before  # the District save touched its municipality
        assert muscat.district_at(*point) == self.muscat_wilayat.pk

    def test_deleting_a_wilayat_updates_the_lookup(self) -> None:
        assert self.fresh_muscat().district_at(*MUSCAT_POINT) == self.muscat_wilayat.pk
        District.objects.get(pk=self.muscat_wilayat.pk).delete()
        assert self.fresh_muscat().district_at(*MUSCAT_POINT) is None

    def test_adding_a_wilayat_updates_the_lookup(self) -> None:
        assert self.sohar.district_at(*OUTSIDE_POINT) is None
        sohar_wilayat = District.objects.create(
            municipality=self.sohar,
            code="sohar",
            name_ar="صحار",
            name_en="Sohar",
            boundary=box(56.60, 24.25, 56.85, 24.45),
        )
        fresh = Municipality.objects.get(pk=self.sohar.pk)
        assert fresh.district_at(*OUTSIDE_POINT) == sohar_wilayat.pk

    def test_changing_the_municipality_boundary_updates_the_lookup(self) -> None:
        muscat = self.fresh_muscat()
        assert not muscat.contains(23.6, 58.75)
        muscat.boundary = box(58.40, 23.50, 58.80, 23.70)
        muscat.save(update_fields=["boundary"])
        assert self.fresh_muscat().contains(23.6, 58.75)

    def test_it_refuses_a_boundary_that_is_not_a_valid_polygon(self) -> None:
        bowtie = {
            "type": "Polygon",
            "coordinates": [[[58.4, 23.5], [58.7, 23.7], [58.7, 23.5], [58.4, 23.7], [58.4, 23.5]]],
        }
        line = {"type": "LineString", "coordinates": [[58.4, 23.5], [58.7, 23.7]]}
        for boundary in (bowtie, line, {"type": "Polygon"}, "not json", [1, 2]):
            with self.subTest(boundary=boundary):
                district = District(
                    municipality=self.muscat, code="x", name_ar="س", name_en="X", boundary=boundary
                )
                with pytest.raises(ValidationError) as exc:
                    district.full_clean()
                assert "boundary" in exc.value.message_dict

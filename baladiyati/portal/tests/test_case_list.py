"""GET /cases: the public map and list of recent cases, with filters, without personal data."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Status
from baladiyati.testing import MUSCAT_POINT

from .support import PortalTestCase


class CaseListTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.hole = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.light = self.submit(self.streetlight, lat=MUSCAT_POINT[0], lon=MUSCAT_POINT[1])
        self.fixed = self.submit()
        do_transition_case(self.fixed, Status.FIXED, actor=self.clerk)
        self.private = self.submit(is_private=True)

    def references(self, **params: str) -> list[str]:
        response = self.client.get("/cases", params)
        self.assertEqual(response.status_code, 200)
        return [case.reference for case in response.context["page"]]

    def test_it_lists_published_cases_newest_first(self) -> None:
        refs = self.references()
        self.assertEqual(refs, [self.fixed.reference, self.light.reference, self.hole.reference])

    def test_it_filters_by_service_wilayat_and_status(self) -> None:
        self.assertEqual(self.references(service="streetlight"), [self.light.reference])
        self.assertEqual(
            self.references(district=str(self.muttrah.pk)),
            [self.fixed.reference, self.hole.reference],
        )
        self.assertEqual(
            self.references(status="open"), [self.light.reference, self.hole.reference]
        )
        self.assertEqual(self.references(status="fixed"), [self.fixed.reference])
        self.assertEqual(self.references(status="closed"), [self.fixed.reference])

    def test_each_municipality_shows_only_its_own_cases(self) -> None:
        self.assertEqual(self.references(m="sohar"), [])

    def test_the_map_gets_the_same_cases_without_personal_data(self) -> None:
        response = self.client.get("/cases")
        markers = response.context["markers"]
        self.assertEqual({m["ref"] for m in markers}, set(self.references()))
        self.assertEqual(set(markers[0]), {"lat", "lon", "kind", "ref", "service"})
        html = self.text(response)
        for detail in ("Hamad", "hamad@example.om", "99887766", "salim", self.hole.tracking_token):
            self.assertNotIn(detail, html)
        self.assertNotIn(self.private.reference, html)

    def test_it_speaks_both_languages(self) -> None:
        self.assertContains(self.client.get("/cases"), "خريطة البلاغات")
        self.english()
        response = self.client.get("/cases")
        self.assertContains(response, "Map of reports")
        self.assertContains(response, "3 reports")

    def test_it_reads_a_constant_number_of_queries(self) -> None:
        # Municipalities, wilayats, services, the count, the map's points, the page.
        with self.assertNumQueries(6):
            self.client.get("/cases")
        for _ in range(5):
            self.submit()
        with self.assertNumQueries(6):
            self.client.get("/cases?status=open")

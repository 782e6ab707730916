"""GET /report/similar: open published cases of the same service within 50 m."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Status
from baladiyati.testing import MUTTRAH_POINT

from .support import PortalTestCase


class SimilarCasesTests(PortalTestCase):
    def get(
        self, service: str = "pothole", lat: float = MUTTRAH_POINT[0], lon: float = MUTTRAH_POINT[1]
    ):  # type: ignore[no-untyped-def]
        return self.client.get(
            "/report/similar", {"m": "muscat", "service": service, "lat": lat, "lon": lon}
        )

    def test_an_open_case_nearby_is_offered_to_follow(self) -> None:
        case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        response = self.get(lat=MUTTRAH_POINT[0] + 0.0003)  # about 33 m north
        self.assertEqual(response["X-Similar-Count"], "1")
        self.assertContains(response, case.reference)
        self.assertContains(response, f'data-follow="/cases/muscat/{case.reference}/follow"')
        self.assertContains(response, "هذه مشكلتي أيضاً")
        for detail in ("Hamad", "hamad@example.om", "99887766"):
            self.assertNotContains(response, detail)

    def test_it_speaks_english_after_the_switch(self) -> None:
        self.submit()
        self.english()
        self.assertContains(self.get(), "This is my problem too")

    def test_a_case_further_than_50_m_is_not_offered(self) -> None:
        self.submit()
        response = self.get(lat=MUTTRAH_POINT[0] + 0.0006)  # about 67 m
        self.assertEqual(response["X-Similar-Count"], "0")

    def test_another_service_or_a_closed_or_private_case_is_not_offered(self) -> None:
        self.submit(self.streetlight)
        closed = self.submit()
        do_transition_case(closed, Status.FIXED, actor=self.clerk)
        self.submit(is_private=True)
        self.assertEqual(self.get()["X-Similar-Count"], "0")

    def test_a_bad_point_offers_nothing(self) -> None:
        self.submit()
        response = self.client.get(
            "/report/similar", {"m": "muscat", "service": "pothole", "lat": "x", "lon": ""}
        )
        self.assertEqual(response["X-Similar-Count"], "0")

    def test_an_unknown_service_is_not_found(self) -> None:
        self.assertEqual(self.get(service="nothing").status_code, 404)

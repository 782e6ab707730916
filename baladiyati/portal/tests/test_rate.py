"""POST /track/<token>/rate: three faces and an optional comment, once per closure."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import CaseRating, Status

from .support import PortalTestCase


class RateTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.url = f"/track/{self.case.tracking_token}/rate"

    def close(self) -> None:
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)

    def test_the_reporter_rates_a_closed_case(self) -> None:
        self.close()
        response = self.client.post(self.url, {"score": "3", "comment": "شكراً"})
        self.assertRedirects(
            response, f"/track/{self.case.tracking_token}", fetch_redirect_response=False
        )
        rating = CaseRating.objects.get()
        self.assertEqual((rating.score, rating.comment), (3, "شكراً"))
        page = self.client.get(response.url)
        self.assertContains(page, "شكراً لتقييمك")
        self.assertNotContains(page, self.url)  # once per closure

    def test_an_open_case_cannot_be_rated_in_both_languages(self) -> None:
        response = self.client.post(self.url, {"score": "2"})
        self.assertContains(response, "بعد إغلاقه", status_code=400)
        self.english()
        response = self.client.post(self.url, {"score": "2"})
        self.assertContains(response, "once it is closed", status_code=400)
        self.assertFalse(CaseRating.objects.exists())

    def test_no_face_chosen_is_refused(self) -> None:
        self.close()
        self.english()
        response = self.client.post(self.url, {"score": "", "comment": "kept"})
        self.assertContains(response, "Choose one of the three faces.", status_code=400)
        self.assertContains(response, "kept", status_code=400)
        self.assertFalse(CaseRating.objects.exists())

    def test_rating_twice_is_refused(self) -> None:
        self.close()
        self.client.post(self.url, {"score": "1"})
        self.english()
        response = self.client.post(self.url, {"score": "3"})
        self.assertContains(response, "already rated", status_code=400)
        self.assertEqual(CaseRating.objects.get().score, 1)

    def test_a_wrong_token_is_not_found(self) -> None:
        self.close()
        self.assertEqual(self.client.post("/track/wrong/rate", {"score": "3"}).status_code, 404)

"""POST /track/<token>/reopen: the reporter reopens within 14 days, with a reason."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Case, Status
from baladiyati.core import clock

from .support import PortalTestCase


class ReopenTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        self.url = f"/track/{self.case.tracking_token}/reopen"

    def test_the_reporter_reopens_with_a_reason(self) -> None:
        response = self.client.post(self.url, {"reason": "عادت الحفرة"})
        self.assertRedirects(
            response, f"/track/{self.case.tracking_token}", fetch_redirect_response=False
        )
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, Status.REOPENED)
        self.assertContains(self.client.get(response.url), "أُعيد فتح الطلب")

    def test_a_reason_is_required_in_both_languages(self) -> None:
        response = self.client.post(self.url, {"reason": " "})
        self.assertContains(response, "يرجى كتابة", status_code=400)
        self.english()
        response = self.client.post(self.url, {"reason": ""})
        self.assertContains(response, "Please write a message.", status_code=400)
        self.assertEqual(Case.objects.get().status, Status.FIXED)

    def test_after_14_days_it_cannot_be_reopened(self) -> None:
        with clock.frozen_at(clock.now() + dt.timedelta(days=15)):
            self.english()
            response = self.client.get(f"/track/{self.case.tracking_token}")
            self.assertNotContains(response, self.url)
            response = self.client.post(self.url, {"reason": "still broken"})
        self.assertContains(response, "within 14 days", status_code=400)
        self.assertEqual(Case.objects.get().status, Status.FIXED)

    def test_a_wrong_token_is_not_found(self) -> None:
        response = self.client.post("/track/wrong/reopen", {"reason": "x"})
        self.assertEqual(response.status_code, 404)

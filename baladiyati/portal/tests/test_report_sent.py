"""GET /report/sent/<token>: the confirmation with the reference and the private link."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .support import PortalTestCase


class ReportSentTests(PortalTestCase):
    def test_it_shows_the_reference_and_the_private_tracking_link(self) -> None:
        case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        response = self.client.get(f"/report/sent/{case.tracking_token}")
        self.assertContains(response, case.reference)
        self.assertContains(response, f"http://testserver/track/{case.tracking_token}")
        self.assertContains(response, "شكراً لك، أُرسل بلاغك")
        self.assertContains(response, "هـ")  # the expected date in Hijri too

    def test_it_speaks_english_after_the_switch(self) -> None:
        case = self.submit()
        self.english()
        response = self.client.get(f"/report/sent/{case.tracking_token}")
        self.assertContains(response, "Thank you, your report was sent")
        self.assertContains(response, "AH")

    def test_it_never_shows_the_contact_details(self) -> None:
        case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        response = self.client.get(f"/report/sent/{case.tracking_token}")
        for detail in ("Hamad", "hamad@example.om", "99887766"):
            self.assertNotContains(response, detail)

    def test_a_wrong_token_is_not_found(self) -> None:
        self.submit()
        self.assertEqual(self.client.get("/report/sent/wrong-token").status_code, 404)

"""GET /: the app's home."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .support import PortalTestCase


class HomeTests(PortalTestCase):
    def test_it_invites_to_report_in_arabic_by_default(self) -> None:
        response = self.client.get("/")
        self.assertContains(response, '<html lang="ar" dir="rtl"')
        self.assertContains(response, "أبلغ عن مشكلة")
        self.assertContains(response, 'href="/report"')

    def test_it_speaks_english_after_the_switch(self) -> None:
        self.english()
        self.assertContains(self.client.get("/"), "Report a problem")

    def test_it_shows_the_latest_public_reports_without_their_reporters(self) -> None:
        public = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        private = self.submit(is_private=True)
        html = self.text(self.client.get("/"))
        self.assertIn(public.reference, html)
        self.assertNotIn(private.reference, html)
        for detail in ("Hamad", "hamad@example.om", "99887766", public.tracking_token):
            self.assertNotIn(detail, html)

    def test_it_reads_a_constant_number_of_queries(self) -> None:
        for _ in range(3):
            self.submit()
        with self.assertNumQueries(2):
            self.client.get("/")

"""GET /track/<token>: the reporter's private page; the token is the only key."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Status
from baladiyati.testing import jpeg_bytes

from .support import PortalTestCase


class TrackTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit(
            actor=AnonymousUser(), contact=self.anonymous, photos=[jpeg_bytes()], is_private=True
        )
        self.url = f"/track/{self.case.tracking_token}"

    def test_the_token_opens_the_case_even_a_private_one(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, self.case.reference)
        self.assertContains(response, "الموعد المتوقع")
        self.assertContains(response, "هـ")
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertContains(response, '<meta name="robots" content="noindex">')

    def test_it_speaks_english_after_the_switch(self) -> None:
        self.english()
        self.assertContains(self.client.get(self.url), "Expected by")

    def test_a_wrong_or_missing_token_is_not_found(self) -> None:
        self.assertEqual(self.client.get("/track/not-the-token").status_code, 404)
        self.assertEqual(self.client.get("/track/" + "x" * 100).status_code, 404)
        self.assertEqual(self.client.get(f"/cases/muscat/{self.case.reference}").status_code, 404)

    def test_it_never_shows_the_contact_details(self) -> None:
        html = self.text(self.client.get(self.url))
        for detail in ("Hamad", "hamad@example.om", "99887766"):
            self.assertNotIn(detail, html)

    def test_photos_are_served_with_the_token_only(self) -> None:
        photo = self.case.photos.get()
        self.assertContains(self.client.get(self.url), f"{self.url}/photos/{photo.pk}.jpg")
        self.assertEqual(self.client.get(f"{self.url}/photos/{photo.pk}.jpg").status_code, 200)
        self.assertEqual(self.client.get(f"/track/wrong/photos/{photo.pk}.jpg").status_code, 404)

    def test_the_reopen_and_rating_forms_appear_once_closed(self) -> None:
        self.assertNotContains(self.client.get(self.url), f"{self.url}/rate")
        do_transition_case(self.case, Status.FIXED, actor=self.clerk, message="تم الإصلاح")
        response = self.client.get(self.url)
        self.assertContains(response, "تم الإصلاح")
        self.assertContains(response, f"{self.url}/rate")
        self.assertContains(response, f"{self.url}/reopen")
        self.assertContains(response, 'name="score" value="3"')

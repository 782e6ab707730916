"""GET /cases/<municipality>/<reference>: a published case, never its reporter."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_reply_to_case, do_transition_case
from baladiyati.cases.models import Status
from baladiyati.testing import jpeg_bytes

from .support import PortalTestCase


class CasePageTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit(
            actor=AnonymousUser(),
            contact=self.anonymous,
            photos=[jpeg_bytes()],
            answers={"size": "large", "depth_cm": "12"},
        )
        self.url = f"/cases/muscat/{self.case.reference}"

    def test_it_shows_the_case_its_timeline_and_expected_date_in_both_calendars(self) -> None:
        do_reply_to_case(self.case, "سنصلحها هذا الأسبوع", actor=self.clerk)
        response = self.client.get(self.url)
        self.assertContains(response, self.case.reference)
        self.assertContains(response, "حفرة في الطريق")
        self.assertContains(response, "مطرح")
        self.assertContains(response, "سنصلحها هذا الأسبوع")
        self.assertContains(response, "رد من البلدية")
        self.assertContains(response, "هـ")
        self.assertContains(response, "كبيرة")  # the answer, by its choice's name
        self.assertContains(response, "١٢")  # a number answer, in Arabic-Indic digits

    def test_it_speaks_english_after_the_switch(self) -> None:
        self.english()
        response = self.client.get(self.url)
        self.assertContains(response, "Pothole")
        self.assertContains(response, "Expected by")
        self.assertContains(response, "AH")
        self.assertContains(response, "Large")

    def test_it_never_shows_the_reporters_contact_details(self) -> None:
        html = self.text(self.client.get(self.url))
        for detail in ("Hamad", "hamad@example.om", "99887766", self.case.tracking_token):
            self.assertNotIn(detail, html)

    def test_it_offers_to_follow_an_open_case(self) -> None:
        self.assertContains(self.client.get(self.url), f"{self.url}/follow")
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        self.assertNotContains(self.client.get(self.url), f"{self.url}/follow")

    def test_its_photos_are_served_through_the_case(self) -> None:
        photo = self.case.photos.get()
        response = self.client.get(f"{self.url}/photos/{photo.pk}.jpg")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        other = self.submit()
        self.assertEqual(
            self.client.get(f"/cases/muscat/{other.reference}/photos/{photo.pk}.jpg").status_code,
            404,
        )

    def test_a_private_case_is_not_found_except_by_its_own_reporter(self) -> None:
        private = self.submit(is_private=True)
        url = f"/cases/muscat/{private.reference}"
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.citizen2)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_case_hidden_by_moderation_is_not_found(self) -> None:
        type(self.case).objects.filter(pk=self.case.pk).update(is_hidden=True)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_reference_of_another_municipality_is_not_found(self) -> None:
        self.assertEqual(self.client.get(f"/cases/sohar/{self.case.reference}").status_code, 404)

    def test_a_duplicate_points_to_the_original(self) -> None:
        duplicate = self.submit()
        do_transition_case(duplicate, Status.DUPLICATE, actor=self.clerk, duplicate_of=self.case)
        response = self.client.get(f"/cases/muscat/{duplicate.reference}")
        self.assertContains(response, f'href="{self.url}"')

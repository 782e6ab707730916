"""POST /cases/<municipality>/<reference>/follow: "this is my problem too"."""

from __future__ import annotations

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Case, CaseFollower, Status

from .support import PortalTestCase


class FollowTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit(actor=self.citizen2)
        self.url = f"/cases/muscat/{self.case.reference}/follow"

    def test_a_signed_in_citizen_follows_the_case_and_no_case_is_made(self) -> None:
        self.client.force_login(self.citizen)
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"/cases/muscat/{self.case.reference}", fetch_redirect_response=False
        )
        self.assertTrue(CaseFollower.objects.filter(case=self.case, user=self.citizen).exists())
        self.assertEqual(Case.objects.count(), 1)
        self.assertContains(self.client.get(response.url), "أنت الآن تتابع")

    def test_someone_without_an_account_may_leave_a_phone_or_an_email(self) -> None:
        self.client.post(self.url, {"contact": "99112233"})
        self.client.post(self.url, {"contact": "Neighbour@Example.om"})
        followers = CaseFollower.objects.filter(case=self.case, user=None)
        self.assertEqual(
            {(f.contact_phone, f.contact_email) for f in followers},
            {("+96899112233", ""), ("", "neighbour@example.om")},
        )

    def test_the_app_gets_json(self) -> None:
        self.english()
        response = self.client.post(self.url, headers={"Accept": "application/json"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("You now follow", response.json()["message"])
        self.assertEqual(response.json()["reference"], self.case.reference)

    def test_a_bad_contact_is_refused_in_place_in_both_languages(self) -> None:
        response = self.client.post(self.url, {"contact": "12"})
        self.assertContains(response, "رقم هاتف", status_code=400)
        self.english()
        response = self.client.post(
            self.url, {"contact": "not@valid"}, headers={"Accept": "application/json"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"]["contact"], ["Enter a valid email address."])
        self.assertEqual(CaseFollower.objects.filter(case=self.case, user=None).count(), 0)

    def test_a_closed_case_cannot_be_followed(self) -> None:
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        self.english()
        response = self.client.post(self.url)
        self.assertContains(response, "This request is closed", status_code=400)

    def test_a_private_case_is_not_found(self) -> None:
        private = self.submit(is_private=True)
        response = self.client.post(f"/cases/muscat/{private.reference}/follow")
        self.assertEqual(response.status_code, 404)

    def test_only_posts_are_accepted(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 405)

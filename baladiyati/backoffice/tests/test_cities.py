"""The municipality switcher: a member of two municipalities' staff works in one at a time,
and sees only that one's cases."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.accounts.models import Role, StaffMembership

from .support import BackofficeTestCase


class MunicipalitySwitcherTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.muscat_case = self.submit()
        self.sohar_case = self.submit(
            self.sohar_pothole, lat=24.35, lon=56.70, actor=AnonymousUser(), contact=self.anonymous
        )
        # Hilal supervises Muscat and helps out in Sohar.
        StaffMembership.objects.create(
            user=self.supervisor, municipality=self.sohar, role=Role.SUPERVISOR
        )
        self.sign_in(self.supervisor)

    def test_the_first_membership_is_the_desk_until_another_is_chosen(self) -> None:
        page = self.client.get("/backoffice/")
        self.assertContains(page, self.muscat_case.reference)
        self.assertNotContains(page, self.sohar_case.reference)
        self.assertContains(page, 'href="/backoffice/cities"')

    def test_the_page_lists_the_memberships_in_arabic_and_english(self) -> None:
        page = self.client.get("/backoffice/cities")
        self.assertContains(page, "بلدية صحار")
        self.assertContains(page, "العمل في بلدية صحار")
        self.client.cookies["baladiyati_language"] = "en"
        page = self.client.get("/backoffice/cities")
        self.assertContains(page, "Work in Sohar Municipality")
        self.assertContains(page, "Current")

    def test_switching_shows_the_other_municipality_only(self) -> None:
        response = self.client.post("/backoffice/cities", {"municipality": self.sohar.pk})
        self.assertRedirects(response, "/backoffice/", fetch_redirect_response=False)
        page = self.client.get("/backoffice/")
        self.assertContains(page, self.sohar_case.reference)
        self.assertNotContains(page, self.muscat_case.reference)
        muscat = self.client.get(f"/backoffice/cases/{self.muscat_case.reference}")
        self.assertEqual(muscat.status_code, 404)
        # And back.
        self.client.post("/backoffice/cities", {"municipality": self.muscat.pk})
        self.assertContains(self.client.get("/backoffice/"), self.muscat_case.reference)

    def test_a_municipality_without_membership_cannot_be_chosen(self) -> None:
        self.client.logout()
        self.sign_in(self.clerk)  # Muscat only
        response = self.client.post("/backoffice/cities", {"municipality": self.sohar.pk})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.post("/backoffice/cities", {}).status_code, 404)
        page = self.client.get("/backoffice/")
        self.assertContains(page, self.muscat_case.reference)
        self.assertNotContains(page, self.sohar_case.reference)

    def test_an_ended_membership_is_not_offered_and_the_desk_falls_back(self) -> None:
        self.client.post("/backoffice/cities", {"municipality": self.sohar.pk})
        StaffMembership.objects.filter(user=self.supervisor, municipality=self.sohar).update(
            is_active=False
        )
        page = self.client.get("/backoffice/")
        self.assertContains(page, self.muscat_case.reference)
        self.assertNotContains(page, self.sohar_case.reference)
        self.assertNotContains(self.client.get("/backoffice/cities"), "بلدية صحار")

    def test_it_needs_the_two_step_sign_in(self) -> None:
        self.client.logout()
        response = self.client.get("/backoffice/cities")
        self.assertTrue(response["Location"].startswith("/backoffice/login"))

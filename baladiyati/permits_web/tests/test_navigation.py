"""The way in: the back office links the permit pages for the roles that review permits,
and the citizen app's home links "my applications" and the public register."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from baladiyati.backoffice.tests.support import sign_in
from baladiyati.permits.tests.world import PermitTestCase

QUEUE = reverse("permits_review:queue")


class BackOfficeNavigationTest(PermitTestCase):
    def page(self, user, path: str, *, language: str = "ar") -> str:
        client = Client()
        sign_in(client, user)
        client.cookies["baladiyati_language"] = language
        response = client.get(path)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_permit_reviewer_finds_the_permit_pages_in_the_menu(self) -> None:
        html = self.page(self.planner, QUEUE)
        self.assertIn(f'<a href="{QUEUE}" aria-current="page">رخص البناء</a>', html)

    def test_the_link_reads_in_english_after_the_switch(self) -> None:
        html = self.page(self.planner, QUEUE, language="en")
        self.assertIn(f'<a href="{QUEUE}" aria-current="page">Building permits</a>', html)

    def test_supervisors_and_admins_see_it_from_the_inbox(self) -> None:
        for user in (self.supervisor, self.admin):
            with self.subTest(user=user.username):
                html = self.page(user, reverse("backoffice:inbox"))
                self.assertIn(f'<a href="{QUEUE}">رخص البناء</a>', html)

    def test_clerks_and_agents_do_not(self) -> None:
        for user in (self.clerk, self.agent):
            with self.subTest(user=user.username):
                html = self.page(user, reverse("backoffice:call"))
                self.assertNotIn(QUEUE, html)


class CitizenAppNavigationTest(PermitTestCase):
    def test_the_home_page_links_my_applications_and_the_register_in_arabic(self) -> None:
        html = self.client.get("/").content.decode()
        self.assertIn('href="/permits/"><strong>رخص البناء</strong>', html)
        self.assertIn('href="/permits/register"><strong>سجل الرخص</strong>', html)

    def test_and_in_english(self) -> None:
        self.client.cookies["baladiyati_language"] = "en"
        html = self.client.get("/").content.decode()
        self.assertIn('href="/permits/"><strong>Building permits</strong>', html)
        self.assertIn('href="/permits/register"><strong>Permit register</strong>', html)


class CitizenAppTabTest(PermitTestCase):
    """The permit pages mark the bottom tab they are reached from (Home's services)."""

    HOME_TAB = '<a href="/" aria-current="page">'

    def test_the_applicant_pages_mark_the_home_tab(self) -> None:
        application = self.draft()
        self.client.force_login(self.citizen)
        for path in (
            "/permits/",
            "/permits/new",
            reverse("permits_web:application", args=[application.reference]),
        ):
            with self.subTest(path=path):
                html = self.client.get(path).content.decode()
                self.assertIn(self.HOME_TAB, html)
                self.assertEqual(html.count('aria-current="page"'), 1)

    def test_the_public_register_marks_the_home_tab(self) -> None:
        html = self.client.get(reverse("permits_web:register")).content.decode()
        self.assertIn(self.HOME_TAB, html)

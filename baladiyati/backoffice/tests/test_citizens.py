"""Citizen 360: find by phone (any digits, local numbers), email or reference; one page per
citizen with their cases, followed cases, ratings and contact preferences."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.accounts.models import CitizenProfile
from baladiyati.cases.actions import do_follow_case, do_rate_case, do_transition_case
from baladiyati.cases.models import Status
from baladiyati.permits.tests.world import PermitHelpers, build_permits_world

from .support import BackofficeTestCase


class FindCitizenTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.case = self.submit()
        self.anon = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.sign_in(self.agent)

    def find(self, q: str):
        return self.client.get("/backoffice/citizens", {"q": q})

    def test_by_phone_in_every_way_people_type_it(self) -> None:
        url = f"/backoffice/citizens/{self.citizen.pk}"
        for typed in ("+96891234567", "91234567", "9123 4567", "٩١٢٣٤٥٦٧", "0096891234567"):
            with self.subTest(typed=typed):
                self.assertRedirects(self.find(typed), url)

    def test_by_email_and_by_reference(self) -> None:
        self.assertRedirects(
            self.find("SALIM@example.om"), f"/backoffice/citizens/{self.citizen.pk}"
        )
        self.assertRedirects(
            self.find(self.case.reference.lower()), f"/backoffice/cases/{self.case.reference}"
        )

    def test_someone_without_an_account_by_the_phone_they_left(self) -> None:
        response = self.find("99887766")
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertContains(page, self.anon.reference)
        self.assertContains(page, "Hamad")
        self.assertNotContains(page, self.case.reference)

    def test_nothing_found_and_nonsense_are_clear(self) -> None:
        self.assertEqual(self.find("92223333").status_code, 404)
        self.assertEqual(self.find("MCT-2026-999999").status_code, 404)
        self.assertEqual(self.find("hello").status_code, 400)
        self.assertEqual(self.client.get("/backoffice/citizens").status_code, 200)

    def test_another_municipality_finds_nothing(self) -> None:
        self.client.logout()
        self.sign_in(self.stranger)
        self.assertEqual(self.find("91234567").status_code, 404)
        self.assertEqual(self.find(self.case.reference).status_code, 404)
        self.assertEqual(
            self.client.get(f"/backoffice/citizens/{self.citizen.pk}").status_code, 404
        )


class CitizenPageTest(BackofficeTestCase):
    def test_shows_cases_followed_cases_ratings_and_preferences(self) -> None:
        mine = self.submit()
        do_transition_case(mine, Status.FIXED, actor=self.supervisor)
        do_rate_case(mine, 3, actor=self.citizen, comment="خدمة ممتازة")
        theirs = self.submit(actor=self.citizen2)
        do_follow_case(theirs, actor=self.citizen)
        CitizenProfile.objects.create(
            user=self.citizen, notify_by_sms=False, home_municipality=self.muscat
        )
        self.sign_in(self.supervisor)
        response = self.client.get(f"/backoffice/citizens/{self.citizen.pk}")
        self.assertEqual([c.pk for c in response.context["cases"]], [mine.pk])
        self.assertEqual([c.pk for c in response.context["followed"]], [theirs.pk])
        self.assertContains(response, "خدمة ممتازة")
        self.assertContains(response, "+96891234567")
        self.assertFalse(response.context["profile"].notify_by_sms)

    def test_includes_what_was_filed_with_their_number_before_the_account(self) -> None:
        earlier = self.submit(
            actor=AnonymousUser(), contact=type(self.anonymous)(phone="+96891234567")
        )
        self.submit()
        self.sign_in(self.agent)
        response = self.client.get(f"/backoffice/citizens/{self.citizen.pk}")
        self.assertIn(earlier.pk, [c.pk for c in response.context["cases"]])

    def test_a_citizen_unknown_to_the_municipality_is_404(self) -> None:
        self.sign_in(self.supervisor)
        self.assertEqual(
            self.client.get(f"/backoffice/citizens/{self.citizen2.pk}").status_code, 404
        )
        self.assertEqual(self.client.get("/backoffice/citizens/999999").status_code, 404)
        self.assertEqual(self.client.get("/backoffice/contact").status_code, 404)
        self.assertEqual(self.client.get("/backoffice/contact?phone=92223333").status_code, 404)


class CitizenPageQueriesTest(BackofficeTestCase):
    def test_the_page_costs_the_same_for_one_case_or_many(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.submit()
        self.sign_in(self.agent)
        url = f"/backoffice/citizens/{self.citizen.pk}"
        self.client.get(url)
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for _ in range(5):
            case = self.submit()
            do_transition_case(case, Status.FIXED, actor=self.supervisor)
            do_rate_case(case, 2, actor=self.citizen)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertEqual(len(response.context["cases"]), 6)
        self.assertEqual(len(one), len(many))


class CitizenPermitsTest(PermitHelpers, BackofficeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_permits_world(cls)

    def test_lists_their_permit_applications_and_knows_them_by_these_alone(self) -> None:
        application = self.draft()
        self.sign_in(self.supervisor)
        response = self.client.get(f"/backoffice/citizens/{self.citizen.pk}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([a.pk for a in response.context["permits"]], [application.pk])
        self.assertContains(response, application.reference)
        self.client.logout()
        self.sign_in(self.stranger)
        self.assertEqual(
            self.client.get(f"/backoffice/citizens/{self.citizen.pk}").status_code, 404
        )

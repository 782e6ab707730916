"""The 1111 screen: a case filed for a caller in one form, the caller's history by phone."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.models import Case, Channel

from .support import BackofficeTestCase


class CallTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.sign_in(self.agent)

    def file(self, **changes):
        data = {
            "phone": "٩٩٨٨٧٧٦٦",
            "name": "حمد",
            "service": "pothole",
            "wilayat": str(self.muttrah.pk),
            "a-pothole-size": "large",
            "description": "حفرة عند الدوار",
        }
        data.update(changes)
        return self.client.post(
            "/backoffice/call", {k: v for k, v in data.items() if v is not None}
        )

    def test_files_a_phone_case_for_a_caller_without_an_account(self) -> None:
        response = self.file()
        case = Case.objects.get()
        self.assertRedirects(
            response, f"/backoffice/cases/{case.reference}", fetch_redirect_response=False
        )
        self.assertEqual(case.channel, Channel.PHONE)
        self.assertIsNone(case.reporter)
        self.assertEqual(case.contact_phone, "+96899887766")
        self.assertEqual(case.contact_name, "حمد")
        self.assertEqual(case.district, self.muttrah)
        self.assertEqual(case.answers, {"size": "large"})

    def test_a_caller_with_an_account_becomes_the_reporter(self) -> None:
        self.file(phone="91234567")
        case = Case.objects.get()
        self.assertEqual(case.reporter, self.citizen)
        self.assertEqual(case.contact_phone, "")

    def test_a_pin_on_the_map_wins_over_the_wilayat(self) -> None:
        self.file(lat="23.6", lon="58.6")
        self.assertEqual(Case.objects.get().district, self.muscat_wilayat)

    def test_missing_or_bad_fields_are_each_explained_and_nothing_is_filed(self) -> None:
        response = self.file(phone="12", service="", wilayat="")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["errors"]), {"phone", "service_code", "location"})
        response = self.file(**{"a-pothole-size": None})
        self.assertEqual(response.status_code, 400)
        self.assertIn("attribute[size]", response.context["errors"])
        response = self.file(lat="24.35", lon="56.70")  # Sohar
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Case.objects.count(), 0)
        self.assertContains(response, "٩٩٨٨٧٧٦٦", status_code=400)  # what was typed stays

    def test_typing_the_phone_brings_up_the_callers_history(self) -> None:
        old = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        response = self.client.get("/backoffice/call/history", {"phone": "99887766"})
        self.assertContains(response, old.reference)
        response = self.client.get("/backoffice/call/history", {"phone": "9988"})
        self.assertNotContains(response, old.reference)
        # Without JavaScript: the look-up button reloads the form with the history.
        response = self.client.get("/backoffice/call", {"phone": "99887766"})
        self.assertContains(response, old.reference)

    def test_history_of_an_account_links_to_their_page(self) -> None:
        self.submit()
        response = self.client.get("/backoffice/call/history", {"phone": "+96891234567"})
        self.assertContains(response, f"/backoffice/citizens/{self.citizen.pk}")

    def test_another_municipalitys_staff_see_no_history_of_muscat_callers(self) -> None:
        old = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.client.logout()
        self.sign_in(self.stranger)
        response = self.client.get("/backoffice/call/history", {"phone": "99887766"})
        self.assertNotContains(response, old.reference)

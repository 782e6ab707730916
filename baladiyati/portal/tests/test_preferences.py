"""/settings: language and digits, kept on the device and on the citizen's account."""

from __future__ import annotations

import re

from baladiyati.accounts.models import User

from .support import PortalTestCase


class PreferencesTests(PortalTestCase):
    def test_the_language_switch_persists_in_a_cookie(self) -> None:
        response = self.client.post("/settings", {"language": "en", "next": "/report"})
        self.assertRedirects(response, "/report", fetch_redirect_response=False)
        self.assertEqual(response.cookies["baladiyati_language"].value, "en")
        self.assertContains(self.client.get("/"), '<html lang="en" dir="ltr"')
        self.client.post("/settings", {"language": "ar", "next": "/"})
        self.assertContains(self.client.get("/"), '<html lang="ar" dir="rtl"')

    def test_digits_follow_the_choice(self) -> None:
        self.submit()
        self.assertContains(self.client.get("/cases"), "٢٠٢٦")
        self.client.post("/settings", {"digits": "latn"})
        response = self.client.get("/cases")
        self.assertContains(response, "2026")
        self.assertNotContains(response, "٢٠٢٦")

    def test_both_calendars_follow_the_choice_in_either_language(self) -> None:
        case = self.submit()
        self.english()
        self.client.post("/settings", {"digits": "arab"})
        expected = self.client.get(f"/track/{case.tracking_token}").content.decode()
        expected = re.sub("<[^>]+>", "", expected.split('id="expected">', 1)[1].split("</dd>")[0])
        self.assertIn("AH", expected)
        self.assertNotRegex(expected, "[0-9]")  # Gregorian and Hijri alike: ٢٠٢٦ … ١٤٤٨ AH
        self.client.post("/settings", {"digits": "latn"})
        expected = self.client.get(f"/track/{case.tracking_token}").content.decode()
        expected = re.sub("<[^>]+>", "", expected.split('id="expected">', 1)[1].split("</dd>")[0])
        self.assertNotRegex(expected, "[٠-٩]")

    def test_a_signed_in_citizens_choice_is_kept_on_the_account(self) -> None:
        self.client.force_login(self.citizen)
        self.client.post("/settings", {"language": "en", "digits": "latn"})
        user = User.objects.get(pk=self.citizen.pk)
        self.assertEqual((user.preferred_language, user.digit_preference), ("en", "latn"))

    def test_unknown_values_are_ignored_and_next_stays_on_the_site(self) -> None:
        response = self.client.post(
            "/settings", {"language": "fr", "digits": "roman", "next": "https://evil.example/"}
        )
        self.assertRedirects(response, "/settings", fetch_redirect_response=False)
        self.assertNotIn("baladiyati_language", response.cookies)

    def test_the_page_shows_the_choices(self) -> None:
        response = self.client.get("/settings")
        self.assertContains(response, 'name="language" value="ar" checked')
        self.assertContains(response, 'name="digits" value="arab" checked')
        self.english()
        self.assertContains(self.client.get("/settings"), 'name="digits" value="latn" checked')

    def test_a_signed_in_citizen_who_never_chose_gets_the_digits_of_the_page_language(self) -> None:
        self.submit()
        self.client.force_login(self.citizen)
        self.assertEqual(User.objects.get(pk=self.citizen.pk).digit_preference, "")
        self.assertContains(self.client.get("/cases"), "٢٠٢٦")
        self.english()
        response = self.client.get("/cases")
        self.assertContains(response, "2026")
        self.assertNotContains(response, "٢٠٢٦")
        self.assertContains(self.client.get("/settings"), 'name="digits" value="latn" checked')

    def test_an_explicit_choice_on_the_account_wins_over_the_language(self) -> None:
        self.submit()
        User.objects.filter(pk=self.citizen.pk).update(digit_preference="arab")
        self.client.force_login(self.citizen)
        self.english()
        self.assertContains(self.client.get("/cases"), "٢٠٢٦")

from django.conf import settings
from django.test import TestCase

from baladiyati.accounts.models import User
from baladiyati.testing import verified_login


class ArabicFirstLanguageTests(TestCase):
    def test_pages_open_in_arabic_whatever_the_browser_asks(self) -> None:
        response = self.client.get("/backoffice/login", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertEqual(response["Content-Language"], "ar")
        self.assertContains(response, 'lang="ar" dir="rtl"')

    def test_the_language_switch_persists_in_a_cookie(self) -> None:
        response = self.client.post(
            "/i18n/setlang/", {"language": "en", "next": "/backoffice/login"}
        )
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")
        response = self.client.get("/backoffice/login")
        self.assertEqual(response["Content-Language"], "en")
        self.assertContains(response, 'lang="en" dir="ltr"')

    def test_a_signed_in_users_preference_is_used_without_a_cookie(self) -> None:
        user = User.objects.create_user(
            "eng", password="password", is_staff=True, is_superuser=True, preferred_language="en"
        )
        verified_login(self.client, user)
        response = self.client.get("/admin/")
        self.assertEqual(response["Content-Language"], "en")

    def test_an_unknown_cookie_value_falls_back_to_arabic(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
        response = self.client.get("/backoffice/login")
        self.assertEqual(response["Content-Language"], "ar")

"""/signin and /signin/code: signing in with a one-time code to a phone or an email."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail

from baladiyati.accounts.models import User
from baladiyati.core import clock
from baladiyati.notify import sms

from .support import PortalTestCase


class SignInTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        sms.outbox.clear()

    def ask(self, destination: str, **extra: str):  # type: ignore[no-untyped-def]
        # The code leaves after the commit (accounts.actions): run those callbacks.
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/signin", {"destination": destination, **extra})

    def code_sent(self) -> str:
        text = sms.outbox[-1].text if sms.outbox else mail.outbox[-1].body
        found = re.search(r"\d{6}", text)
        assert found is not None
        return found.group()

    def test_a_code_by_sms_signs_the_citizen_in_and_goes_back(self) -> None:
        response = self.ask("9123 4567", next="/report")
        self.assertRedirects(response, "/signin/code")
        self.assertEqual(sms.outbox[-1].to, "+96891234567")
        page = self.client.get("/signin/code")
        self.assertContains(page, "+968•••••567")
        response = self.client.post("/signin/code", {"code": self.code_sent()})
        self.assertRedirects(response, "/report", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.citizen.pk)

    def test_a_code_by_email_makes_an_account_on_first_use(self) -> None:
        self.english()
        self.ask("new@example.om")
        self.assertIn("sign-in code", mail.outbox[-1].subject)
        response = self.client.post("/signin/code", {"code": self.code_sent()})
        self.assertRedirects(response, "/requests", fetch_redirect_response=False)
        user = User.objects.get(email="new@example.om")
        self.assertEqual(user.preferred_language, "en")
        # Not chosen: digits follow the language read, so Western in English.
        self.assertEqual(user.digit_preference, "")
        page = self.client.get("/requests").content.decode()
        self.assertNotRegex(page, "[٠-٩]")

    def test_arabic_indic_digits_are_accepted_in_the_code(self) -> None:
        self.ask("+96891234567")
        code = self.code_sent().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        response = self.client.post("/signin/code", {"code": code})
        self.assertEqual(response.status_code, 302)

    def test_a_wrong_code_is_refused_in_place_in_both_languages(self) -> None:
        self.ask("+96891234567")
        wrong = "000000" if self.code_sent() != "000000" else "111111"
        response = self.client.post("/signin/code", {"code": wrong})
        self.assertContains(response, "الرمز خاطئ أو منتهي الصلاحية", status_code=400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.english()
        response = self.client.post("/signin/code", {"code": wrong})
        self.assertContains(response, "The code is wrong or has expired.", status_code=400)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_expired_code_is_refused(self) -> None:
        self.ask("+96891234567")
        code = self.code_sent()
        with clock.frozen_at(clock.now() + dt.timedelta(minutes=11)):
            self.english()
            response = self.client.post("/signin/code", {"code": code})
        self.assertContains(response, "The code is wrong or has expired.", status_code=400)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_bad_phone_or_email_is_refused_in_place(self) -> None:
        response = self.ask("12")
        self.assertContains(response, "رقم هاتف", status_code=400)
        self.english()
        response = self.ask("not@an@email")
        self.assertContains(response, "Enter a valid email address.", status_code=400)
        self.assertEqual(sms.outbox, [])

    def test_asking_again_too_soon_is_refused(self) -> None:
        self.ask("+96891234567")
        self.english()
        response = self.client.post("/signin/code", {"resend": "1"})
        self.assertContains(response, "Please wait 30 seconds", status_code=400)

    def test_the_code_page_without_a_pending_sign_in_goes_back(self) -> None:
        self.assertRedirects(self.client.get("/signin/code"), "/signin")

    def test_next_never_leaves_the_site(self) -> None:
        self.ask("+96891234567", next="https://evil.example/")
        response = self.client.post("/signin/code", {"code": self.code_sent()})
        self.assertRedirects(response, "/requests", fetch_redirect_response=False)

    def test_signing_out(self) -> None:
        self.client.force_login(self.citizen)
        self.assertRedirects(self.client.post("/signout"), "/")
        self.assertNotIn("_auth_user_id", self.client.session)

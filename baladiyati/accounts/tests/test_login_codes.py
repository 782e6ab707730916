"""do_request_login_code and do_verify_login_code: one-time-code sign-in for citizens."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase

from baladiyati.accounts.actions import (
    MAX_ATTEMPTS,
    do_request_login_code,
    do_verify_login_code,
)
from baladiyati.accounts.models import CitizenProfile, OneTimeCode, User
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.notify import sms

T0 = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)


def last_code() -> str:
    match = re.search(r"\d{6}", sms.outbox[-1].text)
    assert match is not None
    return match.group(0)


class LoginCodeTests(TestCase):
    def setUp(self) -> None:
        sms.outbox.clear()

    def request(self, destination: str = "9123 4567", at: dt.datetime = T0, **kw: str) -> None:
        with clock.frozen_at(at), self.captureOnCommitCallbacks(execute=True):
            do_request_login_code(destination, **kw)

    def verify(
        self, code: str, destination: str = "+96891234567", at: dt.datetime = T0, **kw: str
    ) -> User:
        with clock.frozen_at(at):
            return do_verify_login_code(destination, code, **kw)

    def test_a_code_goes_by_sms_in_arabic_and_signs_up_a_new_citizen(self) -> None:
        self.request()
        self.assertEqual(sms.outbox[-1].to, "+96891234567")
        self.assertIn("بلديتي", sms.outbox[-1].text)
        user = self.verify(last_code())
        self.assertEqual(user.phone, "+96891234567")
        self.assertFalse(user.has_usable_password())
        self.assertTrue(CitizenProfile.objects.filter(user=user).exists())
        self.assertTrue(AuditEvent.objects.filter(action="account.signed_up").exists())

    def test_the_code_is_stored_only_as_a_hash(self) -> None:
        self.request()
        stored = OneTimeCode.objects.get()
        self.assertNotIn(last_code(), stored.code_hash)

    def test_a_known_phone_signs_in_to_the_same_account(self) -> None:
        existing = User.objects.create_user("salim", phone="+96891234567")
        self.request()
        self.assertEqual(self.verify(last_code()), existing)

    def test_a_code_can_go_by_email_in_english(self) -> None:
        self.request("Salim@Example.OM", language="en")
        self.assertEqual(mail.outbox[-1].to, ["salim@example.om"])
        code = re.search(r"\d{6}", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
        self.assertIn("Your Baladiyati code", mail.outbox[-1].body)
        user = self.verify(code, "salim@example.om", language="en")
        self.assertEqual(user.email, "salim@example.om")
        self.assertEqual(user.preferred_language, "en")

    def test_arabic_indic_digits_are_accepted(self) -> None:
        self.request()
        code = last_code().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        self.assertEqual(self.verify(code).phone, "+96891234567")

    def test_a_wrong_code_is_refused_and_counted(self) -> None:
        self.request()
        good = last_code()
        bad = "000000" if good != "000000" else "111111"
        with self.assertRaises(ValidationError) as caught:
            self.verify(bad)
        self.assertEqual(caught.exception.code, "wrong_code")
        self.assertEqual(OneTimeCode.objects.get().attempts, 1)
        self.assertEqual(self.verify(good).phone, "+96891234567")

    def test_too_many_wrong_codes_lock_the_code(self) -> None:
        self.request()
        good = last_code()
        bad = "000000" if good != "000000" else "111111"
        for _ in range(MAX_ATTEMPTS):
            with self.assertRaises(ValidationError):
                self.verify(bad)
        with self.assertRaises(ValidationError) as caught:
            self.verify(good)
        self.assertEqual(caught.exception.code, "too_many_attempts")
        self.assertFalse(User.objects.exists())

    def test_an_expired_code_is_refused(self) -> None:
        self.request()
        with self.assertRaises(ValidationError):
            self.verify(last_code(), at=T0 + dt.timedelta(minutes=11))

    def test_a_code_works_once(self) -> None:
        self.request()
        code = last_code()
        self.verify(code)
        with self.assertRaises(ValidationError):
            self.verify(code)

    def test_asking_again_too_soon_is_refused_and_a_new_code_replaces_the_old(self) -> None:
        self.request()
        first = last_code()
        with self.assertRaises(ValidationError) as caught:
            self.request(at=T0 + dt.timedelta(seconds=5))
        self.assertEqual(caught.exception.code, "too_soon")
        self.request(at=T0 + dt.timedelta(seconds=40))
        second = last_code()
        if first != second:
            with self.assertRaises(ValidationError):
                self.verify(first, at=T0 + dt.timedelta(seconds=50))
        self.verify(second, at=T0 + dt.timedelta(seconds=50))

    def test_at_most_five_codes_an_hour(self) -> None:
        for i in range(5):
            self.request(at=T0 + dt.timedelta(minutes=i))
        with self.assertRaises(ValidationError) as caught:
            self.request(at=T0 + dt.timedelta(minutes=6))
        self.assertEqual(caught.exception.code, "too_many_codes")

    def test_an_invalid_destination_is_refused_and_nothing_is_sent(self) -> None:
        for bad in ["12", "not-an-email@", ""]:
            with self.subTest(bad), self.assertRaises(ValidationError):
                self.request(bad)
        self.assertEqual(sms.outbox, [])
        self.assertFalse(OneTimeCode.objects.exists())

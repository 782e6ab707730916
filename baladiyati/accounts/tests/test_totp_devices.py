"""Staff TOTP devices: enrolment starts one unconfirmed device, a right code confirms it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.accounts.actions import do_confirm_totp_device, do_start_totp_enrolment
from baladiyati.core.models import AuditEvent
from baladiyati.core.text import to_arabic_digits
from baladiyati.testing import BaseTestCase


def code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class StartTotpEnrolmentTest(BaseTestCase):
    def test_it_creates_one_unconfirmed_device_and_audits_it(self) -> None:
        device = do_start_totp_enrolment(self.clerk, actor=self.clerk)
        self.assertFalse(device.confirmed)
        self.assertEqual(device.user, self.clerk)
        event = AuditEvent.objects.get(action="account.totp_enrolment_started")
        self.assertEqual(event.object_id, str(self.clerk.pk))

    def test_it_returns_the_same_device_until_it_is_confirmed(self) -> None:
        first = do_start_totp_enrolment(self.clerk, actor=self.clerk)
        second = do_start_totp_enrolment(self.clerk, actor=self.clerk)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(TOTPDevice.objects.filter(user=self.clerk).count(), 1)
        self.assertEqual(AuditEvent.objects.filter(action__startswith="account.totp").count(), 1)

    def test_it_refuses_an_account_that_is_already_enrolled(self) -> None:
        TOTPDevice.objects.create(user=self.clerk, name="phone", confirmed=True)
        with self.assertRaises(ValidationError) as caught:
            do_start_totp_enrolment(self.clerk, actor=self.clerk)
        self.assertEqual(caught.exception.code, "already_enrolled")
        self.assertEqual(TOTPDevice.objects.filter(user=self.clerk).count(), 1)

    def test_nobody_else_may_start_it(self) -> None:
        with self.assertRaises(PermissionDenied):
            do_start_totp_enrolment(self.clerk, actor=self.supervisor)
        self.assertFalse(TOTPDevice.objects.filter(user=self.clerk).exists())


class ConfirmTotpDeviceTest(BaseTestCase):
    def test_a_right_code_confirms_the_device_and_is_audited(self) -> None:
        device = do_start_totp_enrolment(self.clerk, actor=self.clerk)
        do_confirm_totp_device(device, code_now(device), actor=self.clerk)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertTrue(AuditEvent.objects.filter(action="account.totp_confirmed").exists())

    def test_arabic_indic_digits_and_spaces_are_accepted(self) -> None:
        device = do_start_totp_enrolment(self.clerk, actor=self.clerk)
        code = to_arabic_digits(code_now(device))
        do_confirm_totp_device(device, f"{code[:3]} {code[3:]}", actor=self.clerk)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)

    def test_a_wrong_code_confirms_nothing(self) -> None:
        device = do_start_totp_enrolment(self.clerk, actor=self.clerk)
        wrong = "000000" if code_now(device) != "000000" else "111111"
        with self.assertRaises(ValidationError) as caught:
            do_confirm_totp_device(device, wrong, actor=self.clerk)
        self.assertEqual(caught.exception.code, "wrong_code")
        device.refresh_from_db()
        self.assertFalse(device.confirmed)
        self.assertFalse(AuditEvent.objects.filter(action="account.totp_confirmed").exists())

    def test_other_unconfirmed_devices_of_the_user_go(self) -> None:
        stale = TOTPDevice.objects.create(user=self.clerk, name="old", confirmed=False)
        device = TOTPDevice.objects.create(user=self.clerk, name="new", confirmed=False)
        do_confirm_totp_device(device, code_now(device), actor=self.clerk)
        self.assertFalse(TOTPDevice.objects.filter(pk=stale.pk).exists())

    def test_nobody_else_may_confirm_it(self) -> None:
        device = do_start_totp_enrolment(self.clerk, actor=self.clerk)
        with self.assertRaises(PermissionDenied):
            do_confirm_totp_device(device, code_now(device), actor=self.supervisor)
        device.refresh_from_db()
        self.assertFalse(device.confirmed)

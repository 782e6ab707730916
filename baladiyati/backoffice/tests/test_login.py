"""Staff sign-in: password, then a TOTP code; enrolment with a QR code; lock-out; sign-out."""

from __future__ import annotations

import time
from unittest import mock

from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.core.text import to_arabic_digits

from .support import BackofficeTestCase, device_for, totp_now

LOGIN = "/backoffice/login"


class LoginTest(BackofficeTestCase):
    def password(self, username: str = "khalid", password: str = "password", **extra: str):
        return self.client.post(LOGIN, {"username": username, "password": password, **extra})

    def test_a_member_with_a_device_is_asked_for_the_code_and_then_signed_in(self) -> None:
        device = device_for(self.clerk)
        response = self.password(next="/backoffice/call")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/backoffice/login/code"))
        # Not signed in yet: the password alone opens nothing.
        self.assertEqual(self.client.get("/backoffice/").status_code, 302)
        page = self.client.get(response["Location"])
        self.assertContains(page, "رمز الدخول")
        response = self.client.post(response["Location"], {"code": totp_now(device)})
        self.assertRedirects(response, "/backoffice/call", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/backoffice/").status_code, 200)

    def test_the_code_may_be_typed_in_arabic_indic_digits(self) -> None:
        device = device_for(self.clerk)
        self.password()
        code = to_arabic_digits(totp_now(device))
        response = self.client.post("/backoffice/login/code", {"code": f"{code[:3]} {code[3:]}"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/backoffice/").status_code, 200)

    def test_a_wrong_code_is_refused_with_a_translated_error(self) -> None:
        device_for(self.clerk)
        self.password()
        response = self.client.post("/backoffice/login/code", {"code": "000000"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "الرمز غير صحيح", status_code=400)
        self.assertEqual(self.client.get("/backoffice/").status_code, 302)

    def test_first_sign_in_enrols_a_device_with_a_qr_code_and_the_key(self) -> None:
        response = self.password()
        self.assertTrue(response["Location"].startswith("/backoffice/login/enrol"))
        page = self.client.get(response["Location"])
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.clerk)
        self.assertFalse(device.confirmed)
        self.assertContains(page, page.context["secret"])
        # The same device (and QR) until it is confirmed.
        self.client.get(response["Location"])
        self.assertEqual(TOTPDevice.objects.filter(user=self.clerk).count(), 1)
        response = self.client.post("/backoffice/login/enrol", {"code": totp_now(device)})
        self.assertEqual(response.status_code, 302)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get("/backoffice/").status_code, 200)

    def test_after_enrolment_the_code_step_is_required(self) -> None:
        device_for(self.clerk)
        self.password()
        self.assertEqual(
            self.client.get("/backoffice/login/enrol")["Location"][:22], "/backoffice/login/code"
        )

    def test_the_code_step_needs_the_password_step_first(self) -> None:
        response = self.client.get("/backoffice/login/code")
        self.assertTrue(response["Location"].startswith(LOGIN))

    def test_the_password_step_expires(self) -> None:
        device = device_for(self.clerk)
        self.password()
        with mock.patch(
            "baladiyati.backoffice.views.auth.time.time", return_value=time.time() + 600
        ):
            response = self.client.post("/backoffice/login/code", {"code": totp_now(device)})
        self.assertTrue(response["Location"].startswith(LOGIN))
        self.assertEqual(self.client.get("/backoffice/").status_code, 302)

    def test_a_wrong_password_is_refused(self) -> None:
        response = self.password(password="nope")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "اسم المستخدم أو كلمة المرور غير صحيحة", status_code=400)

    def test_an_account_without_staff_membership_cannot_go_on(self) -> None:
        response = self.password(username="salim")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "لا يملك هذا الحساب صلاحية", status_code=400)

    def test_empty_fields_are_refused(self) -> None:
        self.assertEqual(self.client.post(LOGIN, {}).status_code, 400)

    @override_settings(LANGUAGE_CODE="ar")
    def test_repeated_wrong_passwords_lock_the_name_out(self) -> None:
        for _ in range(5):
            self.password(password="nope")
        response = self.password()  # even the right password
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "محاولات كثيرة", status_code=429)
        self.assertNotIn("backoffice_pending", self.client.session)

    def test_the_lock_out_page_is_in_english_for_english_readers(self) -> None:
        self.client.cookies["baladiyati_language"] = "en"
        for _ in range(5):
            self.password(password="nope")
        response = self.password()
        self.assertContains(response, "Too many attempts", status_code=429)

    def test_repeated_wrong_codes_lock_out_too(self) -> None:
        device = device_for(self.clerk)
        self.password()
        for _ in range(4):
            self.assertEqual(
                self.client.post("/backoffice/login/code", {"code": "000000"}).status_code, 400
            )
        response = self.client.post("/backoffice/login/code", {"code": "000000"})
        self.assertEqual(response.status_code, 429)
        # Locked: the password and a right code no longer work.
        self.assertEqual(self.password().status_code, 429)
        self.client.post("/backoffice/login/code", {"code": totp_now(device)})
        self.assertEqual(self.client.get("/backoffice/").status_code, 302)

    def test_another_name_is_not_locked_out(self) -> None:
        for _ in range(5):
            self.password(password="nope")
        self.assertEqual(self.password(username="hilal").status_code, 302)

    def test_an_outside_next_address_is_ignored(self) -> None:
        device = device_for(self.clerk)
        self.password(next="https://evil.example/")
        response = self.client.post("/backoffice/login/code", {"code": totp_now(device)})
        self.assertEqual(response["Location"], "/backoffice/")

    def test_sign_out(self) -> None:
        self.sign_in(self.clerk)
        self.assertEqual(self.client.get("/backoffice/").status_code, 200)
        self.assertEqual(self.client.get("/backoffice/logout").status_code, 405)
        self.client.post("/backoffice/logout")
        self.assertEqual(self.client.get("/backoffice/").status_code, 302)

    def test_the_django_admin_signs_in_here_so_the_lock_out_covers_it(self) -> None:
        response = self.client.get("/admin/login/?next=/admin/")
        self.assertEqual(response["Location"], "/backoffice/login?next=%2Fadmin%2F")
        for _ in range(5):
            self.password(username="ahmed", password="nope", next="/admin/")
        response = self.password(username="ahmed", next="/admin/")
        self.assertEqual(response.status_code, 429)

    def test_authenticating_without_a_request_still_works_for_code(self) -> None:
        # No client address to lock: the lock-out backend steps aside (test client's login()).
        self.assertTrue(self.client.login(username="khalid", password="password"))

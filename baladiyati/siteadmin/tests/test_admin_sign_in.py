"""The Django admin asks for the password *and* a TOTP code: its sign-in is the back office's."""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.accounts.models import User
from baladiyati.testing import BaseTestCase, verified_login


def code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class AdminSignInTest(BaseTestCase):
    def setUp(self) -> None:
        self.root = User.objects.create_superuser("root", "root@example.om", "password")

    def test_the_password_alone_opens_nothing(self) -> None:
        self.client.force_login(self.root)  # a session without a verified device
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/admin/login/"))
        response = self.client.get("/admin/cities/service/")
        self.assertEqual(response.status_code, 302)

    def test_the_admin_login_sends_to_the_two_step_sign_in(self) -> None:
        response = self.client.get("/admin/login/?next=/admin/cities/service/")
        self.assertRedirects(
            response,
            "/backoffice/login?next=%2Fadmin%2Fcities%2Fservice%2F",
            fetch_redirect_response=False,
        )
        response = self.client.get("/admin/login/?next=https://evil.example/")
        self.assertEqual(response["Location"], "/backoffice/login?next=%2Fadmin%2F")

    def test_a_superuser_signs_in_with_password_and_code_and_lands_in_the_admin(self) -> None:
        device = TOTPDevice.objects.create(user=self.root, name="phone", confirmed=True)
        response = self.client.post(
            "/backoffice/login", {"username": "root", "password": "password", "next": "/admin/"}
        )
        self.assertTrue(response["Location"].startswith("/backoffice/login/code"))
        self.assertEqual(self.client.get("/admin/").status_code, 302)
        response = self.client.post(response["Location"], {"code": code_now(device)})
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/admin/"), "إدارة بلديتي")

    def test_without_a_next_address_someone_with_no_desk_lands_in_the_admin(self) -> None:
        device = TOTPDevice.objects.create(user=self.root, name="phone", confirmed=True)
        self.client.post("/backoffice/login", {"username": "root", "password": "password"})
        response = self.client.post("/backoffice/login/code", {"code": code_now(device)})
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_a_new_superuser_enrols_an_authenticator_app_on_the_first_sign_in(self) -> None:
        response = self.client.post(
            "/backoffice/login", {"username": "root", "password": "password", "next": "/admin/"}
        )
        self.assertTrue(response["Location"].startswith("/backoffice/login/enrol"))
        self.assertContains(self.client.get(response["Location"]), "<svg")
        device = TOTPDevice.objects.get(user=self.root)
        response = self.client.post("/backoffice/login/enrol", {"code": code_now(device)})
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_a_wrong_code_keeps_the_admin_closed(self) -> None:
        device = TOTPDevice.objects.create(user=self.root, name="phone", confirmed=True)
        self.client.post("/backoffice/login", {"username": "root", "password": "password"})
        wrong = "000000" if code_now(device) != "000000" else "111111"
        response = self.client.post("/backoffice/login/code", {"code": wrong})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_verified_staff_without_admin_rights_are_refused_not_looped(self) -> None:
        verified_login(self.client, self.stranger)  # staff status, supervisor role elsewhere
        self.assertEqual(self.client.get("/admin/cities/service/").status_code, 403)
        self.assertRedirects(self.client.get("/admin/login/"), "/admin/")
        self.assertNotContains(self.client.get("/admin/"), "/admin/cities/service/")
        verified_login(self.client, self.clerk)  # no staff status
        response = self.client.get("/admin/")
        self.assertTrue(response["Location"].startswith("/admin/login/"))
        self.assertEqual(self.client.get("/admin/login/").status_code, 403)

    def test_a_citizen_cannot_pass_the_password_step(self) -> None:
        response = self.client.post(
            "/backoffice/login", {"username": "salim", "password": "password", "next": "/admin/"}
        )
        self.assertEqual(response.status_code, 400)

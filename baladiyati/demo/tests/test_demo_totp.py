"""The demo staff's back-office two-step sign-in: a published TOTP key, and `demo_totp`."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.demo import data
from baladiyati.demo.seed import demo_totp_key


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


class DemoTotpTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.seeded = run("seed_demo", "--demo-cases", "0")

    def test_every_demo_staff_member_has_the_published_key(self) -> None:
        staff = [row[0] for rows in data.STAFF.values() for row in rows]
        devices = TOTPDevice.objects.filter(user__username__in=staff, confirmed=True)
        self.assertEqual(sorted(d.user.username for d in devices), sorted(staff))
        self.assertEqual({d.key for d in devices}, {demo_totp_key()})
        self.assertIn(data.DEMO_TOTP_SECRET, self.seeded)
        self.assertIn("demo_totp", self.seeded)

    def test_the_demo_superuser_signs_in_to_the_admin_with_the_published_key(self) -> None:
        username = data.SUPERUSER[0]
        code = run("demo_totp", username).strip()
        response = self.client.post(
            "/backoffice/login",
            {"username": username, "password": data.DEMO_PASSWORD, "next": "/admin/"},
        )
        self.assertTrue(response["Location"].startswith("/backoffice/login/code"))
        response = self.client.post("/backoffice/login/code", {"code": code})
        self.assertEqual(response["Location"], "/admin/")
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_seeding_again_adds_no_second_device(self) -> None:
        run("seed_demo", "--demo-cases", "0")
        self.assertEqual(TOTPDevice.objects.filter(user__username="khalid").count(), 1)

    def test_demo_totp_prints_the_code_the_back_office_accepts(self) -> None:
        code = run("demo_totp", "khalid").strip()
        device = TOTPDevice.objects.get(user__username="khalid")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.assertEqual(code, f"{totp.token():06d}")
        self.assertTrue(device.verify_token(code))

    def test_demo_totp_refuses_a_device_with_a_persons_own_key(self) -> None:
        TOTPDevice.objects.filter(user__username="khalid").update(key="ab" * 20)
        with self.assertRaises(CommandError):
            run("demo_totp", "khalid")
        with self.assertRaises(CommandError):
            run("demo_totp", "nobody")

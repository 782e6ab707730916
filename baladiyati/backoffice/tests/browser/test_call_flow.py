"""A 1111 agent files a case for a caller, in English: typing the number brings up the
caller's history (fetched as they type), then service, its question, wilayat and description."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.cases.actions import Contact, do_submit_case
from baladiyati.cases.models import Case, Channel
from baladiyati.testing import MUTTRAH_POINT

from ..support import totp_now
from .base import DesktopBrowserTestCase


class AgentFilesForACallerTest(DesktopBrowserTestCase):
    language = "en"

    def build(self) -> None:
        super().build()
        self.device = TOTPDevice.objects.create(user=self.agent, name="phone", confirmed=True)
        self.earlier = do_submit_case(
            municipality=self.muscat,
            service_code="pothole",
            lat=MUTTRAH_POINT[0],
            lon=MUTTRAH_POINT[1],
            channel=Channel.APP,
            answers={"size": "small"},
            actor=AnonymousUser(),
            contact=Contact(name="Hamad", phone="+96899887766"),
        )

    def test_the_callers_history_appears_as_the_number_is_typed(self) -> None:
        page = self.page
        self.context.add_cookies(
            [{"name": "baladiyati_language", "value": "en", "url": self.live_server_url}]
        )
        page.goto(self.url("/backoffice/login?next=/backoffice/call"))
        page.get_by_label("User name").fill("fatma")
        page.get_by_label("Password").fill("password")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Code").fill(totp_now(self.device))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("h1:has-text('New request from a caller')")
        self.assertEqual(page.locator("html").get_attribute("dir"), "ltr")

        page.get_by_label("Caller's phone").press_sequentially("9988 7766")
        page.wait_for_selector(f"#caller-history:has-text('{self.earlier.reference}')")
        self.shot("history")
        page.get_by_label("Service").select_option("pothole")
        page.get_by_label("Large").check()
        page.get_by_label("Wilayat").select_option(str(self.muttrah.pk))
        page.get_by_label("What the caller says").fill("The same hole is bigger now")
        self.shot("form")
        page.get_by_role("button", name="File the request").click()
        page.wait_for_selector(".messages:has-text('filed for the caller')")
        self.shot("filed")

        case = Case.objects.exclude(pk=self.earlier.pk).get()
        self.assertEqual(case.channel, Channel.PHONE)
        self.assertEqual(case.contact_phone, "+96899887766")
        self.assertEqual(case.answers, {"size": "large"})
        self.assertEqual(case.district, self.muttrah)

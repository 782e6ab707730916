"""A roads clerk works a case in Arabic: sign-in with password and TOTP code, the inbox,
the case page (acknowledge, reply, fixed), all through the real pages."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.cases.actions import do_submit_case
from baladiyati.cases.models import Channel, Status
from baladiyati.core.models import AuditEvent
from baladiyati.testing import MUTTRAH_POINT

from ..support import totp_now
from .base import DesktopBrowserTestCase


class ClerkWorksACaseTest(DesktopBrowserTestCase):
    def build(self) -> None:
        super().build()
        self.device = TOTPDevice.objects.create(user=self.clerk, name="phone", confirmed=True)
        self.case = do_submit_case(
            municipality=self.muscat,
            service_code="pothole",
            lat=MUTTRAH_POINT[0],
            lon=MUTTRAH_POINT[1],
            channel=Channel.APP,
            description="حفرة كبيرة أمام المسجد",
            answers={"size": "large"},
            actor=self.citizen,
        )

    def test_from_sign_in_to_closure_in_arabic(self) -> None:
        page = self.page
        page.goto(self.url("/backoffice/"))
        self.assertEqual(page.locator("html").get_attribute("dir"), "rtl")
        page.get_by_label("اسم المستخدم").fill("khalid")
        page.get_by_label("كلمة المرور").fill("password")
        self.shot("password")
        page.get_by_role("button", name="متابعة").click()
        page.get_by_label("الرمز").fill(totp_now(self.device))
        self.shot("code")
        page.get_by_role("button", name="دخول").click()

        page.wait_for_selector("h1:has-text('الوارد')")
        self.shot("inbox")
        page.keyboard.press("/")
        page.keyboard.type("مسجد")
        page.keyboard.press("Enter")
        page.wait_for_url("**q=*")
        self.assertEqual(page.locator("#cases tbody tr[data-row]").count(), 1)
        page.keyboard.press("j")
        page.keyboard.press("o")
        page.wait_for_selector(f"h1:has-text('{self.case.reference}')")
        page.wait_for_selector(".leaflet-container")
        self.shot("case")

        page.get_by_label("انقل إلى").select_option("acknowledged")
        page.get_by_role("button", name="تغيير الحالة").click()
        page.wait_for_selector(".messages:has-text('تغيّرت الحالة')")
        page.get_by_label("رسالة إلى المواطن").fill("سيصل فريق الصيانة غداً صباحاً")
        page.get_by_role("button", name="نشر الرد").click()
        page.wait_for_selector("#timeline:has-text('سيصل فريق الصيانة')")
        self.shot("replied")
        page.get_by_label("انقل إلى").select_option("fixed")
        page.get_by_label("رسالة علنية (اختياري)").first.fill("تم ردم الحفرة")
        page.get_by_role("button", name="تغيير الحالة").click()
        page.wait_for_selector("#case-status:has-text('تمت المعالجة')")
        self.shot("fixed")

        self.case.refresh_from_db()
        self.assertEqual(self.case.status, Status.FIXED)
        actions = list(
            AuditEvent.objects.filter(object_id=str(self.case.pk), actor=self.clerk)
            .order_by("id")
            .values_list("action", flat=True)
        )
        self.assertEqual(actions, ["case.acknowledged", "case.replied", "case.fixed"])
        page.reload()
        self.assertGreaterEqual(page.locator("#audit tbody tr").count(), 4)
        trail = page.locator("#audit").inner_text()
        self.assertIn("نُشر رد علني", trail)  # actions by their Arabic labels, not codes
        self.assertNotIn("case.", trail)

"""Signing in with a one-time code in the middle of a report: the report written so far,
photos included (kept in IndexedDB on the phone), comes back after the sign-in, and is filed
in the citizen's name. In English and in Arabic."""

from __future__ import annotations

import re

from baladiyati.cases.models import Case
from baladiyati.notify import sms
from baladiyati.testing import MUSCAT_POINT, jpeg_bytes

from .base import BrowserTestCase


class SignInDuringReportTests(BrowserTestCase):
    language = "en"
    geolocation = {"lat": MUSCAT_POINT[0], "lon": MUSCAT_POINT[1]}
    wrong_code_says = "wrong or has expired"
    wilayat = "muscat_wilayat"  # where the phone's location is

    def test_a_citizen_signs_in_with_a_code_and_the_report_and_its_photos_are_kept(self) -> None:
        sms.outbox.clear()
        page = self.page
        self.context.add_cookies(
            [{"name": "baladiyati_language", "value": self.language, "url": self.live_server_url}]
        )
        page.goto(self.url("/report"))
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        self.choose_place()
        page.click("#step-where [data-next]")
        page.click("label[for=s-streetlight]")
        page.click("#step-what [data-next]")
        page.fill("input[name=a-streetlight-pole]", "L-42")
        page.fill("#f-description", "Dark all night")
        photos = [
            {"name": f"{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((2000, 1500))}
            for i in range(2)
        ]
        page.set_input_files("#f-photos", files=photos)
        page.wait_for_function("document.querySelectorAll('#thumbs img').length === 2")
        page.click("#step-details [data-next]")
        self.shot("before-signing-in")

        page.click("a[data-keep-draft]")
        page.wait_for_url(re.compile(r"/signin\?next="))
        page.fill("#f-destination", "9123 4567")
        page.click("form.card button[type=submit]")
        page.wait_for_url(re.compile(r"/signin/code$"))
        self.shot("code")
        # A wrong code first: refused in place.
        page.fill("#f-code", "000000" if "000000" not in sms.outbox[-1].text else "111111")
        page.click("form.card button.primary")
        self.assertIn(self.wrong_code_says, page.inner_text("#error-code"))
        code = re.search(r"\d{6}", sms.outbox[-1].text)
        assert code is not None
        page.fill("#f-code", code.group())
        page.click("form.card button.primary")
        page.wait_for_url(re.compile(r"/report\?"))

        # Back on the last step with what was written, photos included.
        page.wait_for_selector("#report-form[data-draft-restored]")
        page.wait_for_selector("#step-send:not([hidden])")
        self.assertIn("+96891234567", page.inner_text("#step-send"))
        self.assertEqual(page.input_value("input[name=a-streetlight-pole]"), "L-42")
        self.assertEqual(page.input_value("#f-description"), "Dark all night")
        self.assertEqual(page.locator("#thumbs img").count(), 2)
        self.shot("back-signed-in")
        # The draft is used once: it is no longer on the phone.
        self.assertIsNone(self.evaluate("Baladiyati.drafts.get('report')"))
        page.click("#send")
        page.wait_for_url(re.compile(r"/report/sent/"))
        case = Case.objects.get()
        self.assertEqual(case.reporter, self.citizen)
        self.assertEqual(case.district, getattr(self, self.wilayat))
        self.assertEqual(case.answers, {"pole": "L-42"})
        self.assertEqual(case.photos.count(), 2)

        page.click("nav.tabs a[href='/requests']")
        self.assertIn(case.reference, page.inner_text("#my-requests"))
        self.shot("my-requests")

    def choose_place(self) -> None:
        self.page.click("#locate-me")
        self.page.wait_for_function("document.getElementById('f-lat').value !== ''")


class SignInDuringReportInArabicTests(SignInDuringReportTests):
    """The place chosen as a wilayat only (no point): kept across the sign-in too."""

    language = "ar"
    wrong_code_says = "خاطئ"
    wilayat = "muttrah"

    def choose_place(self) -> None:
        self.page.select_option("#f-district", value=str(self.muttrah.pk))

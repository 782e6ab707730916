"""Switching the language in the middle of a report reloads the page in the other language
with the report as it was: place, service, answers and photos, on the same step."""

from __future__ import annotations

from baladiyati.testing import MUTTRAH_POINT, jpeg_bytes

from .base import BrowserTestCase


class LanguageSwitchDuringReportTests(BrowserTestCase):
    language = "ar"
    geolocation = {"lat": MUTTRAH_POINT[0], "lon": MUTTRAH_POINT[1]}

    def test_the_report_written_so_far_survives_the_switch(self) -> None:
        page = self.page
        page.goto(self.url("/report"))
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        page.click("#locate-me")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        lat = page.input_value("#f-lat")
        page.click("#step-where [data-next]")
        page.click("label[for=s-pothole]")
        page.click("#step-what [data-next]")
        page.check("input[name=a-pothole-size][value=small]")
        page.fill("#f-description", "حفرة صغيرة")
        page.set_input_files(
            "#f-photos", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
        )
        page.wait_for_selector("#thumbs img")
        self.shot("arabic-details")

        page.click("header .lang-switch button")
        page.wait_for_selector("html[lang=en]")
        page.wait_for_selector("#report-form[data-draft-restored]")
        self.assertIn("as you left it", page.inner_text("#notices"))
        self.assertTrue(page.is_visible("#step-details"))
        self.assertIn("Step 3 of 4", page.inner_text("#step-count"))
        self.assertTrue(page.is_checked("input[name=a-pothole-size][value=small]"))
        self.assertEqual(page.input_value("#f-description"), "حفرة صغيرة")
        self.assertEqual(page.locator("#thumbs img").count(), 1)
        self.assertEqual(page.input_value("#f-lat"), lat)
        self.shot("english-details")
        page.click("#step-details [data-back]")
        page.click("#step-what [data-back]")
        self.assertIn("Muttrah", page.inner_text("#where-status"))
        self.shot("english-place")

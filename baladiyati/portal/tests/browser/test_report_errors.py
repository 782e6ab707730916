"""A report refused by the server keeps what the citizen wrote. With JavaScript the form is
not reloaded and keeps its photos too; without it, a browser never fills a file field again,
so the page says in place, in the citizen's language, that the photos must be chosen again.
Nothing is filed until the report is right."""

from __future__ import annotations

import re

from baladiyati.cases.models import Case
from baladiyati.testing import MUTTRAH_POINT, jpeg_bytes

from .base import BrowserTestCase
from .test_accessibility import CONTRAST

PHOTOS = [
    {"name": f"{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((1200, 900))}
    for i in range(2)
]


class RefusedReportWithoutJavaScriptTests(BrowserTestCase):
    language = "en"
    photos_again = "The 2 photos you chose were not kept. Please choose them again"

    def setUp(self) -> None:
        super().setUp()
        self.context.close()
        self.context = self.browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
        )
        self.context.add_cookies(
            [{"name": "baladiyati_language", "value": self.language, "url": self.live_server_url}]
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()

    def test_the_page_asks_for_the_photos_again_and_keeps_the_rest(self) -> None:
        page = self.page
        page.goto(self.url("/report"))
        page.select_option("#f-district", value=str(self.muttrah.pk))
        page.click("label[for=s-pothole]")
        # The chosen service's questions show at once, without a round trip.
        self.assertTrue(page.is_visible("[data-questions=pothole]"))
        self.assertFalse(page.is_visible("[data-questions=streetlight]"))
        page.fill("input[name=a-pothole-depth_cm]", "12")  # the required size is left out
        page.fill("#f-description", "Deep hole")
        page.set_input_files("#f-photos", files=PHOTOS)
        self.shot("filled-without-javascript")
        page.click("#send")
        page.wait_for_selector("#error-summary")
        self.shot("refused")

        self.assertFalse(Case.objects.exists())
        # Each line of the summary leads to its field, and reads clearly.
        links = page.eval_on_selector_all(
            "#error-summary a", "(all) => all.map((a) => a.getAttribute('href'))"
        )
        self.assertEqual(links, ["#field-a-pothole-size", "#f-photos"])
        page.click("#error-summary a[href='#field-a-pothole-size']")
        self.assertTrue(page.url.endswith("#field-a-pothole-size"))
        for text, ratio in page.evaluate(CONTRAST, "#error-summary a, .error"):
            with self.subTest(text=text):
                self.assertGreaterEqual(ratio, 4.5)
        self.assertIn(self.photos_again, page.inner_text("#error-photos"))
        self.assertIn(self.photos_again, page.inner_text("#error-summary"))
        self.assertNotEqual(page.inner_text("#error-a-pothole-size"), "")
        self.assertEqual(page.input_value("#f-description"), "Deep hole")
        self.assertEqual(page.input_value("input[name=a-pothole-depth_cm]"), "12")
        self.assertTrue(page.is_checked("#s-pothole"))

        page.check("input[name=a-pothole-size][value=small]")
        page.set_input_files("#f-photos", files=PHOTOS)
        page.click("#send")
        page.wait_for_url(re.compile(r"/report/sent/"))
        self.shot("sent")
        case = Case.objects.get()
        self.assertEqual(case.photos.count(), 2)
        self.assertEqual(case.description, "Deep hole")


class RefusedReportWithoutJavaScriptInArabicTests(RefusedReportWithoutJavaScriptTests):
    language = "ar"
    photos_again = "لم نحتفظ بالصورتين اللتين اخترتهما"


class RefusedReportWithJavaScriptTests(BrowserTestCase):
    language = "en"
    geolocation = {"lat": MUTTRAH_POINT[0], "lon": MUTTRAH_POINT[1]}

    def test_the_photos_stay_while_the_refused_answers_are_corrected(self) -> None:
        page = self.page
        self.context.add_cookies(
            [{"name": "baladiyati_language", "value": self.language, "url": self.live_server_url}]
        )
        page.goto(self.url("/report"))
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        page.click("#locate-me")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        page.click("#step-where [data-next]")
        page.click("label[for=s-pothole]")
        page.click("#step-what [data-next]")
        page.check("input[name=a-pothole-size][value=large]")
        page.fill("input[name=a-pothole-depth_cm]", "deep")  # not a number: the server says so
        page.set_input_files("#f-photos", files=PHOTOS)
        page.wait_for_function("document.querySelectorAll('#thumbs img').length === 2")
        page.click("#step-details [data-next]")
        page.fill("#f-phone", "12")  # not a phone number
        page.click("#send")
        page.wait_for_selector("#step-details:not([hidden]) #error-a-pothole-depth_cm:not(:empty)")
        self.shot("refused")
        self.assertFalse(Case.objects.exists())
        self.assertNotEqual(page.inner_text("#error-phone"), "")
        self.assertEqual(page.locator("#thumbs img").count(), 2)

        page.fill("input[name=a-pothole-depth_cm]", "٢٠")
        page.click("#step-details [data-next]")
        page.fill("#f-phone", "99887766")
        page.click("#send")
        page.wait_for_url(re.compile(r"/report/sent/"))
        self.shot("sent")
        case = Case.objects.get()
        self.assertEqual(case.photos.count(), 2)
        self.assertEqual(case.answers, {"size": "large", "depth_cm": 20})

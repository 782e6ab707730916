"""The whole citizen journey in a phone's browser, in Arabic and again in English: report
anonymously with a photo, open the report from its private tracking link, staff fix it
(through the action), and the citizen rates the work."""

from __future__ import annotations

import re

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Case, CaseRating, Status
from baladiyati.testing import MUTTRAH_POINT, jpeg_bytes

from .base import BrowserTestCase


class ReportFlowInArabicTests(BrowserTestCase):
    language = "ar"
    geolocation = {"lat": MUTTRAH_POINT[0], "lon": MUTTRAH_POINT[1]}

    def test_a_citizen_reports_tracks_and_rates_a_pothole(self) -> None:
        page = self.page
        page.goto(self.url("/report"))
        self.assertEqual(page.locator("html").get_attribute("lang"), "ar")
        self.assertEqual(page.locator("html").get_attribute("dir"), "rtl")
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        self.shot("place")

        # Place: the phone's GPS.
        page.click("#locate-me")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        self.assertAlmostEqual(float(page.input_value("#f-lat")), MUTTRAH_POINT[0], places=4)
        self.assertIn("مطرح", page.inner_text("#where-status"))
        self.shot("place-located")
        page.click("#step-where [data-next]")

        # Problem: searched with a spelling that differs (ه for ة).
        page.fill("#service-search", "حفره")
        page.wait_for_selector("li[data-service=streetlight]", state="hidden")
        self.assertTrue(page.is_visible("li[data-service=pothole]"))
        page.click("label[for=s-pothole]")
        self.shot("problem")
        page.click("#step-what [data-next]")

        # Details: a required answer is enforced before going on.
        page.click("#step-details [data-next]")
        self.assertTrue(page.is_visible("#error-a-pothole-size"))
        self.assertNotEqual(page.inner_text("#error-a-pothole-size"), "")
        self.shot("details-required")
        page.check("input[name=a-pothole-size][value=large]")
        page.fill("input[name=a-pothole-depth_cm]", "١٥")
        # Bad photos are refused in place: a file that is not an image, then a sixth photo.
        page.set_input_files(
            "#f-photos", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hi"}]
        )
        page.wait_for_function("document.getElementById('error-photos').textContent !== ''")
        self.assertIn("ليس صورة", page.inner_text("#error-photos"))
        self.assertEqual(page.locator("#thumbs img").count(), 0)
        six = [
            {"name": f"{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((2400, 1800))}
            for i in range(6)
        ]
        page.set_input_files("#f-photos", files=six)
        page.wait_for_function("document.querySelectorAll('#thumbs img').length === 5")
        self.assertIn("٥", page.inner_text("#error-photos"))
        self.shot("photos-refused")
        for _ in range(4):
            page.click("#thumbs li:last-child button")
        self.assertEqual(page.locator("#thumbs img").count(), 1)
        page.fill("#f-description", "حفرة عميقة أمام المسجد")
        self.shot("details")
        page.click("#step-details [data-next]")

        # Send, anonymously with a phone number that must never be published.
        page.fill("#f-phone", "99887766")
        self.shot("send")
        page.click("#send")
        page.wait_for_url(re.compile(r"/report/sent/"))
        self.shot("sent")

        case = Case.objects.get()
        self.assertIsNone(case.reporter)
        self.assertEqual(case.contact_phone, "+96899887766")
        self.assertEqual(case.answers, {"size": "large", "depth_cm": 15})
        self.assertEqual(case.photos.count(), 1)
        photo = case.photos.get()
        self.assertLessEqual(max(photo.width, photo.height), 1600)  # made smaller in the browser
        self.assertEqual(page.inner_text("#reference"), case.reference)
        tracking = page.get_attribute("#tracking-link", "href")
        self.assertEqual(tracking, f"/track/{case.tracking_token}")

        # The private tracking link.
        page.goto(self.url(tracking))
        self.assertIn(case.reference, page.inner_text(".case-head"))
        self.assertIn("هـ", page.inner_text("#expected"))  # the Hijri date next to the Gregorian
        page.wait_for_selector(".photo-list img")
        self.assertNotIn("99887766", page.content())
        self.shot("tracking")

        # The roads clerk fixes it; the citizen rates the work.
        do_transition_case(case, Status.FIXED, actor=self.clerk, message="تم ردم الحفرة")
        page.reload()
        self.assertIn("تم ردم الحفرة", page.inner_text(".timeline"))
        self.shot("fixed")
        page.click("#rate label:has(input[value='3'])")
        page.fill("#f-comment", "شكراً لكم")
        self.shot("rating")
        page.click("#rate button[type=submit]")
        page.wait_for_selector(".notice")
        self.shot("rated")
        rating = CaseRating.objects.get(case=case)
        self.assertEqual((rating.score, rating.comment), (3, "شكراً لكم"))


class ReportFlowInEnglishTests(BrowserTestCase):
    language = "en"

    def test_a_resident_reports_in_english_tracks_and_rates(self) -> None:
        page = self.page
        page.goto(self.url("/"))
        page.click("header .lang-switch button")  # the switch persists (a cookie)
        self.assertEqual(page.locator("html").get_attribute("lang"), "en")
        self.shot("home")
        page.click("a.button.primary")
        page.wait_for_url(re.compile(r"/report$"))
        self.assertEqual(page.locator("html").get_attribute("dir"), "ltr")
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")

        # Place: the wilayat, then a tap on the map to be precise.
        page.select_option("#f-district", label="Muttrah")
        self.assertIn("Muttrah", page.inner_text("#where-status"))
        box = page.locator("#pick-map").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        self.shot("place")
        page.click("#step-where [data-next]")

        page.fill("#service-search", "light")
        page.wait_for_selector("li[data-service=pothole]", state="hidden")
        page.click("label[for=s-streetlight]")
        self.shot("problem")
        page.click("#step-what [data-next]")

        page.fill("input[name=a-streetlight-pole]", "L-17")
        page.check("input[name=a-streetlight-hazards][value=wires]")
        page.check("input[name=a-streetlight-hazards][value=dark]")
        page.set_input_files(
            "#f-photos",
            files=[{"name": "pole.png", "mimeType": "image/png", "buffer": _png()}],
        )
        page.wait_for_selector("#thumbs img")
        self.shot("details")
        page.click("#step-details [data-next]")
        page.fill("#f-email", "resident@example.om")
        self.shot("send")
        page.click("#send")
        page.wait_for_url(re.compile(r"/report/sent/"))
        self.assertIn("Thank you", page.inner_text("h1"))
        self.shot("sent")

        case = Case.objects.get()
        self.assertEqual(case.service, self.streetlight)
        self.assertEqual(case.district, self.muttrah)
        self.assertEqual(case.answers, {"pole": "L-17", "hazards": ["wires", "dark"]})
        self.assertEqual(case.photos.count(), 1)

        page.click("#tracking-link")
        page.wait_for_url(re.compile(r"/track/"))
        self.assertIn("Submitted", page.inner_text("#status"))
        self.assertIn("AH", page.inner_text("#expected"))
        self.assertNotIn("resident@example.om", page.content())
        self.shot("tracking")

        do_transition_case(case, Status.FIXED, actor=self.lighting_clerk, message="Lamp replaced")
        page.reload()
        self.assertIn("Lamp replaced", page.inner_text(".timeline"))
        self.shot("fixed")
        page.click("#rate label:has(input[value='2'])")
        page.click("#rate button[type=submit]")
        page.wait_for_selector(".notice")
        self.shot("rated")
        self.assertEqual(CaseRating.objects.get(case=case).score, 2)

        # The public map and list show it, without the reporter.
        page.click("nav.tabs a[href='/cases']")
        page.wait_for_selector("[data-map=cases] path.leaflet-interactive")
        self.assertIn(case.reference, page.inner_text(".case-list"))
        self.assertNotIn("resident@example.om", page.content())
        self.shot("public-map")


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), "navy").save(out, format="PNG")
    return out.getvalue()

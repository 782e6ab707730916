"""An owner applies, attaches the documents, submits, pays through the fake gateway and
checks the public verification page — in Arabic, on a phone, in chromium."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from baladiyati.permits import actions, certificate
from baladiyati.permits.models import Application, Status
from baladiyati.permits.tests.world import DWG, FIELDS, PDF, build_permits_world, png_bytes
from baladiyati.portal.tests.browser.base import BrowserTestCase
from baladiyati.testing import build_world


class ApplyAndPayTests(BrowserTestCase):
    language = "ar"

    def build(self) -> None:
        build_world(self)
        build_permits_world(self)

    def sign_in(self, user) -> None:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": self.live_server_url,
                }
            ]
        )

    def test_an_owner_applies_pays_and_the_permit_verifies(self) -> None:
        page = self.page
        self.sign_in(self.citizen)
        page.goto(self.url("/permits/new"))
        self.assertEqual(page.get_attribute("html", "dir"), "rtl")
        page.select_option("#f-type", "muscat:new-major")
        for field, selector in (
            ("plot_number", "#f-plot"),
            ("title_deed_number", "#f-deed"),
            ("built_up_area", "#f-area"),
            ("floors", "#f-floors"),
            ("estimated_cost", "#f-cost"),
        ):
            page.fill(selector, str(FIELDS[field]))
        page.select_option("#f-land-use", "residential")
        # The plot's pin: the map (with the city's outlines) replaces the typed coordinates;
        # moving it with the arrow keys puts the pin on the plot.
        page.wait_for_selector("#plot-map .leaflet-overlay-pane path")
        self.assertFalse(page.is_visible("#f-lat"))
        page.focus("#plot-map")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        self.shot("new")
        page.click("form.card button[type=submit]")
        page.wait_for_selector("h1 span[dir=ltr]")
        application = Application.objects.get()
        self.assertIsNotNone(application.lat)
        self.assertEqual(page.inner_text(".wilayat"), "مسقط")  # found from the pin
        self.assertIn("أرفق: المخطط الموقعي.", page.inner_text("ul.missing"))

        for code, name, data in (
            ("site_plan", "site.pdf", PDF),
            ("title_deed", "deed.png", png_bytes()),
            ("drawings", "villa.dwg", DWG),
        ):
            page.select_option("#f-doctype", code)
            page.set_input_files(
                "#f-file",
                files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}],
            )
            page.click("form[action$='/documents'] button[type=submit]")
            page.wait_for_selector(f"text={name}")
        self.shot("documents")
        self.assertFalse(page.is_visible("ul.missing"))
        page.click("form[action$='/submit'] button[type=submit]")
        page.wait_for_selector("text=قيد المراجعة")
        self.shot("submitted")

        application.refresh_from_db()
        for review in application.active_round().reviews.all():
            actions.do_decide_review(review, decision="approved", actor=self.reviewer)
        page.reload()
        page.click("form[action$='/pay'] button[type=submit]")
        page.wait_for_selector("text=١٠٠٫٠٠٠ ريال عماني")
        self.shot("gateway")
        page.click("button[value=pay]")
        page.click("#gateway-return button")
        page.wait_for_selector("text=صدرت رخصتك")
        self.shot("issued")
        application.refresh_from_db()
        self.assertEqual(application.status, Status.ISSUED)

        with page.expect_download() as download:
            page.click("a[href$='/certificate.pdf']")
        self.assertTrue(download.value.suggested_filename.endswith(".pdf"))
        page.goto(self.url(certificate.verification_path(application.permit)))
        self.assertIn("صالحة", page.inner_text("main"))
        self.shot("verified")

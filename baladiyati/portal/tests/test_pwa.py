"""What makes the app installable and offline: manifest, service worker, icons, offline page."""

from __future__ import annotations

import io

from PIL import Image

from .support import PortalTestCase


class PwaTests(PortalTestCase):
    def test_the_manifest_follows_the_language(self) -> None:
        response = self.client.get("/manifest.webmanifest")
        self.assertEqual(response["Content-Type"], "application/manifest+json")
        manifest = response.json()
        self.assertEqual((manifest["lang"], manifest["dir"]), ("ar", "rtl"))
        self.assertEqual(manifest["short_name"], "بلديتي")
        self.assertEqual(manifest["display"], "standalone")
        self.assertEqual(manifest["start_url"], "/?source=app")
        self.english()
        manifest = self.client.get("/manifest.webmanifest").json()
        self.assertEqual((manifest["lang"], manifest["dir"]), ("en", "ltr"))

    def test_every_icon_of_the_manifest_is_a_png_of_its_size(self) -> None:
        for icon in self.client.get("/manifest.webmanifest").json()["icons"]:
            with self.subTest(icon=icon["src"]):
                response = self.client.get(icon["src"])
                self.assertEqual(response["Content-Type"], "image/png")
                image = Image.open(io.BytesIO(response.content))
                self.assertEqual(f"{image.width}x{image.height}", icon["sizes"])
        self.assertEqual(self.client.get("/icons/nothing.png").status_code, 404)
        self.assertEqual(self.client.get("/favicon.ico").status_code, 200)

    def test_the_service_worker_caches_the_app_shell_from_the_root(self) -> None:
        response = self.client.get("/sw.js")
        self.assertEqual(response["Content-Type"], "application/javascript; charset=utf-8")
        self.assertEqual(response["Cache-Control"], "no-cache")
        body = response.content.decode()
        for url in ('"/report"', '"/offline"', '"/static/portal/app.js"', "leaflet.js"):
            self.assertIn(url, body)
        self.assertIn('const RELEASE = "', body)

    def test_the_offline_page_says_reports_can_still_be_written(self) -> None:
        self.assertContains(self.client.get("/offline"), "لا يوجد اتصال")
        self.english()
        self.assertContains(self.client.get("/offline"), "No connection")

    def test_every_page_links_the_manifest(self) -> None:
        for url in ("/", "/report", "/cases", "/requests", "/signin", "/settings"):
            with self.subTest(url=url):
                self.assertContains(
                    self.client.get(url), 'rel="manifest" href="/manifest.webmanifest"'
                )

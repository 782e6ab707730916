"""Browser tests: Playwright drives Debian's chromium (/usr/bin/chromium, never a downloaded
browser) in a phone-sized viewport against a live server holding the shared test world.

Screenshots of every step are kept under test-artifacts/portal/<test>/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connections
from django.test import override_settings

from baladiyati.testing import build_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
ARTIFACTS = ROOT / "test-artifacts" / "portal"
VENDOR = ROOT / "baladiyati" / "portal" / "static" / "portal" / "vendor" / "leaflet" / "leaflet.js"


@pytest.mark.browser
class BrowserTestCase(StaticLiveServerTestCase):
    """A live server with the test world, and a fresh phone-sized browser context per test."""

    # Every test that flushes the database restores what migrations wrote (content types,
    # message templates) rather than re-creating it: re-created rows get other ids, and a
    # later serialized_rollback test could not restore its own (see conftest.py).
    serialized_rollback = True

    language = "ar"
    geolocation: dict[str, float] | None = None
    _async_unsafe: str | None = None

    @classmethod
    def setUpClass(cls) -> None:
        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")
        if not VENDOR.exists():
            raise RuntimeError("Leaflet is missing from the portal's static files: run make vendor")
        # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
        # make between browser steps are synchronous and safe here. Restored afterwards, so
        # the rest of the suite keeps Django's check.
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        saved = {c.alias: getattr(c, "_test_serialized_contents", None) for c in connections.all()}
        cls._playwright = sync_playwright().start()
        # Playwright's sync API leaves an event loop running in this thread, and Django's
        # connection handler (asgiref's Local) then hands out other connection objects than
        # the ones the test database was set up on. Without the serialized contents on them,
        # Django would flush after each test as if nothing were to be restored and make the
        # content types again under new ids, which the next restore collides with.
        for connection in connections.all():
            if saved.get(connection.alias) is not None:
                connection._test_serialized_contents = saved[connection.alias]  # type: ignore[attr-defined]
        cls.browser = cls._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls._playwright.stop()
        super().tearDownClass()
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe

    def setUp(self) -> None:
        super().setUp()
        self.build()
        media = tempfile.mkdtemp(prefix="baladiyati-browser-media-")
        self.addCleanup(shutil.rmtree, media, True)
        setting = override_settings(MEDIA_ROOT=media)
        setting.enable()
        self.addCleanup(setting.disable)
        self.context = self.browser.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="ar-OM" if self.language == "ar" else "en-GB",
            timezone_id="Asia/Muscat",
            geolocation=(
                {"latitude": self.geolocation["lat"], "longitude": self.geolocation["lon"]}
                if self.geolocation
                else None
            ),
            permissions=["geolocation"] if self.geolocation else [],
        )
        self.context.set_default_timeout(15_000)
        self.addCleanup(self.context.close)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        name = f"{type(self).__name__}.{self._testMethodName}"
        self.shots = ARTIFACTS / name
        shutil.rmtree(self.shots, ignore_errors=True)
        self.step = 0

    def build(self) -> None:
        """The data the test runs against: the shared test world."""
        build_world(self)

    def tearDown(self) -> None:
        assert self.errors == [], f"JavaScript errors: {self.errors}"
        super().tearDown()

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"

    def shot(self, name: str) -> None:
        self.step += 1
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.shots / f"{self.step:02d}-{name}.png"), full_page=True)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

"""Back-office browser tests: Playwright on Debian's chromium, a desktop viewport, the shared
test world on a live server; screenshots of each step in test-artifacts/backoffice/<test>/.

The browser and chromium checks are the portal's (portal/tests/browser/base.py); only the
viewport differs: staff work at a desk.
"""

from __future__ import annotations

import shutil
import tempfile

import pytest
from django.test import override_settings

from baladiyati.portal.tests.browser.base import ROOT, BrowserTestCase

ARTIFACTS = ROOT / "test-artifacts" / "backoffice"
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.browser
class DesktopBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        # The portal's setUp makes a phone context; this one makes a desktop one instead.
        super(BrowserTestCase, self).setUp()
        self.build()
        media = tempfile.mkdtemp(prefix="baladiyati-browser-media-")
        self.addCleanup(shutil.rmtree, media, True)
        setting = override_settings(MEDIA_ROOT=media)
        setting.enable()
        self.addCleanup(setting.disable)
        self.context = self.browser.new_context(
            viewport=DESKTOP,
            locale="ar-OM" if self.language == "ar" else "en-GB",
            timezone_id="Asia/Muscat",
        )
        self.context.set_default_timeout(15_000)
        self.addCleanup(self.context.close)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.shots = ARTIFACTS / f"{type(self).__name__}.{self._testMethodName}"
        shutil.rmtree(self.shots, ignore_errors=True)
        self.step = 0

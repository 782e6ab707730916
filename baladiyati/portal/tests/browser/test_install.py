"""Chromium itself judges the app installable: manifest, icons, a service worker that
controls the page and answers offline. (Asked of a profile on disk: Chromium never offers to
install from an incognito window, which every other browser test uses.)"""

from __future__ import annotations

import shutil
import tempfile

from .base import CHROMIUM, CHROMIUM_ARGS, PHONE, BrowserTestCase


class InstallableTests(BrowserTestCase):
    def test_chromium_finds_nothing_stopping_the_install(self) -> None:
        profile = tempfile.mkdtemp(prefix="baladiyati-profile-")
        self.addCleanup(shutil.rmtree, profile, True)
        context = self._playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE, is_mobile=True
        )
        self.addCleanup(context.close)
        page = context.new_page()
        page.goto(self.url("/report"))
        page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        self.assertEqual(cdp.send("Page.getAppManifest")["errors"], [])
        self.assertEqual(cdp.send("Page.getInstallabilityErrors")["installabilityErrors"], [])
        self.page = page
        self.shot("installable")

"""A report written without a connection is kept on the phone and sent when the connection
returns; sending it again (a retry after a lost answer) still leaves exactly one case. Where
the browser has Background Sync, the service worker sends it even with the app closed."""

from __future__ import annotations

import re
import time

from baladiyati.cases.models import Case
from baladiyati.testing import MUTTRAH_POINT, jpeg_bytes

from .base import BrowserTestCase


class OfflineReportTests(BrowserTestCase):
    geolocation = {"lat": MUTTRAH_POINT[0], "lon": MUTTRAH_POINT[1]}

    def test_a_report_sent_offline_arrives_once_when_back_online(self) -> None:
        page = self.page
        page.goto(self.url("/report"))
        page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        page.click("#locate-me")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        page.click("#step-where [data-next]")
        page.click("label[for=s-pothole]")
        page.click("#step-what [data-next]")
        page.check("input[name=a-pothole-size][value=small]")
        page.set_input_files(
            "#f-photos", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
        )
        page.wait_for_selector("#thumbs img")
        page.click("#step-details [data-next]")

        self.context.set_offline(True)
        page.wait_for_selector("#offline-banner", state="visible")
        page.click("#send")
        page.wait_for_selector("#report-finished")
        self.shot("saved-on-the-phone")
        self.assertEqual(Case.objects.count(), 0)
        waiting = self.evaluate("Baladiyati.outbox.all().then((all) => all.length)")
        self.assertEqual(waiting, 1)

        # The app still opens without a connection (the service worker's cached shell).
        page.goto(self.url("/report?lat=23.6&lon=58.5"))
        page.wait_for_selector("#report-form")
        page.wait_for_selector("#outbox li")
        self.shot("offline-app-shell")
        # Keep a copy of the waiting report, to send it again later as a lost answer would.
        self.evaluate("Baladiyati.outbox.all().then((all) => { window.copy = all[0]; })")

        self.context.set_offline(False)
        page.wait_for_selector(".notice a[href*='/track/']")
        self.shot("sent-when-online")
        case = Case.objects.get()
        self.assertEqual(case.answers, {"size": "small"})
        self.assertEqual(case.photos.count(), 1)
        self.assertTrue(case.idempotency_key.startswith("portal:"))
        self.assertEqual(self.evaluate("Baladiyati.outbox.all().then((all) => all.length)"), 0)

        # The same report again (same key): the first case is returned, none is added.
        delivered = self.evaluate("Baladiyati.deliver(window.copy, true)")
        self.assertTrue(delivered)
        self.assertEqual(Case.objects.count(), 1)

        page.goto(self.url("/requests"))
        page.wait_for_selector("#device-requests a")
        self.assertIn(case.reference, page.inner_text("#device-requests"))
        self.assertTrue(re.search(case.tracking_token, page.content()))
        self.shot("sent-from-this-phone")


class BackgroundSyncTests(BrowserTestCase):
    language = "en"
    geolocation = {"lat": MUTTRAH_POINT[0], "lon": MUTTRAH_POINT[1]}

    def test_the_service_worker_sends_the_waiting_report_with_the_app_closed(self) -> None:
        self.context.grant_permissions(["geolocation", "background-sync"])
        self.context.add_cookies(
            [{"name": "baladiyati_language", "value": "en", "url": self.live_server_url}]
        )
        page = self.page
        page.goto(self.url("/report"))
        page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        page.click("#locate-me")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        page.click("#step-where [data-next]")
        page.click("label[for=s-pothole]")
        page.click("#step-what [data-next]")
        page.check("input[name=a-pothole-size][value=large]")
        page.set_input_files(
            "#f-photos", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
        )
        page.wait_for_selector("#thumbs img")
        page.click("#step-details [data-next]")
        self.context.set_offline(True)
        page.click("#send")
        page.wait_for_selector("#report-finished")
        tags = self.evaluate("navigator.serviceWorker.ready.then((r) => r.sync.getTags())")
        self.assertEqual(tags, ["baladiyati-outbox"])
        self.shot("saved-and-sync-registered")

        # The app is closed (no page of it runs its own resend), then the connection returns.
        elsewhere = self.context.new_page()
        page.close()
        self.context.set_offline(False)
        deadline = time.monotonic() + 20
        while not Case.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        case = Case.objects.get()
        self.assertEqual(case.answers, {"size": "large"})
        self.assertEqual(case.photos.count(), 1)
        self.assertTrue(case.idempotency_key.startswith("portal:"))

        # Opening the app again: the outbox is empty and the report's tracking link is kept.
        elsewhere.goto(self.url("/requests"))
        elsewhere.wait_for_selector(".notice a[href*='/track/']")
        self.assertIn(case.reference, elsewhere.inner_text("#notices"))
        elsewhere.wait_for_selector("#device-requests a")
        self.assertIn(case.reference, elsewhere.inner_text("#device-requests"))
        waiting = elsewhere.evaluate("Baladiyati.outbox.all().then((all) => all.length)")
        self.assertEqual(waiting, 0)
        self.page = elsewhere
        self.shot("sent-by-the-service-worker")
        self.assertEqual(Case.objects.count(), 1)

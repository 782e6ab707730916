"""Whatever a browser sends, every portal address answers without a server error; NUL
characters (which PostgreSQL refuses in text) never reach the database."""

from __future__ import annotations

import uuid

from baladiyati.cases.models import Case
from baladiyati.testing import MUTTRAH_POINT

from .support import PortalTestCase

NUL = "a\x00b"


class BadInputTests(PortalTestCase):
    def test_nul_characters_in_addresses_and_queries_find_nothing(self) -> None:
        case = self.submit()
        for url in (
            f"/cases/muscat/{case.reference}%00",
            f"/track/{case.tracking_token}%00",
            f"/report/sent/{case.tracking_token}%00",
            "/report/services.json?m=muscat%00",
            "/report/similar?m=muscat&service=pothole%00&lat=23.6&lon=58.5",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        for url in (
            "/report/services.json?m=muscat&q=%00",
            "/cases?service=%00&district=%00&status=%00&m=%00",
            "/report?lat=%00&lon=%00&district=%00&m=%00&service=%00",
        ):
            with self.subTest(url=url):
                self.assertIn(self.client.get(url).status_code, (200, 404))

    def test_nul_characters_in_a_report_are_dropped(self) -> None:
        response = self.client.post(
            "/report",
            {
                "m": "muscat",
                "lat": str(MUTTRAH_POINT[0]),
                "lon": str(MUTTRAH_POINT[1]),
                "service": "pothole",
                "a-pothole-size": "large",
                "a-pothole-depth_cm": "1\x002",
                "description": NUL,
                "address": NUL,
                "name": NUL,
                "submission_id": str(uuid.uuid4()),
            },
        )
        self.assertEqual(response.status_code, 302)
        case = Case.objects.get()
        self.assertEqual((case.description, case.address, case.contact_name), ("ab", "ab", "ab"))
        self.assertEqual(case.answers["depth_cm"], 12)

    def test_nul_characters_elsewhere_are_dropped_or_refused(self) -> None:
        case = self.submit()
        response = self.client.post(f"/cases/muscat/{case.reference}/follow", {"contact": NUL})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(f"/track/{case.tracking_token}/reopen", {"reason": NUL})
        self.assertEqual(response.status_code, 400)  # open: nothing to reopen
        response = self.client.post(f"/track/{case.tracking_token}/rate", {"comment": NUL})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.post("/signin", {"destination": NUL}).status_code, 400)

"""Pages go out gzipped to a browser that accepts it (slow phone connections)."""

from __future__ import annotations

import gzip

from .support import PortalTestCase


class CompressionTests(PortalTestCase):
    def test_the_report_page_is_sent_gzipped_when_the_browser_accepts_it(self) -> None:
        plain = self.client.get("/report")
        packed = self.client.get("/report", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        self.assertNotIn("Content-Encoding", plain)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", packed["Vary"])
        self.assertLess(len(packed.content), len(plain.content) / 3)
        self.assertIn('id="report-form"', gzip.decompress(packed.content).decode())

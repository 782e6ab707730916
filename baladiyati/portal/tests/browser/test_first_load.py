"""The first load of the report page transfers at most 150 KB compressed.

Measured from the real responses the server sends while a phone with nothing cached opens
/report: the page, its styles and scripts (Leaflet included), the outlines, the service
worker and what it stores for offline use, and what the browser fetches to offer installing
the app (the manifest and its icons). Map tiles and photos are left out, as the budget says
(none load here anyway: MAP_TILE_URL is empty). The live server's handler records every
response it sends, so a file the browser takes from its own cache is rightly not counted
and one sent twice is counted twice.

The test server sends static files uncompressed; production does not: WhiteNoise serves
them pre-compressed (collectstatic writes .gz, and .br with brotli installed), and Django's
GZipMiddleware compresses the HTML and JSON. So each text body is counted as gzip at level 6
would send it (brotli is smaller still), a body that came compressed as it is, and images as
they are (PNG does not compress).
The breakdown is written to test-artifacts/portal/first-load.txt.
"""

from __future__ import annotations

import gzip
import json
from typing import Any, ClassVar
from urllib.parse import urljoin

from django.contrib.staticfiles.handlers import StaticFilesHandler

from baladiyati.demo import data
from baladiyati.demo.seed import create_city

from .base import ARTIFACTS, BrowserTestCase

BUDGET = 150 * 1024
IMAGES = ("image/png", "image/jpeg", "image/webp", "image/gif")


def compressed_size(body: bytes, content_type: str) -> int:
    if content_type.startswith(IMAGES):
        return len(body)
    return min(len(body), len(gzip.compress(body, compresslevel=6)))


class RecordingStaticFilesHandler(StaticFilesHandler):
    """The live server's handler, noting the path, type and body of every 200 it sends."""

    sent: ClassVar[list[tuple[str, str, bytes]]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        answer: dict[str, Any] = {}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = status, dict(headers)
            return start_response(status, headers, exc_info)

        body = b"".join(super().__call__(environ, start))
        if answer.get("status", "").startswith("200"):
            kind = answer["headers"].get("Content-Type", "")
            self.sent.append((environ.get("PATH_INFO", ""), kind, body))
        return [body]


class FirstLoadBudgetTests(BrowserTestCase):
    static_handler = RecordingStaticFilesHandler

    def build(self) -> None:
        # The real catalogue (Muscat's services with their questions, six wilayats, and
        # Sohar): the page's size depends on it.
        create_city(data.MUSCAT)
        create_city(data.SOHAR)

    def test_the_report_page_first_load_is_at_most_150_kb_compressed(self) -> None:
        sent = RecordingStaticFilesHandler.sent
        sent.clear()
        self.page.goto(self.url("/report"), wait_until="networkidle")
        # Let the service worker install and store the app shell, as a first visit does.
        self.page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(500)
        # What Chrome fetches to offer installing the app: the manifest and its icons.
        manifest_url = self.page.get_attribute("link[rel=manifest]", "href") or ""
        if not any(path == manifest_url for path, _kind, _body in sent):
            manifest = self.page.request.get(self.url(manifest_url))
            for icon in json.loads(manifest.body())["icons"]:
                self.page.request.get(urljoin(self.url("/"), icon["src"]))
        self.shot("first-load")

        transfers = [
            (path, len(body), compressed_size(body, kind))
            for path, kind, body in sent
            if "/photos/" not in path
        ]
        total = sum(size for _path, _raw, size in transfers)
        lines = [
            f"{size:>10} {raw:>8}  {path}"
            for path, raw, size in sorted(transfers, key=lambda t: -t[2])
        ]
        report = "\n".join(
            [
                "First load of /report (Muscat's real catalogue), bytes.",
                "compressed      raw  path",
                *lines,
                f"{total:>10} total in {len(transfers)} transfers; budget {BUDGET}",
            ]
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "first-load.txt").write_text(report + "\n")
        paths = {path for path, _raw, _size in transfers}
        expected = {
            "/report",
            "/static/portal/vendor/leaflet/leaflet.js",
            "/static/portal/report.js",
            "/geo/boundaries.geojson",
            "/sw.js",
            "/manifest.webmanifest",
        }
        self.assertLessEqual(expected, paths, report)
        self.assertLessEqual(total, BUDGET, report)

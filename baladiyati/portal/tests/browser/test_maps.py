"""The tile server is a setting (MAP_TILE_URL). When it cannot be reached (offline, down, or
in tests) the maps still draw the municipality and wilayat outlines from our own GeoJSON, and
a place can still be chosen on them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from baladiyati.cases.actions import do_submit_case
from baladiyati.testing import MUTTRAH_POINT

from .base import BrowserTestCase

# Nothing listens on port 9 (discard): every tile fails, as with no connection.
UNREACHABLE = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"


@override_settings(MAP_TILE_URL=UNREACHABLE, MAP_TILE_ATTRIBUTION="© Test tiles")
class UnreachableTileServerTests(BrowserTestCase):
    def test_the_maps_fall_back_to_our_outlines(self) -> None:
        page = self.page
        page.goto(self.url("/report"))
        # The setting is used: Leaflet asks the tile server, and credits it.
        page.wait_for_selector("#pick-map img.leaflet-tile", state="attached")
        tile = page.get_attribute("#pick-map img.leaflet-tile", "src") or ""
        self.assertTrue(tile.startswith("http://127.0.0.1:9/tiles/"), tile)
        self.assertIn("Test tiles", page.inner_text("#pick-map .leaflet-control-attribution"))
        # The outlines are drawn all the same, and tapping the map chooses a place on them.
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        self.assertGreaterEqual(page.locator("#pick-map .leaflet-overlay-pane path").count(), 2)
        page.select_option("#f-district", value=str(self.muttrah.pk))
        box = page.locator("#pick-map").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        self.shot("report-without-tiles")
        # Moved outside every municipality: said in place, and the form stays on the place.
        self.evaluate("document.getElementById('pick-map').baladiyatiMap.moveTo(21.0, 55.0, 12)")
        page.click("#step-where [data-next]")
        self.assertIn("خارج البلديات", page.inner_text("#error-location"))
        self.assertTrue(page.is_visible("#step-where"))
        self.shot("outside-every-municipality")

        case = do_submit_case(
            municipality=self.muscat,
            service_code="pothole",
            lat=MUTTRAH_POINT[0],
            lon=MUTTRAH_POINT[1],
            channel="web",
            actor=AnonymousUser(),
            answers={"size": "small"},
        )
        page.goto(self.url(f"/cases/muscat/{case.reference}"))
        page.wait_for_selector("[data-map=view] .leaflet-overlay-pane path")
        # The failed tiles widen the view from the street (zoom 16) to the wilayat, so that its
        # outline is in sight: the outline is no wider than the map.
        page.wait_for_function(
            "(() => { const map = document.querySelector('[data-map=view]')"
            ".getBoundingClientRect();"
            " const line = document.querySelector('[data-map=view] .leaflet-overlay-pane path')"
            ".getBoundingClientRect();"
            " return line.width > 0 && line.width <= map.width; })()"
        )
        self.shot("case-without-tiles")
        page.goto(self.url("/cases"))
        page.wait_for_selector("[data-map=cases] .leaflet-overlay-pane path")
        self.shot("public-map-without-tiles")

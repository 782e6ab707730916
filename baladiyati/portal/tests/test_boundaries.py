"""GET /geo/boundaries.geojson: the outlines the maps draw without any tile server."""

from __future__ import annotations

from baladiyati.cities.models import Municipality

from .support import PortalTestCase


class BoundariesTests(PortalTestCase):
    def test_it_holds_every_active_municipality_and_its_wilayats(self) -> None:
        response = self.client.get("/geo/boundaries.geojson")
        self.assertEqual(response["Content-Type"], "application/geo+json")
        features = response.json()["features"]
        kinds = {
            (f["properties"]["kind"], f["properties"].get("slug") or f["properties"]["name_en"])
            for f in features
        }
        self.assertEqual(
            kinds,
            {
                ("municipality", "muscat"),
                ("municipality", "sohar"),
                ("district", "Muttrah"),
                ("district", "Muscat"),
            },
        )
        muttrah = next(f for f in features if f["properties"].get("id") == self.muttrah.pk)
        self.assertEqual(muttrah["properties"]["municipality"], "muscat")
        self.assertEqual(muttrah["properties"]["name_ar"], "مطرح")
        self.assertEqual(muttrah["geometry"]["type"], "Polygon")

    def test_it_answers_not_modified_to_a_known_etag(self) -> None:
        etag = self.client.get("/geo/boundaries.geojson")["ETag"]
        response = self.client.get("/geo/boundaries.geojson", headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 304)

    def test_an_inactive_municipality_disappears_and_the_etag_changes(self) -> None:
        etag = self.client.get("/geo/boundaries.geojson")["ETag"]
        Municipality.objects.filter(slug="sohar").update(is_active=False)
        response = self.client.get("/geo/boundaries.geojson")
        self.assertNotEqual(response["ETag"], etag)
        slugs = {f["properties"].get("slug") for f in response.json()["features"]}
        self.assertNotIn("sohar", slugs)

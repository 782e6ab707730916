from baladiyati.cities.models import Service
from baladiyati.open311.tests.support import Open311TestCase


class ServicesListTests(Open311TestCase):
    def test_it_lists_the_active_services_of_the_jurisdiction_in_json(self) -> None:
        body = self.json(self.get("services.json"))
        self.assertEqual([s["service_code"] for s in body], ["pothole", "streetlight"])
        pothole = body[0]
        self.assertEqual(pothole["service_name"], "حفرة في الطريق")
        self.assertIs(pothole["metadata"], True)
        self.assertEqual(pothole["type"], "realtime")
        self.assertEqual(pothole["group"], "الشوارع")

    def test_it_lists_services_in_xml(self) -> None:
        root = self.xml(self.get("services.xml", locale="en"))
        self.assertEqual(root.tag, "services")
        names = [s.findtext("service_name") for s in root.findall("service")]
        self.assertEqual(names, ["Pothole", "Street light out"])
        self.assertEqual(root.find("service/metadata").text, "true")  # type: ignore[union-attr]

    def test_accept_language_picks_english(self) -> None:
        response = self.client.get(
            "/open311/v2/services.json",
            {"jurisdiction_id": "muscat"},
            HTTP_ACCEPT_LANGUAGE="en-GB,en",
        )
        self.assertEqual(self.json(response)[0]["service_name"], "Pothole")
        self.assertEqual(response["Content-Language"], "en")

    def test_a_jurisdiction_id_is_required_when_several_cities_are_hosted(self) -> None:
        response = self.client.get("/open311/v2/services.json")
        self.assertSpecError(response, 400)

    def test_an_unknown_jurisdiction_is_not_found(self) -> None:
        self.assertSpecError(self.get("services.xml", jurisdiction_id="atlantis"), 404, fmt="xml")

    def test_another_jurisdiction_has_its_own_catalogue(self) -> None:
        body = self.json(self.get("services.json", jurisdiction_id="sohar"))
        self.assertEqual([s["service_name"] for s in body], ["حفرة"])

    def test_it_answers_304_when_the_etag_matches(self) -> None:
        first = self.get("services.json")
        self.assertTrue(first["ETag"])
        self.assertTrue(first["Last-Modified"])
        again = self.client.get(
            "/open311/v2/services.json",
            {"jurisdiction_id": "muscat"},
            HTTP_IF_NONE_MATCH=first["ETag"],
        )
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")

    def test_a_catalogue_change_changes_the_etag(self) -> None:
        first = self.get("services.json")
        Service.objects.filter(pk=self.pothole.pk).update(name_ar="حفرة عميقة")
        again = self.client.get(
            "/open311/v2/services.json",
            {"jurisdiction_id": "muscat"},
            HTTP_IF_NONE_MATCH=first["ETag"],
        )
        self.assertEqual(again.status_code, 200)
        self.assertNotEqual(again["ETag"], first["ETag"])

    def test_the_list_costs_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(2):
            self.get("services.json")

    def test_post_is_not_allowed(self) -> None:
        response = self.client.post("/open311/v2/services.json?jurisdiction_id=muscat")
        self.assertSpecError(response, 405)

from baladiyati.open311.tests.support import Open311TestCase


class DiscoveryTests(Open311TestCase):
    def test_it_lists_the_v2_endpoint_in_json(self) -> None:
        body = self.json(self.get("discovery.json"))
        endpoint = body["endpoints"][0]
        self.assertEqual(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertEqual(endpoint["url"], "http://testserver/open311/v2/")
        self.assertEqual(endpoint["formats"], ["text/xml", "application/json"])

    def test_it_lists_the_formats_in_xml(self) -> None:
        root = self.xml(self.get("discovery.xml"))
        self.assertEqual(root.tag, "discovery")
        formats = [f.text for f in root.iter("format")]
        self.assertEqual(formats, ["text/xml", "application/json"])

    def test_an_unknown_format_is_a_spec_error(self) -> None:
        response = self.get("discovery.html")
        self.assertSpecError(response, 404, fmt="xml")

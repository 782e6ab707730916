from baladiyati.open311.tests.support import Open311TestCase


class ServiceDefinitionTests(Open311TestCase):
    def test_it_describes_the_questions_in_json(self) -> None:
        body = self.json(self.get("services/pothole.json", locale="en"))
        self.assertEqual(body["service_code"], "pothole")
        size, depth = body["attributes"]
        self.assertEqual(size["code"], "size")
        self.assertEqual(size["datatype"], "singlevaluelist")
        self.assertIs(size["required"], True)
        self.assertIs(size["variable"], True)
        self.assertEqual(size["description"], "How big is the pothole?")
        self.assertEqual(
            size["values"], [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}]
        )
        self.assertEqual(depth["datatype"], "number")

    def test_it_describes_the_questions_in_xml_in_arabic(self) -> None:
        root = self.xml(self.get("services/streetlight.xml"))
        self.assertEqual(root.tag, "service_definition")
        attributes = root.findall("attributes/attribute")
        self.assertEqual([a.findtext("code") for a in attributes], ["pole", "hazards"])
        values = attributes[1].findall("values/value")
        self.assertEqual([v.findtext("name") for v in values], ["أسلاك مكشوفة", "ظلام تام"])

    def test_an_unknown_service_is_not_found(self) -> None:
        self.assertSpecError(self.get("services/nothing.json"), 404)

    def test_an_inactive_service_is_not_found(self) -> None:
        self.assertSpecError(self.get("services/retired.xml"), 404, fmt="xml")

    def test_another_jurisdictions_service_is_not_found(self) -> None:
        self.assertSpecError(self.get("services/streetlight.json", jurisdiction_id="sohar"), 404)

"""GET /report/services.json: forgiving service search for the report form."""

from __future__ import annotations

from .support import PortalTestCase


class ServiceSearchTests(PortalTestCase):
    def codes(self, text: str, municipality: str = "muscat") -> list[str]:
        response = self.client.get("/report/services.json", {"m": municipality, "q": text})
        self.assertEqual(response.status_code, 200)
        return [r["code"] for r in response.json()["results"]]

    def test_arabic_spellings_people_mix_all_find_the_service(self) -> None:
        for text in ("حفرة", "حفره", "الحفرة", "حُفْرَة", "حف", "الطريق"):
            with self.subTest(text=text):
                self.assertEqual(self.codes(text), ["pothole"])
        for text in ("انارة", "إنارة", "أنارة", "الإنارة"):
            with self.subTest(text=text):
                self.assertEqual(self.codes(text), ["streetlight"])

    def test_english_finds_the_service(self) -> None:
        self.assertEqual(self.codes("pothole"), ["pothole"])
        self.assertEqual(self.codes("Street LIGHT"), ["streetlight"])

    def test_an_empty_search_lists_every_active_service(self) -> None:
        self.assertEqual(self.codes(""), ["pothole", "streetlight"])

    def test_names_come_in_the_active_language(self) -> None:
        response = self.client.get("/report/services.json", {"m": "muscat", "q": "حفرة"})
        self.assertEqual(response.json()["results"][0]["name"], "حفرة في الطريق")
        self.english()
        response = self.client.get("/report/services.json", {"m": "muscat", "q": "حفرة"})
        self.assertEqual(response.json()["results"][0]["name"], "Pothole")

    def test_only_the_named_municipalitys_services_are_searched(self) -> None:
        response = self.client.get("/report/services.json", {"m": "sohar", "q": "إنارة"})
        self.assertEqual(response.json()["results"], [])

    def test_an_unknown_municipality_is_not_found(self) -> None:
        response = self.client.get("/report/services.json", {"m": "nowhere", "q": "x"})
        self.assertEqual(response.status_code, 404)

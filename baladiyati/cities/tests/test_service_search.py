"""Service.objects.search: forgiving Arabic and English search of the catalogue."""

from baladiyati.cities.models import Service
from baladiyati.testing import BaseTestCase


class ServiceSearchTests(BaseTestCase):
    def codes(self, text: str) -> set[str]:
        return set(Service.objects.of(self.muscat).search(text).values_list("code", flat=True))

    def test_arabic_spelling_variants_find_the_service(self) -> None:
        for typed in ["حفرة", "حفره", "الحفرة", "حُفْرَة", "حفـرة", "حف"]:
            with self.subTest(typed):
                self.assertIn("pothole", self.codes(typed))

    def test_alef_and_yaa_variants_find_the_service(self) -> None:
        self.assertIn("streetlight", self.codes("اناره"))
        self.assertIn("streetlight", self.codes("إنارة معطلة"))

    def test_english_is_case_insensitive_and_prefix_friendly(self) -> None:
        self.assertEqual(self.codes("POTH"), {"pothole"})
        self.assertEqual(self.codes("street light"), {"streetlight"})

    def test_every_word_must_match(self) -> None:
        self.assertEqual(self.codes("حفرة إنارة"), set())

    def test_another_municipalitys_services_are_not_searched(self) -> None:
        self.assertNotIn(
            self.sohar_pothole.pk,
            Service.objects.of(self.muscat).search("حفرة").values_list("pk", flat=True),
        )

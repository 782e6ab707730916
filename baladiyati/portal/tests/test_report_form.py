"""GET /report: the form for the municipality at the chosen place."""

from __future__ import annotations

import re

from baladiyati.cities.models import Municipality
from baladiyati.testing import MUTTRAH_POINT, OUTSIDE_POINT

from .support import PortalTestCase


class ReportFormTests(PortalTestCase):
    def test_it_is_arabic_and_right_to_left_by_default(self) -> None:
        response = self.client.get("/report")
        self.assertContains(response, '<html lang="ar" dir="rtl"')
        self.assertContains(response, "أين المشكلة؟")
        self.assertContains(response, "حفرة في الطريق")

    def test_it_is_english_and_left_to_right_after_the_switch(self) -> None:
        self.english()
        response = self.client.get("/report")
        self.assertContains(response, '<html lang="en" dir="ltr"')
        self.assertContains(response, "Where is the problem?")
        self.assertContains(response, "Pothole")

    def test_it_offers_the_active_services_of_the_municipality_in_groups(self) -> None:
        response = self.client.get("/report")
        self.assertContains(response, 'value="pothole"')
        self.assertContains(response, 'value="streetlight"')
        self.assertNotContains(response, 'value="retired"')
        self.assertContains(response, "<h3>الشوارع</h3>")

    def test_the_questions_are_rendered_from_their_definitions(self) -> None:
        self.english()
        html = self.text(self.client.get("/report"))
        # Single choice as radio buttons, number as a decimal text field, text, several
        # choices as check boxes; each with a label.
        self.assertIn('type="radio" name="a-pothole-size" value="small"', html)
        self.assertIn('inputmode="decimal" id="f-a-pothole-depth_cm"', html)
        self.assertIn('<label for="f-a-pothole-depth_cm">Depth in centimetres', html)
        self.assertIn('type="text" id="f-a-streetlight-pole"', html)
        self.assertIn('type="checkbox" name="a-streetlight-hazards" value="wires"', html)
        self.assertIn('data-kind="single" data-required', html)

    def test_every_control_has_a_label(self) -> None:
        html = self.text(self.client.get("/report"))
        controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
        visible = [c for c in controls if 'type="hidden"' not in c]
        ids = [re.search(r'\sid="([^"]+)"', c).group(1) for c in visible if ' id="' in c]  # type: ignore[union-attr]
        self.assertGreater(len(ids), 10)
        for control in ids:
            with self.subTest(control=control):
                self.assertIn(f'for="{control}"', html)

    def test_a_point_picks_the_municipality_and_its_wilayat(self) -> None:
        response = self.client.get(f"/report?lat={MUTTRAH_POINT[0]}&lon={MUTTRAH_POINT[1]}")
        self.assertEqual(response.context["municipality"], self.muscat)
        self.assertEqual(response.context["place"].district_id, self.muttrah.pk)
        self.assertContains(response, f'data-lat="{MUTTRAH_POINT[0]}"')

    def test_a_point_in_another_city_opens_that_citys_form(self) -> None:
        response = self.client.get(f"/report?lat={OUTSIDE_POINT[0]}&lon={OUTSIDE_POINT[1]}")
        self.assertEqual(response.context["municipality"], self.sohar)
        self.assertContains(response, 'name="m" value="sohar"')
        self.assertContains(response, "حفرة")

    def test_a_point_outside_every_municipality_says_so(self) -> None:
        self.english()
        response = self.client.get("/report?lat=21&lon=50")
        self.assertContains(
            response, "This place is outside the municipalities served by Baladiyati."
        )

    def test_the_wilayats_can_be_chosen_grouped_by_municipality(self) -> None:
        html = self.text(self.client.get("/report"))
        self.assertIn(f'<option value="{self.muttrah.pk}" data-municipality="muscat"', html)
        self.assertIn('<optgroup label="بلدية مسقط">', html)
        self.assertNotIn('<optgroup label="بلدية صحار">', html)  # no wilayats to choose there

    def test_digits_follow_the_preference(self) -> None:
        self.assertContains(
            self.client.get("/report"), '<span class="step-no" aria-hidden="true">١</span>'
        )
        self.client.cookies["baladiyati_digits"] = "latn"
        self.assertContains(
            self.client.get("/report"), '<span class="step-no" aria-hidden="true">1</span>'
        )

    def test_coordinates_are_never_written_with_a_decimal_comma(self) -> None:
        response = self.client.get("/report?lat=23.6&lon=58.5")
        self.assertContains(response, 'name="lat" id="f-lat" value="23.6"')

    def test_a_fresh_submission_id_comes_with_every_form(self) -> None:
        first = self.client.get("/report").context["submission_id"]
        second = self.client.get("/report").context["submission_id"]
        self.assertNotEqual(first, second)

    def test_it_reads_a_constant_number_of_queries(self) -> None:
        # Municipalities, their wilayats, the services with their groups, the questions.
        with self.assertNumQueries(4):
            self.client.get("/report")

    def test_without_any_active_municipality_it_says_so(self) -> None:
        Municipality.objects.update(is_active=False)
        response = self.client.get("/report")
        self.assertEqual(response.status_code, 503)

"""The plot's location: a pin on the portal's pick map (the municipality outlines), the
latitude/longitude fields kept for browsers without JavaScript, and the wilayat found from
the place shown on the applicant's page."""

from __future__ import annotations

from django.urls import reverse

from baladiyati.permits.models import Application
from baladiyati.permits.tests.world import FIELDS, PermitTestCase


class LocationPinTest(PermitTestCase):
    def test_the_new_application_form_carries_the_pick_map_and_the_typed_fallback(self) -> None:
        self.client.force_login(self.citizen)
        page = self.client.get(reverse("permits_web:new"))
        self.assertContains(page, 'data-map="pick"', count=1)
        self.assertContains(page, f'data-boundaries="{reverse("portal:boundaries")}"')
        self.assertContains(page, 'data-municipality="muscat"')
        self.assertContains(page, "/static/portal/vendor/leaflet/leaflet.js")
        self.assertContains(page, "/static/permits_web/plot_map.js")
        self.assertContains(page, "/static/portal/map.js")
        # the map is shown by the script; without it, the coordinates are typed
        self.assertContains(page, '<div id="plot-map-section" hidden>')
        self.assertContains(page, 'name="lat"')
        self.assertContains(page, 'name="lon"')

    def test_the_typed_coordinates_place_the_plot_and_the_page_names_its_wilayat(self) -> None:
        self.client.force_login(self.citizen)
        response = self.client.post(
            reverse("permits_web:new"),
            {**FIELDS, "permit_type": "muscat:new-major", "lat": "23.6", "lon": "58.6"},
        )
        application = Application.objects.get()
        self.assertRedirects(
            response, reverse("permits_web:application", args=[application.reference])
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, 'الولاية: <strong class="wilayat">مسقط</strong>', html=False)
        # the draft's map starts at the plot
        self.assertContains(page, 'data-lat="23.6')
        self.assertContains(page, 'data-municipality="muscat"')

    def test_the_wilayat_reads_in_english_after_the_switch(self) -> None:
        application = self.draft(lat="23.6", lon="58.45")
        self.client.force_login(self.citizen)
        self.client.cookies["baladiyati_language"] = "en"
        page = self.client.get(reverse("permits_web:application", args=[application.reference]))
        self.assertContains(page, 'Wilayat: <strong class="wilayat">Muttrah</strong>')

    def test_a_submitted_application_loads_no_map(self) -> None:
        application = self.submitted()
        self.client.force_login(self.citizen)
        page = self.client.get(reverse("permits_web:application", args=[application.reference]))
        self.assertNotContains(page, "leaflet.js")
        self.assertContains(page, '<strong class="wilayat">مسقط</strong>')

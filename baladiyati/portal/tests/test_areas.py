"""/areas: a signed-in citizen follows a wilayat or a circle around a point (optionally one
service), sees the areas they follow, and stops following one."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baladiyati.cases.actions import do_subscribe_area
from baladiyati.cases.models import AreaSubscription
from baladiyati.testing import MUTTRAH_POINT

from .support import PortalTestCase


class AreasPageTests(PortalTestCase):
    def follow(self, **data: str):
        return self.client.post("/areas", {"m": "muscat", **data})

    def test_signed_out_people_are_asked_to_sign_in(self) -> None:
        response = self.client.get("/areas")
        self.assertContains(response, "/signin?next=/areas")
        self.assertNotContains(response, 'id="area-form"')
        response = self.follow(kind="district", district=str(self.muttrah.pk))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/signin"))
        self.assertFalse(AreaSubscription.objects.exists())

    def test_the_settings_page_links_to_it(self) -> None:
        self.assertContains(self.client.get("/settings"), 'href="/areas"')

    def test_a_citizen_follows_a_wilayat(self) -> None:
        self.client.force_login(self.citizen)
        page = self.client.get("/areas")
        self.assertContains(page, "تابع منطقة")
        self.assertContains(page, self.muttrah.name_ar)
        response = self.follow(kind="district", district=str(self.muttrah.pk))
        self.assertRedirects(response, "/areas?m=muscat", fetch_redirect_response=False)
        sub = AreaSubscription.objects.get()
        self.assertEqual((sub.user, sub.district, sub.service), (self.citizen, self.muttrah, None))
        page = self.client.get(response["Location"])
        self.assertContains(page, f"/areas/{sub.pk}/stop")
        self.assertContains(page, "مطرح")

    def test_a_citizen_follows_a_circle_for_one_service_in_english(self) -> None:
        self.client.force_login(self.citizen)
        self.english()
        response = self.follow(
            kind="point",
            lat=str(MUTTRAH_POINT[0]),
            lon=str(MUTTRAH_POINT[1]),
            radius_m="500",
            service="pothole",
        )
        self.assertEqual(response.status_code, 302)
        sub = AreaSubscription.objects.get()
        self.assertEqual((sub.radius_m, sub.service), (500, self.pothole))
        self.assertIsNone(sub.district)
        page = self.client.get("/areas")
        self.assertContains(page, "metres of a point")
        self.assertContains(page, "Pothole")

    def test_a_point_outside_the_municipality_is_refused_in_both_languages(self) -> None:
        self.client.force_login(self.citizen)
        data = {"kind": "point", "lat": "24.35", "lon": "56.70", "radius_m": "500"}
        response = self.follow(**data)
        self.assertContains(response, "خارج", status_code=400)
        self.english()
        response = self.follow(**data)
        self.assertContains(response, "outside", status_code=400)
        self.assertFalse(AreaSubscription.objects.exists())

    def test_bad_choices_are_refused_with_clear_errors(self) -> None:
        self.client.force_login(self.citizen)
        self.english()
        response = self.follow(kind="district", district="")
        self.assertContains(response, "Choose a wilayat.", status_code=400)
        response = self.follow(kind="district", district=str(self.muttrah.pk), service="nope")
        self.assertContains(response, "Choose a service from the list.", status_code=400)
        response = self.follow(kind="district", district=str(self.muttrah.pk), service="retired")
        self.assertContains(response, "Choose a service from the list.", status_code=400)
        response = self.follow(
            kind="point", lat=str(MUTTRAH_POINT[0]), lon=str(MUTTRAH_POINT[1]), radius_m="50"
        )
        self.assertContains(response, "radius must be between", status_code=400)
        response = self.follow(kind="point", lat="x", lon="", radius_m="500")
        self.assertEqual(response.status_code, 400)
        # Another municipality's wilayat is not among this one's.
        response = self.client.post(
            "/areas", {"m": "sohar", "kind": "district", "district": str(self.muttrah.pk)}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(AreaSubscription.objects.exists())

    def test_a_citizen_stops_following_an_area(self) -> None:
        sub = do_subscribe_area(municipality=self.muscat, actor=self.citizen, district=self.muttrah)
        self.client.force_login(self.citizen)
        response = self.client.post(f"/areas/{sub.pk}/stop")
        self.assertRedirects(response, "/areas", fetch_redirect_response=False)
        sub.refresh_from_db()
        self.assertFalse(sub.is_active)
        self.assertNotContains(self.client.get("/areas"), f"/areas/{sub.pk}/stop")

    def test_nobody_stops_someone_elses_subscription(self) -> None:
        sub = do_subscribe_area(municipality=self.muscat, actor=self.citizen, district=self.muttrah)
        self.assertEqual(self.client.post(f"/areas/{sub.pk}/stop").status_code, 404)
        self.client.force_login(self.citizen2)
        self.assertEqual(self.client.post(f"/areas/{sub.pk}/stop").status_code, 404)
        self.assertEqual(self.client.get(f"/areas/{sub.pk}/stop").status_code, 405)
        sub.refresh_from_db()
        self.assertTrue(sub.is_active)
        self.assertNotContains(self.client.get("/areas"), self.muttrah.name_ar + "</span>")

    def test_the_list_costs_the_same_for_one_area_or_many(self) -> None:
        self.client.force_login(self.citizen)
        do_subscribe_area(municipality=self.muscat, actor=self.citizen, district=self.muttrah)
        with CaptureQueriesContext(connection) as one:
            self.client.get("/areas")
        do_subscribe_area(
            municipality=self.muscat, actor=self.citizen, district=self.muscat_wilayat
        )
        do_subscribe_area(
            municipality=self.muscat,
            actor=self.citizen,
            lat=MUTTRAH_POINT[0],
            lon=MUTTRAH_POINT[1],
            radius_m=800,
            service=self.streetlight,
        )
        with self.assertNumQueries(len(one)):
            response = self.client.get("/areas")
        self.assertEqual(len(response.context["subscriptions"]), 3)

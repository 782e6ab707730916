"""A signed-in citizen follows the area around a point chosen with the map's pin, in Arabic,
sees it in their list, and stops following it."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from baladiyati.cases.models import AreaSubscription
from baladiyati.testing import MUTTRAH_POINT

from .base import BrowserTestCase


class FollowAreaTests(BrowserTestCase):
    def sign_in(self) -> None:
        client = Client()
        client.force_login(self.citizen)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.url("/")}]
        )

    def test_a_citizen_follows_a_circle_around_the_pin_and_stops(self) -> None:
        self.sign_in()
        page = self.page
        page.goto(self.url("/settings"))
        page.click("#areas-link a")
        page.wait_for_url(self.url("/areas"))
        self.assertIn("تابع منطقة", page.inner_text("h1"))
        # With the map available, "around a point" is offered; choosing it shows the map.
        page.get_by_label("حول نقطة على الخريطة").check()
        page.wait_for_selector("#area-map .leaflet-overlay-pane path")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        move = "([la, lo]) => document.getElementById('area-map').baladiyatiMap.moveTo(la, lo, 15)"
        self.evaluate(move, list(MUTTRAH_POINT))
        page.wait_for_function(
            f"Math.abs(parseFloat(document.getElementById('f-lat').value) - {MUTTRAH_POINT[0]})"
            " < 0.0001"
        )
        page.select_option("#f-radius", value="500")
        page.select_option("#f-service", value="pothole")
        self.shot("circle-chosen")
        page.click("#area-form button[type=submit]")
        page.wait_for_selector("#my-areas form")
        sub = AreaSubscription.objects.get()
        self.assertEqual(
            (sub.radius_m, sub.service_id, sub.user_id), (500, self.pothole.pk, self.citizen.pk)
        )
        self.assertAlmostEqual(sub.lat or 0, MUTTRAH_POINT[0], places=4)
        self.assertAlmostEqual(sub.lon or 0, MUTTRAH_POINT[1], places=4)
        self.assertIn("حفرة في الطريق", page.inner_text("#my-areas"))
        self.shot("following")
        page.click("#my-areas form button")
        page.wait_for_selector("#my-areas .empty")
        sub.refresh_from_db()
        self.assertFalse(sub.is_active)
        self.shot("stopped")

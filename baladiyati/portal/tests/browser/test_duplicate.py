"""Before a report is sent, open reports of the same problem within 50 m are shown; "this is
my problem too" follows the existing case and makes no new one."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_submit_case
from baladiyati.cases.models import Case, CaseFollower, Channel
from baladiyati.testing import MUTTRAH_POINT

from .base import BrowserTestCase


class DuplicateSuggestionTests(BrowserTestCase):
    geolocation = {"lat": MUTTRAH_POINT[0] + 0.0002, "lon": MUTTRAH_POINT[1]}  # about 22 m away

    def test_my_problem_too_follows_the_existing_case(self) -> None:
        existing = do_submit_case(
            municipality=self.muscat,
            service_code="pothole",
            lat=MUTTRAH_POINT[0],
            lon=MUTTRAH_POINT[1],
            channel=Channel.APP,
            actor=self.citizen2,
            description="حفرة قرب الدوار",
            answers={"size": "large"},
        )
        page = self.page
        page.goto(self.url("/report"))
        page.wait_for_selector("#pick-map .leaflet-overlay-pane path")
        page.click("#locate-me")
        page.wait_for_function("document.getElementById('f-lat').value !== ''")
        page.click("#step-where [data-next]")
        page.click("label[for=s-pothole]")
        page.click("#step-what [data-next]")

        item = page.wait_for_selector(f".similar-item[data-reference='{existing.reference}']")
        assert item is not None
        self.assertIn("حفرة قرب الدوار", item.inner_text())
        self.shot("similar-shown")
        page.fill(".similar-item [data-follow-contact]", "neighbour@example.om")
        page.click(".similar-item [data-follow]")
        page.wait_for_selector("#report-finished")
        self.assertIn(existing.reference, page.inner_text("#report-finished"))
        self.shot("following")

        self.assertEqual(Case.objects.count(), 1)
        follower = CaseFollower.objects.get(case=existing, user=None)
        self.assertEqual(follower.contact_email, "neighbour@example.om")
        self.assertEqual(AnonymousUser().is_authenticated, False)

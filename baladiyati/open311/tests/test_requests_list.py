import datetime as dt
from urllib.parse import parse_qs, urlparse

from django.test.utils import override_settings

from baladiyati.cases.actions import do_acknowledge_case, do_reply_to_case, do_transition_case
from baladiyati.cases.models import Case
from baladiyati.core import clock
from baladiyati.open311.tests.support import Open311TestCase
from baladiyati.testing import MUSCAT_POINT, jpeg_bytes

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


class RequestsListTests(Open311TestCase):
    def setUp(self) -> None:
        with clock.frozen_at(NOW - dt.timedelta(days=3)):
            self.old = self.submit(description="قديمة")
        with clock.frozen_at(NOW - dt.timedelta(days=1)):
            self.light = self.submit(self.streetlight, lat=MUSCAT_POINT[0], lon=MUSCAT_POINT[1])
            do_acknowledge_case(self.light, actor=self.lighting_clerk)
            do_transition_case(self.light, "fixed", actor=self.lighting_clerk, message="تم الإصلاح")
        with clock.frozen_at(NOW):
            self.new = self.submit(description="جديدة")

    def list(self, fmt: str = "json", **query: object) -> object:
        with clock.frozen_at(NOW):
            return self.get(f"requests.{fmt}", **query)

    def test_it_lists_the_newest_first_with_spec_fields(self) -> None:
        body = self.json(self.list())
        self.assertEqual(
            [r["service_request_id"] for r in body],
            [self.new.reference, self.light.reference, self.old.reference],
        )
        first = body[0]
        self.assertEqual(first["status"], "open")
        self.assertEqual(first["service_code"], "pothole")
        self.assertEqual(first["requested_datetime"], "2026-11-25T14:00:00+04:00")
        self.assertTrue(first["expected_datetime"].endswith("+04:00"))
        self.assertEqual(first["agency_responsible"], "الطرق")
        self.assertIsInstance(first["lat"], float)
        self.assertIn("long", first)

    def test_it_lists_requests_in_xml(self) -> None:
        root = self.xml(self.list("xml"))
        self.assertEqual(root.tag, "service_requests")
        requests = root.findall("request")
        self.assertEqual(len(requests), 3)
        self.assertEqual(requests[1].findtext("status"), "closed")
        self.assertEqual(requests[1].findtext("status_notes"), "تمت المعالجة")
        self.assertEqual(requests[0].findtext("service_request_id"), self.new.reference)

    def test_it_filters_by_status(self) -> None:
        closed = self.json(self.list(status="closed"))
        self.assertEqual([r["service_request_id"] for r in closed], [self.light.reference])
        both = self.json(self.list(status="open,closed"))
        self.assertEqual(len(both), 3)

    def test_it_filters_by_service_codes(self) -> None:
        body = self.json(self.list(service_code="streetlight"))
        self.assertEqual([r["service_request_id"] for r in body], [self.light.reference])
        body = self.json(self.list(service_code="streetlight,pothole"))
        self.assertEqual(len(body), 3)

    def test_an_unknown_service_code_is_a_spec_error(self) -> None:
        self.assertSpecError(self.list(service_code="nope"), 400)

    def test_it_filters_by_date_range(self) -> None:
        body = self.json(
            self.list(start_date="2026-11-23T00:00:00+04:00", end_date="2026-11-24T23:00:00+04:00")
        )
        self.assertEqual([r["service_request_id"] for r in body], [self.light.reference])

    def test_a_plus_sign_sent_unencoded_in_an_offset_is_understood(self) -> None:
        with clock.frozen_at(NOW):
            response = self.client.get(
                "/open311/v2/requests.json?jurisdiction_id=muscat&start_date=2026-11-24T00:00:00+04:00"
            )
        self.assertEqual(len(self.json(response)), 2)

    def test_the_range_may_not_exceed_90_days(self) -> None:
        self.assertSpecError(
            self.list(start_date="2026-01-01T00:00:00Z", end_date="2026-06-01T00:00:00Z"), 400
        )

    def test_end_before_start_is_a_spec_error(self) -> None:
        self.assertSpecError(self.list(start_date="2026-11-24", end_date="2026-11-20"), 400, "json")

    def test_the_default_window_is_the_last_90_days(self) -> None:
        Case.objects.filter(pk=self.old.pk).update(created_at=NOW - dt.timedelta(days=91))
        body = self.json(self.list())
        self.assertNotIn(self.old.reference, [r["service_request_id"] for r in body])

    def test_service_request_id_overrides_the_other_filters(self) -> None:
        body = self.json(
            self.list(
                service_request_id=f"{self.old.reference},{self.light.reference}", status="open"
            )
        )
        self.assertEqual(
            {r["service_request_id"] for r in body}, {self.old.reference, self.light.reference}
        )

    def test_it_filters_by_updated_after(self) -> None:
        body = self.json(self.list(updated_after="2026-11-24T12:00:00+04:00"))
        self.assertEqual(
            [r["service_request_id"] for r in body], [self.new.reference, self.light.reference]
        )

    def test_it_filters_by_bbox(self) -> None:
        body = self.json(self.list(bbox="58.56,23.55,58.65,23.65"))
        self.assertEqual([r["service_request_id"] for r in body], [self.light.reference])

    def test_an_inverted_bbox_is_a_spec_error(self) -> None:
        self.assertSpecError(self.list(bbox="58.65,23.55,58.56,23.65"), 400)

    def test_it_filters_by_radius(self) -> None:
        body = self.json(
            self.list(lat=str(MUSCAT_POINT[0]), long=str(MUSCAT_POINT[1]), radius="100")
        )
        self.assertEqual([r["service_request_id"] for r in body], [self.light.reference])
        wide = self.json(
            self.list(lat=str(MUSCAT_POINT[0]), long=str(MUSCAT_POINT[1]), radius="20000")
        )
        self.assertEqual(len(wide), 3)

    def test_it_pages_with_headers_and_a_next_link(self) -> None:
        response = self.list(page_size="2")
        self.assertEqual(response["X-Result-Count"], "3")
        self.assertEqual(response["X-Page-Count"], "2")
        self.assertEqual(len(self.json(response)), 2)
        link = response["Link"]
        self.assertTrue(link.endswith('>; rel="next"'))
        query = parse_qs(urlparse(link[1 : link.index(">")]).query)
        self.assertEqual(query["page"], ["2"])
        self.assertEqual(query["page_size"], ["2"])
        last = self.list(page_size="2", page="2")
        self.assertEqual(len(self.json(last)), 1)
        self.assertNotIn("Link", last)
        # A page asked for is replaced, once, and every other parameter kept as sent.
        first = self.list(page="1", page_size="1", status="open,closed")
        link = first["Link"]
        query = parse_qs(urlparse(link[1 : link.index(">")]).query)
        self.assertEqual(query["page"], ["2"])
        self.assertEqual(query["status"], ["open,closed"])
        self.assertEqual(query["jurisdiction_id"], ["muscat"])

    def test_a_page_size_over_1000_is_a_spec_error(self) -> None:
        self.assertSpecError(self.list(page_size="1001"), 400)

    def test_extensions_add_detailed_status_notes_and_media(self) -> None:
        with clock.frozen_at(NOW):
            do_reply_to_case(self.old, "سيتم الإصلاح غدا", actor=self.clerk)
        body = self.json(self.list(extensions="true", service_request_id=self.light.reference))
        ext = body[0]["extended_attributes"]
        self.assertEqual(ext["detailed_status"], "fixed")
        self.assertEqual(
            [n["detailed_status"] for n in ext["notes"]], ["submitted", "acknowledged", "fixed"]
        )
        self.assertEqual(ext["notes"][-1]["description"], "تم الإصلاح")
        self.assertEqual(ext["wilayat"], "مسقط")

    def test_the_language_follows_locale(self) -> None:
        body = self.json(self.list(locale="en", service_request_id=self.light.reference))
        self.assertEqual(body[0]["service_name"], "Street light out")
        self.assertEqual(body[0]["status_notes"], "Fixed")

    def test_the_list_costs_a_constant_number_of_queries(self) -> None:
        # municipality, count, page (with the first photo's name: media_url)
        with self.assertNumQueries(3):
            self.list()
        with clock.frozen_at(NOW):
            for _ in range(5):
                self.submit()
        with self.assertNumQueries(3):
            body = self.json(self.list())
        self.assertEqual(len(body), 8)
        with self.assertNumQueries(6):  # + service codes, + all photos, + public updates
            self.list(extensions="true", service_code="pothole")


@override_settings(MEDIA_ROOT="/tmp/baladiyati-test-media")
class RequestMediaTests(Open311TestCase):
    def test_media_url_points_at_the_first_photo(self) -> None:
        case = self.submit(photos=[jpeg_bytes(), jpeg_bytes(color="blue")])
        body = self.json(self.get("requests.json", extensions="1"))
        self.assertTrue(body[0]["media_url"].startswith("http://testserver/media/cases/"))
        self.assertEqual(len(body[0]["extended_attributes"]["media_urls"]), 2)
        self.assertEqual(body[0]["service_request_id"], case.reference)

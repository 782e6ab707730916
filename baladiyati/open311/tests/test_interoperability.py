"""A real HTTP server, read by the PyPI client `georeport` and written with plain HTTP."""

from __future__ import annotations

import requests
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from georeport import GeoReport

from baladiyati.cases.models import Case
from baladiyati.open311.actions import do_issue_key
from baladiyati.testing import build_world


class GeoReportClientTests(StaticLiveServerTestCase):
    # Every test that flushes the database restores what migrations wrote (content types,
    # message templates) rather than re-creating it: re-created rows get other ids, and a
    # later serialized_rollback test could not restore its own (see conftest.py).
    serialized_rollback = True

    def setUp(self) -> None:
        build_world(self)  # the same municipalities and personas as BaseTestCase
        self.key = do_issue_key("Interop", actor=None)[1]
        self.root = f"{self.live_server_url}/open311/v2"

    def test_the_client_reads_services_and_definitions_in_json_and_xml(self) -> None:
        for fmt in ("json", "xml"):
            client = GeoReport(self.root, jurisdiction="muscat", output_format=fmt)
            services = client.get_service_list()
            self.assertEqual([s["service_code"] for s in services], ["pothole", "streetlight"])
            definition = client.get_service_definition("streetlight")
            attributes = definition["attributes"]
            if fmt == "xml":
                attributes = attributes["attribute"]
            self.assertEqual([a["code"] for a in attributes], ["pole", "hazards"])

    def test_the_client_reads_requests_posted_as_the_spec_shows(self) -> None:
        response = requests.post(
            f"{self.root}/requests.json",
            data={
                "api_key": self.key,
                "jurisdiction_id": "muscat",
                "service_code": "streetlight",
                "lat": "23.6",
                "long": "58.5",
                "email": "smit222@sfgov.edu",
                "device_id": "tt222111",
                "account_id": "123456",
                "first_name": "john",
                "last_name": "smith",
                "phone": "91234567",
                "description": "A light is out on the corniche",
                "media_url": "http://example.com/media/1.jpg",
                "attribute[pole]": "P-17",
                "attribute[hazards][]": ["wires", "dark"],
            },
            timeout=10,
        )
        self.assertEqual(response.status_code, 200, response.text)
        reference = response.json()[0]["service_request_id"]
        for fmt in ("json", "xml"):
            client = GeoReport(self.root, jurisdiction="muscat", output_format=fmt)
            one = client.get_service_request(reference)
            self.assertEqual(one["service_request_id"], reference)
            self.assertEqual(one["status"], "open")
            listed = client.get_service_requests(status="open", service_code="streetlight")
            if isinstance(listed, dict):  # xmltodict gives a dict for a single item
                listed = [listed]
            self.assertEqual([r["service_request_id"] for r in listed], [reference])
        # The multi-value attribute comes back as it went in.
        extended = requests.get(
            f"{self.root}/requests/{reference}.json",
            params={"jurisdiction_id": "muscat", "extensions": "true"},
            timeout=10,
        ).json()[0]["extended_attributes"]
        hazards = next(a for a in extended["attributes"] if a["code"] == "hazards")
        self.assertEqual(hazards["values"], ["wires", "dark"])
        self.assertEqual(Case.objects.get().answers["hazards"], ["wires", "dark"])

"""Malformed input at every endpoint: always a spec error (or a valid answer), never a 500,
and a refused POST writes nothing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisDjangoTestCase

from baladiyati.cases.models import Case, CaseUpdate
from baladiyati.core.models import AuditEvent
from baladiyati.open311.tests.support import Open311TestCase

BAD_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "2026-13-45",
            "2026-02-30T25:61:00",
            "yesterday",
            "9999-12-31T23:59:59+14:00",
            "0001-01-01T00:00:00-12:00",
            "1e308",
            "-1e308",
            "nan",
            "inf",
            "-0",
            "91",
            "-181",
            "58.7,23.7,58.4,23.5",
            "1,2,3",
            "a,b,c,d",
            "open,closed,lost",
            "<x>&amp;\"'</x>",
            "]]><!--",
            "\x00\x01\x02",
            "٢٠٢٦-١١-٢٥",
            "١٢٣",
            "attribute[",
            "MCT-2026-000001",
            "nothing",
            "pothole,nothing",
            "0",
            "-5",
            "1001",
            "99999999999999999999",
        ]
    ),
    st.text(max_size=60),
    st.text(min_size=4001, max_size=4100),
)
GET_PARAMS = [
    "jurisdiction_id",
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "updated_after",
    "bbox",
    "lat",
    "long",
    "radius",
    "extensions",
    "locale",
]
GET_PATHS = [
    "discovery.{f}",
    "services.{f}",
    "services/pothole.{f}",
    "services/{v}.{f}",
    "requests.{f}",
    "requests/{v}.{f}",
    "tokens/{v}.{f}",
    "servicerequestupdates.{f}",
]
POST_FIELDS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "email",
    "phone",
    "first_name",
    "last_name",
    "device_id",
    "media_url",
    "attribute[size]",
    "attribute[zzz]",
    "attribute[hazards][]",
    "service_request_id",
    "status",
    "update_id",
    "updated_datetime",
]
# Each of these alone makes a POST invalid, so every generated POST must be refused.
COMMON_POISON = [
    ("api_key", "b311_nope"),
    ("jurisdiction_id", "atlantis"),
    ("description", "x" * 4001),
]
POISON = {
    "requests": [
        *COMMON_POISON,
        ("service_code", "no-such-service"),
        ("lat", "95"),
        ("long", "abc"),
        ("email", "@@"),
        ("media_url", "ftp://x"),
        ("attribute[size]", "gigantic"),
        ("attribute[zzz]", "1"),
    ],
    "servicerequestupdates": [
        *COMMON_POISON,
        ("service_request_id", "MCT-2026-999999"),
        ("status", "EXPLODED"),
        ("status", "CLOSED"),
        ("updated_datetime", "yesterday"),
    ],
}
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


class BadInputTests(HypothesisDjangoTestCase, Open311TestCase):
    # Hypothesis' Django TestCase wraps every example in its own transaction.

    def setUp(self) -> None:
        self.case = self.submit()
        self.counts = self.state()

    def state(self) -> tuple[int, int, int]:
        return Case.objects.count(), CaseUpdate.objects.count(), AuditEvent.objects.count()

    def check_answer(self, response: Any, fmt: str) -> None:
        self.assertIn(response.status_code, (200, 304, 400, 403, 404, 405), response.content[:300])
        if response.status_code in (200, 304) or not response.content:
            return
        if fmt == "xml" or not response["Content-Type"].startswith("application/json"):
            root = ET.fromstring(response.content)
            self.assertEqual(root.tag, "errors")
            self.assertEqual(root.findtext("error/code"), str(response.status_code))
        else:
            body = json.loads(response.content)
            self.assertEqual(body[0]["code"], response.status_code)
            self.assertTrue(body[0]["description"])

    @SETTINGS
    @given(
        path=st.sampled_from(GET_PATHS),
        fmt=st.sampled_from(["json", "xml"]),
        value=BAD_VALUES,
        query=st.dictionaries(st.sampled_from(GET_PARAMS), BAD_VALUES, max_size=5),
    )
    def test_every_get_endpoint_answers_bad_parameters_with_a_spec_error(
        self, path: str, fmt: str, value: str, query: dict[str, str]
    ) -> None:
        segment = quote(value.replace("/", "").replace(".", ""), safe="")[:90] or "x"
        url = "/open311/v2/" + path.format(f=fmt, v=segment)
        response = self.client.get(url, {"jurisdiction_id": "muscat", **query})
        self.check_answer(response, fmt)

    @SETTINGS
    @given(
        endpoint=st.sampled_from(["requests", "servicerequestupdates"]),
        fmt=st.sampled_from(["json", "xml"]),
        poison_index=st.integers(min_value=0, max_value=20),
        fields=st.dictionaries(st.sampled_from(POST_FIELDS), BAD_VALUES, max_size=6),
    )
    def test_every_post_refuses_bad_input_and_writes_nothing(
        self, endpoint: str, fmt: str, poison_index: int, fields: dict[str, str]
    ) -> None:
        poisons = POISON[endpoint]
        poison = poisons[poison_index % len(poisons)]
        data = {
            "jurisdiction_id": "muscat",
            "api_key": self.raw_backend_key,
            "service_code": "pothole",
            "lat": "23.6",
            "long": "58.5",
            "attribute[size]": "small",
            "service_request_id": self.case.reference,
            "status": "IN_PROGRESS",
            **fields,
        }
        data[poison[0]] = poison[1]
        response = self.client.post(f"/open311/v2/{endpoint}.{fmt}", data)
        self.assertNotEqual(response.status_code, 200, (data, response.content[:300]))
        self.check_answer(response, fmt)
        self.assertEqual(self.state(), self.counts)

    def test_a_nul_byte_in_an_id_or_a_filter_is_a_spec_error(self) -> None:
        # PostgreSQL refuses NUL in text: it must never reach a query (it answered 500).
        for url in [
            "tokens/a%00b.json?jurisdiction_id=muscat",
            "requests/a%00b.xml?jurisdiction_id=muscat",
            "services/a%00b.json?jurisdiction_id=muscat",
            "requests.json?jurisdiction_id=muscat&service_request_id=a%00b",
            "requests.json?jurisdiction_id=mus%00cat",
            "servicerequestupdates.json?jurisdiction_id=muscat&service_request_id=a%00b",
        ]:
            with self.subTest(url):
                response = self.client.get("/open311/v2/" + url)
                self.assertEqual(response.status_code, 400)
                self.check_answer(response, "xml" if ".xml" in url else "json")

    def test_non_utf8_bytes_in_a_query_string_are_a_spec_error_or_ignored(self) -> None:
        for query in [
            "jurisdiction_id=%FF%FE",
            "jurisdiction_id=muscat&service_code=%C3%28",
            "jurisdiction_id=muscat&start_date=%80%81",
        ]:
            response = self.client.get(f"/open311/v2/requests.xml?{query}")
            self.check_answer(response, "xml")

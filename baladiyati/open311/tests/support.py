from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

from baladiyati.open311.actions import do_issue_key
from baladiyati.testing import BaseTestCase

BASE = "/open311/v2/"


class Open311TestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.key, cls.raw_key = do_issue_key("Test app", actor=None)
        cls.backend_key, cls.raw_backend_key = do_issue_key(
            "Roads works system", actor=None, municipality=cls.muscat, user=cls.supervisor
        )

    def get(self, path: str, **query: Any) -> HttpResponse:
        query.setdefault("jurisdiction_id", "muscat")
        query = {k: v for k, v in query.items() if v is not None}
        return self.client.get(BASE + path, query)

    def post(self, path: str, data: dict[str, Any], **headers: Any) -> HttpResponse:
        data = {"jurisdiction_id": "muscat", **data}
        return self.client.post(BASE + path, data, **headers)

    def json(self, response: HttpResponse) -> Any:
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        return json.loads(response.content)

    def xml(self, response: HttpResponse) -> ET.Element:
        self.assertEqual(response["Content-Type"], "text/xml; charset=utf-8")
        self.assertTrue(response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>'))
        return ET.fromstring(response.content)

    def assertSpecError(self, response: HttpResponse, status: int, fmt: str = "json") -> str:
        self.assertEqual(response.status_code, status, response.content[:500])
        if fmt == "xml":
            root = self.xml(response)
            self.assertEqual(root.tag, "errors")
            error = root.find("error")
            assert error is not None
            self.assertEqual(error.findtext("code"), str(status))
            return error.findtext("description") or ""
        body = self.json(response)
        self.assertIsInstance(body, list)
        self.assertEqual(body[0]["code"], status)
        self.assertTrue(body[0]["description"])
        return str(body[0]["description"])

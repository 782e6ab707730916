"""The production entry point (baladiyati.wsgi): Open311 on the machines' middleware chain,
every other path on the site's whole chain (handlers.py).

Django's test client always runs the whole MIDDLEWARE; these tests call the application
that granian and gunicorn serve, as a WSGI server does.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from baladiyati.cases.models import Case, Channel
from baladiyati.handlers import environ
from baladiyati.open311.tests.support import Open311TestCase
from baladiyati.wsgi import application


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


def call(method: str, path: str, query: str = "", body: bytes = b"", **headers: str) -> Answer:
    names = {name.replace("_", "-"): value for name, value in headers.items()}
    env = environ(f"{path}?{query}", body, names, host="testserver")
    env["REQUEST_METHOD"] = method
    started: list[Any] = []
    chunks = application(env, lambda status, hdrs: started.append((status, hdrs)))
    try:
        content = b"".join(chunks)
    finally:
        chunks.close()  # type: ignore[attr-defined]
    return Answer(started[0][0], started[0][1], content)


def chain(handler: Any) -> set[str]:
    """The middleware classes a handler runs that look at the view or the response."""
    hooks = [*handler._view_middleware, *handler._template_response_middleware]
    return {type(hook.__self__).__name__ for hook in hooks}


class ProductionApplicationTests(Open311TestCase):
    def setUp(self) -> None:
        super().setUp()
        # As Django's test client does: the request's end must not close the connection
        # that holds the test's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)

    def test_open311_runs_the_machines_shorter_chain_and_pages_the_whole_one(self) -> None:
        self.assertIn("CsrfViewMiddleware", chain(application.site))
        self.assertNotIn("CsrfViewMiddleware", chain(application.machines))
        self.assertLess(len(settings.MACHINE_MIDDLEWARE), len(settings.MIDDLEWARE))
        self.assertTrue(set(settings.MACHINE_MIDDLEWARE) <= set(settings.MIDDLEWARE))

    def test_it_lists_requests_in_json_and_xml_with_the_security_headers(self) -> None:
        case = self.submit()
        answer = call("GET", "/open311/v2/requests.json", "jurisdiction_id=muscat")
        self.assertEqual(answer.status_code, 200, answer.body[:300])
        self.assertEqual(answer.header("Content-Type"), "application/json; charset=utf-8")
        ids = [row["service_request_id"] for row in json.loads(answer.body)]
        self.assertEqual(ids, [case.reference])
        self.assertEqual(answer.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(answer.header("X-Frame-Options"), "DENY")
        self.assertEqual(answer.all("Set-Cookie"), [])

        xml = call("GET", "/open311/v2/requests.xml", "jurisdiction_id=muscat")
        self.assertEqual(xml.status_code, 200)
        self.assertIn(case.reference.encode(), xml.body)

    def test_it_answers_in_the_language_asked(self) -> None:
        self.submit()
        arabic = call("GET", "/open311/v2/services.json", "jurisdiction_id=muscat")
        english = call("GET", "/open311/v2/services.json", "jurisdiction_id=muscat&locale=en")
        names = {row["service_code"]: row["service_name"] for row in json.loads(english.body)}
        self.assertEqual(names[self.pothole.code], self.pothole.name_en)
        names = {row["service_code"]: row["service_name"] for row in json.loads(arabic.body)}
        self.assertEqual(names[self.pothole.code], self.pothole.name_ar)

    def test_it_files_a_request_once_and_refuses_a_bad_one_in_the_language_asked(self) -> None:
        form = {
            "api_key": self.raw_key,
            "jurisdiction_id": "muscat",
            "service_code": self.pothole.code,
            "lat": "23.6135",
            "long": "58.5922",
            "attribute[size]": "large",
            "description": "حفرة",
        }
        body = urlencode(form).encode()
        first = call("POST", "/open311/v2/requests.json", body=body, IDEMPOTENCY_KEY="k-1")
        again = call("POST", "/open311/v2/requests.json", body=body, IDEMPOTENCY_KEY="k-1")
        self.assertEqual(first.status_code, 200, first.body[:300])  # as the spec shows
        self.assertEqual(json.loads(first.body), json.loads(again.body))
        self.assertEqual(Case.objects.filter(channel=Channel.OPEN311).count(), 1)

        bad = urlencode({**form, "lat": "0", "long": "0"}).encode()
        refused = call("POST", "/open311/v2/requests.json", body=bad, ACCEPT_LANGUAGE="en")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("outside", json.loads(refused.body)[0]["description"])
        self.assertEqual(Case.objects.filter(channel=Channel.OPEN311).count(), 1)

    def test_pages_still_get_the_session_csrf_and_sign_in_chain(self) -> None:
        page = call("GET", "/signin")
        self.assertEqual(page.status_code, 200)
        cookies = " ".join(page.all("Set-Cookie"))
        self.assertIn(settings.CSRF_COOKIE_NAME, cookies)
        refused = call("POST", "/signin", body=b"identifier=%2B96891234567")
        self.assertEqual(refused.status_code, 403)  # no CSRF token: the site's chain ran

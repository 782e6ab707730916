from unittest import mock

from django.db import DatabaseError
from django.test import TestCase


class HealthzTests(TestCase):
    def test_it_reports_the_database_is_reachable(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "ok")
        self.assertIn(response.json()["database"], ("sqlite", "postgresql"))
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_answers_503_when_the_database_fails(self) -> None:
        with mock.patch(
            "django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError
        ):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "error", "database": "unreachable"})

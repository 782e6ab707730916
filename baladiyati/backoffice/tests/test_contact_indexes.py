"""The look-ups of a person by phone or email (1111 screen, Citizen 360) read an index.

The real requests are made, their SQL captured and the database asked for its plan (as in
open311/tests/test_indexes.py). On PostgreSQL sequential scans are switched off for the
EXPLAIN, so that the tiny test table does not hide a missing index.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baladiyati.cases.actions import Contact

from .support import BackofficeTestCase


class ContactLookupIndexTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.submit()
        self.submit(actor=AnonymousUser(), contact=self.anonymous)
        # Other callers, so that PostgreSQL's statistics tell the two indexes apart (on a
        # table of two rows every plan costs the same and the planner picks either).
        for n in range(12):
            self.submit(
                actor=AnonymousUser(),
                contact=Contact(phone=f"+9689100{n:04d}", email=f"caller{n}@example.om"),
                description=f"حفرة رقم {n}",
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_case")
        self.sign_in(self.agent)

    def plan(self, sql: str) -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                return "\n".join(str(row[-1]) for row in cursor.fetchall())
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())

    def lookups(self, column: str, path: str, **query: str) -> list[str]:
        """The SQL of the requests' reads of cases by `column`."""
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path, query)
        self.assertIn(response.status_code, (200, 302), response.content)
        selects = [
            q["sql"]
            for q in captured
            if q["sql"].startswith("SELECT")
            and 'FROM "cases_case"' in q["sql"]
            and f'"cases_case"."{column}" =' in q["sql"]
        ]
        self.assertTrue(selects, captured.captured_queries)
        return selects

    def assertUsesIndex(self, sql: str, index: str) -> None:
        plan = self.plan(sql)
        self.assertIn(index, plan)
        if connection.vendor == "sqlite":
            self.assertNotIn("SCAN cases_case\n", plan + "\n")
        else:
            self.assertNotIn("Seq Scan on cases_case", plan)

    def test_the_callers_history_by_phone_uses_the_phone_index(self) -> None:
        for sql in self.lookups("contact_phone", "/backoffice/call/history", phone="99887766"):
            self.assertUsesIndex(sql, "case_contact_phone")

    def test_finding_a_person_by_phone_uses_the_phone_index(self) -> None:
        for sql in self.lookups("contact_phone", "/backoffice/citizens", q="99887766"):
            self.assertUsesIndex(sql, "case_contact_phone")

    def test_finding_a_person_by_email_uses_the_email_index(self) -> None:
        for sql in self.lookups("contact_email", "/backoffice/citizens", q="hamad@example.om"):
            self.assertUsesIndex(sql, "case_contact_email")

    def test_the_contact_page_by_email_uses_the_email_index(self) -> None:
        for sql in self.lookups("contact_email", "/backoffice/contact", email="hamad@example.om"):
            self.assertUsesIndex(sql, "case_contact_email")

"""The inbox's "Unassigned" and "Mine" counts read the assignee index, not the table.

With a million cases SQLite (no statistics) counted unassigned open cases through
case_status_created, reading every open case's row for its assignee: 300–650 ms a page
(docs/benchmarks.md). The real page is requested, the counts' SQL captured and the database
asked for its plan (as in test_contact_indexes.py). On PostgreSQL sequential scans are
switched off for the EXPLAIN, so that the tiny test table does not hide a missing index.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .support import BackofficeTestCase


class InboxCountIndexTest(BackofficeTestCase):
    def setUp(self) -> None:
        for n in range(12):
            self.submit(description=f"حفرة رقم {n}")
            self.submit(self.streetlight, description=f"عمود إنارة رقم {n}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_case")

    def plan(self, sql: str, params: Any = None) -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                return "\n".join(str(row[-1]) for row in cursor.fetchall())
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    def counts(self, user: Any, condition: str) -> list[str]:
        """The SQL of the inbox page's counts of cases with `condition` on the assignee."""
        self.sign_in(user)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get("/backoffice/")
        self.assertEqual(response.status_code, 200)
        found = [
            q["sql"]
            for q in captured
            if q["sql"].startswith("SELECT COUNT")
            and f'"cases_case"."assignee_id" {condition}' in q["sql"]
        ]
        self.assertTrue(found, [q["sql"] for q in captured])
        return found

    def assertUsesIndex(self, sql: str, index: str, *, department: bool = False) -> None:
        plan = self.plan(sql)
        self.assertIn(index, plan)
        if connection.vendor == "sqlite":
            self.assertNotIn("SCAN cases_case\n", plan + "\n")
            # Every condition is sought in the index, which covers the count (no table reads).
            sought = "assignee_id=? AND municipality_id=? AND status=?"
            self.assertIn(sought + (" AND department_id=?" if department else ""), plan)
            self.assertIn("COVERING INDEX", plan)
        else:
            self.assertNotIn("Seq Scan on cases_case", plan)

    def test_a_supervisors_unassigned_count_seeks_the_assignee_index(self) -> None:
        for sql in self.counts(self.supervisor, "IS NULL"):
            self.assertUsesIndex(sql, "case_assignee")

    def test_a_clerks_unassigned_count_seeks_the_assignee_index(self) -> None:
        for sql in self.counts(self.clerk, "IS NULL"):
            self.assertUsesIndex(sql, "case_assignee", department=True)

    def test_the_mine_count_seeks_the_assignee_index(self) -> None:
        for sql in self.counts(self.clerk, "="):
            self.assertUsesIndex(sql, "case_assignee", department=True)

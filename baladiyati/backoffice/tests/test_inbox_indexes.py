"""The inbox's "Unassigned" and "Mine" counts read the assignee index, not the table.

With a million cases SQLite (no statistics) counted unassigned open cases through
case_status_created, reading every open case's row for its assignee: 300–650 ms a page
(docs/benchmarks.md). The real page is requested, the counts' SQL captured and the database
asked for its plan (as in test_contact_indexes.py). On PostgreSQL sequential scans are
switched off for the EXPLAIN, so that the tiny test table does not hide a missing index.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baladiyati.cases.bulk import NewCase, insert_cases
from baladiyati.cases.models import Channel, Status
from baladiyati.core import clock
from baladiyati.testing import MUTTRAH_POINT

from .support import BackofficeTestCase


class InboxCountIndexTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.now = clock.now()
        for n in range(12):
            self.submit(description=f"حفرة رقم {n}")
            self.submit(self.streetlight, description=f"عمود إنارة رقم {n}")
        # As in a city at work, most open cases have someone on them: PostgreSQL's
        # statistics then see that "no assignee" is worth an index (on a table of unassigned
        # cases every plan costs the same and the planner picks any).
        working = [
            NewCase(
                service_id=(self.pothole if n % 2 else self.streetlight).pk,
                created_at=self.now - dt.timedelta(hours=n),
                acknowledged_at=self.now - dt.timedelta(hours=n),
                status=Status.IN_PROGRESS,
                lat=MUTTRAH_POINT[0],
                lon=MUTTRAH_POINT[1],
                channel=Channel.WEB,
                assignee_id=self.agent.pk,
            )
            for n in range(1, 1500)
        ]
        insert_cases(self.muscat, working)
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
            # One municipality in the test data: PostgreSQL seeks the assignee alone and
            # filters the rest, which its statistics tell it is as cheap.
            self.assertIn("Index Cond: (", plan)
            self.assertIn("assignee_id", plan.split("Index Cond: (", 1)[1].splitlines()[0])

    def test_a_supervisors_unassigned_count_seeks_the_assignee_index(self) -> None:
        for sql in self.counts(self.supervisor, "IS NULL"):
            self.assertUsesIndex(sql, "case_assignee")

    def test_a_clerks_unassigned_count_seeks_the_assignee_index(self) -> None:
        for sql in self.counts(self.clerk, "IS NULL"):
            self.assertUsesIndex(sql, "case_assignee", department=True)

    def test_the_mine_count_seeks_the_assignee_index(self) -> None:
        for sql in self.counts(self.clerk, "="):
            self.assertUsesIndex(sql, "case_assignee", department=True)

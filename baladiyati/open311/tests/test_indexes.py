"""Every filter the Open311 API offers is answered from an index, on SQLite and PostgreSQL.

The real requests are made, their SQL captured, and the database asked for its plan. On
PostgreSQL, sequential scans are switched off for the EXPLAIN so that the (tiny) test table
does not hide a missing index: if no index can serve the filter, the plan still scans.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baladiyati.open311.tests.support import Open311TestCase

FILTERS = {
    "default window": {},
    "status": {"status": "open"},
    "service": {"service_code": "pothole"},
    "updated_after": {"updated_after": "2026-11-01T00:00:00+04:00"},
    "bbox": {"bbox": "58.45,23.55,58.60,23.65"},
    "radius": {"lat": "23.6", "long": "58.5", "radius": "300"},
    "ids": {"service_request_id": "MCT-2026-000001,MCT-2026-000002"},
}


class Open311IndexTests(Open311TestCase):
    def plan(self, sql: str) -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                return "\n".join(str(row[-1]) for row in cursor.fetchall())
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())

    def list_query(self, path: str, table: str, **query: str) -> str:
        with CaptureQueriesContext(connection) as captured:
            response = self.get(path, **query)
        self.assertEqual(response.status_code, 200, response.content)
        selects = [
            q["sql"]
            for q in captured
            if q["sql"].startswith("SELECT")
            and "LIMIT" in q["sql"]
            and f'FROM "{table}"' in q["sql"]
        ]
        self.assertTrue(selects, captured.captured_queries)
        return selects[-1]

    def assertUsesIndex(self, plan: str, table: str) -> None:
        if connection.vendor == "sqlite":
            scans = [line for line in plan.splitlines() if line.startswith(f"SCAN {table}")]
            self.assertEqual(scans, [], plan)
            self.assertIn("USING", plan)
        else:
            self.assertNotIn(f"Seq Scan on {table}", plan)
            self.assertIn("Index", plan)

    def test_each_requests_filter_uses_an_index(self) -> None:
        self.submit()
        for name, query in FILTERS.items():
            with self.subTest(name):
                sql = self.list_query("requests.json", "cases_case", **query)
                self.assertUsesIndex(self.plan(sql), "cases_case")

    def test_the_updates_window_uses_an_index(self) -> None:
        self.submit()
        sql = self.list_query("servicerequestupdates.json", "cases_caseupdate")
        self.assertUsesIndex(self.plan(sql), "cases_caseupdate")

    def test_pages_narrowed_by_place_or_closed_status_read_the_published_index(self) -> None:
        # SQLite has no planner statistics: left to itself it read these pages through
        # case_created and checked place and status in the table row by row (600 ms for a
        # bbox of open requests with a million cases). PostgreSQL chooses with statistics.
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL plans from its statistics")
        self.submit()
        for name, query in {
            "bbox": FILTERS["bbox"],
            "bbox, open": {**FILTERS["bbox"], "status": "open"},
            "radius, open": {**FILTERS["radius"], "status": "open"},
            "closed": {"status": "closed"},
        }.items():
            with self.subTest(name):
                sql = self.list_query("requests.json", "cases_case", **query)
                plan = self.plan(sql)
                self.assertIn("USING INDEX case_public_created", plan)
                # Read in the index's order: no sorting of rows of equal times apart.
                self.assertNotIn("RIGHT PART OF ORDER BY", plan)

    def test_counting_what_changed_since_reads_the_changes_alone(self) -> None:
        # The bounded count of `updated_after` scanned the whole window on SQLite (50-150 ms
        # with a million cases) until pointed at case_updated.
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL plans from its statistics")
        self.submit()
        with CaptureQueriesContext(connection) as captured:
            response = self.get("requests.json", **FILTERS["updated_after"])
        self.assertEqual(response.status_code, 200, response.content)
        counts = [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*)")]
        self.assertEqual(len(counts), 1, captured.captured_queries)
        self.assertIn("USING INDEX case_updated", self.plan(counts[0]))

"""Bulk-inserted open cases (seed_demo --cases, import_open311) get their SLA clock, as a
submitted case does, so that the deadline scan finds them; closed ones get none."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

from baladiyati.cases.bulk import NewCase, generate_cases, insert_cases
from baladiyati.cases.models import CLOSED_STATUSES, OPEN_STATUSES, Case, Channel, Status
from baladiyati.cases.tasks import scan
from baladiyati.cases.tests.support import WEDNESDAY, muscat
from baladiyati.core import clock
from baladiyati.testing import MUTTRAH_POINT, BaseTestCase

LATER = muscat(2027, 6, 1, 10, 0)  # every generated or imported deadline has passed


class BulkSlaClockTest(BaseTestCase):
    def run_scan(self) -> int:
        with clock.frozen_at(LATER), self.captureOnCommitCallbacks(execute=True):
            return scan(limit=10_000).checked

    def test_an_inserted_open_case_gets_the_clock_the_submit_action_starts(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            submitted = self.submit()
        insert_cases(
            self.muscat,
            [
                NewCase(
                    service_id=self.pothole.pk,
                    created_at=WEDNESDAY,
                    lat=MUTTRAH_POINT[0],
                    lon=MUTTRAH_POINT[1],
                    channel=Channel.WEB,
                    external_source="test",
                    external_id="1",
                )
            ],
        )
        inserted = Case.objects.get(external_id="1")
        for name in ("due_at", "sla_started_at", "sla_warn_at", "sla_next_check_at"):
            self.assertEqual(getattr(inserted, name), getattr(submitted, name), name)
        self.assertIsNotNone(inserted.sla_next_check_at)

    def test_a_reopened_case_counts_from_its_reopening(self) -> None:
        reopened_at = muscat(2026, 11, 26, 9, 0)
        insert_cases(
            self.muscat,
            [
                NewCase(
                    service_id=self.pothole.pk,
                    created_at=WEDNESDAY - dt.timedelta(days=20),
                    acknowledged_at=WEDNESDAY - dt.timedelta(days=19),
                    updated_at=reopened_at,
                    status=Status.REOPENED,
                    reopen_count=1,
                    lat=MUTTRAH_POINT[0],
                    lon=MUTTRAH_POINT[1],
                    channel=Channel.WEB,
                    external_source="test",
                    external_id="r",
                )
            ],
        )
        case = Case.objects.get(external_id="r")
        self.assertEqual(case.sla_started_at, reopened_at)
        self.assertEqual(case.sla_next_check_at, case.sla_warn_at)
        assert case.sla_warn_at is not None and case.due_at is not None
        self.assertLess(reopened_at, case.sla_warn_at)
        self.assertLess(case.sla_warn_at, case.due_at)

    def test_generated_open_cases_are_found_by_the_scan_and_closed_ones_are_not(self) -> None:
        generate_cases(self.muscat, 60, seed=3, days=30, end=WEDNESDAY)
        cases = Case.objects.filter(municipality=self.muscat)
        open_ids = set(cases.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
        closed_ids = set(cases.filter(status__in=CLOSED_STATUSES).values_list("pk", flat=True))
        self.assertTrue(open_ids)
        self.assertTrue(closed_ids)
        self.assertFalse(cases.filter(pk__in=closed_ids, sla_next_check_at__isnull=False))

        self.assertEqual(self.run_scan(), len(open_ids))

        breached = set(cases.filter(breached_at__isnull=False).values_list("pk", flat=True))
        self.assertEqual(breached, open_ids)
        self.assertFalse(cases.filter(pk__in=closed_ids, sla_warned_at__isnull=False))

    def test_imported_open_cases_are_found_by_the_scan_and_closed_ones_are_not(self) -> None:
        def request(rid: str, **fields: str) -> dict[str, object]:
            return {
                "service_request_id": rid,
                "status": "open",
                "service_code": "pothole",
                "description": f"Pothole {rid}",
                "requested_datetime": "2026-10-01T09:00:00+04:00",
                "updated_datetime": "2026-10-02T10:00:00+04:00",
                "lat": MUTTRAH_POINT[0],
                "long": MUTTRAH_POINT[1],
                **fields,
            }

        path = Path(tempfile.mkdtemp()) / "requests.json"
        path.write_text(
            json.dumps(
                [
                    request("open"),
                    request("due", expected_datetime="2026-10-05T12:00:00+04:00"),
                    request("closed", status="closed"),
                ]
            ),
            encoding="utf-8",
        )
        with translation.override("en"):
            call_command(
                "import_open311",
                str(path),
                "--municipality",
                "muscat",
                "--source-name",
                "old-311",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
        imported = {c.external_id: c for c in Case.objects.filter(external_source="old-311")}
        self.assertEqual(set(imported), {"open", "due", "closed"})
        self.assertEqual(imported["open"].sla_next_check_at, imported["open"].sla_warn_at)
        # A due time given by the other server: no warning time, first checked when due.
        self.assertIsNone(imported["due"].sla_warn_at)
        self.assertEqual(imported["due"].sla_next_check_at, imported["due"].due_at)
        self.assertIsNone(imported["closed"].sla_next_check_at)

        self.assertEqual(self.run_scan(), 2)

        fresh = {c.external_id: c for c in Case.objects.filter(external_source="old-311")}
        self.assertIsNotNone(fresh["open"].breached_at)
        self.assertIsNotNone(fresh["due"].breached_at)
        self.assertIsNone(fresh["closed"].breached_at)
        self.assertIsNone(fresh["closed"].sla_warned_at)

"""manage.py export_cases: a municipality's requests as CSV or GeoReport JSON, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.utils import translation

from baladiyati.cases.actions import do_acknowledge_case, do_transition_case
from baladiyati.cases.models import Case
from baladiyati.core import clock
from baladiyati.open311.exporter import CSV_COLUMNS, ExportFilter, export
from baladiyati.open311.tests.support import Open311TestCase

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


class ExportCasesTests(Open311TestCase):
    def setUp(self) -> None:
        with clock.frozen_at(NOW - dt.timedelta(days=40)):
            self.old = self.submit(description="قديمة")
        with clock.frozen_at(NOW - dt.timedelta(days=2)):
            self.anonymous_case = self.submit(
                actor=AnonymousUser(), contact=self.anonymous, description="بلاغ بدون حساب"
            )
            do_acknowledge_case(self.anonymous_case, actor=self.clerk)
            do_transition_case(self.anonymous_case, "fixed", actor=self.clerk, message="تم")
        with clock.frozen_at(NOW):
            self.private = self.submit(is_private=True, description="خاص")
            self.new = self.submit(description="جديدة")

    def export(self, *args: str) -> str:
        out = io.StringIO()
        with translation.override("en"):
            call_command("export_cases", "--municipality", "muscat", *args, stdout=out)
        return out.getvalue()

    def test_georeport_json_parses_back_oldest_first_one_request_per_line(self) -> None:
        text = self.export()

        body = json.loads(text)
        self.assertEqual(
            [r["service_request_id"] for r in body],
            [self.old.reference, self.anonymous_case.reference, self.new.reference],
        )
        fixed = body[1]
        self.assertEqual(fixed["status"], "closed")
        self.assertEqual(fixed["extended_attributes"]["detailed_status"], "fixed")
        self.assertEqual(fixed["requested_datetime"], "2026-11-23T14:00:00+04:00")
        self.assertEqual(fixed["service_code"], "pothole")
        self.assertEqual(len(text.splitlines()), 5)  # "[", a line per request, "]"

    def test_csv_has_a_header_and_a_row_per_request(self) -> None:
        rows = list(csv.reader(io.StringIO(self.export("--format", "csv", "--locale", "en"))))

        self.assertEqual(rows[0], CSV_COLUMNS)
        self.assertEqual(len(rows), 4)
        record = dict(zip(rows[0], rows[2], strict=True))
        self.assertEqual(record["service_request_id"], self.anonymous_case.reference)
        self.assertEqual(record["detailed_status"], "fixed")
        self.assertEqual(record["wilayat"], "Muttrah")
        self.assertEqual(record["service_name"], "Pothole")

    def test_no_reporter_personal_data_in_any_format(self) -> None:
        secrets = [
            self.anonymous.name,
            self.anonymous.email,
            self.anonymous.phone,
            self.citizen.username,
            self.citizen.email,
            self.citizen.phone,
            self.citizen.first_name,
            self.clerk.username,
            self.anonymous_case.tracking_token,
            self.new.tracking_token,
        ]
        for fmt in ("json", "csv"):
            text = self.export("--format", fmt, "--include-unpublished")
            for secret in secrets:
                self.assertNotIn(secret, text, fmt)

    def test_unpublished_requests_only_when_asked(self) -> None:
        Case.objects.filter(pk=self.old.pk).update(is_hidden=True)

        published = {r["service_request_id"] for r in json.loads(self.export())}
        everything = {
            r["service_request_id"] for r in json.loads(self.export("--include-unpublished"))
        }

        self.assertEqual(published, {self.anonymous_case.reference, self.new.reference})
        self.assertEqual(
            everything,
            {self.old.reference, self.anonymous_case.reference, self.private.reference}
            | {self.new.reference},
        )

    def test_it_filters_by_date_range_in_local_days_and_limits(self) -> None:
        ids = [
            r["service_request_id"]
            for r in json.loads(self.export("--since", "2026-11-20", "--until", "2026-11-24"))
        ]
        self.assertEqual(ids, [self.anonymous_case.reference])
        ids = [r["service_request_id"] for r in json.loads(self.export("--limit", "1"))]
        self.assertEqual(ids, [self.old.reference])
        with self.assertRaisesMessage(CommandError, "--since must be a date"):
            self.export("--since", "last week")

    def test_it_streams_in_chunks_and_writes_to_a_file(self) -> None:
        out = io.StringIO()
        seen: list[int] = []
        count = export(ExportFilter(self.muscat), out, chunk_size=1, progress=seen.append)
        self.assertEqual((count, seen), (3, [1, 1, 1]))

        path = Path(tempfile.mkdtemp()) / "cases.json"
        with translation.override("en"):
            call_command(
                "export_cases", "--municipality", "muscat", "-o", str(path), stderr=io.StringIO()
            )
        self.assertEqual(len(json.loads(path.read_text())), 3)

    def test_an_empty_export_is_an_empty_array(self) -> None:
        body: Any = json.loads(self.export("--since", "2030-01-01"))
        self.assertEqual(body, [])

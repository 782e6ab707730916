"""cases.export: a filtered queue as streamed CSV with its SLA times."""

from __future__ import annotations

import csv
import io
import types

from django.utils import translation

from baladiyati.cases.actions import do_acknowledge_case, do_assign_case, do_transition_case
from baladiyati.cases.export import filename, rows, safe_cell, stream_csv
from baladiyati.cases.models import Case, Status
from baladiyati.cases.tasks import scan
from baladiyati.cases.tests.support import WEDNESDAY, muscat
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase


class ExportTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.fixed = self.submit()
            self.late = self.submit(self.streetlight)
        with clock.frozen_at(muscat(2026, 11, 26, 8)):
            do_acknowledge_case(self.fixed, actor=self.clerk)
            do_assign_case(self.fixed, actor=self.supervisor, assignee=self.clerk)
        with clock.frozen_at(muscat(2026, 11, 26, 9)):
            do_transition_case(self.fixed, Status.FIXED, actor=self.clerk)
        with clock.frozen_at(muscat(2026, 12, 6, 9)):
            scan()

    def parse(self, language: str) -> list[list[str]]:
        text = "".join(stream_csv(Case.objects.order_by("id"), language=language))
        self.assertTrue(text.startswith("\ufeff"))
        return list(csv.reader(io.StringIO(text[1:])))

    def test_it_streams_created_acknowledged_fixed_due_and_breached_times(self) -> None:
        header, fixed, late = self.parse("en")
        self.assertEqual(header[:4], ["Reference", "Service", "Status", "Priority"])
        record = dict(zip(header, fixed, strict=True))
        self.assertEqual(record["Reference"], self.fixed.reference)
        self.assertEqual(record["Status"], "Fixed")
        self.assertEqual(record["Created"], "2026-11-25T11:42:00+04:00")
        self.assertEqual(record["Acknowledged"], "2026-11-26T08:00:00+04:00")
        self.assertEqual(record["Fixed"], "2026-11-26T09:00:00+04:00")
        self.assertEqual(record["Closed"], "2026-11-26T09:00:00+04:00")
        self.assertEqual(record["Due"], "2026-11-29T11:42:00+04:00")
        self.assertEqual(record["Deadline missed"], "")
        self.assertEqual(record["Assignee"], "khalid")
        self.assertEqual(record["Wilayat"], "Muttrah")
        record = dict(zip(header, late, strict=True))
        self.assertEqual(record["Service"], "Street light out")
        self.assertEqual((record["Fixed"], record["Closed"]), ("", ""))
        self.assertEqual(record["Deadline missed"], "2026-12-06T09:00:00+04:00")
        self.assertEqual(record["Escalated"], "2026-12-06T09:00:00+04:00")

    def test_the_arabic_export_has_arabic_names(self) -> None:
        header, fixed, _late = self.parse("ar")
        self.assertEqual(fixed[1], "حفرة في الطريق")
        self.assertEqual(fixed[4], "مطرح")
        self.assertNotEqual(header[0], "Reference")

    def test_it_reads_the_queue_in_one_query_without_building_models(self) -> None:
        with self.assertNumQueries(1):
            lines = list(rows(Case.objects.filter(status=Status.FIXED), language="en"))
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[1][0], self.fixed.reference)

    def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(self) -> None:
        self.assertEqual(safe_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)")
        self.assertEqual(safe_cell("+968"), "'+968")
        self.assertEqual(safe_cell("MCT-1"), "MCT-1")

    def test_it_is_a_generator_so_large_queues_stream(self) -> None:
        self.assertIsInstance(stream_csv(Case.objects.all()), types.GeneratorType)
        with translation.override("en"):
            self.assertEqual(
                filename(self.muscat, muscat(2026, 12, 1, 9, 5)), "mct-requests-20261201-0905.csv"
            )

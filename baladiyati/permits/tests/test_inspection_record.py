"""do_record_inspection: a visit is recorded on or after its day; it can be cancelled before."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import translation

from baladiyati.core import clock
from baladiyati.permits import actions
from baladiyati.permits.models import InspectionResult

from .test_issue import MONDAY_MORNING, pay
from .world import PermitTestCase

TUESDAY = dt.date(2026, 11, 24)
TUESDAY_MORNING = dt.datetime(2026, 11, 24, 5, 30, tzinfo=dt.UTC)  # 09:30 in Muscat


class RecordInspectionTest(PermitTestCase):
    def setUp(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            self.permit = pay(self.approve_all(self.submitted()))
            self.inspection = actions.do_schedule_inspection(
                self.permit, kind="final", day=TUESDAY, slot="morning", actor=self.citizen
            )

    def test_a_result_before_the_inspections_day_is_refused_and_nothing_changes(self) -> None:
        with clock.frozen_at(MONDAY_MORNING), self.assertRaises(ValidationError) as raised:
            actions.do_record_inspection(self.inspection, result="passed", actor=self.reviewer)
        self.assertIn("2026-11-24", " ".join(raised.exception.messages))
        self.assertIn("في يومها أو بعده", " ".join(raised.exception.messages))
        self.inspection.refresh_from_db()
        self.assertEqual(self.inspection.result, InspectionResult.SCHEDULED)

    def test_the_refusal_is_in_english_too(self) -> None:
        with (
            translation.override("en"),
            clock.frozen_at(MONDAY_MORNING),
            self.assertRaises(ValidationError) as raised,
        ):
            actions.do_record_inspection(
                self.inspection, result="failed", notes="x", actor=self.reviewer
            )
        self.assertIn("on or after its day", " ".join(raised.exception.messages))

    def test_on_the_day_it_is_recorded(self) -> None:
        with clock.frozen_at(TUESDAY_MORNING):
            actions.do_record_inspection(self.inspection, result="passed", actor=self.reviewer)
        self.inspection.refresh_from_db()
        self.assertEqual(self.inspection.result, InspectionResult.PASSED)

    def test_it_can_be_cancelled_before_its_day(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            actions.do_record_inspection(
                self.inspection, result="cancelled", notes="المالك طلب الإلغاء", actor=self.reviewer
            )
        self.inspection.refresh_from_db()
        self.assertEqual(self.inspection.result, InspectionResult.CANCELLED)

"""cases.tasks.scan_deadlines: warning at 80 %, breach flagged and escalated, only once."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from baladiyati.cases import sla
from baladiyati.cases.actions import (
    do_assign_case,
    do_await_citizen,
    do_reopen_case,
    do_transition_case,
)
from baladiyati.cases.models import Case, Status
from baladiyati.cases.tasks import scan, scan_deadlines
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows, muscat
from baladiyati.core import clock
from baladiyati.notify.models import Delivery
from baladiyati.testing import BaseTestCase

# Submitted Wednesday 11:42 with 14 working hours: warning after 11.2 h (Sunday 08:54),
# due after 14 h (Sunday 11:42).
WARN = muscat(2026, 11, 29, 8, 54)
DUE = muscat(2026, 11, 29, 11, 42)
SUNDAY_9 = muscat(2026, 11, 29, 9, 0)
SUNDAY_NOON = muscat(2026, 11, 29, 12, 0)


class ScanDeadlinesTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()

    def run_scan(self, at: object) -> NotificationSpy:
        with (
            clock.frozen_at(at),  # type: ignore[arg-type]
            NotificationSpy() as spy,
            self.captureOnCommitCallbacks(execute=True),
        ):
            scan_deadlines.enqueue()  # the task, as the worker runs it
        return spy

    def fresh(self) -> Case:
        return Case.objects.get(pk=self.case.pk)

    def test_nothing_happens_before_the_warning_time(self) -> None:
        spy = self.run_scan(muscat(2026, 11, 29, 8, 50))
        self.assertEqual(spy.events, [])
        self.assertIsNone(self.fresh().sla_warned_at)

    def test_the_clerks_are_warned_at_80_percent_once(self) -> None:
        spy = self.run_scan(SUNDAY_9)
        case = self.fresh()
        self.assertEqual(case.sla_warned_at, SUNDAY_9)
        self.assertIsNone(case.breached_at)
        self.assertEqual(case.sla_next_check_at, DUE)
        self.assertEqual(spy.names, ["case.sla_warning"])
        self.assertEqual(spy.events[0].recipient_ids, (self.clerk.pk,))  # roads, unassigned
        self.assertEqual(spy.events[0].context["due"], "2026-11-29 11:42")
        self.assertEqual(self.run_scan(SUNDAY_9).events, [])  # idempotent
        self.assertEqual(len(audit_rows(case, "case.sla_warned")), 1)

    def test_the_assignee_is_warned_when_there_is_one(self) -> None:
        do_assign_case(self.case, actor=self.supervisor, assignee=self.clerk)
        spy = self.run_scan(SUNDAY_9)
        self.assertEqual(spy.events[0].recipient_ids, (self.clerk.pk,))

    def test_a_breach_is_flagged_and_escalated_to_the_supervisors_once(self) -> None:
        self.supervisor.email = "hilal@muscat.gov.om"
        self.supervisor.save(update_fields=["email"])
        self.run_scan(SUNDAY_9)
        mail.outbox.clear()
        spy = self.run_scan(SUNDAY_NOON)
        case = self.fresh()
        self.assertEqual((case.breached_at, case.escalated_at), (SUNDAY_NOON, SUNDAY_NOON))
        self.assertTrue(case.is_escalated and case.is_breached)
        self.assertIsNone(case.sla_next_check_at)
        self.assertEqual(spy.names, ["case.escalated"])
        self.assertEqual(spy.events[0].recipient_ids, (self.supervisor.pk,))
        self.assertIn(case, Case.objects.escalated())
        # The supervisor's email, in Arabic (their language), with the unsubscribe link.
        self.assertEqual([m.to for m in mail.outbox], [["hilal@muscat.gov.om"]])
        self.assertIn(case.reference, mail.outbox[0].subject)
        self.assertIn("تجاوز", mail.outbox[0].body)
        self.assertIn("/notify/unsubscribe/", mail.outbox[0].body)
        # Running again, and again later, sends nothing more.
        self.assertEqual(self.run_scan(SUNDAY_NOON).events, [])
        self.assertEqual(self.run_scan(muscat(2026, 12, 3, 12)).events, [])
        self.assertEqual(len(audit_rows(case, "case.escalated")), 1)
        self.assertEqual(Delivery.objects.filter(event="case.escalated").count(), 1)

    def test_a_case_first_seen_after_its_due_time_is_warned_and_escalated_together(
        self,
    ) -> None:
        with clock.frozen_at(SUNDAY_NOON):
            result = scan()
        self.assertEqual((result.checked, result.warned, result.escalated), (1, 1, 1))
        case = self.fresh()
        self.assertEqual(case.sla_warned_at, SUNDAY_NOON)
        self.assertEqual(len(audit_rows(case)), 2)  # submitted, escalated: one row each

    def test_a_case_awaiting_the_citizen_is_neither_warned_nor_escalated(self) -> None:
        with clock.frozen_at(muscat(2026, 11, 26, 12)):
            do_await_citizen(self.case, "صورة من فضلك", actor=self.clerk)
        self.assertEqual(self.run_scan(muscat(2026, 12, 10, 12)).events, [])
        self.assertIsNone(self.fresh().breached_at)

    def test_a_closed_case_is_not_escalated(self) -> None:
        with clock.frozen_at(muscat(2026, 11, 26, 12)):
            do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        self.assertEqual(self.run_scan(SUNDAY_NOON).events, [])
        self.assertEqual(scan().checked, 0)

    def test_a_reopened_case_gets_a_new_clock_and_can_be_escalated_again(self) -> None:
        self.run_scan(SUNDAY_NOON)
        with clock.frozen_at(muscat(2026, 11, 30, 9)):
            do_transition_case(self.case, Status.FIXED, actor=self.clerk)
            case = do_reopen_case(self.case, "ما زالت الحفرة موجودة", actor=self.citizen)
        self.assertIsNone(case.breached_at)
        self.assertIsNone(case.escalated_at)
        self.assertEqual(case.sla_started_at, muscat(2026, 11, 30, 9))
        spy = self.run_scan(muscat(2026, 12, 10, 9))
        self.assertEqual(spy.names, ["case.escalated"])
        self.assertEqual(len(audit_rows(case, "case.escalated")), 2)

    def test_the_scan_reads_only_cases_whose_check_is_due_through_its_index(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            for _ in range(3):
                self.submit()
        with clock.frozen_at(muscat(2026, 11, 29, 8, 0)):
            self.assertEqual(scan().checked, 0)
        due = Case.objects.sla_check_due(SUNDAY_9).order_by("sla_next_check_at")
        # On PostgreSQL a sequential read of this tiny table is cheaper than any index, so
        # it is switched off for the EXPLAIN: the plan names the index only if it can serve.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
            plan = due.values_list("pk", flat=True).explain()
            if connection.vendor == "postgresql":
                cursor.execute("RESET enable_seqscan")
        self.assertIn("case_sla_check", plan)
        # Two reads to start, then a fixed number per case: no query grows with the table.
        with CaptureQueriesContext(connection) as four, clock.frozen_at(SUNDAY_9):
            self.assertEqual(scan().checked, 4)
        with clock.frozen_at(WEDNESDAY):
            self.submit()
        Case.objects.update(sla_warned_at=None, sla_next_check_at=models.F("sla_warn_at"))
        with CaptureQueriesContext(connection) as five, clock.frozen_at(SUNDAY_9):
            self.assertEqual(scan().checked, 5)
        per_case = len(five) - len(four)
        self.assertEqual(len(four), 2 + 4 * per_case)


class SlaStateTest(BaseTestCase):
    """sla.status_of: the badge the back office shows (ok, warning, breached, paused, closed)."""

    def test_the_level_follows_the_clock(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            case = self.submit()
        state = sla.status_of(case, at=WEDNESDAY)
        self.assertEqual(
            (state.level, state.remaining, state.used_fraction), ("ok", dt.timedelta(hours=14), 0.0)
        )
        self.assertEqual(sla.status_of(case, at=SUNDAY_9).level, "warning")
        late = sla.status_of(case, at=SUNDAY_NOON)
        self.assertEqual(late.level, "breached")
        self.assertEqual(late.remaining, -dt.timedelta(minutes=18))
        with clock.frozen_at(SUNDAY_9):
            case = do_await_citizen(case, "صورة", actor=self.clerk)
        paused = sla.status_of(case, at=muscat(2026, 12, 20))
        self.assertEqual(
            (paused.level, paused.remaining), ("paused", dt.timedelta(hours=2, minutes=42))
        )
        case = do_transition_case(case, Status.FIXED, actor=self.clerk)
        self.assertEqual(sla.status_of(case).level, "closed")


class ScanRobustnessTest(BaseTestCase):
    def test_a_case_that_fails_its_check_does_not_stop_the_others(self) -> None:
        from unittest import mock

        from baladiyati.cases import tasks

        with clock.frozen_at(WEDNESDAY):
            first, second = self.submit(), self.submit()
        real = tasks.do_check_case_deadline

        def flaky(case: Case, **kwargs: object) -> Case:
            if case.pk == first.pk:
                raise RuntimeError("calendar unavailable")
            return real(case, **kwargs)  # type: ignore[arg-type]

        with (
            mock.patch.object(tasks, "do_check_case_deadline", flaky),
            clock.frozen_at(SUNDAY_NOON),
            self.assertLogs("baladiyati.cases", "ERROR"),
        ):
            result = scan()
        self.assertEqual((result.checked, result.escalated), (2, 1))
        self.assertIsNone(Case.objects.get(pk=first.pk).escalated_at)
        self.assertIsNotNone(Case.objects.get(pk=second.pk).escalated_at)
        with clock.frozen_at(SUNDAY_NOON):
            self.assertEqual(scan().escalated, 1)  # tried again on the next run

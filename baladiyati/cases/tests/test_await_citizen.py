"""do_await_citizen / do_resume_case: the SLA clock stops while the citizen is asked."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases import sla
from baladiyati.cases.actions import (
    do_await_citizen,
    do_resume_case,
    do_transition_case,
)
from baladiyati.cases.models import Case, CaseUpdate, Status
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows, muscat
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase

# Wednesday 25 Nov 11:42 + 14 working hours (pothole): 2 h 48 Wednesday, 7 h Thursday,
# Friday and Saturday off, 4 h 12 on Sunday 29 Nov → 11:42.
DUE = muscat(2026, 11, 29, 11, 42)
THURSDAY_NOON = muscat(2026, 11, 26, 12, 0)
SUNDAY_9 = muscat(2026, 11, 29, 9, 0)


class AwaitCitizenTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()

    def wait(self, at: dt.datetime = THURSDAY_NOON, **kwargs: object) -> Case:
        with clock.frozen_at(at), self.captureOnCommitCallbacks(execute=True):
            return do_await_citizen(
                self.case, "أرسل صورة أوضح من فضلك", actor=kwargs.get("actor", self.clerk)
            )

    def test_a_new_case_has_its_due_and_warning_times_on_the_working_calendar(self) -> None:
        self.assertEqual(self.case.due_at, DUE)
        self.assertEqual(self.case.sla_started_at, WEDNESDAY)
        warn, due = sla.deadlines(self.muscat.calendar.engine(), WEDNESDAY, 14)
        self.assertEqual((self.case.sla_warn_at, self.case.due_at), (warn, due))
        self.assertEqual(self.case.sla_next_check_at, warn)

    def test_awaiting_the_citizen_stops_the_clock_and_keeps_the_status(self) -> None:
        with NotificationSpy() as spy:
            case = self.wait()
        self.assertEqual(case.status, Status.SUBMITTED)  # Open311 still shows it open
        self.assertTrue(case.is_awaiting_citizen)
        self.assertEqual(case.sla_paused_at, THURSDAY_NOON)
        self.assertIsNone(case.sla_next_check_at)  # the scan leaves it alone
        update = case.updates.get(kind=CaseUpdate.Kind.AWAITING)
        self.assertTrue(update.is_public)
        self.assertEqual(update.message, "أرسل صورة أوضح من فضلك")
        self.assertEqual(spy.names, ["case.awaiting_citizen"])
        self.assertEqual(spy.events[0].recipient_ids, (self.citizen.pk,))
        self.assertEqual(len(audit_rows(case, "case.awaiting_citizen")), 1)
        self.assertIn(case, Case.objects.awaiting_citizen())

    def test_the_citizens_answer_resumes_and_shifts_the_deadline_by_the_working_time_waited(
        self,
    ) -> None:
        self.wait()
        # Thursday 12:00 → Sunday 09:00: 2.5 h Thursday + 1.5 h Sunday = 4 working hours.
        with (
            clock.frozen_at(SUNDAY_9),
            NotificationSpy() as spy,
            self.captureOnCommitCallbacks(execute=True),
        ):
            case = do_resume_case(self.case, actor=self.citizen, message="أرفقت الصورة")
        self.assertFalse(case.is_awaiting_citizen)
        self.assertEqual(case.sla_paused_seconds, 4 * 3600)
        self.assertEqual(case.due_at, self.muscat.calendar.engine().add(DUE, 4))
        # Sunday 11:42 + 4 h: 2 h 48 on Sunday, 1 h 12 on Monday → Monday 08:42.
        self.assertEqual(case.due_at, muscat(2026, 11, 30, 8, 42))
        self.assertEqual(case.sla_next_check_at, case.sla_warn_at)
        self.assertEqual(case.updates.filter(kind=CaseUpdate.Kind.RESUMED).count(), 1)
        # The department's clerk (no assignee yet) is told of the answer.
        self.assertEqual(spy.names, ["case.citizen_answered"])
        self.assertEqual(spy.events[0].recipient_ids, (self.clerk.pk,))

    def test_an_anonymous_reporter_answers_with_their_tracking_token(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        with clock.frozen_at(THURSDAY_NOON):
            do_await_citizen(case, "Which side of the road?", actor=self.clerk)
        with clock.frozen_at(SUNDAY_9):
            with self.assertRaises(PermissionDenied):
                do_resume_case(case, actor=AnonymousUser(), message="North", token="wrong")
            case = do_resume_case(
                case, actor=AnonymousUser(), message="North", token=case.tracking_token
            )
        self.assertIsNone(case.sla_paused_at)

    def test_a_citizen_must_write_an_answer_but_staff_may_resume_without_one(self) -> None:
        self.wait()
        with self.assertRaises(ValidationError) as raised:
            do_resume_case(self.case, actor=self.citizen)
        self.assertEqual(raised.exception.code, "required")
        case = do_resume_case(self.case, actor=self.clerk)
        self.assertIsNone(case.sla_paused_at)

    def test_it_refuses_to_wait_twice_or_to_resume_what_is_not_waiting(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            do_resume_case(self.case, actor=self.clerk)
        self.assertEqual(raised.exception.code, "not_awaiting")
        self.wait()
        with self.assertRaises(ValidationError) as raised:
            self.wait()
        self.assertEqual(raised.exception.code, "already_awaiting")

    def test_only_staff_who_work_the_case_may_ask_the_citizen(self) -> None:
        for actor in (self.citizen, self.agent, self.lighting_clerk, self.stranger):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                self.wait(actor=actor)
        self.assertIsNone(Case.objects.get(pk=self.case.pk).sla_paused_at)

    def test_a_message_is_required_and_a_closed_case_cannot_wait(self) -> None:
        with self.assertRaises(ValidationError):
            do_await_citizen(self.case, "  ", actor=self.clerk)
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        with self.assertRaises(ValidationError) as raised:
            self.wait()
        self.assertEqual(raised.exception.code, "closed")

    def test_closing_a_waiting_case_ends_the_pause(self) -> None:
        self.wait()
        with clock.frozen_at(SUNDAY_9):
            case = do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        self.assertIsNone(case.sla_paused_at)
        self.assertEqual(case.sla_paused_seconds, 4 * 3600)
        self.assertIsNone(case.sla_next_check_at)


class AwaitingCitizenThroughOpen311Test(BaseTestCase):
    def test_open311_still_shows_a_waiting_case_open_with_its_public_question(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            case = self.submit()
        with clock.frozen_at(THURSDAY_NOON):
            do_await_citizen(case, "Which side of the road?", actor=self.clerk)
        response = self.client.get(
            f"/open311/v2/requests/{case.reference}.json",
            {"jurisdiction_id": "muscat", "locale": "en", "extensions": "true"},
        )
        self.assertEqual(response.status_code, 200)
        (body,) = response.json()
        self.assertEqual(body["status"], "open")
        self.assertIn("Which side of the road?", response.content.decode())

"""do_reopen_case: a closed case goes back to work."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from baladiyati.cases.actions import do_reopen_case, do_transition_case
from baladiyati.cases.models import Case, CaseUpdate, CloseReason, Status
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows, muscat
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase

CLOSED_AT = muscat(2026, 11, 26, 10, 0)  # a Thursday


class ReopenCaseTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()
        self.close(self.case)

    def close(self, case: Case, status: str = Status.FIXED, **kwargs: Any) -> None:
        with clock.frozen_at(CLOSED_AT):
            do_transition_case(case, status, actor=self.clerk, **kwargs)
        case.refresh_from_db()

    def reopen(self, at: dt.datetime, actor: Any = None, **kwargs: Any) -> Case:
        with clock.frozen_at(at):
            do_reopen_case(
                self.case, "الحفرة ما زالت موجودة", actor=actor or self.citizen, **kwargs
            )
        self.case.refresh_from_db()
        return self.case

    def assert_still_closed(self) -> None:
        self.case.refresh_from_db()
        assert self.case.status == Status.FIXED
        assert self.case.reopen_count == 0
        assert audit_rows(self.case, "case.reopened") == []

    # ------------------------------------------------------------------ the reporter

    def test_the_reporter_reopens_within_the_window(self) -> None:
        sunday = muscat(2026, 11, 29, 7, 30)
        case = self.reopen(sunday)
        assert case.status == Status.REOPENED
        assert case.reopen_count == 1
        assert case.closed_at is None
        assert case.is_open
        # The SLA starts again: 14 working hours from Sunday's opening are Sunday and Monday.
        assert case.due_at == muscat(2026, 11, 30, 14, 30)

    def test_it_writes_the_timeline_the_audit_row_and_notifies(self) -> None:
        sunday = muscat(2026, 11, 29, 8, 0)
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            self.reopen(sunday)
        update = self.case.updates.get(kind=CaseUpdate.Kind.REOPENED)
        assert (update.status, update.message, update.author) == (
            Status.REOPENED,
            "الحفرة ما زالت موجودة",
            self.citizen,
        )
        [event] = audit_rows(self.case, "case.reopened")
        assert event.actor == self.citizen
        assert event.extra == {"reason": "الحفرة ما زالت موجودة"}
        assert event.changes["status"] == ["fixed", "reopened"]
        assert event.changes["reopen_count"] == [0, 1]
        closed_at, reopened_closed_at = event.changes["closed_at"]
        assert (dt.datetime.fromisoformat(closed_at), reopened_closed_at) == (CLOSED_AT, None)
        assert spy.names == ["case.reopened"]
        assert self.citizen.pk not in spy.events[0].recipient_ids

    def test_the_window_closes_after_the_configured_days(self) -> None:
        assert self.reopen(CLOSED_AT + dt.timedelta(days=14)).status == Status.REOPENED

    def test_the_reporter_cannot_reopen_after_the_window(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.reopen(CLOSED_AT + dt.timedelta(days=14, minutes=1))
        assert exc.value.code == "reopen_window"
        self.assert_still_closed()

    @override_settings(CASE_REOPEN_DAYS=3)
    def test_the_window_follows_the_setting(self) -> None:
        with pytest.raises(ValidationError):
            self.reopen(CLOSED_AT + dt.timedelta(days=4))
        self.assert_still_closed()

    def test_a_case_closed_without_fixing_loses_its_reason_when_reopened(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()
        self.close(self.case, Status.CLOSED_NOT_FIXED, reason=CloseReason.COULD_NOT_LOCATE)
        case = self.reopen(CLOSED_AT + dt.timedelta(days=1))
        assert (case.status, case.close_reason) == (Status.REOPENED, "")

    def test_a_reopened_case_goes_back_to_work_and_can_be_reopened_again(self) -> None:
        self.reopen(CLOSED_AT + dt.timedelta(days=1))
        do_transition_case(self.case, Status.IN_PROGRESS, actor=self.clerk)
        self.close(self.case)
        assert self.reopen(CLOSED_AT + dt.timedelta(days=2)).reopen_count == 2

    # ------------------------------------------------------------------ anonymous reporter

    def test_an_anonymous_reporter_reopens_with_the_tracking_token(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.close(self.case)
        token = self.case.tracking_token
        case = self.reopen(CLOSED_AT + dt.timedelta(days=1), actor=AnonymousUser(), token=token)
        assert case.status == Status.REOPENED
        assert audit_rows(case, "case.reopened")[0].actor_label == "anonymous"

    def test_a_wrong_or_missing_token_is_refused(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.close(self.case)
        for token in (None, "", "x" * 32, self.case.tracking_token[:-1], "رمز-خاطئ"):
            with self.subTest(token=token), pytest.raises(PermissionDenied):
                self.reopen(CLOSED_AT + dt.timedelta(days=1), actor=AnonymousUser(), token=token)
        assert self.case.status == Status.FIXED

    # ------------------------------------------------------------------ others

    def test_another_citizen_cannot_reopen(self) -> None:
        for actor in (
            self.citizen2,
            AnonymousUser(),
            self.agent,
            self.lighting_clerk,
            self.stranger,
        ):
            with self.subTest(actor=str(actor)), pytest.raises(PermissionDenied):
                self.reopen(CLOSED_AT + dt.timedelta(days=1), actor=actor)
        self.assert_still_closed()

    def test_staff_who_work_the_case_reopen_at_any_time(self) -> None:
        long_after = CLOSED_AT + dt.timedelta(days=90)
        assert self.reopen(long_after, actor=self.supervisor).status == Status.REOPENED
        self.close(self.case)
        assert self.reopen(long_after, actor=self.clerk).reopen_count == 2

    def test_a_duplicate_cannot_be_reopened(self) -> None:
        original = self.submit()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()
        self.close(self.case, Status.DUPLICATE, duplicate_of=original)
        for actor in (self.citizen, self.supervisor):
            with self.subTest(actor=actor.username), pytest.raises(ValidationError) as exc:
                self.reopen(CLOSED_AT + dt.timedelta(days=1), actor=actor)
            assert exc.value.code == "invalid_transition"
        self.case.refresh_from_db()
        assert (self.case.status, self.case.reopen_count) == (Status.DUPLICATE, 0)

    def test_an_open_case_cannot_be_reopened(self) -> None:
        self.reopen(CLOSED_AT + dt.timedelta(days=1))
        with pytest.raises(ValidationError) as exc:
            self.reopen(CLOSED_AT + dt.timedelta(days=1))
        assert exc.value.code == "invalid_transition"
        assert self.case.reopen_count == 1

    def test_a_reason_is_required(self) -> None:
        with pytest.raises(ValidationError) as exc:
            do_reopen_case(self.case, "  ", actor=self.citizen)
        assert exc.value.code == "required"
        self.assert_still_closed()

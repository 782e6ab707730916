"""do_acknowledge_case: the department tells the reporter it has seen the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import do_acknowledge_case, do_reopen_case, do_transition_case
from baladiyati.cases.models import CaseUpdate, Status
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows, muscat
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase

THURSDAY = muscat(2026, 11, 26, 8, 0)


class AcknowledgeCaseTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()

    def acknowledge(self, actor: object = None, message: str = "") -> None:
        with clock.frozen_at(THURSDAY):
            do_acknowledge_case(self.case, actor=actor or self.clerk, message=message)
        self.case.refresh_from_db()

    def test_it_marks_the_case_acknowledged_with_the_time(self) -> None:
        self.acknowledge()
        assert self.case.status == Status.ACKNOWLEDGED
        assert self.case.acknowledged_at == THURSDAY
        assert self.case.closed_at is None

    def test_it_tells_the_reporter_on_the_timeline_and_by_notification(self) -> None:
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            self.acknowledge(message="سنرسل فريقاً يوم الأحد")
        update = self.case.updates.get(kind=CaseUpdate.Kind.STATUS)
        assert (update.status, update.message, update.author) == (
            Status.ACKNOWLEDGED,
            "سنرسل فريقاً يوم الأحد",
            self.clerk,
        )
        assert spy.names == ["case.acknowledged"]
        assert spy.events[0].recipient_ids == (self.citizen.pk,)

    def test_it_writes_an_audit_row(self) -> None:
        self.acknowledge()
        [event] = audit_rows(self.case, "case.acknowledged")
        assert event.actor == self.clerk
        assert event.changes == {
            "status": ["submitted", "acknowledged"],
            "acknowledged_at": [None, THURSDAY.astimezone(dt.UTC).isoformat()],
        }

    def test_a_case_is_acknowledged_only_once(self) -> None:
        self.acknowledge()
        with pytest.raises(ValidationError) as exc:
            self.acknowledge()
        assert exc.value.code == "invalid_transition"
        assert len(audit_rows(self.case, "case.acknowledged")) == 1

    def test_a_closed_case_cannot_be_acknowledged(self) -> None:
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        with pytest.raises(ValidationError) as exc:
            self.acknowledge()
        assert exc.value.code == "invalid_transition"
        self.case.refresh_from_db()
        assert self.case.status == Status.FIXED
        assert self.case.acknowledged_at != THURSDAY

    def test_a_reopened_case_keeps_its_first_acknowledgement_time(self) -> None:
        self.acknowledge()
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        do_reopen_case(self.case, "ما زالت الحفرة موجودة", actor=self.citizen)
        with clock.frozen_at(muscat(2026, 11, 30, 9, 0)):
            do_acknowledge_case(self.case, actor=self.clerk)
        self.case.refresh_from_db()
        assert self.case.status == Status.ACKNOWLEDGED
        assert self.case.acknowledged_at == THURSDAY

    def test_only_staff_who_work_the_department_may_acknowledge(self) -> None:
        for actor in (self.lighting_clerk, self.agent, self.reviewer, self.citizen, self.stranger):
            with self.subTest(actor=actor.username), pytest.raises(PermissionDenied):
                self.acknowledge(actor=actor)
        self.case.refresh_from_db()
        assert self.case.status == Status.SUBMITTED
        assert self.case.acknowledged_at is None

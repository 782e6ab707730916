"""do_assign_case: routing a case to a department and a staff member."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.accounts.models import Role
from baladiyati.cases.actions import do_assign_case, do_reply_to_case, do_transition_case
from baladiyati.cases.models import Case, Status
from baladiyati.cases.tests.support import NotificationSpy, audit_rows
from baladiyati.testing import BaseTestCase, make_staff


class AssignCaseTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit()

    def assign(self, actor: Any, **kwargs: Any) -> Case:
        do_assign_case(self.case, actor=actor, **kwargs)
        self.case.refresh_from_db()
        return self.case

    def assert_unchanged(self) -> None:
        self.case.refresh_from_db()
        assert (self.case.department, self.case.assignee) == (self.roads, None)
        assert audit_rows(self.case, "case.assigned") == []

    # ------------------------------------------------------------------ within a department

    def test_a_clerk_assigns_a_case_of_their_department(self) -> None:
        colleague = make_staff("badr", self.muscat, Role.CLERK, self.roads)
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            case = self.assign(self.clerk, assignee=colleague)
        assert case.assignee == colleague
        assert case.department == self.roads
        [event] = audit_rows(case, "case.assigned")
        assert event.actor == self.clerk
        assert event.changes == {"assignee": [None, colleague.pk]}
        assert spy.names == ["case.assigned"]
        assert spy.events[0].recipient_ids == (colleague.pk,)

    def test_a_clerk_takes_a_case_for_themselves(self) -> None:
        assert self.assign(self.clerk, assignee=self.clerk).assignee == self.clerk

    def test_a_case_can_be_unassigned(self) -> None:
        self.assign(self.clerk, assignee=self.clerk)
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            case = self.assign(self.clerk, unassign=True)
        assert case.assignee is None
        assert audit_rows(case, "case.assigned")[0].changes == {"assignee": [self.clerk.pk, None]}
        assert spy.events == []

    def test_the_assignee_must_be_able_to_work_the_department(self) -> None:
        for assignee in (
            self.lighting_clerk,
            self.agent,
            self.reviewer,
            self.citizen,
            self.stranger,
        ):
            with self.subTest(assignee=assignee.username), pytest.raises(ValidationError) as exc:
                self.assign(self.clerk, assignee=assignee)
            assert exc.value.code == "invalid_assignee"
        self.assert_unchanged()

    def test_nothing_to_change_is_refused(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.assign(self.clerk)
        assert exc.value.code == "no_change"
        with pytest.raises(ValidationError):
            self.assign(self.clerk, department=self.roads)
        self.assert_unchanged()

    # ------------------------------------------------------------------ between departments

    def test_a_clerk_cannot_move_a_case_to_another_department(self) -> None:
        with pytest.raises(PermissionDenied):
            self.assign(self.clerk, department=self.lighting)
        with pytest.raises(PermissionDenied):
            self.assign(self.clerk, department=self.lighting, assignee=self.lighting_clerk)
        self.assert_unchanged()

    def test_a_supervisor_moves_a_case_and_the_assignee_is_cleared(self) -> None:
        self.assign(self.clerk, assignee=self.clerk)
        case = self.assign(self.supervisor, department=self.lighting)
        assert (case.department, case.assignee) == (self.lighting, None)
        assert audit_rows(case, "case.assigned")[0].changes == {
            "department": [self.roads.pk, self.lighting.pk],
            "assignee": [self.clerk.pk, None],
        }

    def test_a_supervisor_moves_a_case_to_a_named_assignee(self) -> None:
        case = self.assign(self.admin, department=self.lighting, assignee=self.lighting_clerk)
        assert (case.department, case.assignee) == (self.lighting, self.lighting_clerk)

    def test_the_new_assignee_must_work_the_new_department(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.assign(self.supervisor, department=self.lighting, assignee=self.clerk)
        assert exc.value.code == "invalid_assignee"
        self.assert_unchanged()

    def test_a_case_cannot_move_to_another_municipalitys_department(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.assign(self.supervisor, department=self.sohar_pothole.department)
        assert exc.value.code == "tenant"
        self.assert_unchanged()

    def test_the_old_department_loses_the_case_and_the_new_one_gains_it(self) -> None:
        self.assign(self.supervisor, department=self.lighting)
        with pytest.raises(PermissionDenied):
            do_reply_to_case(self.case, "سنتابع", actor=self.clerk)
        do_reply_to_case(self.case, "سنتابع", actor=self.lighting_clerk)

    # ------------------------------------------------------------------ refused

    def test_a_closed_case_cannot_be_assigned(self) -> None:
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        with pytest.raises(ValidationError) as exc:
            self.assign(self.supervisor, assignee=self.clerk)
        assert exc.value.code == "closed"
        assert self.case.assignee is None

    def test_people_who_may_not_work_the_case_cannot_assign_it(self) -> None:
        for actor in (self.lighting_clerk, self.agent, self.reviewer, self.citizen, self.stranger):
            with self.subTest(actor=actor.username), pytest.raises(PermissionDenied):
                self.assign(actor, assignee=self.clerk)
        self.assert_unchanged()

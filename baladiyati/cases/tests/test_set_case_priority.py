"""do_set_case_priority."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import do_set_case_priority
from baladiyati.cases.models import Priority
from baladiyati.cases.tests.support import audit_rows
from baladiyati.testing import BaseTestCase


class SetCasePriorityTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit()

    def test_a_new_case_has_normal_priority_unless_filed_with_one(self) -> None:
        assert self.case.priority == Priority.NORMAL
        assert self.submit(actor=self.agent, priority=Priority.URGENT).priority == Priority.URGENT

    def test_the_department_clerk_raises_the_priority(self) -> None:
        do_set_case_priority(self.case, Priority.URGENT, actor=self.clerk)
        self.case.refresh_from_db()
        assert self.case.priority == Priority.URGENT
        [event] = audit_rows(self.case, "case.prioritised")
        assert (event.actor, event.changes) == (self.clerk, {"priority": [2, 4]})

    def test_it_refuses_an_unknown_priority(self) -> None:
        for priority in (0, 5, "high", None):
            with self.subTest(priority=priority), pytest.raises(ValidationError) as exc:
                do_set_case_priority(self.case, priority, actor=self.clerk)  # type: ignore[arg-type]
            assert exc.value.code == "invalid_priority"
        self.case.refresh_from_db()
        assert self.case.priority == Priority.NORMAL

    def test_only_staff_who_work_the_case_may_change_the_priority(self) -> None:
        for actor in (
            self.lighting_clerk,
            self.agent,
            self.reviewer,
            self.citizen,
            AnonymousUser(),
            self.stranger,
        ):
            with self.subTest(actor=str(actor)), pytest.raises(PermissionDenied):
                do_set_case_priority(self.case, Priority.LOW, actor=actor)
        self.case.refresh_from_db()
        assert self.case.priority == Priority.NORMAL
        assert audit_rows(self.case, "case.prioritised") == []
        do_set_case_priority(self.case, Priority.LOW, actor=self.supervisor)
        do_set_case_priority(self.case, Priority.HIGH, actor=self.admin)
        self.case.refresh_from_db()
        assert self.case.priority == Priority.HIGH

"""One municipality's staff can do nothing to another's cases, whatever the action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from baladiyati.cases.actions import (
    do_acknowledge_case,
    do_add_note,
    do_assign_case,
    do_rate_case,
    do_reopen_case,
    do_reply_to_case,
    do_set_case_priority,
    do_transition_case,
)
from baladiyati.cases.models import (
    Case,
    CaseNote,
    CaseRating,
    Channel,
    CloseReason,
    Priority,
    Status,
)
from baladiyati.core.models import AuditEvent
from baladiyati.testing import BaseTestCase

SOHAR_POINT = (24.35, 56.70)


class TenancyTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.open_case = self.submit()
        self.closed_case = self.submit()
        do_transition_case(self.closed_case, Status.FIXED, actor=self.clerk)
        self.sohar_case = self.submit(self.sohar_pothole, lat=SOHAR_POINT[0], lon=SOHAR_POINT[1])

    def snapshot(self) -> list[dict[str, Any]]:
        return list(Case.objects.order_by("pk").values())

    def attempts(self, actor: Any, case: Case, closed: Case) -> dict[str, Callable[[], Any]]:
        other = self.submit() if case.municipality == self.muscat else self.sohar_case
        department = case.department
        return {
            "acknowledge": lambda: do_acknowledge_case(case, actor=actor),
            "start": lambda: do_transition_case(case, Status.IN_PROGRESS, actor=actor),
            "fix": lambda: do_transition_case(case, Status.FIXED, actor=actor),
            "close": lambda: do_transition_case(
                case, Status.CLOSED_NOT_FIXED, actor=actor, reason=CloseReason.NOT_MUNICIPALITY
            ),
            "mark duplicate": lambda: do_transition_case(
                case, Status.DUPLICATE, actor=actor, duplicate_of=other
            ),
            "assign to self": lambda: do_assign_case(case, actor=actor, assignee=actor),
            "move department": lambda: do_assign_case(case, actor=actor, department=department),
            "unassign": lambda: do_assign_case(case, actor=actor, unassign=True),
            "reply": lambda: do_reply_to_case(case, "رد", actor=actor),
            "note": lambda: do_add_note(case, "ملاحظة", actor=actor),
            "priority": lambda: do_set_case_priority(case, Priority.URGENT, actor=actor),
            "reopen": lambda: do_reopen_case(closed, "سبب", actor=actor),
            "rate": lambda: do_rate_case(closed, 3, actor=actor),
        }

    def test_the_stranger_can_do_nothing_to_a_muscat_case(self) -> None:
        before = self.snapshot()
        audit_before = AuditEvent.objects.count()
        for name, attempt in self.attempts(self.stranger, self.open_case, self.closed_case).items():
            with self.subTest(action=name), pytest.raises(PermissionDenied):
                attempt()
        assert self.snapshot()[: len(before)] == before
        assert AuditEvent.objects.count() == audit_before + 1  # the helper's own submission
        assert not AuditEvent.objects.filter(actor=self.stranger).exists()
        assert not CaseNote.objects.exists()
        assert not CaseRating.objects.exists()

    def test_the_stranger_cannot_file_for_a_caller_in_muscat(self) -> None:
        with pytest.raises(PermissionDenied):
            self.submit(actor=self.stranger, channel=Channel.PHONE, contact=self.anonymous)
        with pytest.raises(PermissionDenied):
            self.submit(actor=self.stranger, reporter=self.citizen)
        assert not Case.objects.filter(municipality=self.muscat, channel=Channel.PHONE).exists()

    def test_muscat_staff_can_do_nothing_to_a_sohar_case(self) -> None:
        sohar_closed = self.submit(self.sohar_pothole, lat=SOHAR_POINT[0], lon=SOHAR_POINT[1])
        do_transition_case(sohar_closed, Status.FIXED, actor=self.stranger)
        before = self.snapshot()
        for actor in (self.supervisor, self.admin, self.agent):
            attempts = self.attempts(actor, self.sohar_case, sohar_closed)
            for name, attempt in attempts.items():
                with (
                    self.subTest(actor=actor.username, action=name),
                    pytest.raises(PermissionDenied),
                ):
                    attempt()
        assert self.snapshot() == before

    def test_the_stranger_works_their_own_cases(self) -> None:
        do_acknowledge_case(self.sohar_case, actor=self.stranger)
        do_reply_to_case(self.sohar_case, "رد", actor=self.stranger)
        self.sohar_case.refresh_from_db()
        assert self.sohar_case.status == Status.ACKNOWLEDGED

    def test_a_municipality_lists_only_its_own_cases(self) -> None:
        muscat_cases = set(Case.objects.of(self.muscat))
        assert muscat_cases == {self.open_case, self.closed_case}
        assert set(Case.objects.of(self.sohar)) == {self.sohar_case}
        assert set(Case.objects.of(self.muscat.pk)) == muscat_cases
        assert not Case.objects.of(self.muscat).filter(municipality=self.sohar).exists()
        assert set(Case.objects.of(self.muscat).open()) == {self.open_case}
        assert set(Case.objects.of(self.muscat).closed()) == {self.closed_case}

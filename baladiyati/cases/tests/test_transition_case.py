"""do_transition_case: the guarded workflow of a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import (
    TRANSITIONS,
    Case,
    CaseFollower,
    CaseUpdate,
    CloseReason,
    Status,
)
from baladiyati.cases.tests.support import (
    WEDNESDAY,
    NotificationSpy,
    audit_rows,
    force_status,
    muscat,
)
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.testing import BaseTestCase

SOHAR_POINT = (24.35, 56.70)
LATER = muscat(2026, 11, 26, 9, 0)


class TransitionCaseTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()

    def transition(self, to_status: str, case: Case | None = None, **kwargs: Any) -> Case:
        kwargs.setdefault("actor", self.supervisor)
        with clock.frozen_at(LATER):
            return do_transition_case(case or self.case, to_status, **kwargs)

    def refused(self, to_status: str, **kwargs: Any) -> ValidationError:
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            self.transition(to_status, **kwargs)
        return exc.value

    def required_arguments(self, to_status: str) -> dict[str, Any]:
        if to_status == Status.CLOSED_NOT_FIXED:
            return {"reason": CloseReason.COULD_NOT_LOCATE}
        if to_status == Status.DUPLICATE:
            return {"duplicate_of": self.submit()}
        return {}

    # ------------------------------------------------------------------ the matrix

    def test_every_allowed_transition_succeeds(self) -> None:
        for from_status in Status.values:
            for to_status in sorted(TRANSITIONS[from_status]):
                with self.subTest(from_status=from_status, to_status=to_status):
                    case = force_status(self.submit(), from_status, original=self.case)
                    result = self.transition(
                        to_status, case=case, **self.required_arguments(to_status)
                    )
                    case.refresh_from_db()
                    assert result.status == case.status == to_status
                    assert case.updates.filter(kind=CaseUpdate.Kind.STATUS).count() == 1
                    assert len(audit_rows(case, f"case.{to_status}")) == 1

    def test_every_other_transition_is_refused_and_changes_nothing(self) -> None:
        forbidden = [
            (from_status, to_status)
            for from_status in Status.values
            for to_status in Status.values
            if to_status not in TRANSITIONS[from_status]
        ]
        assert len(forbidden) == 49 - sum(len(targets) for targets in TRANSITIONS.values())
        for from_status, to_status in forbidden:
            with self.subTest(from_status=from_status, to_status=to_status):
                case = force_status(self.submit(), from_status, original=self.case)
                before = Case.objects.filter(pk=case.pk).values().get()
                with pytest.raises(ValidationError) as exc:
                    self.transition(to_status, case=case, **self.required_arguments(to_status))
                assert exc.value.code == "invalid_transition"
                assert Case.objects.filter(pk=case.pk).values().get() == before
                assert not case.updates.filter(kind=CaseUpdate.Kind.STATUS).exists()
                assert audit_rows(case) == audit_rows(case, "case.submitted")

    def test_closed_cases_go_nowhere_and_reopening_is_not_a_transition(self) -> None:
        for closed in (Status.FIXED, Status.CLOSED_NOT_FIXED, Status.DUPLICATE):
            assert TRANSITIONS[closed] == frozenset()
        assert all(Status.REOPENED not in targets for targets in TRANSITIONS.values())

    def test_it_refuses_an_unknown_status(self) -> None:
        assert self.refused("resolved").code == "invalid_status"

    # ------------------------------------------------------------------ what a transition writes

    def test_it_writes_a_timeline_entry(self) -> None:
        self.transition(Status.IN_PROGRESS, message="الفريق في الطريق")
        update = self.case.updates.get(kind=CaseUpdate.Kind.STATUS)
        assert (update.status, update.message, update.author) == (
            Status.IN_PROGRESS,
            "الفريق في الطريق",
            self.supervisor,
        )
        assert update.is_public
        assert update.created_at == LATER

    def test_it_writes_an_audit_row_with_before_and_after(self) -> None:
        self.transition(Status.FIXED)
        [event] = audit_rows(self.case, "case.fixed")
        assert event.actor == self.supervisor
        assert event.municipality_id == self.muscat.pk
        assert event.changes == {
            "status": ["submitted", "fixed"],
            "acknowledged_at": [None, LATER.astimezone(dt.UTC).isoformat()],
            "closed_at": [None, LATER.astimezone(dt.UTC).isoformat()],
        }

    def test_working_on_a_case_acknowledges_it_once(self) -> None:
        self.transition(Status.ACKNOWLEDGED)
        self.case.refresh_from_db()
        assert self.case.acknowledged_at == LATER
        with clock.frozen_at(muscat(2026, 11, 29, 8, 0)):
            do_transition_case(self.case, Status.IN_PROGRESS, actor=self.clerk)
        self.case.refresh_from_db()
        assert self.case.acknowledged_at == LATER
        assert self.case.closed_at is None

    def test_closing_sets_the_closing_time(self) -> None:
        case = self.transition(Status.FIXED)
        case.refresh_from_db()
        assert case.closed_at == LATER
        assert case.close_reason == ""
        assert not case.is_open

    def test_it_notifies_the_reporter_after_commit(self) -> None:
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            self.transition(Status.FIXED, message="تم الإصلاح")
        [event] = spy.events
        assert event.name == "case.fixed"
        assert event.recipient_ids == (self.citizen.pk,)
        assert event.context["message"] == "تم الإصلاح"
        assert event.context["status"] == "fixed"

    def test_it_refuses_a_message_over_4000_characters(self) -> None:
        assert self.refused(Status.FIXED, message="م" * 4001).code == "too_long"
        self.case.refresh_from_db()
        assert self.case.status == Status.SUBMITTED

    # ------------------------------------------------------------------ closed without fixing

    def test_closing_without_fixing_needs_a_reason(self) -> None:
        for reason in ("", "because", "fixed"):
            with self.subTest(reason=reason):
                assert (
                    self.refused(Status.CLOSED_NOT_FIXED, reason=reason).code == "reason_required"
                )
        self.case.refresh_from_db()
        assert self.case.status == Status.SUBMITTED

    def test_each_close_reason_is_kept_apart_from_fixed(self) -> None:
        for reason in CloseReason.values:
            with self.subTest(reason=reason):
                case = self.transition(Status.CLOSED_NOT_FIXED, case=self.submit(), reason=reason)
                case.refresh_from_db()
                assert (case.status, case.close_reason) == (Status.CLOSED_NOT_FIXED, reason)
                assert case.updates.get(kind=CaseUpdate.Kind.STATUS).close_reason == reason
                assert audit_rows(case, "case.closed_not_fixed")[0].changes["close_reason"] == [
                    "",
                    reason,
                ]

    def test_only_closing_without_fixing_takes_a_reason(self) -> None:
        for status in (Status.FIXED, Status.ACKNOWLEDGED, Status.IN_PROGRESS):
            with self.subTest(status=status):
                error = self.refused(status, reason=CloseReason.NO_ACTION_NEEDED)
                assert error.code == "reason_not_allowed"
        self.case.refresh_from_db()
        assert self.case.status == Status.SUBMITTED

    # ------------------------------------------------------------------ duplicates

    def test_a_duplicate_names_its_original(self) -> None:
        original = self.submit()
        case = self.transition(Status.DUPLICATE, duplicate_of=original)
        case.refresh_from_db()
        assert (case.status, case.duplicate_of, case.close_reason) == (
            Status.DUPLICATE,
            original,
            "",
        )
        assert case.closed_at == LATER

    def test_a_duplicate_needs_its_original(self) -> None:
        assert self.refused(Status.DUPLICATE).code == "duplicate_required"

    def test_only_a_duplicate_names_an_original(self) -> None:
        error = self.refused(Status.FIXED, duplicate_of=self.submit())
        assert error.code == "duplicate_not_allowed"

    def test_a_case_cannot_duplicate_itself(self) -> None:
        assert self.refused(Status.DUPLICATE, duplicate_of=self.case).code == "invalid_duplicate"

    def test_a_case_cannot_duplicate_a_case_of_another_municipality(self) -> None:
        sohar_case = self.submit(self.sohar_pothole, lat=SOHAR_POINT[0], lon=SOHAR_POINT[1])
        assert self.refused(Status.DUPLICATE, duplicate_of=sohar_case).code == "invalid_duplicate"
        self.case.refresh_from_db()
        assert self.case.status == Status.SUBMITTED

    def test_a_chain_of_duplicates_resolves_to_the_original(self) -> None:
        original, middle = self.submit(), self.submit()
        self.transition(Status.DUPLICATE, case=middle, duplicate_of=original)
        case = self.transition(Status.DUPLICATE, duplicate_of=middle)
        case.refresh_from_db()
        assert case.duplicate_of == original

    def test_the_chain_is_read_from_the_database_not_a_stale_copy(self) -> None:
        original, middle = self.submit(), self.submit()
        stale_middle = Case.objects.get(pk=middle.pk)
        self.transition(Status.DUPLICATE, case=middle, duplicate_of=original)
        case = self.transition(Status.DUPLICATE, duplicate_of=stale_middle)
        case.refresh_from_db()
        assert case.duplicate_of == original

    def test_a_case_cannot_become_a_duplicate_of_its_own_duplicate(self) -> None:
        other = self.submit()
        self.transition(Status.DUPLICATE, case=other, duplicate_of=self.case)
        assert self.refused(Status.DUPLICATE, duplicate_of=other).code == "invalid_duplicate"

    def test_the_reporter_and_followers_of_a_duplicate_follow_the_original(self) -> None:
        original = self.submit(actor=self.citizen2)
        CaseFollower.objects.create(case=self.case, user=self.agent)
        CaseFollower.objects.create(case=self.case, user=self.citizen2)  # already follows
        self.transition(Status.DUPLICATE, duplicate_of=original)
        followers = set(original.followers.values_list("user", flat=True))
        assert followers == {self.citizen2.pk, self.citizen.pk, self.agent.pk}

    # ------------------------------------------------------------------ who may

    def test_people_who_may_not_work_the_case_are_refused_and_nothing_changes(self) -> None:
        outsiders = {
            "lighting clerk": self.lighting_clerk,
            "agent": self.agent,
            "reviewer": self.reviewer,
            "reporter": self.citizen,
            "other citizen": self.citizen2,
            "anonymous": AnonymousUser(),
            "stranger": self.stranger,
        }
        before = Case.objects.filter(pk=self.case.pk).values().get()
        for label, actor in outsiders.items():
            for to_status in (Status.ACKNOWLEDGED, Status.FIXED):
                with (
                    self.subTest(actor=label, to_status=to_status),
                    pytest.raises(PermissionDenied),
                ):
                    self.transition(to_status, actor=actor)
        assert Case.objects.filter(pk=self.case.pk).values().get() == before
        assert AuditEvent.objects.exclude(action="case.submitted").count() == 0
        assert self.case.updates.count() == 1

    def test_the_department_clerk_supervisor_and_admin_may(self) -> None:
        for actor in (self.clerk, self.supervisor, self.admin):
            with self.subTest(actor=actor.username):
                case = self.transition(Status.FIXED, case=self.submit(), actor=actor)
                assert audit_rows(case, "case.fixed")[0].actor == actor

    # ------------------------------------------------------------------ concurrency

    def test_two_closings_from_stale_copies_do_not_both_succeed(self) -> None:
        first_view = Case.objects.get(pk=self.case.pk)
        second_view = Case.objects.get(pk=self.case.pk)
        self.transition(Status.FIXED, case=first_view)
        with pytest.raises(ValidationError) as exc:
            self.transition(
                Status.CLOSED_NOT_FIXED, case=second_view, reason=CloseReason.NO_ACTION_NEEDED
            )
        assert exc.value.code == "invalid_transition"
        self.case.refresh_from_db()
        assert (self.case.status, self.case.close_reason) == (Status.FIXED, "")
        assert len(audit_rows(self.case)) == 2  # submitted, fixed

    def test_the_returned_case_is_the_fresh_one(self) -> None:
        stale = Case.objects.get(pk=self.case.pk)
        self.transition(Status.ACKNOWLEDGED)
        result = self.transition(Status.IN_PROGRESS, case=stale)
        assert result.status == Status.IN_PROGRESS
        assert result.acknowledged_at == LATER

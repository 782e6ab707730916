"""do_reply_to_case: a public answer on the case's timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import do_reply_to_case
from baladiyati.cases.models import CaseUpdate, Status
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows, muscat
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase

THURSDAY = muscat(2026, 11, 26, 8, 0)


class ReplyToCaseTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()

    def reply(self, message: str, actor: Any = None) -> None:
        with clock.frozen_at(THURSDAY):
            do_reply_to_case(self.case, message, actor=actor or self.clerk)
        self.case.refresh_from_db()

    def replies(self) -> list[CaseUpdate]:
        return list(self.case.updates.filter(kind=CaseUpdate.Kind.REPLY))

    def test_a_reply_is_a_public_timeline_entry_that_keeps_the_status(self) -> None:
        self.reply("  هل يمكنك إرسال صورة أوضح؟ ")
        [reply] = self.replies()
        assert reply.message == "هل يمكنك إرسال صورة أوضح؟"
        assert reply.is_public
        assert (reply.status, reply.author, reply.created_at) == (
            Status.SUBMITTED,
            self.clerk,
            THURSDAY,
        )
        assert self.case.status == Status.SUBMITTED

    def test_a_reply_marks_the_case_as_updated(self) -> None:
        before = self.case.updated_at
        self.reply("سنتابع")
        assert self.case.updated_at > before

    def test_it_writes_an_audit_row_and_tells_the_reporter(self) -> None:
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            self.reply("سنتابع")
        [event] = audit_rows(self.case, "case.replied")
        assert (event.actor, event.changes) == (self.clerk, {})
        [sent] = spy.events
        assert sent.name == "case.replied"
        assert sent.recipient_ids == (self.citizen.pk,)
        assert sent.context["message"] == "سنتابع"

    def test_a_reply_needs_a_message(self) -> None:
        for message in ("", "   \n"):
            with self.subTest(message=message), pytest.raises(ValidationError) as exc:
                self.reply(message)
            assert exc.value.code == "required"
        assert self.replies() == []
        assert audit_rows(self.case, "case.replied") == []

    def test_a_reply_is_at_most_4000_characters(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.reply("ر" * 4001)
        assert exc.value.code == "too_long"
        self.reply("ر" * 4000)
        assert len(self.replies()) == 1

    def test_only_staff_who_work_the_case_may_reply(self) -> None:
        for actor in (
            self.lighting_clerk,
            self.agent,
            self.reviewer,
            self.citizen,
            AnonymousUser(),
            self.stranger,
        ):
            with self.subTest(actor=str(actor)), pytest.raises(PermissionDenied):
                self.reply("رد", actor=actor)
        assert self.replies() == []
        for actor in (self.supervisor, self.admin):
            self.reply("رد", actor=actor)
        assert len(self.replies()) == 2

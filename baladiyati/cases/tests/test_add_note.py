"""do_add_note: an internal note that the reporter never sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import do_add_note
from baladiyati.cases.models import CaseNote
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase


class AddNoteTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit()

    def note(self, text: str, actor: Any = None) -> CaseNote:
        return do_add_note(self.case, text, actor=actor or self.clerk)

    def test_a_note_is_internal_and_stays_off_the_timeline(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            note = self.note(" المقاول يعمل في الموقع الأسبوع القادم ")
        assert (note.case, note.author, note.created_at) == (self.case, self.clerk, WEDNESDAY)
        assert note.text == "المقاول يعمل في الموقع الأسبوع القادم"
        assert list(self.case.notes.all()) == [note]
        assert self.case.updates.count() == 1  # only "submitted"

    def test_it_writes_an_audit_row_and_notifies_nobody(self) -> None:
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            note = self.note("ملاحظة")
        [event] = audit_rows(self.case, "case.noted")
        assert event.actor == self.clerk
        assert event.extra == {"note": note.pk}
        assert spy.events == []

    def test_the_contact_centre_agent_may_add_a_note(self) -> None:
        assert self.note("اتصل المواطن مرة أخرى", actor=self.agent).author == self.agent

    def test_supervisor_and_admin_may_add_a_note(self) -> None:
        for actor in (self.supervisor, self.admin):
            assert self.note("ملاحظة", actor=actor).author == actor

    def test_people_who_may_not_read_the_case_cannot_add_a_note(self) -> None:
        for actor in (
            self.lighting_clerk,
            self.reviewer,
            self.citizen,
            self.citizen2,
            AnonymousUser(),
            self.stranger,
        ):
            with self.subTest(actor=str(actor)), pytest.raises(PermissionDenied):
                self.note("ملاحظة", actor=actor)
        assert not CaseNote.objects.exists()
        assert audit_rows(self.case, "case.noted") == []

    def test_a_note_needs_text_of_at_most_4000_characters(self) -> None:
        for text, code in (("", "required"), ("  ", "required"), ("ن" * 4001, "too_long")):
            with self.subTest(code=code), pytest.raises(ValidationError) as exc:
                self.note(text)
            assert exc.value.code == code
        assert not CaseNote.objects.exists()
        assert len(self.note("ن" * 4000).text) == 4000

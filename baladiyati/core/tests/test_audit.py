"""The audit trail: written once by audit.record, never edited or deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from baladiyati.core import audit, clock
from baladiyati.core.models import AuditEvent
from baladiyati.testing import BaseTestCase

MOMENT = dt.datetime(2026, 11, 25, 11, 42, tzinfo=dt.UTC)


class AuditTest(BaseTestCase):
    def record(self, **kwargs: object) -> AuditEvent:
        defaults: dict[str, object] = {
            "actor": self.supervisor,
            "action": "department.renamed",
            "obj": self.roads,
            "municipality_id": self.muscat.pk,
        }
        defaults.update(kwargs)
        return audit.record(**defaults)  # type: ignore[arg-type]

    def test_it_records_who_did_what_to_which_object_and_when(self) -> None:
        with clock.frozen_at(MOMENT):
            event = self.record(changes={"name_en": ["Roads", "Roads and Bridges"]})

        event.refresh_from_db()
        assert event.created_at == MOMENT
        assert event.actor == self.supervisor
        assert event.actor_label == "hilal"
        assert event.action == "department.renamed"
        assert (event.object_type, event.object_id) == ("cities.department", str(self.roads.pk))
        assert event.object_label == str(self.roads)
        assert event.municipality_id == self.muscat.pk
        assert event.changes == {"name_en": ["Roads", "Roads and Bridges"]}

    def test_the_actor_label_is_the_full_name_when_there_is_one(self) -> None:
        assert self.record(actor=self.citizen).actor_label == "سالم"

    def test_an_action_without_a_user_is_the_systems(self) -> None:
        event = self.record(actor=None)
        assert (event.actor, event.actor_label) == (None, "system")

    def test_an_anonymous_visitor_is_recorded_as_anonymous(self) -> None:
        event = self.record(actor=AnonymousUser())
        assert (event.actor, event.actor_label) == (None, "anonymous")

    def test_details_are_stored_in_a_json_safe_form(self) -> None:
        event = self.record(
            extra={
                "when": MOMENT,
                "fee": Decimal("12.500"),
                "department": self.lighting,
                "ids": (1, 2),
            }
        )
        event.refresh_from_db()
        assert event.extra == {
            "when": "2026-11-25T11:42:00+00:00",
            "fee": "12.500",
            "department": self.lighting.pk,
            "ids": [1, 2],
        }

    def test_an_audit_event_cannot_be_edited(self) -> None:
        event = self.record()
        event.action = "department.deleted"
        with pytest.raises(PermissionError):
            event.save()
        event.refresh_from_db()
        assert event.action == "department.renamed"

    def test_an_audit_event_cannot_be_deleted(self) -> None:
        event = self.record()
        with pytest.raises(PermissionError):
            event.delete()
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_events_are_found_by_object(self) -> None:
        first = self.record()
        self.record(obj=self.lighting)
        second = self.record(action="department.closed")
        found = AuditEvent.objects.for_object(self.roads)
        assert set(found) == {first, second}
        assert list(found) == [second, first]  # newest first

    def test_snapshot_reads_foreign_keys_by_id_and_plain_values(self) -> None:
        snap = audit.snapshot(self.pothole, ["department", "sla_hours", "created_at", "code"])
        assert snap == {
            "department": self.roads.pk,
            "sla_hours": 14,
            "created_at": self.pothole.created_at.isoformat(),
            "code": "pothole",
        }

    def test_diff_lists_only_what_changed_as_before_and_after(self) -> None:
        before = {"status": "submitted", "priority": 2, "assignee": None}
        after = {"status": "acknowledged", "priority": 2, "assignee": 7}
        assert audit.diff(before, after) == {
            "status": ["submitted", "acknowledged"],
            "assignee": [None, 7],
        }
        assert audit.diff(after, after) == {}
        assert audit.diff({}, {"status": "submitted"}) == {"status": [None, "submitted"]}

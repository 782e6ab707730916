"""core/prepared.py: statements compiled once give what the ORM gives, and write what it writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import signals
from django.forms.models import model_to_dict

from baladiyati.cases.models import Case, CaseFollower, CaseUpdate
from baladiyati.cities.models import Municipality, Service, WorkingCalendar
from baladiyati.core.models import AuditEvent
from baladiyati.core.prepared import Insert, Instances, Query, Slot
from baladiyati.testing import BaseTestCase

MOMENT = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)

SERVICES = Instances(
    Service,
    lambda s: Service.objects.filter(municipality_id=s["m"], code=s["code"]).order_by()[:1],
    [Slot("m"), Slot("code", "str")],
    related=["department"],
)
MUNICIPALITIES = Instances(
    Municipality,
    lambda s: Municipality.objects.filter(slug=s["slug"])[:1],
    [Slot("slug", "str")],
    related=["calendar"],
)
QUESTION_CODES = Query(
    lambda s: Service.objects.filter(municipality_id=s["m"]).order_by("code").values_list("code"),
    [Slot("m")],
)


def values(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


class InstancesTest(BaseTestCase):
    def test_an_instance_has_the_values_the_orm_gives_and_its_related_row_cached(self) -> None:
        found = SERVICES.first({"m": self.muscat.pk, "code": "pothole"})
        expected = Service.objects.select_related("department").get(pk=self.pothole.pk)

        assert isinstance(found, Service)
        assert values(found) == values(expected)
        assert found._state.adding is False
        with self.assertNumQueries(0):
            department = found.department
        assert values(department) == values(expected.department)

    def test_a_missing_related_row_is_cached_as_none(self) -> None:
        case = self.submit()
        cases = Instances(
            Case, lambda s: Case.objects.filter(pk=s["pk"]), [Slot("pk")], related=["assignee"]
        )

        found = cases.first({"pk": case.pk})

        assert values(found) == values(Case.objects.get(pk=case.pk))
        with self.assertNumQueries(0):
            assert found.assignee is None

    def test_nothing_found_is_none_and_each_call_reads_again(self) -> None:
        assert SERVICES.first({"m": self.muscat.pk, "code": "no-such-service"}) is None
        first = SERVICES.first({"m": self.muscat.pk, "code": "pothole"})
        Service.objects.filter(pk=self.pothole.pk).update(name_en="Road hole")

        again = SERVICES.first({"m": self.muscat.pk, "code": "pothole"})

        assert first is not again
        assert again.name_en == "Road hole"

    def test_a_reverse_one_to_one_is_read_with_its_forward_side_set(self) -> None:
        found = MUNICIPALITIES.first({"slug": self.muscat.slug})

        with self.assertNumQueries(0):
            calendar = found.calendar
            assert calendar.municipality is found
        assert values(calendar) == values(WorkingCalendar.objects.get(municipality=self.muscat))

    def test_a_municipality_without_a_calendar_is_known_to_have_none(self) -> None:
        WorkingCalendar.objects.filter(municipality=self.sohar).delete()

        found = MUNICIPALITIES.first({"slug": self.sohar.slug})

        with (
            self.assertNumQueries(0),
            pytest.raises(Municipality.calendar.RelatedObjectDoesNotExist),
        ):
            found.calendar  # noqa: B018

    def test_all_keeps_the_querysets_order(self) -> None:
        codes = [row[0] for row in QUESTION_CODES.rows({"m": self.muscat.pk})]
        assert codes == list(
            Service.objects.filter(municipality=self.muscat)
            .order_by("code")
            .values_list("code", flat=True)
        )


class InsertTest(BaseTestCase):
    def test_it_writes_the_row_save_writes(self) -> None:
        case = self.submit()
        fields = {
            "case": case,
            "kind": CaseUpdate.Kind.REPLY,
            "status": case.status,
            "message": "وصل الفريق إلى الموقع",
            "created_at": MOMENT,
            "author_id": self.clerk.pk,
        }
        by_insert = Insert(CaseUpdate)(CaseUpdate(**fields))
        by_save = CaseUpdate.objects.create(**fields)

        assert by_insert.pk is not None and by_insert.pk != by_save.pk
        assert by_insert._state.adding is False and by_insert._state.db == "default"
        stored = model_to_dict(CaseUpdate.objects.get(pk=by_insert.pk), exclude=["id"])
        assert stored == model_to_dict(CaseUpdate.objects.get(pk=by_save.pk), exclude=["id"])

    def test_a_row_prepared_ahead_writes_what_is_set_on_it_later(self) -> None:
        case = self.submit()
        fields = {
            "case": case,
            "kind": CaseUpdate.Kind.REPLY,
            "status": case.status,
            "message": "",
            "created_at": MOMENT,
        }
        row = Insert(CaseUpdate).prepare(CaseUpdate(**fields))
        assert CaseUpdate.objects.filter(kind=CaseUpdate.Kind.REPLY).count() == 0  # not yet
        row.set("message", "سنصل غداً")
        row.set("author_id", self.clerk.pk)
        written = row.write()

        stored = CaseUpdate.objects.get(pk=written.pk)
        assert (stored.message, stored.author_id) == ("سنصل غداً", self.clerk.pk)
        assert (written.message, written.author_id) == ("سنصل غداً", self.clerk.pk)
        with pytest.raises(ValueError, match="not a column"):
            Insert(CaseUpdate).prepare(CaseUpdate(**fields)).set("nonsense", 1)

    def test_json_fields_and_datetimes_round_trip(self) -> None:
        event = Insert(AuditEvent)(
            AuditEvent(
                created_at=MOMENT,
                actor_label="system",
                action="case.tested",
                object_type="cases.case",
                object_id="7",
                object_label="MCT-2026-000007",
                municipality_id=self.muscat.pk,
                changes={"status": [None, "submitted"], "نص": ["أ", "ب"]},
                extra={"photos": 2},
            )
        )
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.created_at == MOMENT
        assert stored.changes == {"status": [None, "submitted"], "نص": ["أ", "ب"]}
        assert stored.extra == {"photos": 2}

    def test_signals_are_sent_as_save_sends_them(self) -> None:
        case = self.submit()
        seen: list[tuple[str, Any]] = []

        def pre(sender: Any, instance: Any, **kwargs: Any) -> None:
            seen.append(("pre", instance.pk))

        def post(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
            seen.append(("post", (instance.pk, created)))

        signals.pre_save.connect(pre, sender=CaseFollower)
        signals.post_save.connect(post, sender=CaseFollower)
        try:
            follower = Insert(CaseFollower)(
                CaseFollower(
                    case=case,
                    user=self.citizen2,
                    contact_email="",
                    contact_phone="",
                    created_at=MOMENT,
                )
            )
        finally:
            signals.pre_save.disconnect(pre, sender=CaseFollower)
            signals.post_save.disconnect(post, sender=CaseFollower)
        assert seen == [("pre", None), ("post", (follower.pk, True))]

    def test_a_database_default_left_unset_goes_through_save(self) -> None:
        case = self.submit()
        follower = Insert(CaseFollower)(CaseFollower(case=case, user=self.citizen2))

        stored = CaseFollower.objects.get(pk=follower.pk)
        assert (stored.contact_email, stored.contact_phone) == ("", "")

    def test_it_refuses_saved_instances_and_other_models(self) -> None:
        case = self.submit()
        with pytest.raises(ValueError, match="new instances"):
            Insert(Case)(case)
        with pytest.raises(ValueError, match="new instances"):
            Insert(CaseUpdate)(CaseFollower(case=case, user=self.citizen2))  # type: ignore[arg-type]
        assert CaseUpdate.objects.filter(case=case).count() == 1  # the submission's alone

from __future__ import annotations

import datetime as dt

from baladiyati.cases.actions import do_acknowledge_case, do_reply_to_case, do_transition_case
from baladiyati.cases.models import Case, CaseUpdate
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.open311.tests.support import Open311TestCase

NOW = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)


class GetUpdatesTests(Open311TestCase):
    def test_it_lists_public_updates_in_the_window_in_order(self) -> None:
        with clock.frozen_at(NOW - dt.timedelta(hours=2)):
            case = self.submit()
        with clock.frozen_at(NOW - dt.timedelta(hours=1)):
            do_acknowledge_case(case, actor=self.clerk, message="استلمنا البلاغ")
        with clock.frozen_at(NOW):
            do_transition_case(case, "fixed", actor=self.clerk)
            response = self.get(
                "servicerequestupdates.json", start_date="2026-11-25T08:30:00+04:00"
            )
        body = self.json(response)
        self.assertEqual([u["status"] for u in body], ["INVESTIGATING", "FIXED"])
        self.assertEqual(body[0]["description"], "استلمنا البلاغ")
        self.assertEqual(body[0]["service_request_id"], case.reference)
        self.assertEqual(body[1]["updated_datetime"], "2026-11-25T10:00:00+04:00")

    def test_it_lists_updates_in_xml(self) -> None:
        case = self.submit()
        do_transition_case(case, "closed_not_fixed", reason="not_municipality", actor=self.clerk)
        root = self.xml(self.get("servicerequestupdates.xml"))
        self.assertEqual(root.tag, "service_request_updates")
        statuses = [u.findtext("status") for u in root.findall("request_update")]
        self.assertEqual(statuses, ["OPEN", "NOT_COUNCILS_RESPONSIBILITY"])

    def test_a_malformed_date_is_a_spec_error(self) -> None:
        self.assertSpecError(self.get("servicerequestupdates.json", start_date="yesterday"), 400)

    def test_the_list_costs_a_constant_number_of_queries(self) -> None:
        case = self.submit()
        with self.assertNumQueries(3):
            self.get("servicerequestupdates.json")
        for _ in range(4):
            do_reply_to_case(case, "update", actor=self.clerk)
        with self.assertNumQueries(3):
            body = self.json(self.get("servicerequestupdates.json"))
        self.assertEqual(len(body), 5)


class PostUpdateTests(Open311TestCase):
    def setUp(self) -> None:
        self.case = self.submit()

    def send(self, **data: object) -> object:
        payload = {"api_key": self.raw_backend_key, "service_request_id": self.case.reference}
        payload.update(data)
        return self.post("servicerequestupdates.json", payload)

    def test_a_fixed_update_closes_the_case_through_the_actions(self) -> None:
        response = self.send(
            status="FIXED",
            description="أصلحنا الحفرة",
            update_id="ext-1",
            updated_datetime="2026-11-25T09:00:00+04:00",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "fixed")
        update = CaseUpdate.objects.get(external_id="ext-1")
        self.assertEqual(update.author, self.supervisor)
        self.assertEqual(
            self.json(response),
            [{"update_id": str(update.pk), "service_request_id": self.case.reference}],
        )
        event = AuditEvent.objects.get(action="case.fixed")
        self.assertEqual(event.actor, self.supervisor)

    def test_resending_the_same_update_id_changes_nothing(self) -> None:
        first = self.json(self.send(status="IN_PROGRESS", update_id="ext-2"))
        again = self.json(self.send(status="IN_PROGRESS", update_id="ext-2"))
        self.assertEqual(first, again)
        self.assertEqual(CaseUpdate.objects.filter(external_id="ext-2").count(), 1)
        self.assertEqual(AuditEvent.objects.filter(action="case.in_progress").count(), 1)

    def test_a_reason_status_closes_without_fixing(self) -> None:
        self.send(status="NO_FURTHER_ACTION")
        self.case.refresh_from_db()
        self.assertEqual(
            (self.case.status, self.case.close_reason), ("closed_not_fixed", "no_action_needed")
        )

    def test_plain_closed_is_refused_so_fixed_and_not_fixed_are_never_conflated(self) -> None:
        self.assertSpecError(self.send(status="CLOSED"), 400)
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "submitted")

    def test_a_description_without_status_is_a_public_reply(self) -> None:
        self.send(description="سيزور الفريق الموقع")
        self.assertEqual(
            self.case.updates.filter(kind="reply").get().message, "سيزور الفريق الموقع"
        )

    def test_a_duplicate_names_its_original(self) -> None:
        original = self.submit()
        self.send(status="DUPLICATE", duplicate_of=original.reference)
        self.case.refresh_from_db()
        self.assertEqual(self.case.duplicate_of, original)

    def test_open_on_a_closed_case_reopens_it(self) -> None:
        self.send(status="FIXED")
        self.send(status="OPEN", description="عادت المشكلة")
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "reopened")

    def test_a_forbidden_transition_is_a_spec_error(self) -> None:
        self.send(status="FIXED")
        self.assertSpecError(self.send(status="IN_PROGRESS"), 400)

    def test_a_key_without_a_staff_member_may_not_post_updates(self) -> None:
        self.assertSpecError(self.send(api_key=self.raw_key, status="FIXED"), 403)
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, "submitted")

    def test_an_unknown_request_is_404(self) -> None:
        self.assertSpecError(self.send(service_request_id="MCT-2026-999999", status="FIXED"), 404)

    def test_an_unknown_status_is_400(self) -> None:
        self.assertSpecError(self.send(status="EXPLODED"), 400)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "submitted")

"""Bulk acknowledge and assign from the inbox: one action per case, refusals reported per case."""

from __future__ import annotations

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Status
from baladiyati.core.models import AuditEvent

from .support import BackofficeTestCase


class BulkTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.a = self.submit()
        self.b = self.submit()
        self.sign_in(self.clerk)

    def post(self, **data):
        return self.client.post("/backoffice/bulk", data, follow=True)

    def test_acknowledges_each_ticked_case_through_the_action(self) -> None:
        response = self.post(action="acknowledge", case=[self.a.pk, self.b.pk])
        for case in (self.a, self.b):
            case.refresh_from_db()
            self.assertEqual(case.status, Status.ACKNOWLEDGED)
        self.assertEqual(AuditEvent.objects.filter(action="case.acknowledged").count(), 2)
        self.assertContains(response, "2")

    def test_assigns_each_ticked_case(self) -> None:
        self.post(action="assign", assignee=self.clerk.pk, case=[self.a.pk, self.b.pk])
        for case in (self.a, self.b):
            case.refresh_from_db()
            self.assertEqual(case.assignee, self.clerk)

    def test_a_refusal_is_reported_for_its_case_and_the_others_go_through(self) -> None:
        do_transition_case(self.a, Status.FIXED, actor=self.supervisor)
        response = self.post(action="acknowledge", case=[self.a.pk, self.b.pk])
        self.b.refresh_from_db()
        self.assertEqual(self.b.status, Status.ACKNOWLEDGED)
        messages = [str(m) for m in response.context["messages"]]
        self.assertTrue(any(self.a.reference in m for m in messages), messages)
        self.assertFalse(any(self.b.reference in m for m in messages), messages)

    def test_cases_outside_the_scope_are_not_found_and_untouched(self) -> None:
        light = self.submit(self.streetlight)
        response = self.post(action="acknowledge", case=[light.pk])
        light.refresh_from_db()
        self.assertEqual(light.status, Status.SUBMITTED)
        self.assertNotContains(response, light.reference)
        self.assertEqual(len(list(response.context["messages"])), 1)

    def test_an_assignee_who_may_not_work_the_department_is_refused(self) -> None:
        self.client.logout()
        self.sign_in(self.supervisor)
        response = self.post(action="assign", assignee=self.lighting_clerk.pk, case=[self.a.pk])
        self.a.refresh_from_db()
        self.assertIsNone(self.a.assignee)
        self.assertContains(response, self.a.reference)

    def test_nothing_ticked_or_no_action_is_a_clear_error(self) -> None:
        for data in (
            {"action": "acknowledge"},
            {"action": "drop", "case": [self.a.pk]},
            {"action": "assign", "case": [self.a.pk]},
        ):
            with self.subTest(data=data):
                response = self.post(**data)
                self.assertEqual(len(list(response.context["messages"])), 1)
        self.a.refresh_from_db()
        self.assertEqual(self.a.status, Status.SUBMITTED)

    def test_returns_to_the_filtered_inbox(self) -> None:
        response = self.client.post(
            "/backoffice/bulk", {"action": "acknowledge", "case": [self.a.pk], "return": "mine=1"}
        )
        self.assertEqual(response["Location"], "/backoffice/?mine=1")

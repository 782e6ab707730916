"""seed_demo leaves a quiet, believable demo: nothing from the past to send or escalate,
staff working office hours, replies that fit the case, a reviewer per permit department,
and sign-in instructions a newcomer can follow."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db.models import Q
from django.test import TestCase

from baladiyati.accounts.models import Role, StaffMembership
from baladiyati.cases.models import Case, CaseUpdate, Status
from baladiyati.cases.tasks import scan
from baladiyati.cities.models import Municipality
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.demo import data, texts
from baladiyati.notify.models import Delivery, DeliveryStatus
from baladiyati.permits.catalogue import DEPARTMENTS as PERMIT_DEPARTMENTS

DEMO_CASES = 60


class QuietSeedTest(TestCase):
    output: str

    @classmethod
    def setUpTestData(cls) -> None:
        cls.started = clock.now()
        out = io.StringIO()
        # The messages are queued on commit, as in `make demo`: run those callbacks too.
        with cls.captureOnCommitCallbacks(execute=True):
            call_command(
                "seed_demo", "--demo-cases", str(DEMO_CASES), stdout=out, stderr=io.StringIO()
            )
        cls.output = out.getvalue()
        cls.muscat = Municipality.objects.get(slug="muscat")

    def test_nothing_seeded_is_left_to_send(self) -> None:
        self.assertFalse(
            Delivery.objects.filter(
                status__in=[DeliveryStatus.QUEUED, DeliveryStatus.RETRYING]
            ).exists()
        )
        self.assertFalse(Delivery.objects.due().exists())
        # The history's messages are on record, marked as not sent.
        self.assertTrue(Delivery.objects.filter(status=DeliveryStatus.SKIPPED).exists())
        self.assertFalse(Delivery.objects.filter(sent_at__isnull=False).exists())

    def test_the_first_scan_has_nothing_to_warn_or_escalate(self) -> None:
        self.assertFalse(Case.objects.sla_check_due(self.started).exists())
        result = scan()
        self.assertEqual((result.warned, result.escalated), (0, 0))
        self.assertFalse(Delivery.objects.due().exists())

    def test_overdue_cases_were_escalated_at_their_due_time(self) -> None:
        escalated = Case.objects.of(self.muscat).exclude(escalated_at=None)

        self.assertTrue(escalated.exists())
        for case in escalated:
            with self.subTest(case.reference):
                self.assertEqual(case.escalated_at, case.due_at)
                self.assertLess(case.escalated_at, self.started)

    def test_staff_act_in_working_hours_on_working_days(self) -> None:
        staff_ids = set(StaffMembership.objects.values_list("user_id", flat=True))
        events = AuditEvent.objects.filter(
            Q(action__startswith="case.") | Q(action__startswith="permit."), actor_id__in=staff_ids
        )
        engine = self.muscat.calendar.engine()

        self.assertGreater(events.count(), DEMO_CASES)
        for event in events:
            with self.subTest(event.action, at=event.created_at):
                self.assertTrue(engine.is_working_moment(event.created_at))

    def test_a_case_still_waiting_promises_no_visit(self) -> None:
        promise = {text for pair in texts.ACKNOWLEDGEMENTS[1:] for text in pair}
        waiting = CaseUpdate.objects.filter(
            case__status=Status.ACKNOWLEDGED, status=Status.ACKNOWLEDGED
        )

        self.assertTrue(waiting.exists())
        self.assertFalse(waiting.filter(message__in=promise).exists())

    def test_each_permit_department_of_muscat_has_its_reviewer(self) -> None:
        reviewers = StaffMembership.objects.filter(
            municipality=self.muscat, role=Role.PERMIT_REVIEWER
        ).select_related("department", "user")
        by_department = {m.department.code if m.department else None: m.user for m in reviewers}

        self.assertEqual(
            set(by_department), {None, *(code for code, _ar, _en in PERMIT_DEPARTMENTS)}
        )
        self.assertEqual(by_department[None].username, "noor")
        for user in by_department.values():
            self.assertTrue(user.check_password(data.DEMO_PASSWORD))
            self.assertTrue(user.totpdevice_set.filter(confirmed=True).exists())
            self.assertIn(user.username, self.output)

    def test_the_departments_decide_the_demo_permit_in_parallel(self) -> None:
        deciders = set(
            AuditEvent.objects.filter(action__startswith="permit.review")
            .exclude(actor=None)
            .values_list("actor__username", flat=True)
        )
        self.assertGreater(len(deciders - {"noor"}), 1, deciders)

    def test_the_summary_tells_how_citizens_sign_in(self) -> None:
        self.assertIn("/signin", self.output)
        self.assertIn("one-time code", self.output)
        for _username, _first, _last, phone, email in data.CITIZENS:
            self.assertIn(phone, self.output)
            self.assertIn(email, self.output)
        citizen_lines = [line for line in self.output.splitlines() if "salim" in line]
        self.assertTrue(citizen_lines)
        self.assertFalse([line for line in citizen_lines if data.DEMO_PASSWORD in line])
        self.assertIn("/backoffice/permits/", self.output)

"""The overdue-review scan (permits.tasks): staff told once per late round, never twice."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from baladiyati.accounts.models import User
from baladiyati.backoffice.tests.support import sign_in
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.notify.models import Delivery
from baladiyati.permits import actions, tasks
from baladiyati.permits.models import ReviewRound

from .world import PermitTestCase

MONDAY = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)  # 09:00 in Muscat


class OverdueScanTest(PermitTestCase):
    def setUp(self) -> None:
        for user, email in (
            (self.planner, "rashid@baladiyati.om"),
            (self.engineer_reviewer, "zainab@baladiyati.om"),
            (self.supervisor, "hilal@baladiyati.om"),
            (self.clerk, "khalid@baladiyati.om"),
        ):
            User.objects.filter(pk=user.pk).update(email=email)
        with clock.frozen_at(MONDAY):
            self.application = self.submitted()
        self.round = self.application.active_round()
        assert self.round is not None

    def scan_at(self, moment: dt.datetime) -> int:
        with self.captureOnCommitCallbacks(execute=True), clock.frozen_at(moment):
            return tasks.scan()

    def overdue_mail(self) -> list[str]:
        return sorted(
            Delivery.objects.filter(event="permit.review_overdue", channel="email").values_list(
                "to", flat=True
            )
        )

    def test_nothing_is_overdue_before_the_due_time(self) -> None:
        self.assertEqual(self.scan_at(self.round.due_at - dt.timedelta(minutes=1)), 0)
        self.assertEqual(self.overdue_mail(), [])

    def test_the_pending_departments_and_the_supervisors_are_told_once(self) -> None:
        planning_review = self.round.reviews.get(department=self.planning)
        actions.do_decide_review(planning_review, decision="approved", actor=self.planner)
        late = self.round.due_at + dt.timedelta(minutes=1)
        self.assertEqual(self.scan_at(late), 1)
        self.assertEqual(self.overdue_mail(), ["hilal@baladiyati.om", "zainab@baladiyati.om"])
        mail = Delivery.objects.get(event="permit.review_overdue", to="zainab@baladiyati.om")
        self.assertEqual(mail.subject, f"تأخرت مراجعة الطلب {self.application.reference}")
        self.assertIn("الإنشاءات", mail.body)
        self.assertNotIn("التخطيط", mail.body)
        # the scan again, later, and the task as the worker runs it: nothing more
        self.assertEqual(self.scan_at(late + dt.timedelta(hours=3)), 0)
        with clock.frozen_at(late + dt.timedelta(hours=4)):
            tasks.scan_overdue_reviews.call()
        self.assertEqual(len(self.overdue_mail()), 2)
        self.assertEqual(AuditEvent.objects.filter(action="permit.review_overdue").count(), 1)
        self.round.refresh_from_db()
        self.assertEqual(self.round.overdue_notified_at, late)

    def test_the_notice_reads_in_english_for_an_english_speaker(self) -> None:
        User.objects.filter(pk=self.supervisor.pk).update(preferred_language="en")
        self.scan_at(self.round.due_at + dt.timedelta(hours=1))
        mail = Delivery.objects.get(event="permit.review_overdue", to="hilal@baladiyati.om")
        self.assertEqual(mail.subject, f"Review of {self.application.reference} is overdue")
        self.assertIn("Departments still to decide: Planning, Structural.", mail.body)

    @override_settings(SITE_ROOT="https://baladiyati.example.om")
    def test_the_notice_links_to_the_application_in_the_back_office(self) -> None:
        self.scan_at(self.round.due_at + dt.timedelta(hours=1))
        mail = Delivery.objects.get(event="permit.review_overdue", to="hilal@baladiyati.om")
        link = f"https://baladiyati.example.om/backoffice/permits/{self.application.reference}"
        self.assertTrue(mail.body.endswith(f"افتح الطلب: {link}"), mail.body)
        # the page it names is the application's back-office page
        sign_in(self.client, self.supervisor)
        page = self.client.get(link.removeprefix("https://baladiyati.example.om"))
        self.assertContains(page, self.application.reference)

    def test_a_closed_round_is_never_overdue(self) -> None:
        self.approve_all(self.application)
        self.assertEqual(self.scan_at(self.round.due_at + dt.timedelta(days=3)), 0)
        self.assertFalse(ReviewRound.objects.exclude(overdue_notified_at=None).exists())
        self.assertEqual(self.overdue_mail(), [])


class WorkerScheduleTest(PermitTestCase):
    def test_the_worker_runs_the_scan_every_minute(self) -> None:
        from django.utils.module_loading import import_string

        from baladiyati.cases.management.commands.run_worker import MINUTELY

        path = "baladiyati.permits.tasks.scan_overdue_reviews"
        self.assertIn(path, MINUTELY)
        self.assertIs(import_string(path), tasks.scan_overdue_reviews)

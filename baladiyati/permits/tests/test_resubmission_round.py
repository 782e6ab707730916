"""A resubmission's round: departments that approved keep their approval; the departments
that asked for changes review again, and only their reviewers are told."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from baladiyati.accounts.models import User
from baladiyati.core.models import AuditEvent
from baladiyati.notify.models import Delivery
from baladiyati.permits import actions
from baladiyati.permits.models import Decision, Review, Status

from .world import PermitTestCase


class ResubmissionRoundTest(PermitTestCase):
    def changes_requested(self):
        application = self.submitted()
        first = application.active_round()
        assert first is not None
        actions.do_decide_review(
            first.reviews.get(department=self.planning),
            decision="approved",
            actor=self.planner,
            conditions="ارتداد ٣ أمتار",
        )
        structural = first.reviews.get(department=self.structural)
        actions.do_decide_review(
            structural,
            decision="changes_requested",
            actor=self.engineer_reviewer,
            comments=[(None, "أضف تفاصيل الأعمدة")],
        )
        for comment in structural.comments.all():
            actions.do_answer_comment(comment, text="أضيفت", actor=self.citizen)
        return application

    def test_an_approval_stands_and_only_the_others_review_again(self) -> None:
        application = self.changes_requested()
        actions.do_submit_application(application, actor=self.citizen)
        second = application.active_round()
        assert second is not None
        self.assertEqual(second.number, 2)
        kept = second.reviews.get(department=self.planning)
        self.assertEqual(
            (kept.decision, kept.kept_from_round, kept.decided_by, kept.conditions),
            (Decision.APPROVED, 1, self.planner, "ارتداد ٣ أمتار"),
        )
        again = second.reviews.get(department=self.structural)
        self.assertEqual((again.decision, again.kept_from_round), (Decision.PENDING, None))
        # the planner has nothing more to decide; the structural engineer's approval closes it
        with self.assertRaises(ValidationError):
            actions.do_decide_review(kept, decision="approved", actor=self.planner)
        actions.do_decide_review(again, decision="approved", actor=self.engineer_reviewer)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.APPROVED)
        # the kept conditions still reach the permit
        self.assertEqual(Review.objects.filter(round=second, conditions__contains="٣").count(), 1)

    def test_the_resubmission_is_audited_with_what_was_kept(self) -> None:
        application = self.changes_requested()
        actions.do_submit_application(application, actor=self.citizen)
        event = AuditEvent.objects.get(action="permit.resubmitted")
        self.assertEqual(event.extra["approvals_kept"], ["planning"])
        self.assertEqual(event.extra["reviewing_again"], ["structural"])

    def test_only_the_departments_reviewing_again_are_told(self) -> None:
        User.objects.filter(pk=self.planner.pk).update(email="rashid@baladiyati.om")
        User.objects.filter(pk=self.engineer_reviewer.pk).update(email="zainab@baladiyati.om")
        application = self.changes_requested()
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_submit_application(application, actor=self.citizen)
        told = Delivery.objects.filter(event="permit.review_requested_again", channel="email")
        self.assertEqual(list(told.values_list("to", flat=True)), ["zainab@baladiyati.om"])

    def test_a_kept_approval_is_carried_again_into_a_third_round(self) -> None:
        application = self.changes_requested()
        actions.do_submit_application(application, actor=self.citizen)
        second = application.active_round()
        assert second is not None
        structural = second.reviews.get(department=self.structural)
        actions.do_decide_review(
            structural,
            decision="changes_requested",
            actor=self.engineer_reviewer,
            comments=[(None, "والقواعد")],
        )
        for comment in structural.comments.all():
            actions.do_answer_comment(comment, text="أضيفت", actor=self.citizen)
        actions.do_submit_application(application, actor=self.citizen)
        third = application.active_round()
        assert third is not None
        kept = third.reviews.get(department=self.planning)
        self.assertEqual((third.number, kept.decision, kept.kept_from_round), (3, "approved", 1))

    def test_the_applicant_page_says_which_approval_was_kept(self) -> None:
        application = self.changes_requested()
        actions.do_submit_application(application, actor=self.citizen)
        self.client.force_login(self.citizen)
        page = self.client.get(f"/permits/a/{application.reference}")
        self.assertContains(page, "الموافقة باقية من الجولة 1")

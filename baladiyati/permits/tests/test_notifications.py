from __future__ import annotations

from django.core.exceptions import ValidationError

from baladiyati.accounts.models import User
from baladiyati.notify.models import Delivery
from baladiyati.permits import actions

from .world import PermitTestCase


class NotificationTest(PermitTestCase):
    def test_the_owner_is_told_of_the_approval_and_its_invoice_not_the_reviewer(self) -> None:
        application = self.submitted()
        reviews = list(application.active_round().reviews.all())  # type: ignore[union-attr]
        actions.do_decide_review(reviews[0], decision="approved", actor=self.reviewer)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_decide_review(reviews[1], decision="approved", actor=self.reviewer)
        delivery = Delivery.objects.get(event="permit.approved", channel="email")
        self.assertEqual(delivery.to, "salim@example.om")
        self.assertIn(application.reference, delivery.subject)
        self.assertIn("100.000 ريال عماني", delivery.body)  # the amount in the message's language
        self.assertNotIn("OMR", delivery.body)

    def test_an_english_reader_reads_the_amount_in_omani_rials(self) -> None:
        User.objects.filter(pk=self.citizen.pk).update(preferred_language="en")
        application = self.submitted()
        reviews = list(application.active_round().reviews.all())  # type: ignore[union-attr]
        actions.do_decide_review(reviews[0], decision="approved", actor=self.reviewer)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_decide_review(reviews[1], decision="approved", actor=self.reviewer)
        delivery = Delivery.objects.get(event="permit.approved", channel="email")
        self.assertIn("for 100.000 Omani rials is ready", delivery.body)

    def test_nothing_is_sent_when_the_action_fails(self) -> None:
        application = self.draft(floors="")
        with (
            self.captureOnCommitCallbacks(execute=True),
            self.assertRaises(ValidationError),
        ):
            actions.do_submit_application(application, actor=self.citizen)
        self.assertFalse(Delivery.objects.exists())


class SubmissionReceiptTest(PermitTestCase):
    """The applicant who sends the application is told it arrived (and of a resubmission),
    in their language; the reviewers are told separately."""

    def test_the_applicant_is_told_the_application_was_received(self) -> None:
        application = self.complete_draft()
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_submit_application(application, actor=self.citizen)
        delivery = Delivery.objects.get(event="permit.submitted", channel="email")
        self.assertEqual(delivery.to, "salim@example.om")
        self.assertIn(application.reference, delivery.body)

    def test_the_applicant_is_told_the_resubmission_was_received(self) -> None:
        application = self.submitted()
        reviews = list(application.active_round().reviews.all())  # type: ignore[union-attr]
        actions.do_decide_review(
            reviews[0], decision="changes_requested", comments=[(None, "?")], actor=self.reviewer
        )
        actions.do_decide_review(reviews[1], decision="approved", actor=self.reviewer)
        for comment in reviews[0].comments.all():
            actions.do_answer_comment(comment, text="Done.", actor=self.citizen)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_submit_application(application, actor=self.citizen)
        delivery = Delivery.objects.get(event="permit.resubmitted", channel="email")
        self.assertEqual(delivery.to, "salim@example.om")

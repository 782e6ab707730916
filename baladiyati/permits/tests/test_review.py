from __future__ import annotations

import threading
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TransactionTestCase, skipUnlessDBFeature

from baladiyati.permits import actions
from baladiyati.permits.models import Decision, Invoice, Review, ReviewRound, Status
from baladiyati.testing import build_world

from .world import PDF, PermitHelpers, PermitTestCase, build_permits_world


class ReviewTest(PermitTestCase):
    def review(self, application, department):
        return application.active_round().reviews.get(department=department)

    def test_departments_review_in_parallel_and_the_last_approval_approves(self) -> None:
        application = self.submitted()
        actions.do_decide_review(
            self.review(application, self.structural),
            decision="approved",
            actor=self.engineer_reviewer,
        )
        application.refresh_from_db()
        self.assertEqual(application.status, Status.IN_REVIEW)
        actions.do_decide_review(
            self.review(application, self.planning),
            decision="approved",
            actor=self.planner,
            conditions="ارتداد 3 أمتار",
        )
        application.refresh_from_db()
        self.assertEqual(application.status, Status.APPROVED)
        self.assertIsNone(application.active_round())
        invoice = Invoice.objects.get(application=application)
        self.assertEqual(invoice.total, Decimal("100.000"))
        self.assertEqual(invoice.currency, "OMR")

    def test_a_reviewer_decides_only_their_departments_review(self) -> None:
        application = self.submitted()
        with self.assertRaises(PermissionDenied):
            actions.do_decide_review(
                self.review(application, self.planning),
                decision="approved",
                actor=self.engineer_reviewer,
            )
        with self.assertRaises(PermissionDenied):
            actions.do_decide_review(
                self.review(application, self.planning), decision="approved", actor=self.stranger
            )
        # Noor, a reviewer without a department, may decide any.
        actions.do_decide_review(
            self.review(application, self.planning), decision="approved", actor=self.reviewer
        )

    def test_a_change_request_needs_a_comment_and_the_applicant_answers_and_resubmits(self) -> None:
        application = self.submitted()
        drawing = application.documents.get(document_type=self.drawings)
        with self.assertRaises(ValidationError):
            actions.do_decide_review(
                self.review(application, self.structural),
                decision="changes_requested",
                actor=self.engineer_reviewer,
            )
        actions.do_decide_review(
            self.review(application, self.structural),
            decision="changes_requested",
            actor=self.engineer_reviewer,
            comments=[(drawing.pk, "أضف تفاصيل الأعمدة")],
        )
        actions.do_decide_review(
            self.review(application, self.planning), decision="approved", actor=self.planner
        )
        application.refresh_from_db()
        self.assertEqual(application.status, Status.CHANGES_REQUESTED)
        comment = Review.objects.get(round__number=1, department=self.structural).comments.get()
        self.assertEqual(comment.document, drawing)
        # Not yet answered: the resubmission says so and nothing moves.
        with self.assertRaises(ValidationError) as caught:
            actions.do_submit_application(application, actor=self.citizen)
        self.assertIn("answers", caught.exception.message_dict)
        actions.do_answer_comment(comment, text="أضيفت في اللوحة S-3", actor=self.citizen)
        actions.do_upload_document(
            application,
            document_type_code="drawings",
            upload=PDF,
            name="v2.pdf",
            actor=self.citizen,
        )
        actions.do_submit_application(application, actor=self.citizen)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.IN_REVIEW)
        self.assertEqual(application.resubmissions, 1)
        self.assertEqual(application.active_round().number, 2)
        self.approve_all(application)
        invoice = Invoice.objects.get(application=application)
        self.assertEqual(invoice.total, Decimal("105.000"))  # 30 + 70 + one resubmission of 5

    def test_one_rejection_rejects(self) -> None:
        application = self.submitted()
        actions.do_decide_review(
            self.review(application, self.planning),
            decision="rejected",
            actor=self.planner,
            comments=[(None, "الأرض زراعية")],
        )
        actions.do_decide_review(
            self.review(application, self.structural),
            decision="approved",
            actor=self.engineer_reviewer,
        )
        application.refresh_from_db()
        self.assertEqual(application.status, Status.REJECTED)
        self.assertFalse(Invoice.objects.exists())

    def test_a_review_is_decided_once(self) -> None:
        application = self.submitted()
        review = self.review(application, self.planning)
        actions.do_decide_review(review, decision="approved", actor=self.planner)
        with self.assertRaises(ValidationError) as caught:
            actions.do_decide_review(
                review, decision="rejected", actor=self.reviewer, comments=[(None, "x")]
            )
        self.assertEqual(caught.exception.code, "already_decided")
        review.refresh_from_db()
        self.assertEqual(review.decision, Decision.APPROVED)

    def test_a_stale_copy_of_the_review_cannot_decide_again(self) -> None:
        # Two reviewers opened the same page; the second posts after the first decided.
        application = self.submitted()
        first = self.review(application, self.planning)
        stale = Review.objects.get(pk=first.pk)
        actions.do_decide_review(first, decision="approved", actor=self.planner)
        with self.assertRaises(ValidationError):
            actions.do_decide_review(
                stale, decision="changes_requested", actor=self.reviewer, comments=[(None, "x")]
            )
        self.assertEqual(Review.objects.get(pk=first.pk).decision, Decision.APPROVED)


class ConcurrentReviewersTest(PermitHelpers, TransactionTestCase):
    """Two departments' last decisions at the same moment: exactly one closes the round."""

    # The flush after this test would also empty the rows data migrations made (notification
    # templates) for the tests that follow on the same database; restore them.
    serialized_rollback = True

    def setUp(self) -> None:
        build_world(self)
        build_permits_world(self)
        self.application = self.submitted()

    @skipUnlessDBFeature("has_select_for_update")
    def test_two_reviewers_deciding_together_leave_one_consistent_outcome(self) -> None:
        self._race()

    def test_two_reviewers_deciding_together_on_sqlite_queue_on_the_write_lock(self) -> None:
        if connection.vendor != "sqlite" or "memory" in str(connection.settings_dict["NAME"]):
            # A shared-cache in-memory database answers "table is locked" at once instead of
            # waiting on the busy timeout; a database file behaves as in production.
            self.skipTest("needs SQLite on a file: IMMEDIATE transactions queue the writers")
        self._race()

    def _race(self) -> None:
        reviews = list(self.application.active_round().reviews.all())
        actors = {self.planning.pk: self.planner, self.structural.pk: self.engineer_reviewer}
        barrier = threading.Barrier(len(reviews))
        errors: list[BaseException] = []

        def decide(review: Review) -> None:
            try:
                barrier.wait(timeout=10)
                actions.do_decide_review(
                    review, decision="approved", actor=actors[review.department_id]
                )
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=decide, args=(r,)) for r in reviews]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.APPROVED)
        self.assertEqual(Invoice.objects.filter(application=self.application).count(), 1)
        self.assertFalse(ReviewRound.objects.filter(is_active=True).exists())

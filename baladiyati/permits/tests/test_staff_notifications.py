"""Permit staff are told when an application arrives or comes back, in their language."""

from __future__ import annotations

from django.test import override_settings

from baladiyati.accounts.models import User
from baladiyati.notify.models import Delivery
from baladiyati.permits import actions

from .world import PermitTestCase


@override_settings(SITE_ROOT="http://testserver/")
class StaffNotificationTest(PermitTestCase):
    def setUp(self) -> None:
        User.objects.filter(pk=self.planner.pk).update(email="rashid@baladiyati.om")
        User.objects.filter(pk=self.engineer_reviewer.pk).update(
            email="zainab@baladiyati.om", preferred_language="en"
        )
        User.objects.filter(pk=self.clerk.pk).update(email="khalid@baladiyati.om")
        User.objects.filter(pk=self.supervisor.pk).update(email="hilal@baladiyati.om")

    def test_the_reviewers_of_the_departments_are_told_of_a_new_application(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            application = self.submitted()
        sent = {
            d.to: d
            for d in Delivery.objects.filter(event="permit.review_requested", channel="email")
        }
        self.assertEqual(set(sent), {"rashid@baladiyati.om", "zainab@baladiyati.om"})
        arabic, english = sent["rashid@baladiyati.om"], sent["zainab@baladiyati.om"]
        self.assertEqual(arabic.subject, f"طلب رخصة للمراجعة: {application.reference}")
        self.assertIn("بناء جديد (رئيسي)", arabic.body)
        self.assertIn("التخطيط، الإنشاءات", arabic.body)
        self.assertEqual(english.subject, f"Permit application to review: {application.reference}")
        self.assertIn("New building (major)", english.body)
        self.assertIn("Due: 2", english.body)  # a local date and time, not an ISO timestamp
        link = f"http://testserver/backoffice/permits/{application.reference}"
        self.assertIn(f"Open the application in the back office: {link}", english.body)
        self.assertIn(f"افتح الطلب في المكتب الخلفي: {link}", arabic.body)

    def test_a_department_not_concerned_is_not_told(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.submitted(permit_type=self.wall)  # reviewed by planning only
        self.assertEqual(
            list(
                Delivery.objects.filter(
                    event="permit.review_requested", channel="email"
                ).values_list("to", flat=True)
            ),
            ["rashid@baladiyati.om"],
        )

    def test_a_resubmission_is_announced_as_such(self) -> None:
        application = self.submitted()
        review = application.active_round().reviews.get(department=self.structural)  # type: ignore[union-attr]
        actions.do_decide_review(
            review,
            decision="changes_requested",
            actor=self.engineer_reviewer,
            comments=[(None, "x")],
        )
        planning = application.active_round().reviews.get(department=self.planning)  # type: ignore[union-attr]
        actions.do_decide_review(
            planning, decision="changes_requested", actor=self.planner, comments=[(None, "y")]
        )
        for comment in [*review.comments.all(), *planning.comments.all()]:
            actions.do_answer_comment(comment, text="تم", actor=self.citizen)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_submit_application(application, actor=self.citizen)
        english = Delivery.objects.get(
            event="permit.review_requested_again", channel="email", to="zainab@baladiyati.om"
        )
        self.assertEqual(
            english.subject, f"Application {application.reference} resubmitted for review"
        )
        self.assertIn("(round 2)", english.body)
        arabic = Delivery.objects.get(
            event="permit.review_requested_again", channel="email", to="rashid@baladiyati.om"
        )
        self.assertIn("الجولة 2", arabic.body)

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from baladiyati.core.models import AuditEvent
from baladiyati.permits import actions
from baladiyati.permits.models import ReviewRound, Status

from .world import PDF, PermitTestCase


class DraftAndSubmitTest(PermitTestCase):
    def test_a_draft_is_saved_with_the_wilayat_from_the_map(self) -> None:
        application = self.draft(plot_number="", estimated_cost="")
        self.assertEqual(application.status, Status.DRAFT)
        self.assertEqual(application.district, self.muscat_wilayat)
        self.assertTrue(application.reference.startswith("MCT-BP-"))
        self.assertEqual(application.owner, self.citizen)

    def test_a_location_outside_the_municipality_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.draft(lat=24.40, lon=56.70)
        self.assertIn("location", caught.exception.message_dict)

    def test_submission_says_exactly_what_is_missing(self) -> None:
        application = self.draft(plot_number="", floors="")
        actions.do_upload_document(
            application,
            document_type_code="site_plan",
            upload=PDF,
            name="p.pdf",
            actor=self.citizen,
        )
        with translation.override("en"), self.assertRaises(ValidationError) as caught:
            actions.do_submit_application(application, actor=self.citizen)
        missing = caught.exception.message_dict
        self.assertEqual(
            set(missing),
            {"plot_number", "floors", "documents[title_deed]", "documents[drawings]"},
        )
        self.assertEqual(missing["documents[drawings]"], ["Attach: Drawings."])
        with translation.override("ar"), self.assertRaises(ValidationError) as caught:
            actions.do_submit_application(application, actor=self.citizen)
        self.assertEqual(
            caught.exception.message_dict["documents[drawings]"], ["أرفق: المخططات الهندسية."]
        )
        application.refresh_from_db()
        self.assertEqual(application.status, Status.DRAFT)
        self.assertFalse(ReviewRound.objects.exists())

    def test_a_complete_application_opens_one_round_with_a_review_per_department(self) -> None:
        application = self.submitted()
        self.assertEqual(application.status, Status.IN_REVIEW)
        review_round = application.active_round()
        assert review_round is not None
        self.assertEqual(
            {r.department for r in review_round.reviews.all()}, {self.planning, self.structural}
        )
        self.assertTrue(AuditEvent.objects.filter(action="permit.submitted").exists())
        # Two working days: submitted Wednesday 2026-11-25 → due before the weekend ends.
        engine = self.muscat.calendar.engine()
        self.assertEqual(
            engine.working_days_between(review_round.opened_at, review_round.due_at), 2
        )

    def test_the_database_allows_one_active_round_per_application(self) -> None:
        application = self.submitted()
        active = application.active_round()
        assert active is not None
        with self.assertRaises(IntegrityError), transaction.atomic():
            ReviewRound.objects.create(application=application, number=2, due_at=active.due_at)

    def test_another_applicant_cannot_touch_the_file(self) -> None:
        application = self.complete_draft()
        with self.assertRaises(PermissionDenied):
            actions.do_submit_application(application, actor=self.citizen2)
        with self.assertRaises(PermissionDenied):
            actions.do_update_draft(application, actor=self.citizen2, plot_number="1")

    def test_an_office_member_applies_for_a_named_owner(self) -> None:
        application = self.draft(actor=self.consultant, organisation=self.office, owner_name="خميس")
        self.assertIsNone(application.owner)
        self.assertEqual(application.organisation, self.office)
        with self.assertRaises(PermissionDenied):
            self.draft(actor=self.citizen2, organisation=self.office, owner_name="x")

    def test_a_submitted_application_cannot_be_edited(self) -> None:
        application = self.submitted()
        with self.assertRaises(ValidationError):
            actions.do_update_draft(application, actor=self.citizen, plot_number="9")

"""Back-office permit pages: queue, file, decisions, inspections, completion (HTTP)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from baladiyati.backoffice.tests.support import sign_in
from baladiyati.core import clock
from baladiyati.permits.models import Decision, Inspection, Review, Status
from baladiyati.permits.tests.test_issue import pay
from baladiyati.permits.tests.world import PermitTestCase
from baladiyati.testing import jpeg_bytes

NOW = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)  # Monday 09:00 in Muscat


class ReviewPagesTest(PermitTestCase):
    def setUp(self) -> None:
        self.application = self.submitted()

    def as_staff(self, user) -> Client:
        client = Client()
        sign_in(client, user)
        return client

    def url(self, name: str, *args) -> str:
        return reverse(f"permits_review:{name}", args=[self.application.reference, *args])

    def test_a_reviewer_sees_only_their_departments_pending_reviews(self) -> None:
        planner = self.as_staff(self.planner)
        with self.assertNumQueries(6):
            response = planner.get(reverse("permits_review:queue"))
        self.assertContains(response, self.application.reference)
        self.assertContains(response, "التخطيط")
        self.assertNotContains(response, "الإنشاءات")

    def test_a_change_request_with_a_comment_on_a_drawing_through_the_page(self) -> None:
        client = self.as_staff(self.engineer_reviewer)
        drawing = self.application.documents.get(document_type=self.drawings)
        review = Review.objects.get(department=self.structural)
        page = client.get(self.url("application"))
        self.assertContains(page, drawing.original_name)
        self.assertContains(page, self.url("decide", review.pk))
        self.assertNotContains(
            page, self.url("decide", Review.objects.get(department=self.planning).pk)
        )
        response = client.post(
            self.url("decide", review.pk),
            {
                "decision": "changes_requested",
                "document_0": str(drawing.pk),
                "comment_0": "أضف المقاطع",
            },
        )
        self.assertEqual(response.status_code, 302)
        review.refresh_from_db()
        self.assertEqual(review.decision, Decision.CHANGES_REQUESTED)
        self.assertEqual(review.comments.get().document, drawing)

    def test_a_change_request_without_a_comment_is_refused_in_place(self) -> None:
        client = self.as_staff(self.engineer_reviewer)
        review = Review.objects.get(department=self.structural)
        response = client.post(self.url("decide", review.pk), {"decision": "rejected"})
        self.assertContains(response, "اكتب ملاحظة واحدة على الأقل", status_code=400)
        review.refresh_from_db()
        self.assertEqual(review.decision, Decision.PENDING)

    def test_another_departments_review_is_forbidden(self) -> None:
        client = self.as_staff(self.engineer_reviewer)
        review = Review.objects.get(department=self.planning)
        response = client.post(self.url("decide", review.pk), {"decision": "approved"})
        self.assertEqual(response.status_code, 403)
        review.refresh_from_db()
        self.assertEqual(review.decision, Decision.PENDING)

    def test_other_cities_and_other_roles_see_nothing(self) -> None:
        self.assertEqual(self.as_staff(self.stranger).get(self.url("application")).status_code, 404)
        self.assertEqual(self.as_staff(self.clerk).get(self.url("application")).status_code, 403)
        document = self.application.documents.first()
        response = self.as_staff(self.stranger).get(self.url("document", document.pk))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Client().get(self.url("application")).status_code, 302)

    def test_staff_download_a_document(self) -> None:
        document = self.application.documents.get(document_type=self.site_plan)
        response = self.as_staff(self.planner).get(self.url("document", document.pk))
        self.assertEqual(b"".join(response.streaming_content)[:5], b"%PDF-")

    def test_inspection_with_photos_and_completion_through_the_pages(self) -> None:
        self.approve_all(self.application)
        permit = pay(self.application)
        client = self.as_staff(self.reviewer)
        with clock.frozen_at(NOW):
            response = client.post(
                self.url("schedule"), {"kind": "final", "day": "2026-11-27", "slot": "morning"}
            )
            self.assertContains(response, "يوم عمل", status_code=400)  # Friday: weekend
            response = client.post(
                self.url("schedule"), {"kind": "final", "day": "2026-11-24", "slot": "midday"}
            )
            self.assertEqual(response.status_code, 302)
        inspection = Inspection.objects.get()
        response = client.post(self.url("complete"))
        self.assertEqual(response.status_code, 400)  # no passed final inspection yet
        response = client.post(
            self.url("record", inspection.pk),
            {
                "result": "passed",
                "notes": "مطابق",
                "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes(exif_gps=True))],
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(inspection.photos.count(), 1)
        photo_url = reverse(
            "permits_review:inspection_photo",
            args=[self.application.reference, inspection.pk, inspection.photos.get().pk],
        )
        self.assertContains(client.get(self.url("application")), photo_url)
        photo = b"".join(client.get(photo_url).streaming_content)
        self.assertEqual(photo[:3], b"\xff\xd8\xff")
        self.assertNotIn(b"PhoneMaker", photo)  # re-encoded: the phone's EXIF is gone
        self.assertEqual(self.as_staff(self.stranger).get(photo_url).status_code, 404)
        self.assertEqual(client.post(self.url("complete")).status_code, 302)
        permit.refresh_from_db()
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.COMPLETED)
        self.assertRegex(permit.completion_number, r"^MCT-CC-\d{4}-\d{6}$")


class RefusedDecisionKeepsTheFormTest(PermitTestCase):
    """A refused decision comes back with what the reviewer chose and wrote, not a blank form."""

    def test_the_chosen_decision_and_the_comments_are_kept(self) -> None:
        client = Client()
        sign_in(client, self.engineer_reviewer)
        application = self.submitted()
        drawing = application.documents.get(document_type=self.drawings)
        review = Review.objects.get(department=self.structural)
        url = reverse("permits_review:decide", args=[application.reference, review.pk])
        response = client.post(url, {"decision": "changes_requested"})
        self.assertContains(response, "اكتب ملاحظة", status_code=400)
        self.assertContains(response, 'value="changes_requested" checked', status_code=400, count=1)
        response = client.post(
            url,
            {"decision": "", "document_1": str(drawing.pk), "comment_1": "أضف المقاطع الطولية"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "أضف المقاطع الطولية</textarea>", status_code=400)
        self.assertContains(response, f'value="{drawing.pk}" selected', status_code=400, count=1)

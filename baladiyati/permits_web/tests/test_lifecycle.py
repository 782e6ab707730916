"""An owner applies, a department asks for changes, the owner answers and resubmits, both
departments approve, the owner pays through the fake gateway and downloads the certificate;
then an inspection and the completion certificate. Applicant steps through HTTP."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from baladiyati.backoffice.tests.support import sign_in
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.permits.models import Application, Invoice, Permit, Status
from baladiyati.permits.tests.world import DWG, FIELDS, PDF, PermitTestCase, png_bytes

NOW = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)  # Monday 09:00 in Muscat


class LifecycleTest(PermitTestCase):
    def decide(self, application: Application, department, decision: str, **fields) -> None:
        reviewer = self.planner if department == self.planning else self.engineer_reviewer
        staff = Client()
        sign_in(staff, reviewer)
        review = application.active_round().reviews.get(department=department)
        response = staff.post(
            reverse("permits_review:decide", args=[application.reference, review.pk]),
            {"decision": decision, **fields},
        )
        self.assertEqual(response.status_code, 302, response.content[-800:])

    def url(self, name: str, application: Application, **kw) -> str:
        return reverse(f"permits_web:{name}", kwargs={"reference": application.reference, **kw})

    def test_the_whole_lifecycle_with_a_changes_requested_round(self) -> None:
        self.client.force_login(self.citizen)
        with clock.frozen_at(NOW):
            response = self.client.post(
                reverse("permits_web:new"),
                {"permit_type": "muscat:new-major", **FIELDS, "floors": ""},
            )
            self.assertEqual(response.status_code, 302)
            application = Application.objects.get()
            self.assertEqual(application.status, Status.DRAFT)

            # Submitting now says exactly what is missing, in Arabic by default.
            response = self.client.post(self.url("submit", application))
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "أرفق: المخططات الهندسية.", status_code=400)
            self.assertContains(response, "اكتب عدد الطوابق.", status_code=400)

            self.client.post(self.url("save", application), {**FIELDS, "floors": "2"})
            for code, data, name in (
                ("site_plan", PDF, "site.pdf"),
                ("title_deed", png_bytes(), "deed.png"),
                ("drawings", DWG, "villa.dwg"),
            ):
                response = self.client.post(
                    self.url("upload", application),
                    {"document_type": code, "file": SimpleUploadedFile(name, data)},
                )
                self.assertEqual(response.status_code, 302, response.content[:500])
            response = self.client.post(self.url("submit", application))
            self.assertEqual(response.status_code, 302)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.IN_REVIEW)

        # Structural asks for changes on the drawing; planning approves (back-office pages).
        drawing = application.documents.get(document_type=self.drawings)
        with clock.frozen_at(NOW + dt.timedelta(hours=2)):
            self.decide(
                application,
                self.structural,
                "changes_requested",
                document_0=str(drawing.pk),
                comment_0="أضف تفاصيل تسليح الأعمدة",
            )
            self.decide(application, self.planning, "approved", conditions="ارتداد 3 أمتار")
        page = self.client.get(self.url("application", application))
        self.assertContains(page, "أضف تفاصيل تسليح الأعمدة")
        self.assertContains(page, "villa.dwg")
        comment = drawing.comments.get()

        with clock.frozen_at(NOW + dt.timedelta(hours=3)):
            response = self.client.post(self.url("submit", application))
            self.assertEqual(response.status_code, 400)  # the comment is not answered yet
            self.client.post(
                self.url("answer", application, comment_id=comment.pk),
                {"answer": "أضيفت التفاصيل في اللوحة S-3"},
            )
            self.client.post(
                self.url("upload", application),
                {"document_type": "drawings", "file": SimpleUploadedFile("v2.pdf", PDF)},
            )
            self.assertEqual(self.client.post(self.url("submit", application)).status_code, 302)
        application.refresh_from_db()
        self.assertEqual((application.status, application.resubmissions), (Status.IN_REVIEW, 1))

        # Planning's approval stands; only structural, which asked for changes, reviews again.
        page = self.client.get(self.url("application", application))
        self.assertContains(page, "الموافقة باقية من الجولة 1")
        with clock.frozen_at(NOW + dt.timedelta(hours=5)):
            self.decide(application, self.structural, "approved")
        invoice = Invoice.objects.get(application=application)
        self.assertEqual(invoice.total, Decimal("105.000"))

        # Pay: the gateway page, the payer's choice, the signed callback.
        with clock.frozen_at(NOW + dt.timedelta(hours=6)):
            response = self.client.post(self.url("pay", application))
            self.assertEqual(response.status_code, 302)
            gateway_page = self.client.get(response["Location"])
            self.assertContains(gateway_page, "١٠٥٫٠٠٠ ريال عماني")
            fields = dict(
                re.findall(r'name="(\w+)" value="([^"]*)"', gateway_page.content.decode())
            )
            fields.pop("csrfmiddlewaretoken", None)
            bank = self.client.post(
                reverse("permits_web:fake_gateway"), {**fields, "choice": "pay"}
            )
            callback = dict(re.findall(r'name="(\w+)" value="([^"]*)"', bank.content.decode()))
            response = self.client.post(reverse("permits_web:callback", args=["fake"]), callback)
            self.assertEqual(response.status_code, 302)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.ISSUED)
        permit = Permit.objects.get(application=application)
        # Complete at the resubmission (Monday 12:00), issued at 15:00 → 2.5 h of a 7 h day.
        self.assertEqual(permit.working_days_to_issue, Decimal("0.36"))

        response = self.client.get(self.url("certificate", application))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = "".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages
        )
        self.assertIn(permit.number, text)

        # Inspection booked by the owner, recorded by staff, then completion.
        with clock.frozen_at(NOW + dt.timedelta(hours=7)):
            response = self.client.post(
                self.url("inspect", application),
                {"kind": "final", "day": "2026-11-24", "slot": "morning"},
            )
            self.assertEqual(response.status_code, 302)
            inspection = permit.inspections.get()
        # Recorded on the inspection's day (Tuesday 24 November, 09:00 in Muscat).
        with clock.frozen_at(dt.datetime(2026, 11, 24, 5, tzinfo=dt.UTC)):
            staff = Client()
            sign_in(staff, self.reviewer)
            review_url = reverse(
                "permits_review:record", args=[application.reference, inspection.pk]
            )
            self.assertEqual(staff.post(review_url, {"result": "passed"}).status_code, 302)
            complete_url = reverse("permits_review:complete", args=[application.reference])
            self.assertEqual(staff.post(complete_url).status_code, 302)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.COMPLETED)
        actions_seen = set(
            AuditEvent.objects.filter(object_id=str(application.pk)).values_list(
                "action", flat=True
            )
        )
        self.assertTrue(
            {
                "permit.submitted",
                "permit.changes_requested",
                "permit.resubmitted",
                "permit.approved",
                "permit.paid",
                "permit.issued",
                "permit.completed",
            }
            <= actions_seen
        )

    def test_the_page_speaks_english_when_asked(self) -> None:
        application = self.draft(floors="")
        self.client.force_login(self.citizen)
        self.client.cookies["baladiyati_language"] = "en"
        response = self.client.post(self.url("submit", application))
        self.assertContains(response, "Write the number of floors.", status_code=400)
        self.assertContains(response, "Attach: Site plan.", status_code=400)

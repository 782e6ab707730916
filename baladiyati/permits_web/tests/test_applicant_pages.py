"""Applicant pages beyond the main path: receipt, completion certificate, withdrawal,
bad input on the forms."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baladiyati.core import clock
from baladiyati.permits import actions
from baladiyati.permits.models import Application, Document, Payment, Status
from baladiyati.permits.tests.test_issue import pay
from baladiyati.permits.tests.world import DWG, FIELDS, PermitTestCase


class ApplicantPagesTest(PermitTestCase):
    def url(self, name: str, application: Application, *args) -> str:
        return reverse(f"permits_web:{name}", args=[application.reference, *args])

    def test_the_receipt_shows_the_lines_paid(self) -> None:
        application = self.approve_all(self.submitted())
        pay(application)
        payment = Payment.objects.get()
        self.client.force_login(self.citizen)
        page = self.client.get(self.url("application", application))
        self.assertContains(page, self.url("receipt", application, payment.receipt_number))
        receipt = self.client.get(self.url("receipt", application, payment.receipt_number))
        self.assertContains(receipt, "١٠٠٫٠٠٠ ريال عماني")
        self.assertContains(receipt, "رسم الخدمة")
        self.client.force_login(self.citizen2)
        other = self.client.get(self.url("receipt", application, payment.receipt_number))
        self.assertEqual(other.status_code, 404)

    def test_the_completion_certificate_is_a_bilingual_pdf(self) -> None:
        application = self.approve_all(self.submitted())
        permit = pay(application)
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(self.url("completion", application)).status_code, 404)
        day = _next_working_day(self)
        inspection = actions.do_schedule_inspection(
            permit, kind="final", day=day, slot="morning", actor=self.citizen
        )
        # Recorded on the inspection's day, at 09:00 in Muscat.
        with clock.frozen_at(dt.datetime.combine(day, dt.time(9), tzinfo=self.muscat.zoneinfo)):
            actions.do_record_inspection(inspection, result="passed", actor=self.reviewer)
            actions.do_issue_completion_certificate(permit, actor=self.reviewer)
        response = self.client.get(self.url("completion", application))
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
        self.assertIn("شهادة إنجاز", text)
        self.assertIn("Completion Certificate", text)

    def test_an_applicant_withdraws_a_draft(self) -> None:
        application = self.draft()
        self.client.force_login(self.citizen)
        response = self.client.post(self.url("withdraw", application))
        self.assertEqual(response.status_code, 302)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.WITHDRAWN)
        response = self.client.post(self.url("submit", application))
        self.assertContains(response, "لا يمكن أن يصبح الطلب", status_code=400)

    def test_bad_numbers_are_refused_in_place_and_nothing_is_saved(self) -> None:
        application = self.draft()
        self.client.force_login(self.citizen)
        response = self.client.post(
            self.url("save", application), {**FIELDS, "floors": "كثير", "built_up_area": "-3"}
        )
        self.assertContains(response, "أدخل عدد طوابق من 1 إلى 200.", status_code=400)
        self.assertContains(response, "أدخل رقمًا موجبًا.", status_code=400)
        application.refresh_from_db()
        self.assertEqual(application.floors, 2)

    def test_arabic_indic_digits_are_accepted(self) -> None:
        application = self.draft()
        self.client.force_login(self.citizen)
        response = self.client.post(
            self.url("save", application), {**FIELDS, "floors": "٣", "built_up_area": "٤٢٠٫٥"}
        )
        self.assertEqual(response.status_code, 302)
        application.refresh_from_db()
        self.assertEqual((application.floors, str(application.built_up_area)), (3, "420.50"))

    def test_a_file_of_the_wrong_type_is_refused_on_the_page(self) -> None:
        application = self.draft()
        self.client.force_login(self.citizen)
        response = self.client.post(
            self.url("upload", application),
            {"document_type": "site_plan", "file": SimpleUploadedFile("plan.pdf", b"GIF89a...")},
        )
        self.assertContains(response, "يجب أن يكون هذا المستند بإحدى الصيغ", status_code=400)
        self.assertFalse(Document.objects.exists())
        response = self.client.post(self.url("upload", application), {"document_type": "site_plan"})
        self.assertContains(response, "اختر ملفًا لإرفاقه.", status_code=400)

    def test_the_upload_form_offers_the_document_types_this_permit_type_takes(self) -> None:
        application = self.draft(permit_type=self.wall)  # requires the site plan only
        self.client.force_login(self.citizen)
        page = self.client.get(self.url("application", application))
        self.assertContains(page, '<option value="site_plan">', count=1)
        self.assertNotContains(page, '<option value="title_deed">')
        self.assertNotContains(page, '<option value="drawings">')
        self.wall.optional_documents.add(self.deed)  # a document the type allows
        page = self.client.get(self.url("application", application))
        self.assertContains(page, '<option value="site_plan">', count=1)
        self.assertContains(page, '<option value="title_deed">', count=1)
        self.assertNotContains(page, '<option value="drawings">')

    def test_a_document_type_the_permit_type_does_not_take_is_refused(self) -> None:
        application = self.draft(permit_type=self.wall)
        self.client.force_login(self.citizen)
        response = self.client.post(
            self.url("upload", application),
            {"document_type": "drawings", "file": SimpleUploadedFile("d.dwg", DWG)},
        )
        self.assertContains(response, "اختر نوع المستند من القائمة.", status_code=400)
        self.assertFalse(Document.objects.exists())


def _next_working_day(case: PermitTestCase):
    import datetime as dt

    from baladiyati.core import clock

    engine = case.muscat.calendar.engine()
    day = clock.now().astimezone(case.muscat.zoneinfo).date() + dt.timedelta(days=1)
    while not engine.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


class ReceiptTotalsTest(PermitTestCase):
    def test_the_receipt_states_its_total_and_its_date_in_the_readers_digits(self) -> None:
        application = self.approve_all(self.submitted())
        pay(application)
        payment = Payment.objects.get()
        self.client.force_login(self.citizen)
        receipt = self.client.get(
            reverse("permits_web:receipt", args=[application.reference, payment.receipt_number])
        )
        self.assertContains(receipt, "<tfoot>")
        self.assertContains(receipt, "الإجمالي")
        self.assertNotRegex(receipt.content.decode(), r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")

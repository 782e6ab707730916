from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pypdf
import zxingcpp
from django.test import override_settings
from PIL import Image

from baladiyati.core import clock
from baladiyati.permits import actions, certificate
from baladiyati.permits.models import Invoice, Permit, Status

from .world import PermitTestCase

MONDAY_MORNING = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)  # 12:00 in Muscat


def pay(application) -> Permit:
    invoice = Invoice.objects.get(application=application)
    intent = actions.do_start_payment(invoice, gateway="fake", actor=application.created_by)
    actions.do_record_payment(
        gateway="fake",
        nonce=intent.nonce,
        transaction_id="T-1",
        amount=invoice.total,
        currency="OMR",
    )
    return Permit.objects.get(application=application)


class IssueTest(PermitTestCase):
    def issued(self, **kwargs) -> Permit:
        with clock.frozen_at(MONDAY_MORNING):
            application = self.submitted(**kwargs)
        with clock.frozen_at(MONDAY_MORNING + dt.timedelta(hours=24)):
            self.approve_all(application)
            return pay(application)

    def test_payment_issues_the_permit_with_number_validity_and_issue_time(self) -> None:
        permit = self.issued()
        # Its own prefix: a case's reference is MCT-2026-000001, so a permit must not be.
        self.assertRegex(permit.number, r"^MCT-BLD-2026-\d{6}$")
        self.assertEqual(permit.valid_until, dt.date(2028, 11, 24))  # major: two years
        self.assertEqual(permit.application.status, Status.ISSUED)
        self.assertIn("Build as approved", permit.conditions)
        # From Monday 12:00 to Tuesday 12:00 Muscat time: one working day.
        self.assertEqual(permit.working_days_to_issue, Decimal("1.00"))

    def test_a_minor_permit_is_valid_one_year(self) -> None:
        permit = self.issued(permit_type=self.wall)
        self.assertEqual(permit.valid_until, dt.date(2027, 11, 24))


@override_settings(PERMIT_PUBLIC_URL="https://baladiyati.example.om")
class CertificateTest(PermitTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        helper = cls.__new__(cls)  # the helpers read the world from the class
        application = helper.submitted()
        helper.approve_all(application)
        cls.permit = pay(application)
        cls.pdf = certificate.render_pdf(cls.permit)

    def test_the_pdf_holds_the_arabic_text(self) -> None:
        reader = pypdf.PdfReader(io.BytesIO(self.pdf))
        text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
        self.assertIn(self.permit.number, text)
        for words in ("رخصة بناء", "بلدية مسقط", "صالحة حتى"):
            self.assertIn(words, text)
        self.assertIn("Building Permit", text)

    def test_an_english_condition_reads_left_to_right(self) -> None:
        self.permit.conditions = "الالتزام بالارتدادات.\nKeep the setbacks."
        pdf = certificate.render_pdf(self.permit)
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
        self.assertIn("Keep the setbacks.", text)
        self.assertNotIn(".Keep the setbacks", text)

    def test_the_qr_code_decodes_to_the_verification_url(self) -> None:
        reader = pypdf.PdfReader(io.BytesIO(self.pdf))
        images = [img for page in reader.pages for img in page.images]
        decoded = []
        for found in images:
            picture = Image.open(io.BytesIO(found.data)).convert("L")
            decoded += [r.text for r in zxingcpp.read_barcodes(picture)]
        url = "https://baladiyati.example.om" + certificate.verification_path(self.permit)
        self.assertEqual(decoded, [url])
        self.assertEqual(certificate.permit_for_token(url.rsplit("/", 1)[1]), self.permit)

    def test_a_tampered_token_names_no_permit(self) -> None:
        token = certificate.verification_token(self.permit)
        self.assertIsNone(
            certificate.permit_for_token(token[:-1] + ("A" if token[-1] != "A" else "B"))
        )
        self.assertIsNone(certificate.permit_for_token(self.permit.token))
        self.assertIsNone(certificate.permit_for_token("nonsense"))


class VerificationAddressTest(PermitTestCase):
    """The QR code names the site's own address (SITE_ROOT, the one the notifications use)
    unless PERMIT_PUBLIC_URL says otherwise: one setting to change, not two."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        helper = cls.__new__(cls)
        application = helper.submitted()
        helper.approve_all(application)
        cls.permit = pay(application)

    @override_settings(PERMIT_PUBLIC_URL="", SITE_ROOT="http://127.0.0.1:8010/")
    def test_without_its_own_setting_it_uses_the_site_root(self) -> None:
        url = certificate.verification_url(self.permit)
        self.assertTrue(url.startswith("http://127.0.0.1:8010/verify/"), url)

    @override_settings(PERMIT_PUBLIC_URL="https://permits.example.om", SITE_ROOT="http://x")
    def test_its_own_setting_wins(self) -> None:
        url = certificate.verification_url(self.permit)
        self.assertTrue(url.startswith("https://permits.example.om/verify/"), url)

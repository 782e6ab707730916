"""Renewal: the renewal fee's invoice, paid through the gateway, renews the permit once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.notify.models import Delivery
from baladiyati.permits import actions, certificate
from baladiyati.permits.models import FeeKind, FeeRule, Invoice, Payment, Permit

from .test_issue import MONDAY_MORNING, pay
from .world import PermitTestCase

IN_WINDOW = dt.datetime(2027, 11, 1, 8, tzinfo=dt.UTC)  # 22 days before a wall permit ends


class RenewalTest(PermitTestCase):
    def setUp(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            application = self.submitted(permit_type=self.wall)
            self.approve_all(application)
            self.permit = pay(application)
        self.assertEqual(self.permit.valid_until, dt.date(2027, 11, 23))

    def request(self, actor=None) -> Invoice:
        with clock.frozen_at(IN_WINDOW):
            return actions.do_request_renewal(self.permit, actor=actor or self.citizen)

    def pay_renewal(self, invoice: Invoice, *, amount=None, transaction_id="R-1") -> Payment:
        intent = actions.do_start_payment(invoice, gateway="fake", actor=self.citizen)
        with clock.frozen_at(IN_WINDOW), self.captureOnCommitCallbacks(execute=True):
            return actions.do_record_payment(
                gateway="fake",
                nonce=intent.nonce,
                transaction_id=transaction_id,
                amount=invoice.total if amount is None else amount,
                currency="OMR",
            )

    def test_too_early_is_refused_and_writes_nothing(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            actions.do_request_renewal(self.permit, actor=self.citizen)
        self.assertEqual(refused.exception.code, "too_early")
        self.assertIn("2027-11-23", refused.exception.messages[0])
        self.assertFalse(Invoice.objects.filter(purpose="renewal").exists())

    def test_the_renewal_fee_is_the_default_unless_the_type_has_a_rule(self) -> None:
        self.assertEqual(self.request().total, Decimal("20.000"))
        Invoice.objects.filter(purpose="renewal").delete()
        FeeRule.objects.create(permit_type=self.wall, kind=FeeKind.RENEWAL, amount="12.500")
        self.assertEqual(self.request().total, Decimal("12.500"))

    @override_settings(
        PERMIT_DEFAULT_FEES={
            "application": "1",
            "service": "1",
            "resubmission": "1",
            "renewal": "9",
        }
    )
    def test_the_default_comes_from_the_settings(self) -> None:
        self.assertEqual(self.request().total, Decimal("9.000"))

    def test_asking_twice_gives_the_same_open_invoice(self) -> None:
        self.assertEqual(self.request().pk, self.request().pk)
        self.assertEqual(Invoice.objects.filter(purpose="renewal").count(), 1)

    def test_paying_renews_from_the_end_with_a_receipt_an_audit_and_a_message(self) -> None:
        invoice = self.request()
        payment = self.pay_renewal(invoice)
        self.permit.refresh_from_db()
        self.assertEqual(self.permit.valid_until, dt.date(2028, 11, 23))
        self.assertEqual((self.permit.renewals, self.permit.renewed_at), (1, IN_WINDOW))
        self.assertRegex(payment.receipt_number, r"^MCT-RCT-2027-\d{6}$")
        event = AuditEvent.objects.get(action="permit.renewed")
        self.assertEqual(event.changes["valid_until"], ["2027-11-23", "2028-11-23"])
        self.assertEqual(event.extra["receipt"], payment.receipt_number)
        mail = Delivery.objects.get(event="permit.renewed", channel="email")
        self.assertIn("2028-11-23", mail.body)
        # a new renewal needs a new invoice: the paid one is not reused
        self.assertEqual(Invoice.objects.get(pk=invoice.pk).state, Invoice.State.PAID)

    def test_the_renewed_certificate_shows_the_new_validity(self) -> None:
        self.pay_renewal(self.request())
        self.permit.refresh_from_db()
        pdf = certificate.render_pdf(self.permit)
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        self.assertIn("2028-11-23", text)
        self.assertNotIn("2027-11-23", text)
        self.assertIn("Renewed: 1", text)

    def test_a_wrong_amount_or_a_replay_renews_nothing(self) -> None:
        invoice = self.request()
        with self.assertRaises(ValidationError):
            self.pay_renewal(invoice, amount=Decimal("1.000"))
        self.assertEqual(Permit.objects.get(pk=self.permit.pk).renewals, 0)
        self.pay_renewal(invoice)
        with self.assertRaises(ValidationError):
            self.pay_renewal(invoice, transaction_id="R-1")
        self.permit.refresh_from_db()
        self.assertEqual(
            (self.permit.renewals, self.permit.valid_until), (1, dt.date(2028, 11, 23))
        )
        self.assertEqual(AuditEvent.objects.filter(action="permit.renewed").count(), 1)

    def test_only_the_applicant_asks(self) -> None:
        for other in (self.citizen2, self.planner):
            with self.subTest(other=other.username), self.assertRaises(PermissionDenied):
                self.request(actor=other)
        self.assertFalse(Invoice.objects.filter(purpose="renewal").exists())

    def test_a_completed_permit_is_not_renewed(self) -> None:
        from baladiyati.permits.models import Application, Status

        Application.objects.filter(pk=self.permit.application_id).update(status=Status.COMPLETED)
        with self.assertRaises(ValidationError) as refused:
            self.request()
        self.assertEqual(refused.exception.code, "not_issued")

    def test_a_permit_closed_before_the_renewal_is_paid_refuses_the_payment(self) -> None:
        from baladiyati.permits.models import Application, Status

        invoice = self.request()
        Application.objects.filter(pk=self.permit.application_id).update(status=Status.COMPLETED)
        with self.assertRaises(ValidationError):
            self.pay_renewal(invoice)
        self.assertFalse(Payment.objects.filter(invoice=invoice).exists())
        self.assertEqual(Invoice.objects.get(pk=invoice.pk).state, Invoice.State.UNPAID)

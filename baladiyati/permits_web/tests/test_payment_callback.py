"""The payment callback books a payment only when the gateway signed it, for the invoice's
amount and currency, once. Every refusal is a 400 and changes nothing."""

from __future__ import annotations

from django.urls import reverse

from baladiyati.core.models import AuditEvent
from baladiyati.permits import actions, payments
from baladiyati.permits.models import Invoice, Payment, PaymentIntent, Permit, Status
from baladiyati.permits.tests.world import PermitTestCase

CALLBACK = reverse("permits_web:callback", args=["fake"])


class PaymentCallbackTest(PermitTestCase):
    def setUp(self) -> None:
        application = self.submitted()
        self.application = self.approve_all(application)
        self.invoice = Invoice.objects.get(application=application)
        self.intent = actions.do_start_payment(self.invoice, gateway="fake", actor=self.citizen)
        self.gateway = payments.FakeGateway()

    def redirect(self, **changes: str) -> dict[str, str]:
        return {
            "intent": self.intent.nonce,
            "amount": f"{self.invoice.total:.3f}",
            "currency": "OMR",
            "return": "/",
            **changes,
        }

    def signed(self, **changes: str) -> dict[str, str]:
        return self.gateway.callback_fields(self.redirect(**changes), succeeded=True)

    def assert_nothing_changed(self) -> None:
        self.invoice.refresh_from_db()
        self.application.refresh_from_db()
        self.assertEqual(self.invoice.state, Invoice.State.UNPAID)
        self.assertEqual(self.application.status, Status.APPROVED)
        self.assertFalse(Payment.objects.exists())
        self.assertFalse(Permit.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="permit.paid").exists())
        self.assertIsNone(PaymentIntent.objects.get(pk=self.intent.pk).spent_at)

    def test_a_signed_callback_for_the_right_amount_pays_and_issues(self) -> None:
        response = self.client.post(CALLBACK, self.signed())
        self.assertEqual(response.status_code, 302)
        self.invoice.refresh_from_db()
        self.assertEqual(self.invoice.state, Invoice.State.PAID)
        payment = Payment.objects.get()
        self.assertRegex(payment.receipt_number, r"^MCT-RCT-\d{4}-\d{6}$")
        self.assertTrue(Permit.objects.filter(application=self.application).exists())

    def test_a_bad_signature_is_refused_and_changes_nothing(self) -> None:
        fields = self.signed()
        fields["signature"] = "0" * 64
        response = self.client.post(CALLBACK, fields)
        self.assertEqual(response.status_code, 400)
        self.assert_nothing_changed()

    def test_an_altered_amount_breaks_the_signature(self) -> None:
        fields = self.signed()
        fields["amount"] = "1.000"
        self.assertEqual(self.client.post(CALLBACK, fields).status_code, 400)
        self.assert_nothing_changed()

    def test_a_signed_callback_for_the_wrong_amount_is_refused(self) -> None:
        response = self.client.post(CALLBACK, self.signed(amount="99.999"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "المبلغ المدفوع لا يطابق الفاتورة", status_code=400)
        self.assert_nothing_changed()

    def test_a_signed_callback_in_another_currency_is_refused(self) -> None:
        response = self.client.post(CALLBACK, self.signed(currency="USD"))
        self.assertEqual(response.status_code, 400)
        self.assert_nothing_changed()

    def test_a_replayed_callback_is_refused_and_changes_nothing_more(self) -> None:
        fields = self.signed()
        self.assertEqual(self.client.post(CALLBACK, fields).status_code, 302)
        before = (Payment.objects.count(), AuditEvent.objects.count(), Permit.objects.get().number)
        response = self.client.post(CALLBACK, fields)
        self.assertEqual(response.status_code, 400)
        after = (Payment.objects.count(), AuditEvent.objects.count(), Permit.objects.get().number)
        self.assertEqual(before, after)

    def test_a_second_transaction_on_a_spent_attempt_is_refused(self) -> None:
        self.client.post(CALLBACK, self.signed())
        self.assertEqual(self.client.post(CALLBACK, self.signed()).status_code, 400)
        self.assertEqual(Payment.objects.count(), 1)

    def test_an_unknown_attempt_is_refused(self) -> None:
        response = self.client.post(CALLBACK, self.signed(intent="f" * 32))
        self.assertEqual(response.status_code, 400)
        self.assert_nothing_changed()

    def test_a_declined_payment_books_nothing(self) -> None:
        fields = self.gateway.callback_fields(self.redirect(), succeeded=False)
        response = self.client.post(CALLBACK, fields)
        self.assertEqual(response.status_code, 302)
        self.assert_nothing_changed()

    def test_the_refusal_is_translated(self) -> None:
        fields = self.signed()
        fields["signature"] = "bad"
        response = self.client.post(CALLBACK, fields)
        self.assertContains(response, "تأكيد الدفع غير صالح", status_code=400)
        self.client.cookies["baladiyati_language"] = "en"
        response = self.client.post(CALLBACK, fields)
        self.assertContains(response, "The payment confirmation is not valid.", status_code=400)

    def test_a_forged_payment_link_is_refused_by_the_fake_gateway_page(self) -> None:
        url = reverse("permits_web:fake_gateway")
        good = self.gateway.redirect_url(self.intent, return_url="/")
        self.assertEqual(self.client.get(good).status_code, 200)
        self.assertEqual(self.client.get(good.replace("amount=", "amount=1")).status_code, 400)
        self.assertEqual(self.client.get(url).status_code, 400)

"""POST /permits/a/<ref>/renew: the renewal fee, paid at the gateway, renews the permit and
the certificate downloaded afterwards carries the new validity."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
from django.urls import reverse

from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.permits.models import Invoice, Permit
from baladiyati.permits.tests.test_issue import MONDAY_MORNING, pay
from baladiyati.permits.tests.world import PermitTestCase

IN_WINDOW = dt.datetime(2027, 11, 1, 8, tzinfo=dt.UTC)
FIELD = re.compile(r'name="(\w+)" value="([^"]*)"')


class RenewPageTest(PermitTestCase):
    def setUp(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            self.application = self.approve_all(self.submitted(permit_type=self.wall))
            self.permit = pay(self.application)
        self.client.force_login(self.citizen)

    def url(self, name: str) -> str:
        return reverse(f"permits_web:{name}", args=[self.application.reference])

    def test_the_owner_renews_by_paying_the_fee_and_gets_the_new_certificate(self) -> None:
        with clock.frozen_at(IN_WINDOW):
            page = self.client.get(self.url("application"))
            self.assertContains(page, "رسم التجديد: ٢٠٫٠٠٠ ريال عماني")
            response = self.client.post(self.url("renew"))
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/permits/pay/fake?"))
            gateway_page = self.client.get(response["Location"])
            self.assertContains(gateway_page, "٢٠٫٠٠٠ ريال عماني")
            fields = dict(FIELD.findall(gateway_page.content.decode()))
            fields.pop("csrfmiddlewaretoken", None)
            bank = self.client.post(
                reverse("permits_web:fake_gateway"), {**fields, "choice": "pay"}
            )
            callback = dict(FIELD.findall(bank.content.decode()))
            done = self.client.post(
                reverse("permits_web:callback", args=["fake"]), callback, follow=True
            )
        self.assertContains(done, "جُدّدت رخصتك حتى 2028-11-23")
        self.assertContains(done, "فاتورة التجديد")
        self.assertContains(done, "جُدّدت مرة واحدة.")
        self.permit.refresh_from_db()
        self.assertEqual(
            (self.permit.valid_until, self.permit.renewals), (dt.date(2028, 11, 23), 1)
        )
        self.assertTrue(AuditEvent.objects.filter(action="permit.renewed").exists())
        pdf = self.client.get(self.url("certificate"))
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
        self.assertIn("2028-11-23", text)
        # the same callback again is a replay: refused, nothing renewed twice
        replay = self.client.post(reverse("permits_web:callback", args=["fake"]), callback)
        self.assertEqual(replay.status_code, 400)
        self.assertEqual(Permit.objects.get(pk=self.permit.pk).renewals, 1)

    def test_too_early_says_from_when_in_arabic(self) -> None:
        response = self.client.post(self.url("renew"))
        self.assertContains(response, "2027-11-23", status_code=400)
        self.assertFalse(Invoice.objects.filter(purpose="renewal").exists())

    def test_and_in_english(self) -> None:
        self.client.cookies["baladiyati_language"] = "en"
        response = self.client.post(self.url("renew"))
        self.assertContains(
            response,
            "A permit can be renewed from 60 days before it ends (2027-11-23).",
            status_code=400,
        )

    def test_a_cancelled_payment_renews_nothing_and_the_same_invoice_is_offered_again(self) -> None:
        with clock.frozen_at(IN_WINDOW):
            first = self.client.post(self.url("renew"))
            gateway_page = self.client.get(first["Location"])
            fields = dict(FIELD.findall(gateway_page.content.decode()))
            fields.pop("csrfmiddlewaretoken", None)
            bank = self.client.post(
                reverse("permits_web:fake_gateway"), {**fields, "choice": "cancel"}
            )
            callback = dict(FIELD.findall(bank.content.decode()))
            self.client.post(reverse("permits_web:callback", args=["fake"]), callback)
            self.client.post(self.url("renew"))
        self.assertEqual(Invoice.objects.filter(purpose="renewal").count(), 1)
        self.assertEqual(Permit.objects.get(pk=self.permit.pk).renewals, 0)

    def test_another_citizen_gets_a_404(self) -> None:
        self.client.force_login(self.citizen2)
        with clock.frozen_at(IN_WINDOW):
            self.assertEqual(self.client.post(self.url("renew")).status_code, 404)
        self.assertFalse(Invoice.objects.filter(purpose="renewal").exists())


class RenewButtonTest(PermitTestCase):
    """The page offers renewal only when it can be done; before, it says from when."""

    def setUp(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            self.application = self.approve_all(self.submitted(permit_type=self.wall))
            self.permit = pay(self.application)
        self.client.force_login(self.citizen)
        self.renew_url = reverse("permits_web:renew", args=[self.application.reference])
        self.page_url = reverse("permits_web:application", args=[self.application.reference])

    def test_a_new_permit_says_from_when_it_can_be_renewed_and_offers_no_button(self) -> None:
        self.client.cookies["baladiyati_language"] = "en"
        self.client.cookies["baladiyati_digits"] = "latn"
        with clock.frozen_at(MONDAY_MORNING):
            page = self.client.get(self.page_url)
        self.assertNotContains(page, f'action="{self.renew_url}"')
        self.assertContains(page, "You can renew it from")
        self.assertContains(page, "24 September 2027")

    def test_and_in_arabic(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            page = self.client.get(self.page_url)
        self.assertContains(page, "يمكنك تجديدها اعتباراً من")
        self.assertContains(page, "٢٤ سبتمبر ٢٠٢٧")

    def test_inside_the_window_the_button_is_there(self) -> None:
        with clock.frozen_at(IN_WINDOW):
            page = self.client.get(self.page_url)
        self.assertContains(page, f'action="{self.renew_url}"')

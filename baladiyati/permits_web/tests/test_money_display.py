"""Amounts on the applicant's and the staff's pages: three decimals, the reader's digits,
the currency's name in the page's language."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from baladiyati.accounts.models import User
from baladiyati.backoffice.tests.support import sign_in
from baladiyati.permits.amounts import money_text
from baladiyati.permits.models import Payment
from baladiyati.permits.tests.test_issue import pay
from baladiyati.permits.tests.world import PermitTestCase
from baladiyati.permits_web.templatetags.permits_money import format_money, omr


class MoneyFilterTest(PermitTestCase):
    def test_three_decimals_grouped_in_either_digits(self) -> None:
        with translation.override("ar"):
            self.assertEqual(format_money("1250.5", "arab"), "١٬٢٥٠٫٥٠٠ ريال عماني")
            self.assertEqual(format_money("1250.5", "latn"), "1,250.500 ريال عماني")
            self.assertEqual(format_money(None, "latn"), "")
        with translation.override("en"):
            self.assertEqual(format_money("105", "latn"), "105.000 Omani rials")

    def test_the_filter_and_the_notifications_write_amounts_the_same_way(self) -> None:
        with translation.override("ar"):
            self.assertEqual(omr("105", "latn"), str(money_text("105")))
        with translation.override("en"):
            self.assertEqual(str(money_text("105")), "105.000 Omani rials")


class MoneyOnPagesTest(PermitTestCase):
    def setUp(self) -> None:
        self.application = self.approve_all(self.submitted())
        self.url = reverse("permits_web:application", args=[self.application.reference])

    def test_arabic_page_with_arabic_indic_digits_by_default(self) -> None:
        self.client.force_login(self.citizen)
        page = self.client.get(self.url)
        self.assertContains(page, '<strong class="amount">١٠٠٫٠٠٠ ريال عماني</strong>')

    def test_arabic_page_with_the_western_digits_the_account_prefers(self) -> None:
        User.objects.filter(pk=self.citizen.pk).update(digit_preference="latn")
        self.client.force_login(self.citizen)
        page = self.client.get(self.url)
        self.assertContains(page, '<strong class="amount">100.000 ريال عماني</strong>')

    def test_english_page(self) -> None:
        self.client.force_login(self.citizen)
        self.client.cookies["baladiyati_language"] = "en"
        self.client.cookies["baladiyati_digits"] = "latn"
        page = self.client.get(self.url)
        self.assertContains(page, '<strong class="amount">100.000 Omani rials</strong>')

    def test_the_receipt_lines_follow_the_same_rule(self) -> None:
        pay(self.application)
        payment = Payment.objects.get()
        self.client.force_login(self.citizen)
        self.client.cookies["baladiyati_language"] = "en"
        self.client.cookies["baladiyati_digits"] = "latn"
        receipt = self.client.get(
            reverse(
                "permits_web:receipt", args=[self.application.reference, payment.receipt_number]
            )
        )
        self.assertContains(receipt, "<dd>100.000 Omani rials</dd>")
        self.assertContains(receipt, "<td>70.000 Omani rials</td>")

    def test_the_staff_page_shows_the_invoice_the_same_way(self) -> None:
        staff = Client()
        sign_in(staff, self.planner)
        staff.cookies["baladiyati_digits"] = "latn"
        page = staff.get(reverse("permits_review:application", args=[self.application.reference]))
        self.assertContains(page, "100.000 ريال عماني")

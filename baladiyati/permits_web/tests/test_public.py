"""Public pages: certificate verification, the register, BLDS open data (pages and command)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.core.management import call_command
from django.urls import reverse

from baladiyati.core import clock
from baladiyati.permits import actions, certificate
from baladiyati.permits.blds import INSPECTION_FIELDS, PERMIT_FIELDS
from baladiyati.permits.models import Invoice, Permit
from baladiyati.permits.tests.world import PermitTestCase


def issue(case: PermitTestCase, **kwargs) -> Permit:
    application = case.approve_all(case.submitted(**kwargs))
    invoice = Invoice.objects.get(application=application)
    intent = actions.do_start_payment(invoice, gateway="fake", actor=application.created_by)
    actions.do_record_payment(
        gateway="fake",
        nonce=intent.nonce,
        transaction_id=intent.nonce,
        amount=invoice.total,
        currency="OMR",
    )
    return Permit.objects.get(application=application)


class VerifyTest(PermitTestCase):
    def setUp(self) -> None:
        self.permit = issue(self)

    def test_a_valid_permit_shows_what_the_certificate_shows_and_nothing_personal(self) -> None:
        response = self.client.get(certificate.verification_path(self.permit))
        self.assertContains(response, "صالحة")
        self.assertContains(response, self.permit.number)
        self.assertContains(response, "123/4")
        for personal in ("سالم", "salim", "+96891234567", "TD-998877", "85000"):
            self.assertNotContains(response, personal)

    def test_it_speaks_english_too(self) -> None:
        self.client.cookies["baladiyati_language"] = "en"
        response = self.client.get(certificate.verification_path(self.permit))
        self.assertContains(response, "Valid: this permit is in force.")

    def test_a_tampered_or_unknown_token_says_not_valid(self) -> None:
        token = certificate.verification_token(self.permit)
        for bad in (token[:-2] + "xy", self.permit.token, "abc"):
            response = self.client.get(reverse("permits_web:verify", args=[bad]))
            self.assertContains(response, "غير صالح", status_code=404)
            self.assertNotContains(response, self.permit.number, status_code=404)

    def test_an_expired_permit_is_not_valid(self) -> None:
        with clock.frozen_at(dt.datetime(2031, 1, 1, tzinfo=dt.UTC)):
            response = self.client.get(certificate.verification_path(self.permit))
        self.assertContains(response, "انتهت صلاحيتها")


class RegisterAndExportTest(PermitTestCase):
    def setUp(self) -> None:
        self.permits = [issue(self), issue(self, plot_number="77/1")]

    def test_the_register_lists_issued_permits_in_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(5):
            response = self.client.get(reverse("permits_web:register"))
        self.assertContains(response, "أيام العمل")
        for permit in self.permits:
            self.assertContains(response, permit.number)
        self.assertNotContains(response, "سالم")

    def test_the_register_finds_a_permit_by_plot_number(self) -> None:
        response = self.client.get(reverse("permits_web:register"), {"q": "77/1"})
        self.assertContains(response, self.permits[1].number)
        self.assertNotContains(response, self.permits[0].number)

    def test_permits_export_as_blds_csv_and_json(self) -> None:
        response = self.client.get(reverse("permits_web:export", args=["permits", "csv"]))
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual(list(rows[0]), PERMIT_FIELDS)
        self.assertEqual(rows[0]["PermitNum"], self.permits[0].number)
        self.assertEqual(rows[0]["StatusCurrentMapped"], "Permit Issued")
        self.assertEqual(rows[0]["PermitClassMapped"], "Residential")
        self.assertEqual(rows[0]["WorkClassMapped"], "New")
        self.assertEqual(rows[0]["PermitTypeMapped"], "Building")
        response = self.client.get(reverse("permits_web:export", args=["permits", "json"]))
        data = json.loads(response.content)
        self.assertEqual([r["PermitNum"] for r in data], [p.number for p in self.permits])
        text = response.content.decode()
        for personal in ("salim", "سالم", "TD-998877"):
            self.assertNotIn(personal, text)

    def test_inspections_export_with_blds_result_values(self) -> None:
        permit = self.permits[0]
        with clock.frozen_at(dt.datetime(2026, 11, 25, 6, tzinfo=dt.UTC)):
            inspection = actions.do_schedule_inspection(
                permit,
                kind="foundation",
                day=dt.date(2026, 11, 26),
                slot="morning",
                actor=self.citizen,
            )
        with clock.frozen_at(dt.datetime(2026, 11, 26, 6, tzinfo=dt.UTC)):  # on the day
            actions.do_record_inspection(
                inspection, result="failed", notes="حديد التسليح مكشوف", actor=self.reviewer
            )
        response = self.client.get(reverse("permits_web:export", args=["inspections", "json"]))
        [row] = json.loads(response.content)
        self.assertEqual(list(row), INSPECTION_FIELDS)
        self.assertEqual((row["PermitNum"], row["ResultMapped"]), (permit.number, "Rejected"))
        self.assertEqual(row["ScheduledDate"], "2026-11-26")

    def test_an_unknown_dataset_is_404(self) -> None:
        response = self.client.get(reverse("permits_web:export", args=["owners", "csv"]))
        self.assertEqual(response.status_code, 404)

    def test_the_command_writes_the_same_csv(self) -> None:
        out = io.StringIO()
        call_command("export_blds", "permits", "--municipality", "muscat", stdout=out)
        page = self.client.get(reverse("permits_web:export", args=["permits", "csv"]))
        self.assertEqual(out.getvalue(), page.content.decode())


class RegisterSearchTest(PermitTestCase):
    def setUp(self) -> None:
        self.permit = issue(self, plot_number="77/1")

    def test_a_plot_number_typed_in_arabic_indic_digits_is_found(self) -> None:
        response = self.client.get(reverse("permits_web:register"), {"q": "٧٧/١"})
        self.assertContains(response, self.permit.number)

    def test_a_permit_number_is_found_whatever_its_case(self) -> None:
        response = self.client.get(
            reverse("permits_web:register"), {"q": self.permit.number.lower()}
        )
        self.assertContains(response, self.permit.number)

    def test_each_permit_type_is_offered_once_in_the_filter(self) -> None:
        from baladiyati.permits.catalogue import install_default_catalogue

        install_default_catalogue(self.muscat)
        install_default_catalogue(self.sohar)
        response = self.client.get(reverse("permits_web:register"))
        self.assertEqual(response.content.decode().count('value="boundary-wall"'), 1)

"""The demo's building permits: catalogue with fees per city, and a replayed history."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command
from django.test import TestCase

from baladiyati.cities.models import Municipality
from baladiyati.core.models import AuditEvent
from baladiyati.permits.models import Application, FeeKind, PermitType, Status


class PermitDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", "--cases", "0", stdout=io.StringIO())
        cls.muscat = Municipality.objects.get(slug="muscat")
        cls.sohar = Municipality.objects.get(slug="sohar")

    def test_both_cities_have_the_six_permit_types_with_their_own_fees(self) -> None:
        for city in (self.muscat, self.sohar):
            self.assertEqual(PermitType.objects.filter(municipality=city).count(), 6)
        muscat = PermitType.objects.get(municipality=self.muscat, code="new-major")
        sohar = PermitType.objects.get(municipality=self.sohar, code="new-major")
        self.assertEqual(muscat.fee(FeeKind.SERVICE), Decimal("70.000"))
        self.assertEqual(sohar.fee(FeeKind.SERVICE), Decimal("50.000"))

    def test_muscat_has_applications_in_every_stage_made_through_the_actions(self) -> None:
        statuses = set(
            Application.objects.filter(municipality=self.muscat).values_list("status", flat=True)
        )
        self.assertEqual(
            statuses,
            {Status.ISSUED, Status.CHANGES_REQUESTED, Status.IN_REVIEW, Status.DRAFT},
        )
        issued = Application.objects.get(status=Status.ISSUED)
        self.assertEqual(issued.permit.inspections.get().result, "passed")
        self.assertTrue(AuditEvent.objects.filter(action="permit.paid").exists())

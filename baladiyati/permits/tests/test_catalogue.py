from __future__ import annotations

from decimal import Decimal

from django.test import override_settings

from baladiyati.permits.catalogue import install_default_catalogue
from baladiyati.permits.models import FeeKind, Kind, PermitType

from .world import PermitTestCase


class CatalogueTest(PermitTestCase):
    def test_a_city_gets_every_kind_with_muscats_fees_by_default(self) -> None:
        types = install_default_catalogue(self.sohar)
        self.assertEqual({t.kind for t in types}, set(Kind.values))
        major = PermitType.objects.get(municipality=self.sohar, code="new-major")
        self.assertEqual(
            [major.fee(k) for k in FeeKind.values],
            [Decimal("30.000"), Decimal("70.000"), Decimal("5.000"), Decimal("20.000")],
        )
        self.assertEqual(major.review_departments.count(), 4)
        self.assertEqual(
            (
                major.validity,
                PermitType.objects.get(municipality=self.sohar, code="new-minor").validity,
            ),
            (24, 12),
        )

    def test_it_is_idempotent_and_another_city_sets_its_own_fees(self) -> None:
        install_default_catalogue(self.muscat)
        install_default_catalogue(self.muscat)
        self.assertEqual(
            PermitType.objects.filter(municipality=self.muscat, code="demolition").count(), 1
        )
        install_default_catalogue(self.sohar, fees={"service": "50.000"})
        sohar = PermitType.objects.get(municipality=self.sohar, code="new-minor")
        self.assertEqual(sohar.fee(FeeKind.SERVICE), Decimal("50.000"))
        self.assertEqual(sohar.fee(FeeKind.APPLICATION), Decimal("30.000"))

    @override_settings(
        PERMIT_DEFAULT_FEES={"application": "1.500", "service": "2.000", "resubmission": "0.250"}
    )
    def test_a_type_without_rules_uses_the_configured_defaults(self) -> None:
        self.assertEqual(self.major.fee(FeeKind.RESUBMISSION), Decimal("0.250"))
        self.assertEqual(self.wall.fee(FeeKind.SERVICE), Decimal("20.000"))  # its own rule

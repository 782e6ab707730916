"""POST /permits/a/<ref>/inspections: a full slot is refused in place, in the page's language."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse

from baladiyati.core import clock
from baladiyati.permits.models import Inspection
from baladiyati.permits.tests.test_inspection_slots import TUESDAY, pay
from baladiyati.permits.tests.test_issue import MONDAY_MORNING
from baladiyati.permits.tests.world import PermitTestCase


@override_settings(PERMIT_INSPECTION_SLOT_CAPACITY=1)
class InspectionBookingPageTest(PermitTestCase):
    def setUp(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            self.first, self.second = (
                self.approve_all(self.submitted(permit_type=self.wall)) for _ in range(2)
            )
            pay(self.first)
            pay(self.second)
        self.client.force_login(self.citizen)

    def book(self, application, **extra):
        with clock.frozen_at(MONDAY_MORNING):
            return self.client.post(
                reverse("permits_web:inspect", args=[application.reference]),
                {"kind": "foundation", "day": TUESDAY.isoformat(), "slot": "morning", **extra},
            )

    def test_the_last_place_is_taken_then_the_slot_is_full_in_arabic(self) -> None:
        self.assertEqual(self.book(self.first).status_code, 302)
        response = self.book(self.second)
        self.assertContains(
            response,
            "الفترة «صباحًا (07:30–10:30)» يوم 2026-11-24 محجوزة بالكامل؛ اختر فترة أو يوماً آخر.",
            status_code=400,
        )
        self.assertEqual(Inspection.objects.count(), 1)

    def test_and_in_english(self) -> None:
        self.book(self.first)
        self.client.cookies["baladiyati_language"] = "en"
        response = self.book(self.second)
        self.assertContains(
            response,
            "The Morning (07:30–10:30) slot on 2026-11-24 is fully booked;"
            " choose another slot or day.",
            status_code=400,
        )
        self.assertEqual(
            self.book(self.second, day=(TUESDAY + dt.timedelta(days=1)).isoformat()).status_code,
            302,
        )

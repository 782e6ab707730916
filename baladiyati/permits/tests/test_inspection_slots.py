"""Inspection slots hold a limited number of bookings; the last place goes to one booking."""

from __future__ import annotations

import datetime as dt
import threading

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase, override_settings, skipUnlessDBFeature

from baladiyati.core import clock
from baladiyati.permits import actions
from baladiyati.permits.models import Inspection, InspectionResult, Invoice, Permit, SlotLoad
from baladiyati.testing import build_world

from .test_issue import MONDAY_MORNING
from .world import PermitHelpers, PermitTestCase, build_permits_world

TUESDAY = dt.date(2026, 11, 24)


def pay(application) -> Permit:
    invoice = Invoice.objects.get(application=application)
    intent = actions.do_start_payment(invoice, gateway="fake", actor=application.created_by)
    actions.do_record_payment(
        gateway="fake",
        nonce=intent.nonce,
        transaction_id=f"T-{application.pk}",
        amount=invoice.total,
        currency="OMR",
    )
    return Permit.objects.get(application=application)


class SlotCapacityTest(PermitTestCase):
    def setUp(self) -> None:
        with clock.frozen_at(MONDAY_MORNING):
            self.permits = [
                pay(self.approve_all(self.submitted(permit_type=self.wall))) for _ in range(3)
            ]

    def book(self, permit, slot: str = "morning", day: dt.date = TUESDAY) -> Inspection:
        with clock.frozen_at(MONDAY_MORNING):
            return actions.do_schedule_inspection(
                permit, kind="foundation", day=day, slot=slot, actor=self.citizen
            )

    @override_settings(PERMIT_INSPECTION_SLOT_CAPACITY=2)
    def test_a_full_slot_refuses_with_a_clear_message_and_writes_nothing(self) -> None:
        self.book(self.permits[0])
        self.book(self.permits[1])
        with self.assertRaises(ValidationError) as refused:
            self.book(self.permits[2])
        self.assertEqual(
            refused.exception.message_dict["slot"],
            ["الفترة «صباحًا (07:30–10:30)» يوم 2026-11-24 محجوزة بالكامل؛ اختر فترة أو يوماً آخر."],
        )
        self.assertEqual(Inspection.objects.count(), 2)
        self.assertEqual(SlotLoad.objects.get(slot="morning").booked, 2)
        # another slot, or another day, still has room
        self.book(self.permits[2], slot="midday")
        self.book(self.permits[2], day=TUESDAY + dt.timedelta(days=1))

    @override_settings(
        PERMIT_INSPECTION_SLOT_CAPACITY=5,
        PERMIT_INSPECTION_SLOT_CAPACITY_BY_MUNICIPALITY={"muscat": 1},
    )
    def test_a_municipality_can_have_its_own_capacity(self) -> None:
        self.book(self.permits[0])
        with self.assertRaises(ValidationError):
            self.book(self.permits[1])

    @override_settings(PERMIT_INSPECTION_SLOT_CAPACITY=1)
    def test_a_cancelled_inspection_gives_its_place_back(self) -> None:
        first = self.book(self.permits[0])
        with clock.frozen_at(MONDAY_MORNING):
            actions.do_record_inspection(
                first,
                result=InspectionResult.CANCELLED,
                notes="المالك طلب الإلغاء",
                actor=self.planner,
            )
        self.book(self.permits[1])
        self.assertEqual(SlotLoad.objects.get().booked, 1)


@override_settings(PERMIT_INSPECTION_SLOT_CAPACITY=1)
class RacingForTheLastPlaceTest(PermitHelpers, TransactionTestCase):
    """Two owners book the last place of a slot at the same moment: one gets it."""

    serialized_rollback = True  # keep the data migrations' rows for the tests that follow

    def setUp(self) -> None:
        build_world(self)
        build_permits_world(self)
        with clock.frozen_at(MONDAY_MORNING):
            self.permits = [
                pay(self.approve_all(self.submitted(permit_type=self.wall))) for _ in range(2)
            ]

    @skipUnlessDBFeature("has_select_for_update")
    def test_two_bookings_racing_for_the_last_place(self) -> None:
        self._race()

    def test_two_bookings_racing_on_sqlite_queue_on_the_write_lock(self) -> None:
        if connection.vendor != "sqlite" or "memory" in str(connection.settings_dict["NAME"]):
            self.skipTest("needs SQLite on a file: IMMEDIATE transactions queue the writers")
        self._race()

    def _race(self) -> None:
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def book(permit) -> None:
            try:
                barrier.wait(timeout=10)
                with clock.frozen_at(MONDAY_MORNING):
                    actions.do_schedule_inspection(
                        permit, kind="foundation", day=TUESDAY, slot="morning", actor=self.citizen
                    )
                outcomes.append("booked")
            except ValidationError as exc:
                full = "slot" in getattr(exc, "error_dict", {})
                outcomes.append("slot_full" if full else repr(exc))
            except BaseException as exc:  # anything else fails the test
                outcomes.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=book, args=(p,)) for p in self.permits]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(sorted(outcomes), ["booked", "slot_full"])
        self.assertEqual(Inspection.objects.count(), 1)
        self.assertEqual(SlotLoad.objects.get().booked, 1)

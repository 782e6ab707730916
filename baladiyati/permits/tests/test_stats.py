from __future__ import annotations

import datetime as dt
from decimal import Decimal

from baladiyati.core import clock
from baladiyati.permits import actions
from baladiyati.permits.models import Invoice
from baladiyati.permits.stats import issue_times

from .world import PermitTestCase

MONDAY = dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)  # 08:00 in Muscat


class IssueTimesTest(PermitTestCase):
    def issue_after(self, hours: float, **kwargs) -> None:
        with clock.frozen_at(MONDAY):
            application = self.approve_all(self.submitted(**kwargs))
        invoice = Invoice.objects.get(application=application)
        with clock.frozen_at(MONDAY + dt.timedelta(hours=hours)):
            intent = actions.do_start_payment(invoice, gateway="fake", actor=self.citizen)
            actions.do_record_payment(
                gateway="fake",
                nonce=intent.nonce,
                transaction_id=intent.nonce,
                amount=invoice.total,
                currency="OMR",
            )

    def test_issue_times_are_summarised_per_type_in_working_days(self) -> None:
        self.issue_after(3.5)  # half a 7-hour working day
        self.issue_after(24 * 3)  # Thursday 08:00: three working days
        self.issue_after(1, permit_type=self.wall)
        [major, wall] = sorted(issue_times(self.muscat), key=lambda s: s.permit_type.code)
        self.assertEqual((major.issued, major.median), (2, Decimal("1.75")))
        self.assertEqual((major.average, major.longest), (Decimal("1.75"), Decimal("3.00")))
        self.assertEqual((major.within_target, major.within_target_share), (1, 50))
        self.assertEqual((wall.issued, wall.within_target), (1, 1))
        self.assertEqual(issue_times(self.sohar), [])

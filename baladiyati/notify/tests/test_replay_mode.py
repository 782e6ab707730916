"""notify's replay mode: events queued while history is replayed are recorded, not sent."""

from __future__ import annotations

from django.core import mail

from baladiyati.notify import sms
from baladiyati.notify.delivery import retry_due
from baladiyati.notify.events import is_replaying, replaying
from baladiyati.notify.models import Delivery, DeliveryStatus
from baladiyati.testing import BaseTestCase


class ReplayModeTests(BaseTestCase):
    def setUp(self) -> None:
        sms.outbox.clear()

    def test_messages_of_a_replayed_action_are_recorded_as_skipped_and_never_sent(self) -> None:
        with self.captureOnCommitCallbacks(execute=True), replaying():
            case = self.submit()

        deliveries = Delivery.objects.filter(object_id=str(case.pk))
        self.assertEqual(
            sorted(deliveries.values_list("channel", "status")),
            [("email", DeliveryStatus.SKIPPED), ("sms", DeliveryStatus.SKIPPED)],
        )
        self.assertEqual((sms.outbox, mail.outbox), ([], []))
        self.assertEqual(retry_due(), 0)
        self.assertEqual((sms.outbox, mail.outbox), ([], []))

    def test_the_mark_is_taken_when_queued_even_if_the_commit_comes_later(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks, replaying():
            case = self.submit()
        self.assertFalse(is_replaying())
        for callback in callbacks:  # the commit, after the replaying block has ended
            callback()

        self.assertEqual(
            set(Delivery.objects.filter(object_id=str(case.pk)).values_list("status", flat=True)),
            {DeliveryStatus.SKIPPED},
        )
        self.assertEqual(sms.outbox, [])

    def test_outside_replay_mode_messages_are_sent(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            case = self.submit()

        self.assertEqual([m.to for m in sms.outbox], ["+96891234567"])
        self.assertEqual(
            set(Delivery.objects.filter(object_id=str(case.pk)).values_list("status", flat=True)),
            {DeliveryStatus.SENT},
        )

"""The unsubscribe link of a "new request in your area" message ends the area subscription
itself (cases.receivers → do_unsubscribe), not only its messages."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import Contact, do_subscribe_area
from baladiyati.cases.models import AreaSubscription
from baladiyati.cases.tests.support import WEDNESDAY
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent
from baladiyati.notify import sms
from baladiyati.notify.delivery import unsubscribe_token
from baladiyati.notify.models import Delivery, OptOut
from baladiyati.testing import BaseTestCase


class AreaUnsubscribeLinkTest(BaseTestCase):
    def setUp(self) -> None:
        sms.outbox.clear()
        self.subscription = do_subscribe_area(
            municipality=self.muscat,
            actor=AnonymousUser(),
            district=self.muttrah,
            contact=Contact(phone="+96890000003"),
        )
        self.other = do_subscribe_area(
            municipality=self.muscat,
            actor=AnonymousUser(),
            district=self.muttrah,
            contact=Contact(phone="+96890000004"),
        )
        with clock.frozen_at(WEDNESDAY), self.captureOnCommitCallbacks(execute=True):
            self.submit()
        self.delivery = Delivery.objects.get(topic=f"cases.areasubscription:{self.subscription.pk}")
        self.link = "/notify/unsubscribe/" + unsubscribe_token(self.delivery)

    def test_the_link_switches_the_subscription_off(self) -> None:
        response = self.client.post(self.link, {"scope": "topic"})
        self.assertEqual(response.status_code, 200)
        self.subscription.refresh_from_db()
        self.assertFalse(self.subscription.is_active)
        self.assertTrue(OptOut.objects.filter(topic=self.delivery.topic).exists())
        event = AuditEvent.objects.get(action="case.area_unsubscribed")
        self.assertEqual(event.object_id, str(self.subscription.pk))
        self.assertIsNone(event.actor)
        # Someone else's subscription to the same wilayat is untouched.
        self.other.refresh_from_db()
        self.assertTrue(self.other.is_active)

    def test_stopping_every_message_switches_it_off_too(self) -> None:
        self.client.post(self.link, {"scope": "all"})
        self.subscription.refresh_from_db()
        self.assertFalse(self.subscription.is_active)

    def test_using_the_link_twice_is_harmless(self) -> None:
        self.client.post(self.link, {"scope": "topic"})
        response = self.client.post(self.link, {"scope": "topic"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(AuditEvent.objects.filter(action="case.area_unsubscribed").count(), 1)

    def test_only_looking_at_the_page_changes_nothing(self) -> None:
        self.client.get(self.link)
        self.subscription.refresh_from_db()
        self.assertTrue(self.subscription.is_active)

    def test_the_link_of_a_followed_case_leaves_area_subscriptions_alone(self) -> None:
        case_delivery = Delivery.objects.filter(topic__startswith="cases.case:").first()
        self.assertIsNotNone(case_delivery)
        self.client.post("/notify/unsubscribe/" + unsubscribe_token(case_delivery))
        self.assertEqual(AreaSubscription.objects.filter(is_active=True).count(), 2)

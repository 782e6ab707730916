"""Case events become messages in each person's language; a failing gateway loses nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.test.utils import override_settings

from baladiyati.accounts.models import CitizenProfile
from baladiyati.cases.actions import do_acknowledge_case, do_reply_to_case, do_transition_case
from baladiyati.core import clock
from baladiyati.notify import sms
from baladiyati.notify.delivery import BACKOFF, TEMPLATE_CACHE_KEY, retry_due
from baladiyati.notify.models import Delivery, DeliveryStatus, MessageTemplate
from baladiyati.testing import BaseTestCase

T0 = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)
# Nothing listens on port 9 of loopback: every gateway call fails.
DOWN = {"SMS_BACKEND": "webhook", "SMS_WEBHOOK_URL": "http://127.0.0.1:9/sms"}


class DeliveryTests(BaseTestCase):
    def setUp(self) -> None:
        sms.outbox.clear()
        # A test's rollback undoes template edits without a signal: start and end clean.
        cache.delete(TEMPLATE_CACHE_KEY)
        self.addCleanup(cache.delete, TEMPLATE_CACHE_KEY)

    def submit_and_commit(self, **kwargs: object) -> object:
        with self.captureOnCommitCallbacks(execute=True):
            return self.submit(**kwargs)

    def test_the_reporter_is_told_by_sms_and_email_in_arabic(self) -> None:
        case = self.submit_and_commit()
        self.assertEqual([m.to for m in sms.outbox], ["+96891234567"])
        self.assertIn(case.reference, sms.outbox[0].text)
        self.assertIn("استلمت البلدية بلاغك", sms.outbox[0].text)
        self.assertEqual(mail.outbox[0].to, ["salim@example.om"])
        self.assertIn(case.reference, mail.outbox[0].subject)
        self.assertEqual(Delivery.objects.filter(status=DeliveryStatus.SENT).count(), 2)

    def test_an_english_speaker_is_told_in_english_with_the_status_in_english(self) -> None:
        self.citizen.preferred_language = "en"
        self.citizen.save(update_fields=["preferred_language"])
        case = self.submit_and_commit()
        with self.captureOnCommitCallbacks(execute=True):
            do_transition_case(case, "fixed", actor=self.clerk, message="Patched today.")
        self.assertIn("has been fixed. Patched today.", sms.outbox[-1].text)

    def test_an_anonymous_reporter_is_reached_through_their_contact_details(self) -> None:
        case = self.submit_and_commit(actor=AnonymousUser(), contact=self.anonymous)
        with self.captureOnCommitCallbacks(execute=True):
            do_reply_to_case(case, "سنرسل فريقاً غداً", actor=self.clerk)
        self.assertEqual(sms.outbox[-1].to, self.anonymous.phone)
        self.assertIn("سنرسل فريقاً غداً", sms.outbox[-1].text)
        self.assertEqual(mail.outbox[-1].to, [self.anonymous.email])

    def test_the_staff_member_acting_is_not_told_and_preferences_are_respected(self) -> None:
        CitizenProfile.objects.create(user=self.citizen, notify_by_sms=False)
        case = self.submit_and_commit()
        with self.captureOnCommitCallbacks(execute=True):
            do_acknowledge_case(case, actor=self.clerk)
        self.assertEqual(sms.outbox, [])
        self.assertEqual(len(mail.outbox), 2)
        self.assertFalse(Delivery.objects.filter(user=self.clerk).exists())

    def test_a_municipality_may_override_a_template(self) -> None:
        MessageTemplate.objects.create(
            event="case.submitted",
            channel="sms",
            municipality_id=self.muscat.pk,
            body_ar="مسقط: {{ reference }}",
            body_en="Muscat: {{ reference }}",
        )
        case = self.submit_and_commit()
        text, footer = sms.outbox[0].text.split("\n")
        self.assertEqual(text, f"مسقط: {case.reference}")
        self.assertIn("/notify/unsubscribe/", footer)  # every message can be stopped

    def test_a_gateway_that_is_down_loses_nothing_and_delivers_later(self) -> None:
        with override_settings(**DOWN), clock.frozen_at(T0):
            case = self.submit_and_commit()
        delivery = Delivery.objects.get(channel="sms")
        self.assertEqual((delivery.status, delivery.attempts), (DeliveryStatus.RETRYING, 1))
        self.assertEqual(delivery.next_attempt_at, T0 + dt.timedelta(seconds=BACKOFF[0]))
        with override_settings(**DOWN), clock.frozen_at(T0 + dt.timedelta(seconds=30)):
            self.assertEqual(retry_due(), 0)  # not due yet
        with override_settings(**DOWN), clock.frozen_at(T0 + dt.timedelta(seconds=61)):
            self.assertEqual(retry_due(), 0)  # due, still down
        delivery.refresh_from_db()
        self.assertEqual(delivery.attempts, 2)
        self.assertEqual(delivery.next_attempt_at, T0 + dt.timedelta(seconds=61 + BACKOFF[1]))
        with clock.frozen_at(T0 + dt.timedelta(hours=1)):
            self.assertEqual(retry_due(), 1)  # the gateway is back (memory backend)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, DeliveryStatus.SENT)
        self.assertIn(case.reference, sms.outbox[-1].text)  # type: ignore[attr-defined]

    def test_a_delivery_is_given_up_after_the_last_back_off(self) -> None:
        with override_settings(**DOWN), clock.frozen_at(T0):
            self.submit_and_commit()
        moment = T0
        with override_settings(**DOWN):
            for wait in BACKOFF:
                moment += dt.timedelta(seconds=wait + 1)
                with clock.frozen_at(moment):
                    retry_due()
        delivery = Delivery.objects.get(channel="sms")
        self.assertEqual(delivery.status, DeliveryStatus.DEAD)
        self.assertEqual(delivery.attempts, len(BACKOFF) + 1)
        self.assertTrue(delivery.last_error)

    def test_nothing_is_queued_when_the_action_rolls_back(self) -> None:
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    self.submit()
                    raise RuntimeError("rollback")
            except RuntimeError:
                pass
        self.assertFalse(Delivery.objects.exists())
        self.assertEqual(sms.outbox, [])

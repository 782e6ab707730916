"""/notify/unsubscribe/<token>: the link every message carries; public, idempotent."""

from __future__ import annotations

import re

from django.core import mail

from baladiyati.cases.actions import do_reply_to_case
from baladiyati.notify import sms
from baladiyati.notify.delivery import unsubscribe_token, unsubscribe_url
from baladiyati.notify.models import Delivery, DeliveryStatus, OptOut
from baladiyati.testing import BaseTestCase


class UnsubscribeTest(BaseTestCase):
    def setUp(self) -> None:
        sms.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.case = self.submit()
        self.sms_delivery = Delivery.objects.get(channel="sms")
        self.email_delivery = Delivery.objects.get(channel="email")

    def link(self, delivery: Delivery) -> str:
        return "/notify/unsubscribe/" + unsubscribe_token(delivery)

    def reply(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_reply_to_case(self.case, "فريقنا في الطريق", actor=self.clerk)

    def test_every_message_carries_its_own_link_and_emails_the_one_click_headers(self) -> None:
        self.assertTrue(sms.outbox[0].text.endswith(unsubscribe_url(self.sms_delivery)))
        message = mail.outbox[0]
        url = unsubscribe_url(self.email_delivery)
        self.assertIn(url, message.body)
        self.assertEqual(message.extra_headers["List-Unsubscribe"], f"<{url}>")
        self.assertEqual(
            message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
        )

    def test_the_page_asks_first_in_the_messages_language_without_signing_in(self) -> None:
        response = self.client.get(self.link(self.sms_delivery))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="ar" dir="rtl"')
        self.assertContains(response, self.case.reference)
        self.assertFalse(OptOut.objects.exists())  # a GET (a mail scanner) changes nothing
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_an_english_message_gets_an_english_page(self) -> None:
        self.sms_delivery.language = "en"
        self.sms_delivery.save(update_fields=["language"])
        response = self.client.get(self.link(self.sms_delivery))
        self.assertContains(response, 'lang="en" dir="ltr"')
        self.assertContains(response, "Unsubscribe from these messages")

    def test_unsubscribing_stops_messages_on_that_case_only_and_is_idempotent(self) -> None:
        for _ in range(2):
            response = self.client.post(self.link(self.sms_delivery), {"scope": "topic"})
            self.assertEqual(response.status_code, 200)
        self.assertEqual(
            list(OptOut.objects.values_list("channel", "address", "topic")),
            [("sms", "+96891234567", f"cases.case:{self.case.pk}")],
        )
        sms.outbox.clear()
        mail.outbox.clear()
        self.reply()
        self.assertEqual(sms.outbox, [])  # no more texts about this case…
        self.assertEqual(len(mail.outbox), 1)  # …the email address did not unsubscribe
        with self.captureOnCommitCallbacks(execute=True):
            self.submit()
        self.assertEqual(len(sms.outbox), 1)  # a new case is another topic
        response = self.client.get(self.link(self.sms_delivery))
        self.assertNotContains(response, 'value="topic"')  # already done: no button to do it
        self.assertContains(response, 'value="all"')

    def test_one_click_post_without_a_scope_unsubscribes_from_the_topic(self) -> None:
        response = self.client.post(
            self.link(self.email_delivery), {"List-Unsubscribe": "One-Click"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            OptOut.objects.filter(address="salim@example.om", topic__startswith="cases.case:")
        )

    def test_stopping_everything_covers_every_topic(self) -> None:
        self.client.post(self.link(self.sms_delivery), {"scope": "all"})
        self.assertTrue(OptOut.objects.filter(address="+96891234567", topic="").exists())
        sms.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.submit()
        self.reply()
        self.assertEqual(sms.outbox, [])

    def test_a_queued_retry_is_not_sent_after_unsubscribing(self) -> None:
        Delivery.objects.filter(pk=self.sms_delivery.pk).update(status=DeliveryStatus.RETRYING)
        self.client.post(self.link(self.sms_delivery), {"scope": "topic"})
        from baladiyati.notify.delivery import retry_due

        sms.outbox.clear()
        self.assertEqual(retry_due(), 0)
        self.sms_delivery.refresh_from_db()
        self.assertEqual(self.sms_delivery.status, DeliveryStatus.UNSUBSCRIBED)
        self.assertEqual(sms.outbox, [])

    def test_a_forged_or_unknown_token_is_a_translated_404_and_writes_nothing(self) -> None:
        token = unsubscribe_token(self.sms_delivery)
        forged = re.sub(r"^\d+", str(self.email_delivery.pk), token)
        for bad in (forged, "nonsense", "999999:abc"):
            with self.subTest(token=bad):
                response = self.client.post("/notify/unsubscribe/" + bad, {"scope": "all"})
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "رابط إلغاء الاشتراك هذا غير صالح", status_code=404)
        self.assertFalse(OptOut.objects.exists())

"""Every citizen-facing case event reaches reporter and followers by email and SMS, in each
person's language; a failing HTTP gateway loses nothing and delivers later."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test.utils import override_settings

from baladiyati.cases.actions import (
    Contact,
    do_acknowledge_case,
    do_follow_case,
    do_reopen_case,
    do_reply_to_case,
    do_transition_case,
)
from baladiyati.cases.models import Case, CloseReason, Status
from baladiyati.core import clock
from baladiyati.notify import sms
from baladiyati.notify.delivery import BACKOFF, retry_due
from baladiyati.notify.models import Delivery, DeliveryStatus
from baladiyati.testing import BaseTestCase

T0 = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)

# What each event's message says, in Arabic and in English (the default templates).
EXPECTED = {
    "submitted": ("استلمت البلدية بلاغك", "The municipality received your request"),
    "acknowledged": ("بدأ القسم المختص", "The department has started"),
    "replied": ("رد البلدية على بلاغك", "The municipality replied"),
    "fixed": ("تمت معالجة بلاغك", "has been fixed"),
    "closed_not_fixed": ("دون معالجة", "closed without a fix"),
    "duplicate": ("مكرر لبلاغ آخر", "duplicates another one"),
    "reopened": ("أعيد فتح البلاغ", "was reopened"),
}


class CaseMessagesTest(BaseTestCase):
    def setUp(self) -> None:
        sms.outbox.clear()
        # Aisha follows in English with her account; someone without one follows by SMS.
        self.citizen2.preferred_language = "en"
        self.citizen2.phone = "+96892222222"
        self.citizen2.email = "aisha@example.om"
        self.citizen2.save()

    def committed(self, action: Callable[[], Any]) -> Any:
        with self.captureOnCommitCallbacks(execute=True):
            return action()

    def make_case(self) -> Case:
        case = self.committed(lambda: self.submit())
        self.committed(lambda: do_follow_case(case, actor=self.citizen2))
        self.committed(
            lambda: do_follow_case(
                case,
                actor=AnonymousUser(),
                contact=Contact(phone="+96893333333", language="en"),
            )
        )
        return case

    def texts_to(self, phone: str) -> list[str]:
        return [m.text for m in sms.outbox if m.to == phone]

    def assert_told(self, event: str) -> None:
        arabic, english = EXPECTED[event]
        salim = self.texts_to("+96891234567")
        self.assertTrue(salim and arabic in salim[-1], (event, salim))
        for phone in ("+96892222222", "+96893333333"):
            texts = self.texts_to(phone)
            self.assertTrue(texts and english in texts[-1], (event, phone, texts))
            self.assertIn("/notify/unsubscribe/", texts[-1])
        emails = {m.to[0]: m for m in mail.outbox}
        self.assertIn(arabic, emails["salim@example.om"].body)
        self.assertIn(english, emails["aisha@example.om"].body)

    def test_submit_is_confirmed_to_the_reporter_in_arabic(self) -> None:
        self.committed(lambda: self.submit())
        self.assertIn(EXPECTED["submitted"][0], self.texts_to("+96891234567")[0])
        self.assertIn(EXPECTED["submitted"][0], mail.outbox[0].body)

    def test_acknowledge_reply_close_and_reopen_reach_everyone_in_their_language(self) -> None:
        case = self.make_case()
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("acknowledged", lambda: do_acknowledge_case(case, actor=self.clerk)),
            ("replied", lambda: do_reply_to_case(case, "غداً", actor=self.clerk)),
            ("fixed", lambda: do_transition_case(case, Status.FIXED, actor=self.clerk)),
            ("reopened", lambda: do_reopen_case(case, "still there", actor=self.clerk)),
            (
                "closed_not_fixed",
                lambda: do_transition_case(
                    case,
                    Status.CLOSED_NOT_FIXED,
                    actor=self.clerk,
                    reason=CloseReason.NO_ACTION_NEEDED,
                ),
            ),
        ]
        for event, action in steps:
            with self.subTest(event=event):
                sms.outbox.clear()
                mail.outbox.clear()
                self.committed(action)
                self.assert_told(event)

    def test_closing_as_a_duplicate_tells_everyone_in_their_language(self) -> None:
        original = self.committed(lambda: self.submit(actor=self.citizen2))
        case = self.make_case()
        sms.outbox.clear()
        mail.outbox.clear()
        self.committed(
            lambda: do_transition_case(
                case, Status.DUPLICATE, actor=self.clerk, duplicate_of=original
            )
        )
        self.assert_told("duplicate")


class _Gateway(http.server.BaseHTTPRequestHandler):
    """An SMS gateway that answers 503 until told otherwise, and records what it accepted."""

    failing = True
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if type(self).failing:
            self.send_response(503)
        else:
            type(self).received.append(body)
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class FailingWebhookGatewayTest(BaseTestCase):
    def setUp(self) -> None:
        _Gateway.failing = True
        _Gateway.received = []
        self.server = http.server.HTTPServer(("127.0.0.1", 0), _Gateway)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        url = f"http://127.0.0.1:{self.server.server_port}/sms"
        webhook = override_settings(SMS_BACKEND="webhook", SMS_WEBHOOK_URL=url)
        webhook.enable()
        self.addCleanup(webhook.disable)

    def test_nothing_is_lost_while_the_gateway_fails_and_it_is_delivered_later(self) -> None:
        with clock.frozen_at(T0), self.captureOnCommitCallbacks(execute=True):
            case = self.submit()
        with (
            clock.frozen_at(T0 + dt.timedelta(minutes=5)),
            self.captureOnCommitCallbacks(execute=True),
        ):
            do_reply_to_case(case, "قادمون", actor=self.clerk)
        texts = Delivery.objects.filter(channel="sms").order_by("id")
        self.assertEqual(
            [(d.status, d.attempts) for d in texts], [(DeliveryStatus.RETRYING, 1)] * 2
        )
        self.assertIn("503", texts[0].last_error)
        self.assertEqual(_Gateway.received, [])
        # The worker's periodic retry, once the gateway is back: both delivered, in order.
        _Gateway.failing = False
        with clock.frozen_at(T0 + dt.timedelta(minutes=5, seconds=BACKOFF[0] + 1)):
            self.assertEqual(retry_due(), 2)
        self.assertEqual([d.status for d in texts.all()], [DeliveryStatus.SENT] * 2)
        self.assertEqual([r["to"] for r in _Gateway.received], ["+96891234567"] * 2)
        self.assertIn(case.reference, _Gateway.received[0]["text"])
        self.assertIn("قادمون", _Gateway.received[1]["text"])
        # Sent is sent: a later retry run sends nothing twice.
        with clock.frozen_at(T0 + dt.timedelta(days=1)):
            self.assertEqual(retry_due(), 0)
        self.assertEqual(len(_Gateway.received), 2)

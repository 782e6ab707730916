"""queue_event does no work it need not: no query for nobody, templates read once per edit."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from baladiyati.notify import sms
from baladiyati.notify.delivery import TEMPLATE_CACHE_KEY, queue_event
from baladiyati.notify.events import Event
from baladiyati.notify.models import Delivery, DeliveryStatus, MessageTemplate, OptOut
from baladiyati.testing import BaseTestCase


class QueueEventCostTests(BaseTestCase):
    def setUp(self) -> None:
        sms.outbox.clear()
        # The test's rollback undoes template edits without a signal: start and end clean.
        cache.delete(TEMPLATE_CACHE_KEY)
        self.addCleanup(cache.delete, TEMPLATE_CACHE_KEY)

    def event(self, **kwargs: Any) -> Event:
        values: dict[str, Any] = {
            "name": "case.submitted",
            "municipality_id": self.muscat.pk,
            "object_type": "cases.case",
            "object_id": 41,
            "context": {"reference": "MCT-2026-000041", "status": "submitted", "contacts": []},
        }
        values.update(kwargs)
        return Event(**values)

    def contact(self) -> dict[str, Any]:
        who = {"email": self.anonymous.email, "phone": self.anonymous.phone, "language": "ar"}
        return {"reference": "MCT-2026-000041", "status": "submitted", "contacts": [who]}

    def test_an_event_with_nobody_to_reach_runs_no_query_and_no_transaction(self) -> None:
        no_address = {"contacts": [{"email": "", "phone": "", "language": "ar"}]}
        with self.assertNumQueries(0):  # a transaction would show as a SAVEPOINT here
            self.assertEqual(queue_event(Event, self.event()), [])
            self.assertEqual(queue_event(Event, self.event(context=no_address)), [])
        self.assertFalse(Delivery.objects.exists())

    def test_when_everyone_opted_out_only_the_opt_outs_are_read_and_nothing_written(
        self,
    ) -> None:
        OptOut.objects.create(channel="sms", address=self.anonymous.phone, topic="")
        OptOut.objects.create(channel="email", address=self.anonymous.email, topic="")
        with self.assertNumQueries(2):  # the templates, read once, and the opt-outs
            self.assertEqual(queue_event(Event, self.event(context=self.contact())), [])
        with self.assertNumQueries(1):
            self.assertEqual(queue_event(Event, self.event(context=self.contact())), [])
        self.assertFalse(Delivery.objects.exists())

    def test_with_recipients_the_templates_come_from_the_cache(self) -> None:
        with self.assertNumQueries(5):  # templates, opt-outs, savepoint, insert, release
            first = queue_event(Event, self.event(context=self.contact()))
        with self.assertNumQueries(4):  # the same without reading the templates
            second = queue_event(Event, self.event(context=self.contact()))
        self.assertEqual((len(first), len(second)), (2, 2))
        with self.assertNumQueries(6):  # an account: the user and their profile as well
            ids = queue_event(Event, self.event(recipient_ids=(self.citizen.pk,)))
        self.assertEqual(
            sorted(Delivery.objects.filter(pk__in=ids).values_list("to", flat=True)),
            sorted([self.citizen.email, self.citizen.phone]),
        )

    def test_a_template_edit_is_used_by_the_next_event(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            queue_event(Event, self.event(context=self.contact()))
        self.assertNotIn("تجربة", sms.outbox[-1].text)

        template = MessageTemplate.objects.get(
            event="case.submitted", channel="sms", municipality_id=None
        )
        template.body_ar = "تجربة {{ reference }}"
        template.save()
        with self.captureOnCommitCallbacks(execute=True):
            queue_event(Event, self.event(context=self.contact()))
        self.assertTrue(sms.outbox[-1].text.startswith("تجربة MCT-2026-000041\n"))

        own = MessageTemplate.objects.create(
            event="case.submitted",
            channel="sms",
            municipality_id=self.muscat.pk,
            body_ar="مسقط {{ reference }}",
            body_en="Muscat {{ reference }}",
        )
        with self.captureOnCommitCallbacks(execute=True):
            queue_event(Event, self.event(context=self.contact()))
        self.assertTrue(sms.outbox[-1].text.startswith("مسقط MCT-2026-000041\n"))

        own.delete()
        with self.captureOnCommitCallbacks(execute=True):
            queue_event(Event, self.event(context=self.contact()))
        self.assertTrue(sms.outbox[-1].text.startswith("تجربة MCT-2026-000041\n"))

    def test_replayed_events_with_cached_templates_are_still_recorded_as_skipped(self) -> None:
        queue_event(Event, self.event(object_id=1, context=self.contact()))
        with self.captureOnCommitCallbacks(execute=True):
            ids = queue_event(Event, self.event(context=self.contact(), replay=True))
        self.assertEqual(
            set(Delivery.objects.filter(pk__in=ids).values_list("status", flat=True)),
            {DeliveryStatus.SKIPPED},
        )
        self.assertEqual(len(ids), 2)
        self.assertEqual(sms.outbox, [])

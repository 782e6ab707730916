"""From an event to messages in people's inboxes, with retries.

`queue_event` (connected to events.notification_requested) renders the event's template in
each recipient's language for each channel they accept, stores one Delivery per address and
enqueues `deliver` for each (django-tasks; the database backend in development and
production, so no extra service). A failing gateway marks the delivery for a retry after
BACKOFF; `retry_due` (run every minute by `manage.py run_worker`) picks those up. Nothing is
lost. Events queued while history is replayed (events.replaying, the demo's seeding) get
their deliveries stored as skipped, with nothing enqueued: the record without the messages.

Every message carries an unsubscribe link (a signed token naming the delivery), added when
it is sent: `/notify/unsubscribe/<token>` ends the delivery's topic (a case followed, an area
subscription) or everything for that address (notify.views, notify.models.OptOut). Emails
also carry List-Unsubscribe headers (RFC 8058 one-click).

Cost per event. `queue_event` runs after every action's commit (each Open311 POST), so it does
no work it need not: an event naming no account and no contact address returns before any
query; one whose people have no address or have all opted out writes nothing and opens no
transaction (on SQLite an empty write transaction takes the write lock once more). The message
templates are read from Django's default cache (`_templates`): the whole table, a few dozen
rows, stored under one key. Saving or deleting a MessageTemplate (the admin, `.save()`,
`.delete()`) deletes that key through post_save/post_delete receivers (and again on commit), so
the process that made the edit, and every process when CACHES is shared (Redis, database
cache), sees it on the next event. The default cache of this installation is LocMemCache, one
per worker process: the receivers cannot reach the other workers' copies, so the entry also
expires after TEMPLATE_CACHE_SECONDS (60 s), which bounds how long another worker may still
send the previous text. That is the chosen trade: a template edit is rare and its staleness
harmless (the old wording, never a wrong recipient), whereas a per-event version check would
cost a query on every submission. `QuerySet.update()` on templates bypasses the signals and is
likewise covered by the expiry only. Recipients and opt-outs are never cached.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template import Context, Engine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from baladiyati.accounts.models import CitizenProfile, User
from baladiyati.core import clock

from .events import Event, notification_requested
from .models import Channel, Delivery, DeliveryStatus, MessageTemplate, OptOut
from .sms import SmsError, send_sms

logger = logging.getLogger("baladiyati.notify")

# Seconds to wait before attempt 2, 3, …; after the last, the delivery is given up (dead).
BACKOFF = (60, 300, 1800, 7200, 43200)
_ENGINE = Engine(autoescape=False)
_UNSUBSCRIBE_SALT = "baladiyati.notify.unsubscribe"
# The message templates in the default cache (see the module's docstring).
TEMPLATE_CACHE_KEY = "baladiyati.notify.templates.v1"
TEMPLATE_CACHE_SECONDS = 60

TemplateTable = dict[tuple[str, str, int | None], MessageTemplate]


@dataclass(frozen=True)
class Recipient:
    language: str
    user_id: int | None = None
    email: str = ""
    phone: str = ""


def _may_have_recipients(event: Event) -> bool:
    """False when the event names no account and no contact address: nobody to reach."""
    return bool(event.recipient_ids) or any(
        c.get("email") or c.get("phone") for c in event.context.get("contacts", [])
    )


def _recipients(event: Event) -> list[Recipient]:
    """Everyone the event reaches with at least one address (no query without accounts)."""
    people = []
    if event.recipient_ids:
        users = User.objects.filter(pk__in=event.recipient_ids, is_active=True)
        profiles = {
            p.user_id: p for p in CitizenProfile.objects.filter(user_id__in=event.recipient_ids)
        }
        for user in users:
            profile = profiles.get(user.pk)
            people.append(
                Recipient(
                    language=user.preferred_language or "ar",
                    user_id=user.pk,
                    email=user.email if (profile is None or profile.notify_by_email) else "",
                    phone=(user.phone or "") if (profile is None or profile.notify_by_sms) else "",
                )
            )
    for contact in event.context.get("contacts", []):
        people.append(
            Recipient(
                language=contact.get("language") or "ar",
                email=contact.get("email", ""),
                phone=contact.get("phone", ""),
            )
        )
    return [p for p in people if p.email or p.phone]


def _templates() -> TemplateTable:
    """Every MessageTemplate by (event, channel, municipality), from the default cache."""
    table: TemplateTable | None = cache.get(TEMPLATE_CACHE_KEY)
    if table is None:
        table = {(t.event, t.channel, t.municipality_id): t for t in MessageTemplate.objects.all()}
        cache.set(TEMPLATE_CACHE_KEY, table, TEMPLATE_CACHE_SECONDS)
    return table


@receiver(post_save, sender=MessageTemplate, dispatch_uid="notify_templates_saved")
@receiver(post_delete, sender=MessageTemplate, dispatch_uid="notify_templates_deleted")
def forget_templates(sender: Any, **kwargs: Any) -> None:
    """A template changed: the next event reads the table again (see the docstring)."""
    cache.delete(TEMPLATE_CACHE_KEY)
    # Again once committed: an event in between may have cached the table as it was.
    transaction.on_commit(lambda: cache.delete(TEMPLATE_CACHE_KEY))


def _pick(event: Event, channel: str, table: TemplateTable) -> MessageTemplate | None:
    """The municipality's own template for the event and channel, else the default."""
    return table.get((event.name, channel, event.municipality_id)) or table.get(
        (event.name, channel, None)
    )


def render(template: MessageTemplate, language: str, context: dict[str, Any]) -> tuple[str, str]:
    english = language == "en"
    subject = (template.subject_en if english else template.subject_ar) or template.subject_ar
    body = (template.body_en if english else template.body_ar) or template.body_ar
    ctx = Context({k: v for k, v in context.items() if k != "contacts"})
    with translation.override(language):  # lazy values (status names) in their language
        return (
            _ENGINE.from_string(subject).render(ctx).strip(),
            _ENGINE.from_string(body).render(ctx).strip(),
        )


@receiver(notification_requested)
def queue_event(sender: Any, event: Event, **kwargs: Any) -> list[int]:
    if not _may_have_recipients(event):
        return []  # nobody to reach: no query, no transaction
    table = _templates()
    templates = {c: _pick(event, c, table) for c in (Channel.EMAIL, Channel.SMS)}
    if not any(templates.values()):
        return []
    people = _recipients(event)
    if not people:
        return []
    rows = []
    scope = event.scope
    addresses = {a for p in people for a in (p.email, p.phone) if a}
    opted_out = set(
        OptOut.objects.filter(address__in=addresses, topic__in=["", scope]).values_list(
            "channel", "address"
        )
    )
    for person in people:
        for channel, address in ((Channel.EMAIL, person.email), (Channel.SMS, person.phone)):
            template = templates[channel]
            if not address or template is None or (channel, address) in opted_out:
                continue
            subject, body = render(template, person.language, event.context)
            rows.append(
                Delivery(
                    event=event.name,
                    channel=channel,
                    user_id=person.user_id,
                    to=address,
                    language=person.language,
                    subject=subject[:200],
                    body=body,
                    municipality_id=event.municipality_id,
                    object_type=event.object_type,
                    object_id=str(event.object_id),
                    topic=scope[:100],
                    next_attempt_at=clock.now(),
                    status=DeliveryStatus.SKIPPED if event.replay else DeliveryStatus.QUEUED,
                )
            )
    if not rows:
        return []  # everyone opted out, or no channel with a template: nothing to write
    with transaction.atomic():
        created = Delivery.objects.bulk_create(rows)
        ids = [d.pk for d in created]
        if not event.replay:  # replayed history is recorded, never sent (events.replaying)
            transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids])
    return ids


def unsubscribe_token(delivery: Delivery) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(delivery.pk))


def delivery_for_token(token: str) -> Delivery | None:
    """The delivery an unsubscribe link names; None when the token is forged or unknown."""
    try:
        pk = int(signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Delivery.objects.filter(pk=pk).first()


def unsubscribe_url(delivery: Delivery) -> str:
    path = reverse("notify:unsubscribe", args=[unsubscribe_token(delivery)])
    return settings.SITE_ROOT.rstrip("/") + path


def outgoing_text(delivery: Delivery) -> str:
    """The body as sent: the stored text and, in its language, the unsubscribe link."""
    url = unsubscribe_url(delivery)
    with translation.override(delivery.language or "ar"):
        if delivery.channel == Channel.SMS:
            footer = _("Stop: %(url)s") % {"url": url}
            return f"{delivery.body}\n{footer}"
        footer = _("To stop receiving these messages: %(url)s") % {"url": url}
        return f"{delivery.body}\n\n--\n{footer}"


def _send_email(delivery: Delivery) -> None:
    url = unsubscribe_url(delivery)
    EmailMessage(
        delivery.subject,
        outgoing_text(delivery),
        settings.DEFAULT_FROM_EMAIL,
        [delivery.to],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def attempt(delivery: Delivery) -> bool:
    """Try to send one delivery now; True when sent. Failures schedule the next try."""
    now = clock.now()
    if OptOut.objects.blocking(delivery.channel, delivery.to, delivery.topic).exists():
        delivery.status = DeliveryStatus.UNSUBSCRIBED
        delivery.save(update_fields=["status"])
        return False
    try:
        if delivery.channel == Channel.SMS:
            send_sms(delivery.to, outgoing_text(delivery))
        else:
            _send_email(delivery)
    except (SmsError, smtplib.SMTPException, OSError) as exc:
        delivery.attempts += 1
        delivery.last_error = str(exc)[:500]
        if delivery.attempts > len(BACKOFF):
            delivery.status = DeliveryStatus.DEAD
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + dt.timedelta(seconds=BACKOFF[delivery.attempts - 1])
        delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        logger.warning("delivery %s failed (%s attempts): %s", delivery.pk, delivery.attempts, exc)
        return False
    delivery.attempts += 1
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return True


@task()
def deliver(delivery_id: int) -> bool:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.RETRYING])
            .first()
        )
        if delivery is None:  # sent meanwhile, or given up
            return False
        return attempt(delivery)


def retry_due(limit: int = 500) -> int:
    """Attempt the deliveries whose time has come; the number sent."""
    sent = 0
    for pk in (
        Delivery.objects.due().order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    ):
        sent += bool(deliver.call(pk))
    return sent


@task()
def retry_due_deliveries() -> int:
    """The periodic form of retry_due (scheduled every minute by `manage.py run_worker`)."""
    return retry_due()

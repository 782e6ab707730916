from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baladiyati.core import clock


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class MessageTemplate(models.Model):
    """What is sent for an event, in Arabic and English, per channel.

    `municipality_id` empty is the installation's default; a municipality may override it.
    Bodies are Django templates with the event's context: {{ reference }}, {{ status }},
    {{ message }}, {{ link }}, {{ unsubscribe }}. (A plain integer, not a foreign key:
    notify depends on nothing above accounts.)
    """

    event = models.CharField(_("event"), max_length=60)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    municipality_id = models.BigIntegerField(_("municipality"), null=True, blank=True)
    subject_ar = models.CharField(_("subject (Arabic)"), max_length=200, blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_ar = models.TextField(_("text (Arabic)"))
    body_en = models.TextField(_("text (English)"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "municipality_id"],
                condition=Q(municipality_id__isnull=False),
                name="one_template_per_city",
            ),
            models.UniqueConstraint(
                fields=["event", "channel"],
                condition=Q(municipality_id__isnull=True),
                name="one_default_template",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.channel}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will retry")
    DEAD = "dead", _("Gave up")
    UNSUBSCRIBED = "unsubscribed", _("Not sent: unsubscribed")
    SKIPPED = "skipped", _("Not sent: past event replayed")


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def due(self) -> DeliveryQuerySet:
        """Waiting to be (re)tried now."""
        return self.filter(
            status__in=[DeliveryStatus.QUEUED, DeliveryStatus.RETRYING],
            next_attempt_at__lte=clock.now(),
        )


class Delivery(models.Model):
    """One message to one address, kept until it is delivered or given up: nothing is lost
    when a gateway is down; it is retried with back-off (notify.delivery.BACKOFF)."""

    created_at = models.DateTimeField(_("created"), default=clock.now)
    event = models.CharField(_("event"), max_length=60)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to = models.CharField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    municipality_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # What the message's unsubscribe link ends (Event.scope): "cases.case:12", an area…
    topic = models.CharField(_("topic"), max_length=100, blank=True, db_default="")
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=clock.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "retrying"]),
                name="delivery_due",
            ),
            models.Index(fields=["object_type", "object_id"], name="delivery_object"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.to} ({self.status})"


class OptOutQuerySet(models.QuerySet["OptOut"]):
    def blocking(self, channel: str, address: str, topic: str) -> OptOutQuerySet:
        """The opt-outs that stop a message on `topic` to `address` (that topic, or all)."""
        return self.filter(channel=channel, address=address, topic__in=["", topic])


class OptOut(models.Model):
    """An address that asked, through a message's unsubscribe link, to receive no more
    messages on one topic (a case followed, an area subscription) or none at all (topic
    empty). Checked when messages are queued and again when each is sent."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = OptOutQuerySet.as_manager()

    class Meta:
        verbose_name = _("unsubscribe")
        verbose_name_plural = _("unsubscribes")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address", "topic"], name="opt_out_once")
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.channel}) · {self.topic or '*'}"

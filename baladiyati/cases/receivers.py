"""What cases does when lower packages report something (connected in CasesConfig.ready).

An unsubscribe link of a "new request in your area" message names its area subscription as
the delivery's topic ("cases.areasubscription:<id>", cases.subscriptions.announce); using it
ends the subscription itself (do_unsubscribe, by the system), not only its messages.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from baladiyati.notify.signals import topic_unsubscribed

from .actions import do_unsubscribe
from .models import AreaSubscription

AREA_TOPIC = "cases.areasubscription:"


@receiver(topic_unsubscribed)
def end_area_subscription(sender: Any, topic: str, **kwargs: Any) -> None:
    if not topic.startswith(AREA_TOPIC):
        return
    raw = topic[len(AREA_TOPIC) :]
    if not raw.isdigit():
        return
    subscription = AreaSubscription.objects.filter(pk=int(raw)).first()
    if subscription is not None:
        do_unsubscribe(subscription, actor=None)

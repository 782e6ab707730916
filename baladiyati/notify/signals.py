"""Signals notify sends to the packages above it (notify imports none of them).

`topic_unsubscribed`: someone used a message's unsubscribe link (notify.views.unsubscribe)
and asked to stop the delivery's topic (or every message). Sent inside the transaction that
records the opt-out, so that a receiver's change and the opt-out are written together.
Arguments: `topic` (Delivery.topic, e.g. "cases.areasubscription:12"), `channel`, `address`.
cases.receivers ends the area subscription a topic names.
"""

from __future__ import annotations

from django.dispatch import Signal

topic_unsubscribed = Signal()

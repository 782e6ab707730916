"""The one hook point through which domain actions ask for messages to be sent.

Domain actions call `queue(...)` inside their transaction; the event is dispatched only
after the transaction commits (`transaction.on_commit`), so a rolled-back action never
notifies anyone. Delivery channels (email, SMS, push) connect to `notification_requested`;
notify knows nothing of cases or permits, only of the event name and its payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.dispatch import Signal

notification_requested = Signal()


@dataclass(frozen=True)
class Event:
    name: str  # e.g. "case.submitted", "case.replied"
    municipality_id: int
    object_type: str
    object_id: int
    actor_id: int | None = None
    recipient_ids: tuple[int, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)
    # What a recipient unsubscribes from with the message's link (notify.models.OptOut):
    # by default the object (following a case); an area subscription names itself.
    topic: str = ""

    @property
    def scope(self) -> str:
        return self.topic or f"{self.object_type}:{self.object_id}"


def queue(event: Event) -> None:
    transaction.on_commit(lambda: notification_requested.send(sender=Event, event=event))

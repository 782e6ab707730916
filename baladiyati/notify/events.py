"""The one hook point through which domain actions ask for messages to be sent.

Domain actions call `queue(...)` inside their transaction; the event is dispatched only
after the transaction commits (`transaction.on_commit`), so a rolled-back action never
notifies anyone. Delivery channels (email, SMS, push) connect to `notification_requested`;
notify knows nothing of cases or permits, only of the event name and its payload.

Replay mode: code that rebuilds history through the actions (the demo's `seed_demo`, an
import) wraps it in `with replaying():`. Events queued inside are marked `replay=True`, and
their deliveries are recorded as skipped (DeliveryStatus.SKIPPED) instead of being sent: the
past is not re-announced to anyone, and no backlog is left for the worker. The mark is taken
when the event is queued, so it holds even though dispatch waits for the commit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.dispatch import Signal

notification_requested = Signal()

_replaying: ContextVar[bool] = ContextVar("baladiyati_notify_replaying", default=False)


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
    # Queued while history was being replayed (`replaying()`): recorded, never sent.
    replay: bool = False

    @property
    def scope(self) -> str:
        return self.topic or f"{self.object_type}:{self.object_id}"


@contextmanager
def replaying() -> Iterator[None]:
    """Within this block, queued events are recorded as history, not sent (see above)."""
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)


def is_replaying() -> bool:
    return _replaying.get()


def queue(event: Event) -> None:
    if _replaying.get() and not event.replay:
        event = dataclasses.replace(event, replay=True)
    transaction.on_commit(lambda: notification_requested.send(sender=Event, event=event))

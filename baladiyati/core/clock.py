"""The one clock the domain reads.

Actions call `clock.now()` rather than `timezone.now()` so that the demo seeder and the
Open311 importer can replay history at the time it happened (`with clock.frozen_at(dt):`),
through the same actions, without patching Django.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_frozen: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("frozen", default=None)


def now() -> datetime:
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)

"""The rows every Open311 request reads first: the jurisdiction (with its working calendar)
and, for a write, the API key — one statement each, compiled once per process.

Through the ORM each of these cost more than the rest of a submission's reads together:
building and compiling the queryset (Municipality with select_related, the key with its
ordering) for a lookup by a unique key (docs/benchmarks.md). Here the statement is a
queryset compiled once (core/prepared.py); its row goes through the same converters the ORM
applies, and becomes model instances as the ORM would make them (`Model.from_db`), fresh for
each request. Nothing is cached but the SQL: an edit shows at the next request.
"""

from __future__ import annotations

from baladiyati.cities.models import Municipality
from baladiyati.core.prepared import Instances, Slot

from .models import ApiKey

_MUNICIPALITY = Instances(
    Municipality,
    lambda s: Municipality.objects.active().filter(slug=s["slug"])[:1],
    [Slot("slug", "str")],
    related=["calendar"],
)

_KEY = Instances(
    ApiKey,
    lambda s: ApiKey.objects.filter(hashed=s["hashed"], is_active=True).order_by()[:1],
    [Slot("hashed", "str")],
)


def municipality(slug: str) -> Municipality | None:
    """The active municipality with this slug and its working calendar (as
    `select_related("calendar")` would give them), or None."""
    found: Municipality | None = _MUNICIPALITY.first({"slug": slug})
    return found


def active_key(hashed: str) -> ApiKey | None:
    """The active API key with this hash, or None (its user is read when asked for)."""
    found: ApiKey | None = _KEY.first({"hashed": hashed})
    return found

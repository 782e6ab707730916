"""The case's audit trail as staff read it: field changes with names, not ids."""

from __future__ import annotations

from typing import Any

from baladiyati.accounts.models import User
from baladiyati.cases.models import CloseReason, Priority, Status
from baladiyati.cities.models import Department, Service
from baladiyati.core.models import AuditEvent

LIMIT = 200
# field → how to name a stored value (ids are looked up in one query per kind)
_CHOICES = {
    "status": dict(Status.choices),
    "close_reason": dict(CloseReason.choices),
    "priority": {str(k): v for k, v in Priority.choices},
}
_MODELS: dict[str, Any] = {"department": Department, "service": Service, "assignee": User}


def trail(case: Any) -> list[dict[str, Any]]:
    events = list(
        AuditEvent.objects.filter(
            municipality_id=case.municipality_id, object_type="cases.case", object_id=str(case.pk)
        ).order_by("-created_at", "-id")[:LIMIT]
    )
    wanted: dict[str, set[Any]] = {name: set() for name in _MODELS}
    for event in events:
        for field, change in (event.changes or {}).items():
            if field in wanted:
                wanted[field].update(v for v in change if v is not None)
    names: dict[str, dict[Any, str]] = {}
    for field, ids in wanted.items():
        names[field] = (
            {obj.pk: str(obj) for obj in _MODELS[field].objects.filter(pk__in=ids)} if ids else {}
        )

    def label(field: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if field in _CHOICES:
            return str(_CHOICES[field].get(str(value) if field == "priority" else value, value))
        if field in names:
            return names[field].get(value, str(value))
        return str(value)

    return [
        {
            "event": event,
            "changes": [
                (field, label(field, change[0]), label(field, change[1]))
                for field, change in (event.changes or {}).items()
                if isinstance(change, list) and len(change) == 2
            ],
        }
        for event in events
    ]

"""The case's audit trail as staff read it: a translated label per action, field labels from
the model, values as people read them (names not ids, choices by label, times in the
municipality's time zone with the reader's digits)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baladiyati.accounts.models import User
from baladiyati.cases.models import Case, CloseReason, Priority, Status
from baladiyati.cities.models import Department, Service
from baladiyati.core.models import AuditEvent
from baladiyati.core.text import format_digits

LIMIT = 200
# field → how to name a stored value (ids are looked up in one query per kind)
_CHOICES = {
    "status": dict(Status.choices),
    "close_reason": dict(CloseReason.choices),
    "priority": {str(k): v for k, v in Priority.choices},
}
_MODELS: dict[str, Any] = {
    "department": Department,
    "service": Service,
    "assignee": User,
    "duplicate_of": Case,
}
# What happened, as staff say it. An unknown code still reads as words (see action_label).
ACTIONS = {
    "case.submitted": gettext_lazy("Request submitted"),
    "case.imported": gettext_lazy("Request imported"),
    "case.acknowledged": gettext_lazy("Acknowledged"),
    "case.in_progress": gettext_lazy("Work started"),
    "case.fixed": gettext_lazy("Marked fixed"),
    "case.closed_not_fixed": gettext_lazy("Closed without fixing"),
    "case.duplicate": gettext_lazy("Closed as a duplicate"),
    "case.merged_into": gettext_lazy("Merged into another request"),
    "case.reopened": gettext_lazy("Reopened"),
    "case.assigned": gettext_lazy("Assignment changed"),
    "case.prioritised": gettext_lazy("Priority changed"),
    "case.replied": gettext_lazy("Public reply published"),
    "case.noted": gettext_lazy("Internal note added"),
    "case.awaiting_citizen": gettext_lazy("Asked the citizen (deadline paused)"),
    "case.citizen_answered": gettext_lazy("The citizen answered"),
    "case.resumed": gettext_lazy("Work resumed (deadline restarted)"),
    "case.escalated": gettext_lazy("Escalated to the supervisor"),
    "case.sla_warning": gettext_lazy("Deadline near"),
    "case.sla_warned": gettext_lazy("Deadline near"),
    "case.followed": gettext_lazy("Followed by a citizen"),
    "case.rated": gettext_lazy("Rated by the citizen"),
    "case.bulk_generated": gettext_lazy("Generated in bulk"),
    "case.bulk_inserted": gettext_lazy("Inserted in bulk"),
}
_ACTORS = {"system": gettext_lazy("System"), "anonymous": gettext_lazy("Anonymous")}
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def action_label(code: str) -> str:
    """The translated label of an action code; an unknown one as words ("case.sms_sent" →
    "Sms sent") rather than a code."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    words = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else code


def field_label(field: str) -> str:
    try:
        name = str(getattr(Case._meta.get_field(field), "verbose_name", field))
    except FieldDoesNotExist:
        name = field.replace("_", " ")
    return name[:1].upper() + name[1:]


def actor_label(event: AuditEvent) -> str:
    if event.actor_id is None and event.actor_label in _ACTORS:
        return str(_ACTORS[event.actor_label])
    return event.actor_label


def when(value: dt.datetime, tz: ZoneInfo, digits: str) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value, tz)
    return format_digits(value.strftime("%Y-%m-%d %H:%M"), digits)


def trail(case: Any, digits: str = "latn") -> list[dict[str, Any]]:
    """The case's audit rows, newest first; `digits` is the reader's ("arab" or "latn")."""
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

    tz = case.municipality.zoneinfo

    def label(field: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if field in _CHOICES:
            return str(_CHOICES[field].get(str(value) if field == "priority" else value, value))
        if field in names:
            return names[field].get(value, str(value))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, str) and _ISO_TIME.match(value):
            try:
                return when(dt.datetime.fromisoformat(value), tz, digits)
            except ValueError:
                return value
        return format_digits(str(value), digits)

    return [
        {
            "event": event,
            "when": when(event.created_at, tz, digits),
            "who": actor_label(event),
            "what": action_label(event.action),
            "changes": [
                (field_label(field), label(field, change[0]), label(field, change[1]))
                for field, change in (event.changes or {}).items()
                if isinstance(change, list) and len(change) == 2
            ],
        }
        for event in events
    ]

"""What a case page shows, shared by the public page and the reporter's private tracking page.

Nothing here reads the reporter's name, email or phone: they are never shown, not even on
the tracking page (whoever holds the link sees the case, not the person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import pgettext

from baladiyati.cases.models import (
    OPEN_STATUSES,
    REOPENABLE_STATUSES,
    Case,
    CaseRating,
    CaseUpdate,
    CloseReason,
    Status,
)
from baladiyati.cities.models import Datatype
from baladiyati.core import clock


@dataclass
class Answer:
    label: str
    value: str
    numeric: bool = False


def status_kind(status: str) -> str:
    """A colour family for a status badge: open, fixed or closed."""
    if status in OPEN_STATUSES:
        return "open"
    return "fixed" if status == Status.FIXED else "closed"


def with_case_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("service", "district", "municipality", "duplicate_of")


def answers_of(case: Case) -> list[Answer]:
    shown = []
    for question in case.service.questions.all():
        if question.code not in case.answers:
            continue
        raw = case.answers[question.code]
        if question.datatype in (Datatype.SINGLE, Datatype.MULTI):
            keys = raw if isinstance(raw, list) else [raw]
            # Translators: what separates the options chosen in a list ("، " in Arabic).
            value = pgettext("list separator", ", ").join(
                question.choice_name(str(k)) for k in keys
            )
        elif question.datatype == Datatype.DATETIME:
            value = str(raw)[:16].replace("T", " ")
        else:
            value = str(raw)
        numeric = question.datatype in (Datatype.NUMBER, Datatype.DATETIME)
        shown.append(Answer(question.description, value, numeric))
    return shown


def page_context(case: Case, *, token: str = "", viewer: Any = None) -> dict[str, Any]:
    """The context of portal/case.html; `token` when the reporter opened their private link."""
    updates = list(case.updates.filter(is_public=True).order_by("created_at", "id"))
    photos = list(case.photos.all())
    is_reporter = bool(token) or bool(
        case.reporter_id
        and viewer is not None
        and viewer.is_authenticated
        and viewer.pk == case.reporter_id
    )
    now = clock.now()
    reopen_until: dt.datetime | None = None
    can_reopen = can_rate = False
    if is_reporter and case.status in REOPENABLE_STATUSES and case.closed_at is not None:
        reopen_until = case.closed_at + dt.timedelta(days=settings.CASE_REOPEN_DAYS)
        can_reopen = now <= reopen_until
        can_rate = not CaseRating.objects.filter(case=case, closure=case.reopen_count).exists()
    rating = (
        CaseRating.objects.filter(case=case, closure=case.reopen_count).first()
        if is_reporter and not can_rate and case.status in REOPENABLE_STATUSES
        else None
    )
    return {
        "case": case,
        "municipality": case.municipality,
        "status_kind": status_kind(case.status),
        "updates": updates,
        "photos": photos,
        "answers": answers_of(case),
        "followers": case.followers.count(),
        "token": token,
        "is_reporter": is_reporter,
        "can_reopen": can_reopen,
        "reopen_until": reopen_until,
        "can_rate": can_rate,
        "rating": rating,
        "close_reason": CloseReason(case.close_reason).label if case.close_reason else "",
        "kinds": CaseUpdate.Kind,
    }

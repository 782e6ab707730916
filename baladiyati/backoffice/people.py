"""Finding a citizen by what a caller or a colleague gives: phone, email or case reference.

Phones are accepted as people type them: Arabic-Indic or Persian digits, spaces, a local
eight-digit Omani number (+968 assumed), 00968…
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from baladiyati.accounts.models import User
from baladiyati.accounts.phones import normalize_phone
from baladiyati.cases.models import Case
from baladiyati.core.text import to_ascii_digits

from .access import Desk
from .inbox import REFERENCE

HISTORY_LIMIT = 100


def phone_or_none(raw: str) -> str | None:
    try:
        return normalize_phone(raw)
    except ValidationError:
        return None


@dataclass
class Found:
    """What a search names: a case, a citizen account, or contact details; or nothing."""

    kind: str  # "case" | "user" | "contact" | "none" | "invalid"
    case: Case | None = None
    user: User | None = None
    phone: str = ""
    email: str = ""


def find(desk: Desk, raw: str) -> Found:
    text = to_ascii_digits(raw or "").strip()[:200]
    if not text:
        return Found("invalid")
    if REFERENCE.match(text):
        case = desk.cases().filter(reference=text.upper()).first()
        return Found("case", case=case) if case is not None else Found("none")
    if "@" in text:
        email = text.lower()
        user = User.objects.filter(email__iexact=email).order_by("id").first()
        if user is not None and _has_history(desk, user=user):
            return Found("user", user=user, email=email)
        if desk.cases().filter(contact_email=email).exists():
            return Found("contact", email=email)
        return Found("none", email=email)
    phone = phone_or_none(text)
    if phone is None:
        return Found("invalid")
    user = User.objects.filter(phone=phone).first()
    if user is not None and _has_history(desk, user=user):
        return Found("user", user=user, phone=phone)
    if desk.cases().filter(contact_phone=phone).exists():
        return Found("contact", phone=phone)
    return Found("none", phone=phone, user=user)


def _has_history(desk: Desk, *, user: User) -> bool:
    """Someone is known to this municipality once they reported or followed one of its cases.
    A citizen of nowhere here is "not found", as for anything outside a member's scope."""
    cases = desk.cases()
    return bool(cases.filter(reporter=user).exists() or cases.filter(followers__user=user).exists())


def history(
    desk: Desk, *, user: User | None = None, phone: str = "", email: str = ""
) -> QuerySet[Case]:
    """The person's cases in this municipality, newest first."""
    # An account's history includes what was filed earlier with its phone number, before
    # the account existed (phone numbers on accounts are confirmed by a sign-in code).
    # One read per way of knowing the person, each able to use its own index (an OR of the
    # two conditions would read the whole case table), then the cases by id.
    cases = desk.cases()
    ids: list[int] = []
    if user is not None:
        ids += (
            cases.filter(reporter=user)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:HISTORY_LIMIT]
        )
        phone, email = user.phone or "", ""
    if phone:
        ids += (
            cases.filter(contact_phone=phone)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:HISTORY_LIMIT]
        )
    if email:
        ids += (
            cases.filter(contact_email=email)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:HISTORY_LIMIT]
        )
    return (
        Case.objects.filter(pk__in=ids)
        .select_related("service", "district")
        .order_by("-created_at", "-id")
    )


def followed(desk: Desk, user: User) -> QuerySet[Case]:
    return (
        desk.cases()
        .filter(followers__user=user)
        .exclude(reporter=user)
        .select_related("service", "district")
        .order_by("-created_at", "-id")
    )


def summary(cases: list[Case]) -> dict[str, Any]:
    return {"total": len(cases), "open": sum(1 for c in cases if c.is_open)}

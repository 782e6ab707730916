"""What the reporter panel shows, by role (see access.py for the rule and why)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from baladiyati.cases.models import Case

from .access import Desk


def mask_phone(phone: str) -> str:
    """'+96891234567' → '+968 •••• •567': enough to recognise, not to dial."""
    if not phone:
        return ""
    return f"{phone[:4]} •••• •{phone[-3:]}" if len(phone) > 7 else "••••"


def mask_email(email: str) -> str:
    if "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}•••@{domain}"


def citizen_url(*, user_id: int | None = None, phone: str = "", email: str = "") -> str:
    if user_id:
        return reverse("backoffice:citizen", args=[user_id])
    if phone:
        return f"{reverse('backoffice:contact')}?{urlencode({'phone': phone})}"
    if email:
        return f"{reverse('backoffice:contact')}?{urlencode({'email': email})}"
    return ""


def reporter_panel(desk: Desk, case: Case) -> dict[str, Any]:
    full = desk.sees_contacts
    user = case.reporter if case.reporter_id else None
    if user is not None:
        name, phone, email = (
            user.get_full_name() or user.get_username(),
            user.phone or "",
            user.email,
        )
        language = user.get_preferred_language_display()
    else:
        name, phone, email = case.contact_name, case.contact_phone, case.contact_email
        language = ""
    return {
        "kind": "account"
        if user is not None
        else ("contact" if phone or email or name else "none"),
        "name": name,
        "phone": phone if full else mask_phone(phone),
        "email": email if full else mask_email(email),
        "masked": not full,
        "language": language,
        "url": (
            citizen_url(user_id=user.pk if user else None, phone=phone, email=email) if full else ""
        ),
    }

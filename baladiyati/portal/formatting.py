"""How the citizen app shows numbers and dates: digits by preference, Gregorian with Hijri.

Stored values are ASCII; only what is displayed changes. Codes people copy or type back
(case references, phone numbers, tracking links) keep Western digits on purpose.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from django.utils import dateformat, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from baladiyati.core.hijri import format_hijri
from baladiyati.core.text import format_digits

DIGITS_COOKIE = "baladiyati_digits"
DIGIT_CHOICES = ("arab", "latn")


def language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


def digits_for(request: HttpRequest) -> str:
    """'arab' (٠١٢) or 'latn' (012): the cookie, then the account, then the language's habit.

    The same order as the language (core.middleware): a choice made on this device wins.
    """
    cookie = request.COOKIES.get(DIGITS_COOKIE, "")
    if cookie in DIGIT_CHOICES:
        return cookie
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        preference = getattr(user, "digit_preference", "")
        if preference in DIGIT_CHOICES:
            return str(preference)
    return "arab" if language() == "ar" else "latn"


def digits(value: Any, preference: str) -> str:
    return format_digits("" if value is None else str(value), preference)


def local(value: dt.datetime, tz: ZoneInfo | None = None) -> dt.datetime:
    return timezone.localtime(value, tz) if timezone.is_aware(value) else value


def gregorian(day: dt.date, preference: str, *, with_time: bool = False) -> str:
    text = dateformat.format(day, "j F Y")
    if with_time and isinstance(day, dt.datetime):
        text = f"{text}، {day:%H:%M}" if language() == "ar" else f"{text}, {day:%H:%M}"
    return digits(text, preference)


def hijri(day: dt.date, preference: str) -> str:
    if isinstance(day, dt.datetime):
        day = day.date()
    # The same digits as the Gregorian date next to it, in either language.
    return digits(format_hijri(day, language(), "latn"), preference)


def both_calendars(
    value: dt.date | dt.datetime | None,
    preference: str,
    *,
    tz: ZoneInfo | None = None,
    with_time: bool = False,
) -> SafeString:
    """`<time>` with the Gregorian date (and time) followed by the Hijri date."""
    if value is None:
        return SafeString("")
    if isinstance(value, dt.datetime):
        value = local(value, tz)
    iso = value.isoformat()
    hijri_text = hijri(value, preference)
    if not hijri_text:
        return format_html(
            '<time datetime="{}">{}</time>', iso, gregorian(value, preference, with_time=with_time)
        )
    return format_html(
        '<time datetime="{}">{}</time> <span class="hijri">({})</span>',
        iso,
        gregorian(value, preference, with_time=with_time),
        hijri_text,
    )

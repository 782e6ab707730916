"""Template helpers of the citizen app: digits by preference, dates in both calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.safestring import SafeString

from baladiyati.portal import formatting

register = template.Library()


@register.filter
def num(value: Any, preference: str = "latn") -> str:
    """`{{ value|num:digits }}`: ASCII digits shown as ٠١٢ when the reader prefers them."""
    return formatting.digits(value, preference)


@register.simple_tag(takes_context=True)
def dates(context: template.Context, value: dt.date | None, time: bool = False) -> SafeString:
    """`{% dates case.due_at %}`: Gregorian then Hijri, in the municipality's time zone."""
    municipality = context.get("municipality")
    tz = municipality.zoneinfo if municipality is not None else None
    preference = str(context.get("digits") or "latn")
    return formatting.both_calendars(value, preference, tz=tz, with_time=time)


@register.simple_tag(takes_context=True)
def gregorian(context: template.Context, value: dt.date | None) -> str:
    if value is None:
        return ""
    municipality = context.get("municipality")
    if isinstance(value, dt.datetime):
        value = formatting.local(value, municipality.zoneinfo if municipality else None)
    return formatting.gregorian(value, str(context.get("digits") or "latn"))

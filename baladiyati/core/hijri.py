"""Hijri (Umm al-Qura) dates for what citizens read, next to the Gregorian date."""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian

from baladiyati.core.text import format_digits

MONTHS_AR = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
MONTHS_EN = (
    "Muharram",
    "Safar",
    "Rabi al-Awwal",
    "Rabi al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhirah",
    "Rajab",
    "Shaban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qadah",
    "Dhu al-Hijjah",
)


def to_hijri(day: dt.date) -> tuple[int, int, int]:
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    return h.year, h.month, h.day


def format_hijri(day: dt.date, language: str = "ar", digits: str = "latn") -> str:
    """'12 رجب 1448 هـ' or '12 Rajab 1448 AH'; empty outside the Umm al-Qura table."""
    try:
        year, month, mday = to_hijri(day)
    except (ValueError, OverflowError):
        return ""
    if language.startswith("ar"):
        return format_digits(f"{mday} {MONTHS_AR[month - 1]} {year} هـ", digits)
    return f"{mday} {MONTHS_EN[month - 1]} {year} AH"

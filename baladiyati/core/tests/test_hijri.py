"""Hijri (Umm al-Qura) dates shown next to Gregorian ones."""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian

from baladiyati.core.hijri import format_hijri, to_hijri

# 25 November 2026 is 15 Jumada al-Akhirah 1448 in the Umm al-Qura calendar.
DAY = dt.date(2026, 11, 25)


def test_it_converts_a_gregorian_date_with_the_umm_al_qura_table() -> None:
    expected = Gregorian(2026, 11, 25).to_hijri()
    assert to_hijri(DAY) == (expected.year, expected.month, expected.day) == (1448, 6, 15)


def test_it_knows_the_first_of_ramadan() -> None:
    assert to_hijri(dt.date(2026, 2, 18)) == (1447, 9, 1)
    assert to_hijri(dt.date(2026, 2, 17)) == (1447, 8, 29)


def test_it_formats_the_date_in_arabic() -> None:
    assert format_hijri(DAY) == "15 جمادى الآخرة 1448 هـ"


def test_it_writes_arabic_indic_digits_when_the_reader_prefers_them() -> None:
    assert format_hijri(DAY, "ar", digits="arab") == "١٥ جمادى الآخرة ١٤٤٨ هـ"


def test_it_formats_the_date_in_english_with_western_digits() -> None:
    assert format_hijri(DAY, "en") == "15 Jumada al-Akhirah 1448 AH"
    assert format_hijri(DAY, "en", digits="arab") == "15 Jumada al-Akhirah 1448 AH"


def test_a_regional_language_code_counts_as_its_language() -> None:
    assert format_hijri(DAY, "ar-om") == format_hijri(DAY, "ar")


def test_it_shows_nothing_outside_the_umm_al_qura_table() -> None:
    assert format_hijri(dt.date(1900, 1, 1)) == ""
    assert format_hijri(dt.date(2100, 1, 1), "en") == ""

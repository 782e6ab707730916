"""Arabic text folding, digits and light stemming for search."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baladiyati.core.text import (
    format_digits,
    normalize,
    search_terms,
    stem,
    to_arabic_digits,
    to_ascii_digits,
)

ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيٱکی"
ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("بلديه", "بلدية"),  # haa for taa marbuta
        ("احمد", "أحمد"),
        ("احمد", "إحمد"),
        ("امنة", "آمنة"),
        ("مستشفي", "مستشفى"),  # yaa for alef maqsura
        ("محمد", "مُحَمَّد"),  # diacritics
        ("بلدية", "بلـــديـة"),  # tatweel
        ("مسائل", "مسايل"),
        ("ي", "ی"),  # Persian yaa
        ("ك", "ک"),  # Persian kaf
    ],
)
def test_it_folds_the_spellings_people_mix(typed: str, written: str) -> None:
    assert normalize(typed) == normalize(written)


def test_it_turns_arabic_indic_and_persian_digits_into_ascii() -> None:
    assert normalize("حفرة رقم ١٢٣ و۴۵") == "حفره رقم 123 و45"


def test_it_ignores_case_and_punctuation() -> None:
    assert normalize("  Street-Light, OUT! ") == "street light out"
    assert normalize("") == ""


def test_different_words_stay_different() -> None:
    assert normalize("بلدية") != normalize("بلد")
    assert normalize("طريق") != normalize("طرق")


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=ARABIC_LETTERS + ARABIC_MARKS + " ٠١٢٣٤٥٦٧٨٩0123456789"))
def test_normalize_is_idempotent_on_arabic(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert not set(once) & set(ARABIC_MARKS + "أإآىة")


def test_search_terms_drop_the_article_and_the_conjunction() -> None:
    assert search_terms("الطرق") == "طرق"
    assert search_terms("والطريق") == "طريق"
    assert search_terms("والطريق") == search_terms("الطريق") == search_terms("طريق")
    assert search_terms("بالمستشفى") == search_terms("مستشفى")
    assert search_terms("للبلدية") == search_terms("البلدية")


def test_search_terms_match_singular_and_plural_of_common_endings() -> None:
    assert search_terms("بلدية") == search_terms("البلديات")
    assert search_terms("إنارة") == search_terms("الإنارات")
    assert search_terms("مدرسة") == search_terms("مدرسه")


def test_stemming_keeps_at_least_three_letters() -> None:
    assert stem("علي") == "علي"
    assert stem("الم") == "الم"
    assert stem("بيت") == "بيت"


def test_search_terms_leave_latin_words_whole_and_list_each_stem_once() -> None:
    assert search_terms("Potholes pothole") == "potholes pothole"
    assert search_terms("الطرق", "طرق", "Roads") == "طرق roads"


def test_digits_convert_both_ways() -> None:
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("١٢٫٥") == "12.5"
    assert to_arabic_digits("MCT-2026-000123") == "MCT-٢٠٢٦-٠٠٠١٢٣"


def test_digits_display_follows_the_preference() -> None:
    assert format_digits("2026", "arab") == "٢٠٢٦"
    assert format_digits("2026", "latn") == "2026"


@given(st.integers(min_value=0))
def test_arabic_indic_digits_round_trip(number: int) -> None:
    assert to_ascii_digits(to_arabic_digits(str(number))) == str(number)

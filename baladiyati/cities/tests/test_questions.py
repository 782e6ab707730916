"""clean_answers: a citizen's answers checked against a service's questions (Open311 attributes).

The questions are unsaved model instances: checking answers needs no database.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from baladiyati.cities.models import Datatype, ServiceQuestion
from baladiyati.cities.questions import clean_answers
from baladiyati.core.text import to_arabic_digits

MUSCAT_TZ = ZoneInfo("Asia/Muscat")
SIZES = [
    {"key": "small", "name_ar": "صغيرة", "name_en": "Small"},
    {"key": "large", "name_ar": "كبيرة", "name_en": "Large"},
]
HAZARDS = [
    {"key": "wires", "name_ar": "أسلاك مكشوفة", "name_en": "Exposed wires"},
    {"key": "dark", "name_ar": "ظلام تام", "name_en": "Complete darkness"},
]


def question(code: str, datatype: str, *, required: bool = False, **extra: Any) -> ServiceQuestion:
    return ServiceQuestion(
        code=code,
        datatype=datatype,
        required=required,
        description_ar=f"سؤال {code}",
        description_en=f"Question {code}",
        **extra,
    )


def clean(questions: list[ServiceQuestion], answers: dict[str, Any]) -> dict[str, Any]:
    return clean_answers(questions, answers, MUSCAT_TZ)


def errors_of(questions: list[ServiceQuestion], answers: dict[str, Any]) -> dict[str, list[str]]:
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        clean(questions, answers)
    return exc.value.message_dict


# ---------------------------------------------------------------------------- string and text


def test_a_short_text_answer_is_stored_trimmed() -> None:
    assert clean([question("pole", Datatype.STRING)], {"pole": "  L-17 "}) == {"pole": "L-17"}


def test_a_short_text_answer_is_limited_to_500_characters() -> None:
    q = question("pole", Datatype.STRING)
    assert clean([q], {"pole": "x" * 500}) == {"pole": "x" * 500}
    assert errors_of([q], {"pole": "x" * 501}) == {
        "pole": ["“Question pole” is longer than 500 characters."]
    }


def test_a_long_text_answer_is_limited_to_4000_characters() -> None:
    q = question("details", Datatype.TEXT)
    assert clean([q], {"details": "ن" * 4000}) == {"details": "ن" * 4000}
    assert "details" in errors_of([q], {"details": "ن" * 4001})


# ---------------------------------------------------------------------------- number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (12, 12),
        ("١٢", 12),  # Arabic-Indic digits
        ("۱۲", 12),  # Persian digits
        (" 12.5 ", 12.5),
        ("١٢٫٥", 12.5),  # with the Arabic decimal separator
        ("12.50", 12.5),
        ("-3", -3),
        (["7"], 7),
    ],
)
def test_a_number_answer_is_stored_as_a_json_number(raw: Any, expected: float) -> None:
    cleaned = clean([question("depth", Datatype.NUMBER)], {"depth": raw})
    assert cleaned == {"depth": expected}
    assert type(cleaned["depth"]) is type(expected)


@pytest.mark.parametrize("raw", ["deep", "12cm", "NaN", "Infinity", "1e13", "١٢a", "1,5"])
def test_it_refuses_a_number_answer_that_is_not_a_finite_number(raw: str) -> None:
    assert errors_of([question("depth", Datatype.NUMBER)], {"depth": raw}) == {
        "depth": ["“Question depth” must be a number."]
    }


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_any_number_typed_in_arabic_indic_digits_reads_as_itself(number: int) -> None:
    answer = to_arabic_digits(str(number))
    assert clean([question("count", Datatype.NUMBER)], {"count": answer}) == {"count": number}


# ---------------------------------------------------------------------------- datetime


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-25", "2026-11-25T00:00:00+04:00"),  # a date only: midnight in Muscat
        ("2026-11-25T10:30", "2026-11-25T10:30:00+04:00"),
        ("2026-11-25 10:30:15", "2026-11-25T10:30:15+04:00"),
        ("2026-11-25T10:30:00Z", "2026-11-25T10:30:00+00:00"),
        ("2026-11-25T10:30:00+03:00", "2026-11-25T10:30:00+03:00"),
        ("٢٠٢٦-١١-٢٥", "2026-11-25T00:00:00+04:00"),
        (["2026-11-25"], "2026-11-25T00:00:00+04:00"),
    ],
)
def test_a_date_answer_is_stored_as_iso_8601_with_an_offset(raw: Any, expected: str) -> None:
    assert clean([question("seen", Datatype.DATETIME)], {"seen": raw}) == {"seen": expected}


@pytest.mark.parametrize("raw", ["yesterday", "25/11/2026", "2026-02-30", "2026-11-25T25:00"])
def test_it_refuses_a_date_answer_it_cannot_read(raw: str) -> None:
    assert errors_of([question("seen", Datatype.DATETIME)], {"seen": raw}) == {
        "seen": ["“Question seen” must be a date (YYYY-MM-DD) or a date and time."]
    }


# ---------------------------------------------------------------------------- choices


def test_a_single_choice_is_stored_as_its_key() -> None:
    q = question("size", Datatype.SINGLE, values=SIZES)
    assert clean([q], {"size": "large"}) == {"size": "large"}
    assert clean([q], {"size": [" small "]}) == {"size": "small"}


def test_it_refuses_two_answers_to_a_single_choice() -> None:
    q = question("size", Datatype.SINGLE, values=SIZES)
    assert errors_of([q], {"size": ["small", "large"]}) == {
        "size": ["Choose one answer for “Question size”."]
    }


@pytest.mark.parametrize(
    ("datatype", "values", "answer"),
    [
        (Datatype.SINGLE, SIZES, "huge"),
        (Datatype.MULTI, HAZARDS, ["wires", "fire"]),
    ],
)
def test_it_refuses_an_unknown_choice(datatype: str, values: list[Any], answer: Any) -> None:
    errors = errors_of([question("q", datatype, values=values)], {"q": answer})
    assert len(errors["q"]) == 1
    assert "is not one of the choices for “Question q”" in errors["q"][0]


def test_a_multiple_choice_answer_is_a_list_of_keys_without_repeats() -> None:
    q = question("hazards", Datatype.MULTI, values=HAZARDS)
    assert clean([q], {"hazards": ["dark", "wires", "dark"]}) == {"hazards": ["dark", "wires"]}
    assert clean([q], {"hazards": "wires"}) == {"hazards": ["wires"]}


def test_an_empty_list_does_not_answer_a_required_multiple_choice() -> None:
    q = question("hazards", Datatype.MULTI, values=HAZARDS, required=True)
    assert errors_of([q], {"hazards": []}) == {"hazards": ["Please answer “Question hazards”."]}


def test_a_list_of_blanks_does_not_answer_a_required_multiple_choice() -> None:
    q = question("hazards", Datatype.MULTI, values=HAZARDS, required=True)
    assert errors_of([q], {"hazards": ["", "  "]}) == {
        "hazards": ["Please answer “Question hazards”."]
    }


def test_an_empty_list_leaves_an_optional_multiple_choice_unanswered() -> None:
    q = question("hazards", Datatype.MULTI, values=HAZARDS)
    assert clean([q], {"hazards": []}) == {}


# ---------------------------------------------------------------------------- the whole set


@pytest.mark.parametrize("missing", [{}, {"pole": None}, {"pole": "   "}, {"pole": ""}])
def test_it_asks_for_a_required_answer(missing: dict[str, Any]) -> None:
    q = question("pole", Datatype.STRING, required=True)
    assert errors_of([q], missing) == {"pole": ["Please answer “Question pole”."]}


def test_an_optional_question_may_be_left_out() -> None:
    assert clean([question("pole", Datatype.STRING)], {}) == {}


def test_it_refuses_an_answer_to_a_question_the_service_does_not_ask() -> None:
    q = question("pole", Datatype.STRING)
    assert errors_of([q], {"pole": "L-1", "colour": "red"}) == {
        "colour": ["This service has no question “colour”."]
    }


def test_information_only_questions_are_neither_required_nor_stored() -> None:
    notice = question("notice", Datatype.TEXT, required=True, variable=False)
    pole = question("pole", Datatype.STRING)
    assert clean([notice, pole], {"pole": "L-1"}) == {"pole": "L-1"}
    assert clean([notice, pole], {"pole": "L-1", "notice": "read it"}) == {"pole": "L-1"}


def test_it_names_every_problem_at_once() -> None:
    questions = [
        question("size", Datatype.SINGLE, values=SIZES, required=True),
        question("depth", Datatype.NUMBER),
        question("seen", Datatype.DATETIME),
    ]
    errors = errors_of(questions, {"depth": "deep", "seen": "soon", "colour": "red"})
    assert set(errors) == {"size", "depth", "seen", "colour"}


def test_the_messages_name_the_question_in_the_active_language() -> None:
    q = question("pole", Datatype.STRING, required=True)
    with translation.override("ar"), pytest.raises(ValidationError) as exc:
        clean([q], {})
    assert "سؤال pole" in exc.value.message_dict["pole"][0]

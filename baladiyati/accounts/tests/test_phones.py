"""Phone numbers: E.164, Oman assumed when no country code is given."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from baladiyati.accounts.phones import normalize_phone, validate_e164


@pytest.mark.parametrize(
    "typed",
    [
        "91234567",
        "9123 4567",
        "9123-4567",
        "+968 9123 4567",
        "+96891234567",
        "0096891234567",
        "00968 9123 4567",
        " (+968) 91234567 ",
        "٩١٢٣ ٤٥٦٧",  # Arabic-Indic digits
        "+٩٦٨٩١٢٣٤٥٦٧",
        "۹۱۲۳۴۵۶۷",  # Persian digits
    ],
)
def test_it_writes_an_omani_mobile_number_in_e164(typed: str) -> None:
    assert normalize_phone(typed) == "+96891234567"


def test_it_accepts_omani_landlines_and_other_mobile_ranges() -> None:
    assert normalize_phone("2412 3456") == "+96824123456"
    assert normalize_phone("7123 4567") == "+96871234567"


def test_a_number_with_its_own_country_code_keeps_it() -> None:
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"
    assert normalize_phone("00971 50 123 4567") == "+971501234567"


@pytest.mark.parametrize(
    "typed", ["", "   ", "1234", "9123 456", "912345678", "abcdefgh", "+968 1234 5678", "+999 1234"]
)
def test_it_refuses_what_is_not_a_real_number(typed: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.code == "invalid_phone"


def test_stored_numbers_must_already_be_e164() -> None:
    validate_e164("+96891234567")
    validate_e164("")
    with pytest.raises(ValidationError) as exc:
        validate_e164("9123 4567")
    assert exc.value.code == "not_e164"
    with pytest.raises(ValidationError) as exc:
        validate_e164("+968 1")
    assert exc.value.code == "invalid_phone"

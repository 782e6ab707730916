"""Phone numbers in E.164, Oman (+968) assumed when no country code is given."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from baladiyati.core.text import to_ascii_digits

DEFAULT_REGION = "OM"


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """'9123 4567' → '+96891234567'; ValidationError when it is not a real number."""
    text = to_ascii_digits(raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    if value and normalize_phone(value) != value:
        raise ValidationError(
            _("Store phone numbers in E.164 form, e.g. +96891234567."), code="not_e164"
        )

"""`{{ amount|omr:digits }}`: an amount of money as the reader reads numbers.

Three decimals (baisa), thousands grouped, digits by the reader's preference (the portal's
`digits` context: ٠١٢ or 012, with the Arabic separators ٬ and ٫ for Arabic-Indic digits),
and the currency's name in the page's language.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from baladiyati.core.text import format_digits
from baladiyati.permits.models import money

register = template.Library()

_ARABIC_SEPARATORS = str.maketrans({",": "٬", ".": "٫"})


def format_money(value: Any, preference: str = "latn") -> str:
    if value is None or value == "":
        return ""
    number = f"{money(value):,.3f}"
    if preference == "arab":
        number = format_digits(number, "arab").translate(_ARABIC_SEPARATORS)
    return _("%(amount)s Omani rials") % {"amount": number}


@register.filter
def omr(value: Any, preference: str = "latn") -> str:
    return format_money(value, preference)

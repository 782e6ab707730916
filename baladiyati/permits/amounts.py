"""Amounts of money as text, in the reader's language (domain helper, no interface imports).

`format_money` writes an amount with three decimals (baisa), thousands grouped, the digits
the reader prefers ("latn" 012 or "arab" ٠١٢ with the Arabic separators ٬ and ٫) and the
currency's name in the active language: "105.000 ريال عماني" / "105.000 Omani rials".
Pages use it through the `omr` template filter (permits_web.templatetags.permits_money);
notifications put `money_text(amount)` in their context, a lazy value that is written in
each recipient's language when the message is rendered.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _

from baladiyati.core.text import format_digits

from .models import money

_ARABIC_SEPARATORS = str.maketrans({",": "٬", ".": "٫"})


def format_money(value: Any, preference: str = "latn") -> str:
    if value is None or value == "":
        return ""
    number = f"{money(value):,.3f}"
    if preference == "arab":
        number = format_digits(number, "arab").translate(_ARABIC_SEPARATORS)
    return _("%(amount)s Omani rials") % {"amount": number}


# The same text, evaluated when it is turned into a string (in the language active then).
money_text = lazy(format_money, str)

"""`{{ amount|omr:digits }}`: an amount of money as the reader reads numbers.

Three decimals (baisa), thousands grouped, digits by the reader's preference (the portal's
`digits` context: ٠١٢ or 012, with the Arabic separators ٬ and ٫ for Arabic-Indic digits),
and the currency's name in the page's language. The formatting lives in the domain
(`baladiyati.permits.amounts.format_money`) so notifications write amounts the same way.
"""

from __future__ import annotations

from typing import Any

from django import template

from baladiyati.permits.amounts import format_money

register = template.Library()


@register.filter
def omr(value: Any, preference: str = "latn") -> str:
    return format_money(value, preference)

"""Arabic text and digits.

`normalize` folds the spellings people mix when they type Arabic (hamza forms of alef,
taa marbuta and haa, alef maqsura and yaa, diacritics, tatweel) and Latin case, so that a
search finds "بلدية" when someone types "بلديه". `search_terms` adds light stemming (the
definite article and common prefixes and suffixes) for the indexed search column.
"""

from __future__ import annotations

import re
import unicodedata

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_TO_ASCII = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate(ARABIC_INDIC)},
        **{c: str(i) for i, c in enumerate(PERSIAN)},
        "٫": ".",
        "٬": ",",
    }
)
_TO_ARABIC = str.maketrans({str(i): c for i, c in enumerate(ARABIC_INDIC)})

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ی": "ي",
    }
)
_WORD = re.compile(r"\w+", re.UNICODE)
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# "يات" before "ات": the plural of a -iyya noun (بلديات) stems like its singular (بلدية).
_SUFFIXES = ("يات", "ات", "ون", "ين", "ان", "يه", "ها", "هم", "ه", "ي")


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits (and the Arabic decimal separator) to ASCII."""
    return text.translate(_TO_ASCII)


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC)


def format_digits(text: str, preference: str) -> str:
    """Display digits by a user's preference: 'arab' for ٠١٢, anything else Western."""
    return to_arabic_digits(text) if preference == "arab" else text


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_FOLD)
    text = to_ascii_digits(text)
    return " ".join(_WORD.findall(text.casefold()))


def stem(word: str) -> str:
    """A light Arabic stem: strip one article/prefix and one suffix, keep three letters."""
    if not word or not ("\u0600" <= word[0] <= "\u06ff"):
        return word
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def search_terms(*texts: str) -> str:
    """The normalised, stemmed words of `texts`, for a search column or a query."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in normalize(text).split():
            seen.setdefault(stem(word), None)
    return " ".join(seen)

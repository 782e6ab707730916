"""Template context of the citizen app: language direction, digits, map settings.

Listed in settings.TEMPLATES; reads only the request (no queries), so other interfaces that
render templates pay nothing for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from .formatting import digits_for


def portal(request: HttpRequest) -> dict[str, Any]:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return {
        "language": language,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "other_language": "en" if language == "ar" else "ar",
        "digits": digits_for(request),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}
MACHINE_PREFIXES = tuple(getattr(settings, "MACHINE_INTERFACE_PREFIXES", ()))


def language_for(request: HttpRequest) -> str:
    """Arabic first: the language cookie, then the signed-in user's preference, then Arabic.

    The browser's Accept-Language is deliberately not consulted for pages: a phone set to
    English in Muscat still opens in Arabic until its owner switches. Machine interfaces
    (Open311, REST) read Accept-Language themselves.
    """
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in SUPPORTED:
        return cookie
    if request.path_info.startswith(MACHINE_PREFIXES):
        # Machine interfaces choose their language per request (locale, Accept-Language);
        # looking the user up (session, account, second factor) would only cost them time.
        return settings.LANGUAGE_CODE
    user = getattr(request, "user", None)
    preferred = getattr(user, "preferred_language", "") if user is not None else ""
    if preferred in SUPPORTED:
        return preferred
    return settings.LANGUAGE_CODE


class ArabicFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        patch_vary_headers(response, ("Cookie",))
        return response

"""Language and digits. The choice is kept in cookies on the device (the language cookie is
Django's, read by core.middleware) and, for a signed-in citizen, on their account."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from baladiyati.accounts.actions import do_update_preferences

from ..formatting import DIGIT_CHOICES, DIGITS_COOKIE

LANGUAGES = {code for code, _name in settings.LANGUAGES}


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "portal/settings.html", {"tab": "settings"})
    language = request.POST.get("language")
    digits = request.POST.get("digits")
    language = language if language in LANGUAGES else None
    digits = digits if digits in DIGIT_CHOICES else None
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/settings"
    response = redirect(next_url)
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    if digits:
        response.set_cookie(
            DIGITS_COOKIE,
            digits,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    if request.user.is_authenticated and (language or digits):
        do_update_preferences(request.user, language=language, digits=digits)
    return response

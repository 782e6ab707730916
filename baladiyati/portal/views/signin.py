"""Signing in with a one-time code sent to a phone (SMS) or an email address.

/signin asks where to send the code; /signin/code checks it, signs the citizen in (the
account is made on first use) and goes back to `next`. The destination waits in the session
between the two steps.
"""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from baladiyati.accounts.actions import do_request_login_code, do_verify_login_code

from ..formatting import language
from ..inputs import text

SESSION_KEY = "portal_signin"


def safe_next(request: HttpRequest, raw: str | None) -> str:
    if raw and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return reverse("portal:requests")


def masked(destination: str) -> str:
    """+96891234567 → +968•••••567; salim@example.om → s•••@example.om"""
    if "@" in destination:
        name, _at, domain = destination.partition("@")
        return f"{name[:1]}•••@{domain}"
    return f"{destination[:4]}•••••{destination[-3:]}"


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    errors: list[str] = []
    value = ""
    if request.method == "POST":
        value = text(request.POST, "destination", 254)
        try:
            destination = do_request_login_code(value, language=language())
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            request.session[SESSION_KEY] = {"destination": destination.value, "next": next_url}
            return redirect("portal:signin_code")
    return render(
        request,
        "portal/signin.html",
        {"tab": "requests", "next": next_url, "errors": errors, "value": value},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def signin_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return redirect("portal:signin")
    errors: list[str] = []
    resent = False
    if request.method == "POST" and request.POST.get("resend"):
        try:
            do_request_login_code(pending["destination"], language=language())
            resent = True
        except ValidationError as exc:
            errors = list(exc.messages)
    elif request.method == "POST":
        try:
            user = do_verify_login_code(
                pending["destination"], text(request.POST, "code", 20), language=language()
            )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            del request.session[SESSION_KEY]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(safe_next(request, pending.get("next")))
    return render(
        request,
        "portal/signin_code.html",
        {
            "tab": "requests",
            "destination": masked(pending["destination"]),
            "by_email": "@" in pending["destination"],
            "errors": errors,
            "resent": resent,
        },
        status=400 if errors else 200,
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")

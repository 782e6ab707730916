"""Back-office sign-in: password, then a TOTP code; enrolment on the first sign-in.

The password step does not sign in: it remembers who passed it (for a few minutes) in the
session. Only a valid code signs the user in (`django.contrib.auth.login` + `django_otp.login`),
so a session is never half signed in. Wrong passwords and wrong codes both count towards the
lock-out (django-axes): a failed code is reported through `user_login_failed`, as a failed
password is by `authenticate`. The Django admin signs in here too (siteadmin/sites.py): staff
status is enough to pass, and someone with no back-office desk lands in the admin.
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from baladiyati.backoffice import twofactor
from baladiyati.backoffice.access import desk_for, is_verified
from baladiyati.backoffice.lockout import locked_out

PENDING = "backoffice_pending"
PENDING_SECONDS = 300
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("backoffice:inbox")


def _go(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


def _pending_user(request: HttpRequest) -> Any:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()


def _credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if is_verified(request.user):
        return redirect(_next(request))
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        if not username or not password:
            error = _("Enter your user name and password.")
        else:
            user = authenticate(request, username=username, password=password)
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
            if user is None:
                error = _("The user name or password is wrong.")
            elif desk_for(user) is None and not user.is_staff:
                # Staff status without a membership: the Django admin only (superusers),
                # which signs in here too (siteadmin/sites.py).
                error = _("This account has no access to the back office.")
            else:
                request.session.cycle_key()
                request.session[PENDING] = {"user": user.pk, "at": time.time()}
                step = "code" if twofactor.confirmed_device(user) else "enrol"
                return _go(f"backoffice:login_{step}", request)
    status = 400 if error else 200
    return render(
        request,
        "backoffice/login.html",
        {"error": error, "username": username, "next": _next(request)},
        status=status,
    )


def _code_step(request: HttpRequest, *, enrol: bool) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _go("backoffice:login", request)
    if not AxesProxyHandler.is_allowed(request, _credentials(user)):
        request.session.pop(PENDING, None)
        return locked_out(request)
    device = twofactor.confirmed_device(user)
    if enrol and device is not None:
        return _go("backoffice:login_code", request)
    if not enrol and device is None:
        return _go("backoffice:login_enrol", request)
    if enrol:
        device = twofactor.enrolment_device(user)
    assert device is not None
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        ok = twofactor.confirm(device, code) if enrol else twofactor.verify(device, code)
        if ok:
            request.session.pop(PENDING, None)
            auth_login(request, user, backend=BACKEND)
            otp_login(request, device)
            target = _next(request)
            if desk_for(user) is None and target == reverse("backoffice:inbox"):
                target = reverse("admin:index")
            return redirect(target)
        user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        if getattr(request, "axes_locked_out", False) or not AxesProxyHandler.is_allowed(
            request, _credentials(user)
        ):
            request.session.pop(PENDING, None)
            return locked_out(request)
        error = _("That code is not right. Enter the six digits your app shows now.")
    context: dict[str, Any] = {"error": error, "next": _next(request), "enrol": enrol}
    if enrol:
        context.update(secret=twofactor.secret(device), qr=twofactor.qr_svg(device))
    return render(request, "backoffice/login_code.html", context, status=400 if error else 200)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    return _code_step(request, enrol=False)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    return _code_step(request, enrol=True)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("backoffice:login")

"""The Django admin site of Baladiyati: password *and* TOTP, as the staff back office.

The admin has no sign-in page of its own: /admin/login/ sends people to the back office's
two steps (password, then a code from an authenticator app, with enrolment on the first
sign-in and django-axes lock-out; backoffice/views/auth.py), which come back here. A
session signed in with the password alone (django.contrib.auth.login without a device)
opens nothing in the admin: `has_permission` asks for django-otp's `is_verified`.
Installed as the default admin site by apps.BaladiyatiAdminConfig (settings.INSTALLED_APPS).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache


def verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)  # added by django_otp's OTPMiddleware
    return bool(user.is_authenticated and check is not None and check())


class BaladiyatiAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and verified(request.user)

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        target = request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        if verified(request.user):
            if self.has_permission(request):
                return redirect(target)
            # Signed in with both steps, but no admin rights: say so, don't loop.
            raise PermissionDenied
        login = reverse("backoffice:login")
        response: HttpResponse = redirect(f"{login}?{urlencode({'next': target})}")
        return response

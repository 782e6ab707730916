"""Lock-out after repeated failed sign-ins (django-axes), wired for the back office.

`LockoutBackend` is axes' standalone backend (first in AUTHENTICATION_BACKENDS: a locked-out
name and address cannot authenticate anywhere, Django admin included). Code that calls
`authenticate()` without a request — there is no client address to lock then, as in the test
client's `login()` — is let through to the next backend instead of failing.

`locked_out` is the page axes shows (settings.AXES_LOCKOUT_CALLABLE): translated, with the
cool-off time, status 429.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cooloff_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    return int(cooloff.total_seconds() // 60) if cooloff else 0


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    return render(
        request,
        "backoffice/locked_out.html",
        {"minutes": cooloff_minutes(), "failures": settings.AXES_FAILURE_LIMIT},
        status=429,
    )

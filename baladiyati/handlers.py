"""The production entry points' handler: machine interfaces answer through a shorter chain.

Open311 (`settings.MACHINE_INTERFACE_PREFIXES`) keeps no session, signs nobody in, sets no
CSRF token and shows no flash messages: its clients send an API key with each call. Django
runs one middleware list for every request, and for such a request the session, CSRF,
authentication, second-factor, messages, static-files and lock-out middleware did nothing
but cost time — about a sixth of a one-request answer (0.40 → 0.33 ms, docs/benchmarks.md).
`MachineAwareHandler` keeps two Django handlers, the site's (`MIDDLEWARE`) and the
machines' (`MACHINE_MIDDLEWARE`, a subset of it, in the same order), and picks one by path.
What the machine chain keeps: HTTPS redirect and security headers, host checks, gzip, the
language, frame options.

Django's test client runs the whole `MIDDLEWARE` for every path; the tests of this module
call the production application itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler


class _MachineHandler(WSGIHandler):
    """Django's WSGI handler with `settings.MACHINE_MIDDLEWARE` as its middleware."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler builds its chain from settings.MIDDLEWARE: shown the machines' list
        # for the moment it reads it, once, at start-up, before any request is served.
        site = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.MACHINE_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site


class MachineAwareHandler:
    """A WSGI application: machine interfaces' paths to their chain, the rest to the site's."""

    def __init__(self) -> None:
        self.site = WSGIHandler()
        self.machines = _MachineHandler()
        self.prefixes = tuple(settings.MACHINE_INTERFACE_PREFIXES)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        handler = self.machines if path.startswith(self.prefixes) else self.site
        return handler(environ, start_response)

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

import io
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

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


def environ(
    url: str,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    host: str = "127.0.0.1",
) -> dict[str, Any]:
    """A WSGI environ for calling the application without a server, as granian would build
    it: a GET, or a form-encoded POST when there is a body; `headers` by their HTTP names.
    For the benchmarks (bench/cpu.py, bench/measure.py) and the tests of this module."""
    parts = urlsplit(url)
    env: dict[str, Any] = {
        "REQUEST_METHOD": "POST" if body else "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        env["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env

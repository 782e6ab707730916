"""What makes the citizen app installable and usable offline: the web app manifest, the
service worker (served from the root so that it controls every page), the icons and the
offline page.

The service worker caches the app shell: the static files below, the report form, the
boundaries and the offline page. Its cache name carries a digest of the shell's URLs and
contents, so a new release replaces the old cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..formatting import language
from ..icons import SIZES, icon_png

SHELL_STATIC = [
    "portal/app.css",
    "portal/app.js",
    "portal/report.js",
    "portal/map.js",
    "portal/icon.svg",
    "portal/vendor/leaflet/leaflet.js",
    "portal/vendor/leaflet/leaflet.css",
]
THEME = "#0a6847"


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    lang = language()
    data = {
        "id": "/",
        "name": _("Baladiyati — my municipality"),
        "short_name": _("Baladiyati"),
        "description": _("Report a problem in your city and follow it until it is fixed."),
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {
                "src": reverse("portal:icon", args=["icon-192"]),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": reverse("portal:icon", args=["icon-512"]),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": reverse("portal:icon", args=["maskable-512"]),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {"name": _("Report a problem"), "url": reverse("portal:report")},
            {"name": _("My requests"), "url": reverse("portal:requests")},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _file_digest(path: str) -> str:
    found = finders.find(path)
    if not found:
        return "missing"
    with open(found if isinstance(found, str) else found[0], "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=8).hexdigest()


@lru_cache(maxsize=1)
def _release() -> str:
    return _compute_release()


def _compute_release() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for path in SHELL_STATIC:
        digest.update(f"{static(path)}:{_file_digest(path)}".encode())
    return digest.hexdigest()


def release() -> str:
    """Changes whenever a shell file changes (recomputed on every request in DEBUG)."""
    return _compute_release() if settings.DEBUG else _release()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL_STATIC] + [
        reverse("portal:offline"),
        reverse("portal:report"),
        reverse("portal:boundaries"),
    ]
    response = render(
        request,
        "portal/sw.js",
        {
            "release": release(),
            "shell": json.dumps(shell),
            "offline_url": reverse("portal:offline"),
            "report_url": reverse("portal:report"),
            "static_prefix": settings.STATIC_URL,
        },
        content_type="application/javascript; charset=utf-8",
    )
    # Browsers check for a new worker on navigation; never let a cache hide a release.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def icon(request: HttpRequest, name: str) -> HttpResponse:
    if name not in SIZES:
        raise Http404
    response = HttpResponse(icon_png(name), content_type="image/png")
    response["Cache-Control"] = "public, max-age=604800"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/offline.html")

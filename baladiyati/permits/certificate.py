"""The bilingual building-permit certificate (PDF) and its verification link.

WeasyPrint lays out `permits/certificate.html`; Arabic is shaped by pango/HarfBuzz with the
Amiri font that the `fontpkg-amiri` package installs from PyPI (no system font needed). The
QR code (segno) encodes the public verification address, `/verify/<signed token>`; the token
is the permit's random key signed with the project's secret, so a changed or made-up token
is recognised as "not valid" without a lookup that could be probed.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import segno
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils import translation

from .models import Permit

SALT = "baladiyati.permits.verify"


def verification_token(permit: Permit) -> str:
    return signing.Signer(salt=SALT).sign(permit.token)


def permit_for_token(token: str) -> Permit | None:
    """The permit a verification token names, or None when it is unknown or tampered."""
    try:
        key = signing.Signer(salt=SALT).unsign(str(token)[:200])
    except signing.BadSignature:
        return None
    return Permit.objects.public().filter(token=key).first()


def verification_path(permit: Permit) -> str:
    return f"/verify/{verification_token(permit)}"


def verification_url(permit: Permit) -> str:
    root = settings.PERMIT_PUBLIC_URL or settings.SITE_ROOT
    return root.rstrip("/") + verification_path(permit)


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=4)
    return out.getvalue()


_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def font_files() -> dict[str, Path]:
    import fontpkg_amiri  # the Amiri family, installed from PyPI

    folder = Path(fontpkg_amiri.ROOT) / "files"
    return {"regular": folder / "Amiri-Regular.ttf", "bold": folder / "Amiri-Bold.ttf"}


def render_pdf(permit: Permit, *, completion: bool = False) -> bytes:
    """The permit certificate, or (completion=True) the completion certificate."""
    from weasyprint import HTML  # imported here: loading pango costs start-up time

    application = permit.application
    url = verification_url(permit)
    context = {
        "permit": permit,
        "application": application,
        "permit_type": application.permit_type,
        "municipality": permit.municipality,
        "district": application.district,
        "verify_url": url,
        "qr": "data:image/png;base64," + base64.b64encode(qr_png(url)).decode(),
        "fonts": {k: v.as_uri() for k, v in font_files().items()},
        "completion": completion,
        # One paragraph a condition, each in its own direction: an English line in an
        # Arabic page must not get its full stop on the left.
        "conditions": [
            (line, "rtl" if _ARABIC_LETTER.search(line) else "ltr")
            for line in permit.conditions.splitlines()
            if line.strip()
        ],
    }
    # Both languages on one page; Arabic labels first. The English half is rendered in English.
    with translation.override("ar"):
        html = render_to_string("permits/certificate.html", context)
    return HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()

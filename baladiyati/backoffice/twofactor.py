"""TOTP devices of staff (django-otp): enrolment with a QR code, and the check of a code.

Devices are created and confirmed by baladiyati.accounts.actions (audited); this module only
reads them and renders the QR code and key.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.accounts.actions import do_confirm_totp_device, do_start_totp_enrolment
from baladiyati.core.text import to_ascii_digits


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def enrolment_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up: the same one (and QR) until it is confirmed."""
    return do_start_totp_enrolment(user, actor=user)


def secret(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps take it typed in, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def clean_code(raw: str) -> str:
    """Digits only, Arabic-Indic accepted ("١٢٣ ٤٥٦" → "123456")."""
    return "".join(ch for ch in to_ascii_digits(raw or "") if ch.isdigit())[:8]


def verify(device: TOTPDevice, code: str) -> bool:
    # verify_token throttles (django-otp) and refuses a code used before (replay).
    code = clean_code(code)
    return bool(code) and bool(device.verify_token(code))


def confirm(device: TOTPDevice, code: str) -> bool:
    """Confirm an enrolment with a first valid code; other unconfirmed devices go."""
    try:
        do_confirm_totp_device(device, code, actor=device.user)
    except ValidationError:
        return False
    return True

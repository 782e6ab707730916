"""Delivering what lower packages hand over: sign-in codes by SMS or email."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from baladiyati.accounts.signals import login_code_issued

from .sms import send_sms


@receiver(login_code_issued)
def deliver_login_code(
    sender: Any, destination: str, channel: str, code: str, language: str, **kwargs: Any
) -> None:
    with translation.override(language if language in ("ar", "en") else "ar"):
        text = _("Your Baladiyati code is %(code)s. It expires in 10 minutes.") % {"code": code}
        if channel == "sms":
            send_sms(destination, text)
        else:
            send_mail(
                _("Your Baladiyati sign-in code"), text, settings.DEFAULT_FROM_EMAIL, [destination]
            )

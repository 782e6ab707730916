"""`manage.py demo_totp <user>`: the current back-office sign-in code of a demo staff member.

Only for devices holding the published demo key (seed_demo): a real person's own key is
never read out.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.demo.seed import demo_totp_key


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Print the current two-step sign-in code of a demo staff member (demo key only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        device = TOTPDevice.objects.filter(
            user__username=options["username"], confirmed=True, key=demo_totp_key()
        ).first()
        if device is None:
            raise CommandError(
                _("%(user)s has no device with the demo key.") % {"user": options["username"]}
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")

"""State changes of accounts: one-time-code sign-in for citizens, staff TOTP devices.

`do_request_login_code` sends a six-digit code to a phone (SMS) or an email address;
`do_verify_login_code` checks it and returns the citizen's account, creating it on first use.
Codes live CODE_MINUTES, allow MAX_ATTEMPTS wrong tries, and a destination may ask again
only after RESEND_SECONDS and at most MAX_PER_HOUR times an hour.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from baladiyati.core import audit, clock
from baladiyati.core.text import to_ascii_digits

from .models import CitizenProfile, Digits, Language, OneTimeCode, User
from .phones import normalize_phone
from .signals import login_code_issued

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
RESEND_SECONDS = 30
MAX_PER_HOUR = 5


@dataclass(frozen=True)
class Destination:
    value: str  # E.164 phone or lower-cased email
    channel: str  # "sms" or "email"


def parse_destination(raw: str) -> Destination:
    """A phone number or an email address, normalised; ValidationError otherwise."""
    text = (raw or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("Enter a valid email address."), code="invalid_email") from None
        return Destination(text.lower(), "email")
    return Destination(normalize_phone(text), "sms")


def _hash(destination: str, code: str) -> str:
    return salted_hmac("baladiyati.login-code", f"{destination}:{code}").hexdigest()


def do_request_login_code(raw_destination: str, *, language: str = "ar") -> Destination:
    destination = parse_destination(raw_destination)
    now = clock.now()
    with transaction.atomic():
        recent = list(
            OneTimeCode.objects.select_for_update()
            .filter(destination=destination.value, created_at__gte=now - dt.timedelta(hours=1))
            .order_by("-created_at")
            .values_list("created_at", flat=True)
        )
        if recent and now - recent[0] < dt.timedelta(seconds=RESEND_SECONDS):
            raise ValidationError(
                _("A code was just sent. Please wait %(seconds)d seconds before asking again.")
                % {"seconds": RESEND_SECONDS},
                code="too_soon",
            )
        if len(recent) >= MAX_PER_HOUR:
            raise ValidationError(
                _("Too many codes were requested. Please try again in an hour."),
                code="too_many_codes",
            )
        code = f"{secrets.randbelow(1_000_000):06d}"
        # A new code replaces any earlier one still waiting.
        OneTimeCode.objects.live(destination.value, now).update(used_at=now)
        otc = OneTimeCode.objects.create(
            destination=destination.value,
            code_hash=_hash(destination.value, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
        audit.record(
            actor=None,
            action="account.code_requested",
            obj=otc,
            municipality_id=None,
            extra={"channel": destination.channel},
        )
        transaction.on_commit(
            lambda: login_code_issued.send(
                sender=OneTimeCode,
                destination=destination.value,
                channel=destination.channel,
                code=code,
                language=language,
            )
        )
    return destination


def do_verify_login_code(raw_destination: str, code: str, *, language: str = "ar") -> User:
    """The account for this destination when `code` is right; ValidationError otherwise.

    A wrong code is counted in its own committed transaction, so the limit of MAX_ATTEMPTS
    holds however the caller handles the error.
    """
    destination = parse_destination(raw_destination)
    code = to_ascii_digits(code or "").strip()
    now = clock.now()
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .live(destination.value, now)
            .order_by("-created_at")
            .first()
        )
        if otc is None:
            problem = "wrong_code"
        elif otc.attempts >= MAX_ATTEMPTS:
            problem = "too_many_attempts"
        elif not (
            code.isdigit() and constant_time_compare(otc.code_hash, _hash(destination.value, code))
        ):
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            problem = "wrong_code"
        else:
            problem = ""
            otc.used_at = now
            otc.save(update_fields=["used_at"])
            user, created = _account_for(destination, language)
            audit.record(
                actor=user,
                action="account.signed_up" if created else "account.signed_in",
                obj=user,
                municipality_id=None,
                extra={"channel": destination.channel},
            )
    if problem == "too_many_attempts":
        raise ValidationError(_("Too many wrong codes. Ask for a new one."), code=problem)
    if problem:
        raise ValidationError(
            _("The code is wrong or has expired. Ask for a new one."), code=problem
        )
    return user


def _account_for(destination: Destination, language: str) -> tuple[User, bool]:
    field = "phone" if destination.channel == "sms" else "email"
    user = User.objects.filter(**{field: destination.value}).order_by("id").first()
    if user is not None:
        return user, False
    language = language if language in ("ar", "en") else "ar"
    user = User(
        username=f"c-{secrets.token_hex(6)}",
        preferred_language=language,
        # No digit_preference: digits follow the page's language until the citizen chooses.
        **{field: destination.value},
    )
    user.set_unusable_password()
    user.save()
    CitizenProfile.objects.create(user=user)
    return user, True


def do_update_preferences(
    user: User, *, language: str | None = None, digits: str | None = None
) -> User:
    """Remember how a citizen reads the app: language ("ar"/"en"), digits ("arab"/"latn")."""
    changes: dict[str, list[str]] = {}
    if language is not None:
        if language not in Language.values:
            raise ValidationError(_("Unknown language."), code="invalid_language")
        if language != user.preferred_language:
            changes["preferred_language"] = [user.preferred_language, language]
            user.preferred_language = language
    if digits is not None:
        if digits not in Digits.values:
            raise ValidationError(_("Unknown digits."), code="invalid_digits")
        if digits != user.digit_preference:
            changes["digit_preference"] = [user.digit_preference, digits]
            user.digit_preference = digits
    if changes:
        with transaction.atomic():
            user.save(update_fields=list(changes))
            audit.record(
                actor=user,
                action="account.preferences_changed",
                obj=user,
                municipality_id=None,
                changes=changes,
            )
    return user


# Two-step sign-in of staff (django-otp TOTP devices). The back office asks for a code after
# the password; on the first sign-in it shows a QR code of a new, unconfirmed device, which the
# first right code confirms. Devices are written here only, never by an interface.

TOTP_DEVICE_NAME = "backoffice"


def do_start_totp_enrolment(user: User, *, actor: User | None) -> TOTPDevice:
    """The unconfirmed device being set up for `user`: the same one (and QR) until confirmed.

    Only the user themselves (or the system, actor=None) may start it; a user who already has
    a confirmed device gets ValidationError code `already_enrolled`.
    """
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("Only the account's owner can set up its sign-in codes."))
    with transaction.atomic():
        # Two tabs opening the enrolment page at once must not make two devices.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError(
                _("This account already has an authenticator app."), code="already_enrolled"
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
            audit.record(
                actor=actor,
                action="account.totp_enrolment_started",
                obj=user,
                municipality_id=None,
                extra={"device": device.pk},
            )
    return device


def do_confirm_totp_device(device: TOTPDevice, code: str, *, actor: User | None) -> TOTPDevice:
    """Confirm an enrolment with a first valid code; the user's other unconfirmed devices go.

    `code` may be typed with Arabic-Indic digits and spaces. A wrong (or replayed) code is
    ValidationError code `wrong_code`, and nothing is confirmed.
    """
    if actor is not None and actor.pk != device.user_id:
        raise PermissionDenied(_("Only the account's owner can set up its sign-in codes."))
    if device.confirmed:
        raise ValidationError(
            _("This authenticator app is already set up."), code="already_confirmed"
        )
    digits = "".join(ch for ch in to_ascii_digits(code or "") if ch.isdigit())[:8]
    # verify_token is django-otp's check: it throttles and refuses a code used before.
    if not digits or not device.verify_token(digits):
        raise ValidationError(
            _("That code is not right. Enter the six digits your app shows now."),
            code="wrong_code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
        audit.record(
            actor=actor,
            action="account.totp_confirmed",
            obj=device.user,
            municipality_id=None,
            extra={"device": device.pk},
        )
    device.confirmed = True
    return device

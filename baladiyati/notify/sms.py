"""The SMS gateway adapter.

SMS_BACKEND chooses how a text leaves: "console" (development: printed once to stdout,
where `make demo` shows it), "memory" (tests: kept in `outbox`), or "webhook" (production:
an HTTP POST of {"to", "text", "sender"} as JSON to SMS_WEBHOOK_URL with SMS_WEBHOOK_TOKEN
as a bearer token). The delivery log with retries (back-office issue) builds on `send_sms`.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


outbox: list[Sms] = []


class SmsError(Exception):
    """The gateway refused or could not be reached; the caller may retry later."""


def send_sms(to: str, text: str) -> None:
    backend = settings.SMS_BACKEND
    if backend == "memory":
        outbox.append(Sms(to, text))
    elif backend == "console":
        # Printed once (not logged as well: the root logger writes to the same console).
        print(f"[SMS to {to}] {text}", file=sys.stdout, flush=True)  # noqa: T201  (development only)
    elif backend == "webhook":
        _post(to, text)
    else:
        raise SmsError(f"unknown SMS_BACKEND {backend!r}")


def _post(to: str, text: str) -> None:
    body = json.dumps({"to": to, "text": text, "sender": settings.SMS_SENDER}).encode()
    request = urllib.request.Request(  # noqa: S310  (the URL is the operator's setting)
        settings.SMS_WEBHOOK_URL,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.SMS_WEBHOOK_TOKEN}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 300:
                raise SmsError(f"gateway answered {response.status}")
    except OSError as exc:
        raise SmsError(str(exc)) from exc

"""Payment gateway adapter.

A gateway turns a `PaymentIntent` into a redirect (where the payer's browser goes to pay)
and turns the gateway's callback back into a verified confirmation. `handle_callback`
checks the confirmation and books it through `actions.do_record_payment`, which refuses a
wrong amount or currency and a replay. A real gateway (a bank's hosted page) plugs in as
another `Gateway` named by `settings.PERMIT_PAYMENT_GATEWAY`.

The built-in `FakeGateway` (development and tests) signs both directions with HMAC-SHA256
under `settings.PERMIT_PAYMENT_HMAC_KEY`: the redirect carries the intent, amount and
currency signed, so the fake payment page shows what the municipality asked for; the
callback carries the intent, a transaction id, amount, currency and result, signed, so a
forged or altered callback is refused before anything is read from the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import actions
from .models import Payment, PaymentIntent


class InvalidCallback(ValidationError):
    """The callback is not one the gateway signed: refused, nothing read or written."""


@dataclass(frozen=True)
class Confirmation:
    nonce: str
    transaction_id: str
    amount: Decimal
    currency: str
    succeeded: bool


class Gateway(Protocol):
    name: str

    def redirect_url(self, intent: PaymentIntent, *, return_url: str) -> str: ...

    def verify_callback(self, params: Mapping[str, str]) -> Confirmation: ...


def _sign(fields: Mapping[str, str]) -> str:
    message = "&".join(f"{k}={fields[k]}" for k in sorted(fields)).encode()
    key = settings.PERMIT_PAYMENT_HMAC_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _check(fields: Mapping[str, str], signature: str) -> bool:
    return hmac.compare_digest(_sign(fields), str(signature or ""))


class FakeGateway:
    """A local stand-in for a bank's hosted payment page (see permits_web's fake pay page)."""

    name = "fake"
    page_path = "/permits/pay/fake"
    callback_path = "/permits/pay/callback/fake"
    REDIRECT_FIELDS = ("intent", "amount", "currency", "return")
    CALLBACK_FIELDS = ("intent", "transaction", "amount", "currency", "result")

    def redirect_url(self, intent: PaymentIntent, *, return_url: str) -> str:
        fields = {
            "intent": intent.nonce,
            "amount": f"{intent.amount:.3f}",
            "currency": intent.currency,
            "return": return_url,
        }
        return f"{self.page_path}?{urlencode({**fields, 'signature': _sign(fields)})}"

    def verify_redirect(self, params: Mapping[str, str]) -> dict[str, str]:
        fields = {k: str(params.get(k, "")) for k in self.REDIRECT_FIELDS}
        if not _check(fields, str(params.get("signature", ""))):
            raise InvalidCallback(_("The payment link is not valid."), code="bad_signature")
        return fields

    def callback_fields(self, redirect: Mapping[str, str], *, succeeded: bool) -> dict[str, str]:
        """What the fake bank posts back after the payer chose to pay or to cancel."""
        fields = {
            "intent": redirect["intent"],
            "transaction": "FAKE-" + secrets.token_hex(8),
            "amount": redirect["amount"],
            "currency": redirect["currency"],
            "result": "paid" if succeeded else "declined",
        }
        return {**fields, "signature": _sign(fields)}

    def verify_callback(self, params: Mapping[str, str]) -> Confirmation:
        fields = {k: str(params.get(k, "")) for k in self.CALLBACK_FIELDS}
        if not _check(fields, str(params.get("signature", ""))):
            raise InvalidCallback(_("The payment confirmation is not valid."), code="bad_signature")
        try:
            amount = Decimal(fields["amount"])
        except InvalidOperation as exc:
            raise InvalidCallback(
                _("The payment confirmation is not valid."), code="bad_amount"
            ) from exc
        return Confirmation(
            nonce=fields["intent"],
            transaction_id=fields["transaction"],
            amount=amount,
            currency=fields["currency"],
            succeeded=fields["result"] == "paid",
        )


GATEWAYS: dict[str, Gateway] = {"fake": FakeGateway()}


def gateway(name: str | None = None) -> Gateway:
    found = GATEWAYS.get(name or settings.PERMIT_PAYMENT_GATEWAY)
    if found is None:
        raise ValidationError(_("Unknown payment gateway."), code="unknown_gateway")
    return found


def handle_callback(name: str, params: Mapping[str, str]) -> Payment | None:
    """Verify and book a gateway's callback. None when the payer declined (nothing booked).

    Raises InvalidCallback (forged/altered) or ValidationError (unknown attempt, replay,
    wrong amount or currency); in every refusal nothing is written.
    """
    confirmation = gateway(name).verify_callback(params)
    if not confirmation.succeeded:
        return None
    return actions.do_record_payment(
        gateway=name,
        nonce=confirmation.nonce,
        transaction_id=confirmation.transaction_id,
        amount=confirmation.amount,
        currency=confirmation.currency,
    )

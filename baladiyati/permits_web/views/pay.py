"""The fake payment gateway's pages (development and tests) and the gateway callback.

`/permits/pay/fake` stands in for a bank's hosted page: it checks the redirect's signature
and lets the payer pay or cancel; its answer is a signed callback the browser posts to
`/permits/pay/callback/fake`. The callback is the only way a payment is booked: a forged,
altered, replayed or wrong-amount callback gets 400 and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from baladiyati.permits import payments
from baladiyati.permits.models import Invoice, PaymentIntent


def fake_gateway(request: HttpRequest) -> HttpResponse:
    gateway = payments.FakeGateway()
    params = request.POST if request.method == "POST" else request.GET
    try:
        redirect_fields = gateway.verify_redirect(params)
    except ValidationError as exc:
        return render(
            request, "permits_web/fake_gateway.html", {"error": exc.messages[0]}, status=400
        )
    callback = None
    if request.method == "POST":
        callback = gateway.callback_fields(
            redirect_fields, succeeded=request.POST.get("choice") == "pay"
        )
    return render(
        request,
        "permits_web/fake_gateway.html",
        {
            "fields": redirect_fields,
            "signed": {**redirect_fields, "signature": params.get("signature", "")},
            "callback": callback,
            "callback_url": reverse("permits_web:callback", kwargs={"gateway": gateway.name}),
        },
    )


@csrf_exempt  # the gateway posts here; the HMAC signature is the check, not a CSRF token
@require_POST
def callback(request: HttpRequest, gateway: str) -> HttpResponse:
    try:
        payment = payments.handle_callback(gateway, request.POST)
    except ValidationError as exc:
        return render(
            request, "permits_web/payment_refused.html", {"problem": exc.messages[0]}, status=400
        )
    if payment is None:
        intent = (
            PaymentIntent.objects.filter(gateway=gateway, nonce=request.POST.get("intent", "")[:64])
            .select_related("invoice__application")
            .first()
        )
        messages.info(request, _("The payment was cancelled; nothing was charged."))
        if intent is None:
            return redirect("permits_web:applications")
        application = intent.invoice.application
    else:
        application = payment.invoice.application
        if payment.invoice.purpose == Invoice.Purpose.RENEWAL:
            messages.success(
                request,
                _("Paid. Receipt %(receipt)s. Your permit is renewed until %(date)s.")
                % {
                    "receipt": payment.receipt_number,
                    "date": application.permit.valid_until.isoformat(),
                },
            )
        else:
            messages.success(
                request,
                _("Paid. Receipt %(receipt)s. Your permit is issued.")
                % {"receipt": payment.receipt_number},
            )
    return redirect("permits_web:application", reference=application.reference)

"""The unsubscribe link every message carries (notify.delivery.unsubscribe_url).

Public, no sign-in: the signed token is the key. GET shows what the link stops and asks to
confirm (mail scanners follow links; they must not unsubscribe anyone); POST records the
opt-out — the delivery's topic, or everything with `scope=all` — and is idempotent; it also
tells the packages above (notify.signals.topic_unsubscribed), so that an area subscription
named by the topic is switched off, not only silenced. POST is
exempt from CSRF so that mail clients' one-click unsubscribe (RFC 8058) works; the token
authorises it. The page is in the language the message was written in.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .delivery import delivery_for_token
from .models import OptOut
from .signals import topic_unsubscribed


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    delivery = delivery_for_token(token)
    language = delivery.language if delivery and delivery.language in ("ar", "en") else None
    with translation.override(language or translation.get_language() or "ar"):
        if delivery is None:
            response = render(request, "notify/unsubscribe.html", {"invalid": True}, status=404)
        else:
            everything = request.POST.get("scope") == "all"
            done = False
            if request.method == "POST":
                with transaction.atomic():
                    OptOut.objects.get_or_create(
                        channel=delivery.channel,
                        address=delivery.to,
                        topic="" if everything else delivery.topic,
                    )
                    # What the topic names may end too (an area subscription: cases.receivers).
                    if delivery.topic:
                        topic_unsubscribed.send(
                            sender=OptOut,
                            topic=delivery.topic,
                            channel=delivery.channel,
                            address=delivery.to,
                        )
                done = True
            blocked = OptOut.objects.blocking(delivery.channel, delivery.to, delivery.topic)
            context = {
                "delivery": delivery,
                "done": done,
                "everything": everything or blocked.filter(topic="").exists(),
                "already": not done and blocked.exists(),
                "about": delivery.subject or delivery.body[:120],
            }
            response = render(request, "notify/unsubscribe.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response

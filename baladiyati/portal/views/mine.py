"""My requests: what the signed-in citizen reported or follows, newest first. Reports sent
anonymously from this phone are listed by the app from the device's own memory."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baladiyati.cases.models import Case

from ..casepage import status_kind

PAGE_SIZE = 20


@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    page = None
    if request.user.is_authenticated:
        cases = (
            Case.objects.followed_by(request.user)
            .filter(is_hidden=False)
            .select_related("service", "district", "municipality")
            .order_by("-created_at", "-id")
        )
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        for case in page:
            case.status_kind = status_kind(case.status)  # type: ignore[attr-defined]
    response = render(request, "portal/requests.html", {"tab": "requests", "page": page})
    response["Cache-Control"] = "private, no-store"
    return response

"""Citizen 360: GET /backoffice/citizens (find), /citizens/<id>, /contact?phone=|email=."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from baladiyati.accounts.models import CitizenProfile, User
from baladiyati.cases.models import CaseRating
from baladiyati.permits.models import Application

from .. import people
from ..access import CITY_WIDE, Desk, staff_view


@require_GET
@staff_view(CITY_WIDE)
def find(request: HttpRequest, desk: Desk) -> HttpResponse:
    query = request.GET.get("q", "")
    context: dict[str, Any] = {"desk": desk, "nav": "people", "q": query[:200], "problem": ""}
    if query.strip():
        found = people.find(desk, query)
        if found.kind == "case" and found.case is not None:
            return redirect("backoffice:case", reference=found.case.reference)
        if found.kind == "user" and found.user is not None:
            return redirect("backoffice:citizen", user_id=found.user.pk)
        if found.kind == "contact":
            from ..privacy import citizen_url

            return redirect(citizen_url(phone=found.phone, email=found.email))
        context["problem"] = (
            _("Enter a phone number, an email address or a request reference.")
            if found.kind == "invalid"
            else _("No one found with these details in this municipality.")
        )
        return render(
            request, "backoffice/find.html", context, status=404 if found.kind == "none" else 400
        )
    return render(request, "backoffice/find.html", context)


def _has_permits(desk: Desk, user: User) -> bool:
    return Application.objects.filter(municipality=desk.municipality, owner=user).exists()


def _ratings(cases: list[Any]) -> list[CaseRating]:
    return list(
        CaseRating.objects.filter(case__in=[c.pk for c in cases])
        .select_related("case")
        .order_by("-created_at")
    )


@require_GET
@staff_view(CITY_WIDE)
def citizen(request: HttpRequest, desk: Desk, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    cases = list(people.history(desk, user=user)[: people.HISTORY_LIMIT])
    followed = list(people.followed(desk, user)[: people.HISTORY_LIMIT])
    if not cases and not followed and not _has_permits(desk, user):
        raise Http404  # unknown to this municipality: no hint that the account exists
    permits = list(
        Application.objects.filter(municipality=desk.municipality, owner=user)
        .select_related("permit_type")
        .order_by("-created_at")[: people.HISTORY_LIMIT]
    )
    profile = CitizenProfile.objects.filter(user=user).select_related("home_municipality").first()
    context = {
        "desk": desk,
        "nav": "people",
        "person": user,
        "profile": profile,
        "cases": cases,
        "followed": followed,
        "permits": permits,
        "ratings": _ratings(cases),
        "summary": people.summary(cases),
        "limit": people.HISTORY_LIMIT,
    }
    return render(request, "backoffice/citizen.html", context)


@require_GET
@staff_view(CITY_WIDE)
def contact(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Someone who reported without an account, known by the phone or email they left."""
    phone = people.phone_or_none(request.GET.get("phone", "")) or ""
    email = request.GET.get("email", "").strip().lower()[:254] if not phone else ""
    if not phone and not email:
        raise Http404
    cases = list(people.history(desk, phone=phone, email=email)[: people.HISTORY_LIMIT])
    if not cases:
        raise Http404
    context = {
        "desk": desk,
        "nav": "people",
        "person": None,
        "contact_name": next((c.contact_name for c in cases if c.contact_name), ""),
        "phone": phone,
        "email": email,
        "cases": cases,
        "followed": [],
        "ratings": _ratings(cases),
        "summary": people.summary(cases),
        "limit": people.HISTORY_LIMIT,
    }
    return render(request, "backoffice/citizen.html", context)

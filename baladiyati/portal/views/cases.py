"""Published cases: the public map and list with filters, a case's page, "this is my problem
too", and photos. Only Case.objects.public() is ever shown here, and never the reporter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baladiyati.accounts.actions import parse_destination
from baladiyati.cases.actions import Contact, do_follow_case
from baladiyati.cases.models import CLOSED_STATUSES, OPEN_STATUSES, Case, CasePhoto, Status
from baladiyati.cities.models import Service

from ..casepage import page_context, status_kind, with_case_relations
from ..inputs import key, text
from ..places import active_municipalities, default_municipality
from .report import wants_json

PAGE_SIZE = 20
MAP_MARKERS = 300
STATUS_FILTERS = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}


def public_case(slug: str, reference: str, viewer: Any = None) -> Case:
    """A published case by its municipality and reference; its own reporter also sees it
    when it is private (never when moderation hid it)."""
    case = (
        with_case_relations(Case.objects.filter(is_hidden=False))
        .filter(municipality__slug=slug, municipality__is_active=True, reference=key(reference))
        .first()
    )
    if case is None:
        raise Http404
    if case.is_private and not (
        viewer is not None and viewer.is_authenticated and case.reporter_id == viewer.pk
    ):
        raise Http404
    return case


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    municipalities = active_municipalities()
    if not municipalities:
        return render(request, "portal/no_municipality.html", status=503)
    by_slug = {m.slug: m for m in municipalities}
    municipality = by_slug.get(request.GET.get("m", "")) or default_municipality(
        request, municipalities
    )
    services = list(Service.objects.of(municipality).order_by("group__order", "order", "id"))
    districts = list(municipality.districts.all())
    service_code = key(request.GET.get("service", ""))
    district_id = request.GET.get("district", "")
    status = request.GET.get("status", "")

    cases = Case.objects.public().of(municipality)
    if service_code:
        cases = cases.filter(service__code=service_code)
    if district_id.isdigit():
        cases = cases.filter(district_id=int(district_id))
    if status in STATUS_FILTERS:
        cases = cases.filter(status__in=STATUS_FILTERS[status])
    elif status in Status.values:
        cases = cases.filter(status=status)
    cases = cases.order_by("-created_at", "-id")

    page = Paginator(cases.select_related("service", "district"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = {s.pk: s.name for s in services}
    markers = [
        {
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "kind": status_kind(st),
            "ref": ref,
            "service": names.get(service_id, ""),
        }
        for lat, lon, st, ref, service_id in cases.values_list(
            "lat", "lon", "status", "reference", "service_id"
        )[:MAP_MARKERS]
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/cases.html",
        {
            "tab": "cases",
            "municipality": municipality,
            "municipalities": municipalities,
            "services": services,
            "districts": districts,
            "filters": {"service": service_code, "district": district_id, "status": status},
            "statuses": Status.choices,
            "page": page,
            "markers": markers,
            "querystring": query.urlencode(),
        },
    )


@require_GET
def case_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    case = public_case(slug, reference, request.user)
    context = page_context(case, viewer=request.user)
    context["tab"] = "cases"
    context["can_follow"] = case.is_open and not case.is_private
    return render(request, "portal/case.html", context)


@require_POST
def follow(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """ "This is my problem too": follow the case; no new case is made."""
    case = public_case(slug, reference)
    contact = None
    raw = text(request.POST, "contact", 254).strip()
    errors: list[str] = []
    if raw and not request.user.is_authenticated:
        try:
            destination = parse_destination(raw)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            contact = (
                Contact(email=destination.value)
                if destination.channel == "email"
                else Contact(phone=destination.value)
            )
    if not errors:
        try:
            do_follow_case(case, actor=request.user, contact=contact)
        except ValidationError as exc:
            errors = [
                m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms
            ]
        except PermissionDenied as exc:
            raise Http404 from exc
    url = reverse("portal:case", args=[slug, reference])
    if errors:
        if wants_json(request):
            return JsonResponse({"errors": {"contact": errors}}, status=400)
        context = page_context(case, viewer=request.user)
        context.update(tab="cases", can_follow=case.is_open, follow_errors=errors)
        return render(request, "portal/case.html", context, status=400)
    message = _("Thank you. You now follow %(reference)s; no new report was made.") % {
        "reference": case.reference
    }
    if wants_json(request):
        return JsonResponse({"message": message, "url": url, "reference": case.reference})
    messages.success(request, message)
    return redirect(url)


def _photo_response(photo: CasePhoto) -> FileResponse:
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
def public_photo(request: HttpRequest, slug: str, reference: str, photo_id: int) -> FileResponse:
    case = public_case(slug, reference, request.user)
    return _photo_response(get_object_or_404(CasePhoto, case=case, pk=photo_id))

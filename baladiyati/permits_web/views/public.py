"""Public pages: verify a certificate, the register of issued permits, open-data exports.

Nothing personal is shown: no owner, applicant or office, only what the certificate shows.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baladiyati.cities.models import District, Municipality
from baladiyati.core import clock
from baladiyati.core.text import to_ascii_digits
from baladiyati.permits import blds, certificate, stats
from baladiyati.permits.models import Permit, PermitType
from baladiyati.permits_web.views import PORTAL_TAB

PAGE_SIZE = 25


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    permit = certificate.permit_for_token(token)
    valid = False
    if permit is not None:
        today = clock.now().astimezone(permit.municipality.zoneinfo).date()
        valid = permit.is_valid_on(today)
    response = render(
        request,
        "permits_web/verify.html",
        {"permit": permit, "valid": valid, "tab": PORTAL_TAB},
        status=200 if permit is not None else 404,
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    permits = Permit.objects.public().order_by("-issued_at", "-id")
    # Arabic-Indic digits (٧٧/١) as typed on an Arabic keyboard find 77/1.
    q = to_ascii_digits(request.GET.get("q", "")).strip()[:50]
    municipality = None
    slug = request.GET.get("municipality", "").strip()[:50]
    if slug:
        municipality = Municipality.objects.filter(slug=slug).first()
        permits = permits.filter(municipality=municipality) if municipality else permits.none()
    if q:
        permits = permits.filter(Q(number__iexact=q) | Q(application__plot_number__iexact=q))
    district = request.GET.get("wilayat", "").strip()
    if district.isdigit():
        permits = permits.filter(application__district_id=int(district))
    kind = request.GET.get("type", "").strip()[:50]
    if kind:
        permits = permits.filter(application__permit_type__code=kind)
    page = Paginator(permits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "permits_web/register.html",
        {
            "page": page,
            "q": q,
            "municipalities": Municipality.objects.active().order_by("slug"),
            "districts": District.objects.select_related("municipality").order_by(
                "municipality__slug", "order"
            ),
            # Grouped by code in the template: one option per code, whatever the city.
            "types": PermitType.objects.active().order_by("code", "municipality_id"),
            "filters": request.GET,
            "issue_times": stats.issue_times(municipality),
            "tab": PORTAL_TAB,
        },
    )


@require_GET
def export(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in ("permits", "inspections") or fmt not in ("csv", "json"):
        raise Http404
    municipality = None
    slug = request.GET.get("municipality", "").strip()[:50]
    if slug:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise Http404
    if fmt == "csv":
        body = blds.as_csv(dataset, municipality)
        content_type = "text/csv; charset=utf-8"
    else:
        body = blds.as_json(dataset, municipality)
        content_type = "application/json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{dataset}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response

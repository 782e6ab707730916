"""Applicant pages (owner or consultancy office): drafts, documents, submission, review
comments and answers, payment, certificate. Every change goes through permits.actions."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baladiyati.cities.models import Municipality
from baladiyati.core import clock
from baladiyati.permits import actions, certificate, payments
from baladiyati.permits.models import (
    Application,
    Decision,
    FeeKind,
    InspectionKind,
    Invoice,
    LandUse,
    Organisation,
    Payment,
    PermitType,
    ReviewComment,
    Slot,
    Status,
)
from baladiyati.permits_web.views import PORTAL_TAB

HttpResponseT = TypeVar("HttpResponseT", bound=HttpResponseBase)

FORM_FIELDS = [
    "plot_number",
    "title_deed_number",
    "lat",
    "lon",
    "land_use",
    "built_up_area",
    "floors",
    "estimated_cost",
    "description",
    "owner_name",
]


def _private(response: HttpResponseT) -> HttpResponseT:
    response["Cache-Control"] = "private, no-store"
    return response


def _signin(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('portal:signin')}?{urlencode({'next': request.get_full_path()})}")


def _values(request: HttpRequest) -> dict[str, str]:
    return {name: request.POST.get(name, "")[:5000] for name in FORM_FIELDS}


def _application(request: HttpRequest, reference: str) -> Application:
    """The application if this applicant may see it; 404 otherwise (never 403: an applicant
    must not learn that someone else's reference exists)."""
    application = (
        Application.objects.visible_to(request.user)
        .filter(reference=reference[:30])
        .select_related("municipality", "permit_type", "district", "organisation")
        .first()
    )
    if application is None:
        raise Http404
    return application


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"general": list(exc.messages)}


@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signin(request)
    applications = (
        Application.objects.visible_to(request.user)
        .select_related("permit_type", "municipality")
        .order_by("-created_at", "-id")
    )
    return _private(
        render(
            request,
            "permits_web/applications.html",
            {"applications": applications, "tab": PORTAL_TAB},
        )
    )


def new_application(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signin(request)
    offices = Organisation.objects.filter(
        organisationmember__user=request.user,
        organisationmember__is_active=True,
        is_active=True,
    )
    types = (
        PermitType.objects.active()
        .select_related("municipality")
        .order_by("municipality__slug", "code")
    )
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        values = _values(request)
        choice = request.POST.get("permit_type", "")
        municipality_slug, _sep, code = choice.partition(":")
        municipality = Municipality.objects.filter(slug=municipality_slug[:50]).first()
        office = None
        office_id = request.POST.get("office", "")
        if office_id:
            office = offices.filter(pk=office_id if office_id.isdigit() else 0).first()
            if office is None:
                errors["office"] = [_("Choose one of your offices.")]
        if municipality is None:
            errors["permit_type"] = [_("Choose a permit type from the list.")]
        if not errors and municipality is not None:
            try:
                application = actions.do_create_draft(
                    municipality=municipality,
                    permit_type_code=code,
                    actor=request.user,
                    organisation=office,
                    **values,
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("Draft saved. Attach the documents next."))
                return redirect("permits_web:application", reference=application.reference)
    return _private(
        render(
            request,
            "permits_web/new.html",
            {
                "types": types,
                "offices": offices,
                "land_uses": LandUse.choices,
                "values": values,
                "errors": errors,
                # the pick map fits this city first (plot_map.js follows the chosen type)
                "map_municipality": types[0].municipality.slug if types else "",
                "tab": PORTAL_TAB,
            },
            status=400 if errors else 200,
        )
    )


def application_page(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    return _render_application(request, application)


def _render_application(
    request: HttpRequest,
    application: Application,
    *,
    errors: dict[str, list[str]] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    rounds = list(
        application.rounds.order_by("-number").prefetch_related(
            "reviews__department", "reviews__comments__document"
        )
    )
    invoices = list(application.invoices.prefetch_related("payments"))
    permit = (
        getattr(application, "permit", None)
        if application.status
        in (
            Status.ISSUED,
            Status.COMPLETED,
        )
        else None
    )
    context = {
        "application": application,
        "documents": application.documents.select_related("document_type"),
        "document_types": application.permit_type.required_documents.all()
        if application.is_editable
        else [],
        # the upload form offers what this permit type takes (required and optional)
        "upload_document_types": application.permit_type.document_types()
        if application.is_editable
        else [],
        "missing": actions.missing_items(application) if application.is_editable else {},
        "rounds": rounds,
        "invoices": invoices,
        "renewal_fee": application.permit_type.fee(FeeKind.RENEWAL) if permit else None,
        "renewal_opens_on": actions.renewal_opens_on(permit) if permit else None,
        "renewal_open": bool(
            permit
            and clock.now().astimezone(application.municipality.zoneinfo).date()
            >= actions.renewal_opens_on(permit)
        ),
        "permit": permit,
        "inspections": permit.inspections.all() if permit else [],
        "verify_path": certificate.verification_path(permit) if permit else "",
        "land_uses": LandUse.choices,
        "map_municipality": application.municipality.slug,
        "slots": Slot.choices,
        "inspection_kinds": InspectionKind.choices,
        "values": values or {n: getattr(application, n, "") or "" for n in FORM_FIELDS},
        "errors": errors or {},
        "Decision": Decision,
        "tab": PORTAL_TAB,
    }
    return _private(render(request, "permits_web/application.html", context, status=status))


def _act(request: HttpRequest, reference: str, run: Any, done: str) -> HttpResponse:
    """Run one action for the signed-in applicant; errors come back on the page, in place."""
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    try:
        run(application)
    except ValidationError as exc:
        application.refresh_from_db()
        return _render_application(
            request,
            application,
            errors=_errors(exc),
            values=_values(request) if "plot_number" in request.POST else None,
            status=400,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, done)
    return redirect("permits_web:application", reference=application.reference)


@require_POST
def save_draft(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        lambda a: actions.do_update_draft(a, actor=request.user, **_values(request)),
        _("Saved."),
    )


@require_POST
def upload_document(request: HttpRequest, reference: str) -> HttpResponse:
    upload = request.FILES.get("file")

    def run(application: Application) -> None:
        if upload is None:
            raise ValidationError({"file": [_("Choose a file to attach.")]})
        actions.do_upload_document(
            application,
            document_type_code=request.POST.get("document_type", ""),
            upload=upload,
            name=upload.name or "",
            actor=request.user,
        )

    return _act(request, reference, run, _("Document attached."))


@require_GET
def document_file(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    document = get_object_or_404(application.documents, pk=document_id)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )
    return _private(response)


@require_POST
def remove_document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    def run(application: Application) -> None:
        document = get_object_or_404(application.documents, pk=document_id)
        actions.do_remove_document(document, actor=request.user)

    return _act(request, reference, run, _("Document removed."))


@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        lambda a: actions.do_submit_application(a, actor=request.user),
        _("Sent for review. The departments review it in parallel."),
    )


@require_POST
def answer_comment(request: HttpRequest, reference: str, comment_id: int) -> HttpResponse:
    def run(application: Application) -> None:
        comment = get_object_or_404(
            ReviewComment, pk=comment_id, review__round__application=application
        )
        actions.do_answer_comment(comment, text=request.POST.get("answer", ""), actor=request.user)

    return _act(request, reference, run, _("Answer saved."))


@require_POST
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    invoice = Invoice.objects.filter(
        application=application, purpose=Invoice.Purpose.PERMIT
    ).first()
    if invoice is None:
        raise Http404
    gateway = payments.gateway()
    try:
        intent = actions.do_start_payment(invoice, gateway=gateway.name, actor=request.user)
    except ValidationError as exc:
        return _render_application(request, application, errors=_errors(exc), status=400)
    return_url = reverse("permits_web:application", kwargs={"reference": reference})
    return HttpResponseRedirect(gateway.redirect_url(intent, return_url=return_url))


@require_POST
def renew(request: HttpRequest, reference: str) -> HttpResponse:
    """Renewal: the renewal fee's invoice, then straight to the gateway to pay it; the
    payment's callback renews the permit."""
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    permit = getattr(application, "permit", None)
    if permit is None:
        raise Http404
    gateway = payments.gateway()
    try:
        invoice = actions.do_request_renewal(permit, actor=request.user)
        intent = actions.do_start_payment(invoice, gateway=gateway.name, actor=request.user)
    except ValidationError as exc:
        errors = _errors(exc)
        return _render_application(
            request, application, errors={"renewal": errors.pop("general", [])}, status=400
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return_url = reverse("permits_web:application", kwargs={"reference": reference})
    return HttpResponseRedirect(gateway.redirect_url(intent, return_url=return_url))


@require_POST
def request_inspection(request: HttpRequest, reference: str) -> HttpResponse:
    def run(application: Application) -> None:
        if not hasattr(application, "permit"):
            raise Http404
        try:
            day = dt.date.fromisoformat(request.POST.get("day", "")[:10])
        except ValueError as exc:
            raise ValidationError({"day": [_("Choose a date.")]}) from exc
        actions.do_schedule_inspection(
            application.permit,
            kind=request.POST.get("kind", ""),
            day=day,
            slot=request.POST.get("slot", ""),
            actor=request.user,
        )

    return _act(request, reference, run, _("Inspection booked."))


@require_GET
def certificate_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    permit = getattr(application, "permit", None)
    if permit is None:
        raise Http404
    response = HttpResponse(certificate.render_pdf(permit), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{permit.number}.pdf"'
    return _private(response)


@require_GET
def completion_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    permit = getattr(application, "permit", None)
    if permit is None or not permit.completion_number:
        raise Http404
    pdf = certificate.render_pdf(permit, completion=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{permit.completion_number}.pdf"'
    return _private(response)


@require_GET
def receipt(request: HttpRequest, reference: str, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signin(request)
    application = _application(request, reference)
    payment = (
        Payment.objects.filter(invoice__application=application, receipt_number=number[:30])
        .select_related("invoice")
        .first()
    )
    if payment is None:
        raise Http404
    return _private(
        render(
            request,
            "permits_web/receipt.html",
            {
                "application": application,
                "payment": payment,
                "invoice": payment.invoice,
                "tab": PORTAL_TAB,
                "lines": [
                    {**line, "label": FeeKind(line["kind"]).label} for line in payment.invoice.lines
                ],
            },
        )
    )


@require_POST
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        lambda a: actions.do_withdraw_application(a, actor=request.user),
        _("The application was withdrawn."),
    )

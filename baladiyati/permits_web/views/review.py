"""Back-office pages for permit staff (reviewers, supervisors, admins) under
/backoffice/permits/: the review queue, an application's file with its documents, the
department decision (approve / reject / request changes with comments tied to documents),
inspections (book, record with notes and photos) and the completion certificate.

Signed in as the back office requires (password and TOTP: `backoffice.access.staff_view`),
scoped to the member's municipality; another city's reference is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baladiyati.accounts.models import Role
from baladiyati.backoffice.access import Desk, staff_view
from baladiyati.core import clock
from baladiyati.permits import actions, permissions
from baladiyati.permits.models import (
    Application,
    Decision,
    InspectionKind,
    InspectionPhoto,
    InspectionResult,
    Review,
    Slot,
    Status,
)

PERMIT_STAFF = frozenset({Role.PERMIT_REVIEWER, Role.SUPERVISOR, Role.ADMIN})
COMMENT_ROWS = 3


def _applications(desk: Desk) -> Any:
    return Application.objects.filter(municipality_id=desk.membership.municipality_id).exclude(
        status=Status.DRAFT
    )


def _application(desk: Desk, reference: str) -> Application:
    application = (
        _applications(desk)
        .filter(reference=reference[:30])
        .select_related("permit_type", "district", "owner", "organisation", "municipality")
        .first()
    )
    if application is None:
        raise Http404
    return application


@require_GET
@staff_view(PERMIT_STAFF)
def queue(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Pending reviews this member may decide, the soonest due first; then what follows."""
    reviews = (
        Review.objects.filter(
            decision=Decision.PENDING,
            round__is_active=True,
            round__application__municipality_id=desk.membership.municipality_id,
        )
        .select_related("department", "round__application__permit_type")
        .order_by("round__due_at", "id")
    )
    if desk.role == Role.PERMIT_REVIEWER and desk.department_id:
        reviews = reviews.filter(department_id=desk.department_id)
    now = clock.now()
    waiting = (
        _applications(desk)
        .filter(status__in=[Status.APPROVED, Status.ISSUED])
        .select_related("permit_type")
        .order_by("-updated_at")[:50]
    )
    return render(
        request,
        "permits_web/review/queue.html",
        {"desk": desk, "reviews": reviews[:200], "waiting": waiting, "now": now, "nav": "permits"},
    )


def _page(
    request: HttpRequest,
    desk: Desk,
    application: Application,
    *,
    error: str = "",
    form: str = "",
    posted: Any = None,
    status: int = 200,
) -> HttpResponse:
    rounds = application.rounds.order_by("-number").prefetch_related(
        Prefetch("reviews", queryset=Review.objects.select_related("department", "decided_by")),
        "reviews__comments__document__document_type",
    )
    permit = (
        getattr(application, "permit", None)
        if application.status
        in (
            Status.ISSUED,
            Status.COMPLETED,
        )
        else None
    )
    decidable = [
        review
        for review in (rounds[0].reviews.all() if rounds and rounds[0].is_active else [])
        if review.decision == Decision.PENDING
        and permissions.can_review(desk.user, application.municipality_id, review.department_id)
    ]
    for review in decidable:
        # A refused decision comes back as the reviewer left it; the other forms blank.
        values = posted if posted is not None and form == f"decide-{review.pk}" else {}
        review.draft = {  # type: ignore[attr-defined]
            "decision": values.get("decision", "") if values else Decision.APPROVED,
            "conditions": values.get("conditions", "") if values else "",
            "rows": [
                {
                    "row": row,
                    "document": values.get(f"document_{row}", "") if values else "",
                    "text": values.get(f"comment_{row}", "") if values else "",
                }
                for row in range(COMMENT_ROWS)
            ],
        }
    return render(
        request,
        "permits_web/review/application.html",
        {
            "desk": desk,
            "nav": "permits",
            "application": application,
            "documents": application.documents.select_related("document_type"),
            "rounds": rounds,
            "decidable": decidable,
            "decisions": [
                (Decision.APPROVED, Decision.APPROVED.label),
                (Decision.CHANGES_REQUESTED, Decision.CHANGES_REQUESTED.label),
                (Decision.REJECTED, Decision.REJECTED.label),
            ],
            "permit": permit,
            "inspections": permit.inspections.prefetch_related("photos") if permit else [],
            "results": [c for c in InspectionResult.choices if c[0] != "scheduled"],
            "slots": Slot.choices,
            "inspection_kinds": InspectionKind.choices,
            "invoices": application.invoices.all(),
            "error": error,
            "form": form,
        },
        status=status,
    )


@require_GET
@staff_view(PERMIT_STAFF)
def application_page(request: HttpRequest, desk: Desk, reference: str) -> HttpResponse:
    return _page(request, desk, _application(desk, reference))


@require_GET
@staff_view(PERMIT_STAFF)
def document(request: HttpRequest, desk: Desk, reference: str, document_id: int) -> FileResponse:
    application = _application(desk, reference)
    doc = get_object_or_404(application.documents, pk=document_id)
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_view(PERMIT_STAFF)
def inspection_photo(
    request: HttpRequest, desk: Desk, reference: str, inspection_id: int, photo_id: int
) -> FileResponse:
    application = _application(desk, reference)
    photo = get_object_or_404(
        InspectionPhoto,
        pk=photo_id,
        inspection_id=inspection_id,
        inspection__permit__application=application,
    )
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _act(request: HttpRequest, desk: Desk, reference: str, form: str, run: Any, done: str):
    application = _application(desk, reference)
    try:
        run(application)
    except PermissionDenied as exc:
        return _page(request, desk, application, error=str(exc), form=form, status=403)
    except ValidationError as exc:
        application.refresh_from_db()
        return _page(
            request,
            desk,
            application,
            error=" ".join(exc.messages),
            form=form,
            posted=request.POST,
            status=400,
        )
    messages.success(request, done)
    return redirect("permits_review:application", reference=application.reference)


@require_POST
@staff_view(PERMIT_STAFF)
def decide(request: HttpRequest, desk: Desk, reference: str, review_id: int) -> HttpResponse:
    def run(application: Application) -> None:
        review = get_object_or_404(Review, pk=review_id, round__application=application)
        comments: list[tuple[int | None, str]] = []
        for row in range(COMMENT_ROWS):
            text = request.POST.get(f"comment_{row}", "")
            doc = request.POST.get(f"document_{row}", "")
            if text.strip():
                comments.append((int(doc) if doc.isdigit() else None, text))
        actions.do_decide_review(
            review,
            decision=request.POST.get("decision", ""),
            actor=request.user,
            comments=comments,
            conditions=request.POST.get("conditions", ""),
        )

    return _act(request, desk, reference, f"decide-{review_id}", run, _("Decision recorded."))


@require_POST
@staff_view(PERMIT_STAFF)
def schedule(request: HttpRequest, desk: Desk, reference: str) -> HttpResponse:
    def run(application: Application) -> None:
        permit = getattr(application, "permit", None)
        if permit is None:
            raise Http404
        try:
            day = dt.date.fromisoformat(request.POST.get("day", "")[:10])
        except ValueError as exc:
            raise ValidationError(_("Choose a date.")) from exc
        actions.do_schedule_inspection(
            permit,
            kind=request.POST.get("kind", ""),
            day=day,
            slot=request.POST.get("slot", ""),
            actor=request.user,
        )

    return _act(request, desk, reference, "schedule", run, _("Inspection booked."))


@require_POST
@staff_view(PERMIT_STAFF)
def record(request: HttpRequest, desk: Desk, reference: str, inspection_id: int) -> HttpResponse:
    def run(application: Application) -> None:
        permit = getattr(application, "permit", None)
        if permit is None:
            raise Http404
        inspection = get_object_or_404(permit.inspections, pk=inspection_id)
        actions.do_record_inspection(
            inspection,
            result=request.POST.get("result", ""),
            notes=request.POST.get("notes", ""),
            photos=request.FILES.getlist("photos"),
            actor=request.user,
        )

    return _act(request, desk, reference, f"record-{inspection_id}", run, _("Inspection recorded."))


@require_POST
@staff_view(PERMIT_STAFF)
def complete(request: HttpRequest, desk: Desk, reference: str) -> HttpResponse:
    def run(application: Application) -> None:
        permit = getattr(application, "permit", None)
        if permit is None:
            raise Http404
        actions.do_issue_completion_certificate(permit, actor=request.user)

    return _act(request, desk, reference, "complete", run, _("Completion certificate issued."))

"""Every state change of a building-permit application, once.

Each `do_<verb>_<noun>` validates before it writes, runs in one transaction, re-reads the
application under a row lock (`_locked`) where two people may act at once (reviewers of
different departments deciding together, a payment callback arriving twice), checks the
move against `models.TRANSITIONS`, writes one AuditEvent and queues notifications on commit.
Applicant pages, back-office pages, the payment callback, admin and commands call these.

Bad input raises ValidationError (translated; a dict keyed by field for forms); acting
without the right raises PermissionDenied.
"""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from baladiyati.accounts.models import Role, StaffMembership
from baladiyati.cities.models import Municipality
from baladiyati.core import audit, clock, geo
from baladiyati.core.images import clean_photo
from baladiyati.core.models import Counter
from baladiyati.core.text import to_ascii_digits
from baladiyati.notify.events import Event, queue

from . import permissions
from .amounts import money_text
from .documents import clean_document
from .models import (
    CURRENCY,
    TRANSITIONS,
    Application,
    Decision,
    Document,
    DocumentType,
    FeeKind,
    Inspection,
    InspectionKind,
    InspectionPhoto,
    InspectionResult,
    Invoice,
    LandUse,
    Organisation,
    Payment,
    PaymentIntent,
    Permit,
    PermitType,
    Review,
    ReviewComment,
    ReviewRound,
    Slot,
    SlotLoad,
    Status,
    money,
    slot_capacity,
)

AUDITED = ["status", "resubmissions", "complete_at", "decided_at"]
# The fields an applicant fills; `do_submit_application` requires every one of them.
REQUIRED_FIELDS = [
    "plot_number",
    "title_deed_number",
    "location",
    "land_use",
    "built_up_area",
    "floors",
    "estimated_cost",
]
MAX_TEXT = 4000


# ---------------------------------------------------------------------------- helpers


def _user_id(actor: Any) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _applicant_ids(application: Application) -> set[int]:
    ids = {application.created_by_id}
    if application.owner_id:
        ids.add(application.owner_id)
    if application.organisation_id:
        ids.update(
            application.organisation.organisationmember_set.filter(is_active=True).values_list(  # type: ignore[union-attr]
                "user_id", flat=True
            )
        )
    return ids


# Receipts: the applicant who sends the application is told it arrived, like a reporter is.
_TO_ACTOR_TOO = frozenset({"permit.submitted", "permit.resubmitted"})


def _notify(application: Application, name: str, actor: Any, **context: Any) -> None:
    """Queue `name` for the applicants (not the actor, except for the receipts of a
    submission), delivered after commit."""
    recipients = _applicant_ids(application)
    if name not in _TO_ACTOR_TOO:
        recipients -= {_user_id(actor)}
    queue(
        Event(
            name=name,
            municipality_id=application.municipality_id,
            object_type="permits.application",
            object_id=application.pk,
            actor_id=_user_id(actor),
            recipient_ids=tuple(sorted(r for r in recipients if r)),
            context={
                "reference": application.reference,
                "status": application.status,
                "status_name": Status(application.status).label,
                **context,
            },
        )
    )


def _staff_ids(
    municipality_id: int, department_ids: Iterable[int], *, supervisors: bool = False
) -> tuple[int, ...]:
    """The active permit reviewers of these departments (and those attached to none);
    with `supervisors`, the city's supervisors too."""
    who = Q(role=Role.PERMIT_REVIEWER) & (
        Q(department_id__in=list(department_ids)) | Q(department__isnull=True)
    )
    if supervisors:
        who |= Q(role=Role.SUPERVISOR)
    ids = StaffMembership.objects.filter(who, municipality_id=municipality_id, is_active=True)
    return tuple(sorted(set(ids.values_list("user_id", flat=True))))


# The back-office page of an application, by URL name (permits_web.review_urls): the
# domain names the route, it does not import the interface that serves it.
BACKOFFICE_APPLICATION_URL = "permits_review:application"


def backoffice_url(application: Application) -> str:
    """The absolute address of the application's back-office page (settings.SITE_ROOT)."""
    path = reverse(BACKOFFICE_APPLICATION_URL, args=[application.reference])
    return settings.SITE_ROOT.rstrip("/") + path


def _notify_staff(
    application: Application,
    review_round: ReviewRound,
    name: str,
    recipients: Iterable[int],
    *,
    actor: Any = None,
    departments: Sequence[Any] = (),
) -> None:
    """Queue `name` for permit staff about a round (its reference, type, due time)."""
    zone = application.municipality.zoneinfo
    permit_type = application.permit_type
    queue(
        Event(
            name=name,
            municipality_id=application.municipality_id,
            object_type="permits.application",
            object_id=application.pk,
            actor_id=_user_id(actor),
            recipient_ids=tuple(r for r in recipients if r and r != _user_id(actor)),
            context={
                "reference": application.reference,
                "round": review_round.number,
                "type_ar": permit_type.name_ar,
                "type_en": permit_type.name_en or permit_type.name_ar,
                "due": review_round.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "departments_ar": "، ".join(d.name_ar for d in departments),
                "departments_en": ", ".join(d.name_en or d.name_ar for d in departments),
                "url": backoffice_url(application),
            },
        )
    )


def _locked(application: Application) -> Application:
    """The application re-read under a row lock: concurrent actions apply one after another."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("municipality__calendar", "permit_type")
        .get(pk=application.pk)
    )


def _move(application: Application, to: str) -> None:
    if to not in TRANSITIONS[application.status]:
        raise ValidationError(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(application.status).label, "target": Status(to).label},
            code="invalid_transition",
        )
    application.status = to


def _save(
    application: Application,
    fields: Iterable[str],
    *,
    actor: Any,
    action: str,
    before: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> None:
    application.save(update_fields=list(fields))
    audit.record(
        actor=actor,
        action=action,
        obj=application,
        municipality_id=application.municipality_id,
        changes=audit.diff(dict(before), audit.snapshot(application, AUDITED)),
        extra=dict(extra or {}),
    )


def _require_applicant(actor: Any, application: Application) -> None:
    if not permissions.is_applicant(actor, application):
        raise PermissionDenied(_("This application is not yours."))


def _require_staff(actor: Any, municipality_id: int) -> None:
    if not permissions.is_permit_staff(actor, municipality_id):
        raise PermissionDenied(_("Only the municipality's permit staff may do this."))


def _text(value: Any, *, field: str, required: bool = False) -> str:
    text = (str(value) if value is not None else "").strip()
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: [_("At most %(limit)d characters.") % {"limit": MAX_TEXT}]})
    return text


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------- drafts


def _clean_fields(
    municipality: Municipality, values: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Parse what an applicant typed. Empty values are allowed in a draft (saved as empty)."""
    cleaned: dict[str, Any] = {}
    for name, limit in (("plot_number", 50), ("title_deed_number", 50), ("owner_name", 200)):
        if name in values:
            text = str(values[name] or "").strip()
            if len(text) > limit:
                errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
            cleaned[name] = text
    if "description" in values:
        text = str(values["description"] or "").strip()
        if len(text) > MAX_TEXT:
            errors["description"] = [_("At most %(limit)d characters.") % {"limit": MAX_TEXT}]
        cleaned["description"] = text
    if "land_use" in values:
        land_use = str(values["land_use"] or "")
        if land_use and land_use not in LandUse.values:
            errors["land_use"] = [_("Choose a land use from the list.")]
        cleaned["land_use"] = land_use
    for name, places, top in (
        ("built_up_area", "0.01", Decimal("10000000")),
        ("estimated_cost", "0.001", Decimal("1000000000")),
    ):
        if name in values:
            raw = values[name]
            if raw in (None, ""):
                cleaned[name] = None
                continue
            try:
                typed = to_ascii_digits(str(raw).strip()).replace("٫", ".").replace("٬", "")
                number = Decimal(typed.replace(",", "")).quantize(Decimal(places))
            except (InvalidOperation, ValueError):
                errors[name] = [_("Enter a number.")]
                continue
            if not (Decimal(0) < number < top):
                errors[name] = [_("Enter a positive number.")]
                continue
            cleaned[name] = number
    if "floors" in values:
        raw = values["floors"]
        if raw in (None, ""):
            cleaned["floors"] = None
        else:
            try:
                floors = int(to_ascii_digits(str(raw).strip()))
            except ValueError:
                floors = -1
            if not 1 <= floors <= 200:
                errors["floors"] = [_("Enter a number of floors from 1 to 200.")]
            else:
                cleaned["floors"] = floors
    if "lat" in values or "lon" in values:
        lat_raw, lon_raw = values.get("lat"), values.get("lon")
        if lat_raw in (None, "") and lon_raw in (None, ""):
            cleaned.update(lat=None, lon=None, district_id=None)
        else:
            try:
                lat = float(to_ascii_digits(str(lat_raw)).replace("٫", "."))
                lon = float(to_ascii_digits(str(lon_raw)).replace("٫", "."))
            except (TypeError, ValueError):
                lat = lon = float("nan")
            if not geo.valid_coordinates(lat, lon):
                errors["location"] = [_("The location is not a valid latitude and longitude.")]
            elif not municipality.contains(lat, lon):
                errors["location"] = [
                    _("This location is outside %(municipality)s.")
                    % {"municipality": municipality.name}
                ]
            else:
                # The wilayat comes from the cities' geo index, never from what was typed.
                cleaned.update(lat=lat, lon=lon, district_id=municipality.district_at(lat, lon))
    return cleaned


def do_create_draft(
    *,
    municipality: Municipality,
    permit_type_code: str,
    actor: Any,
    organisation: Organisation | None = None,
    **values: Any,
) -> Application:
    """Start an application: the actor owns it, or applies for an owner through their office."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to apply for a permit."))
    errors: dict[str, list[str]] = {}
    permit_type = (
        PermitType.objects.active()
        .filter(municipality=municipality, code=str(permit_type_code)[:50])
        .first()
    )
    if permit_type is None:
        errors["permit_type"] = [_("Choose a permit type from the list.")]
    if organisation is not None and not permissions.is_office_member(actor, organisation.pk):
        raise PermissionDenied(_("You are not a member of this office."))
    cleaned = _clean_fields(municipality, values, errors)
    if organisation is not None and not cleaned.get("owner_name"):
        errors["owner_name"] = [_("Write the name of the owner the office acts for.")]
    if errors:
        raise ValidationError(errors)
    assert permit_type is not None
    now = clock.now()
    with transaction.atomic():
        year = now.astimezone(municipality.zoneinfo).year
        number = Counter.allocate(f"permit-app:{municipality.pk}:{year}")[0]
        application = Application.objects.create(
            municipality=municipality,
            reference=f"{municipality.code}-BP-{year}-{number:06d}",
            permit_type=permit_type,
            owner=None if organisation is not None else actor,
            organisation=organisation,
            created_by=actor,
            created_at=now,
            updated_at=now,
            **cleaned,
        )
        audit.record(
            actor=actor,
            action="permit.draft_created",
            obj=application,
            municipality_id=municipality.pk,
            changes=audit.diff({}, audit.snapshot(application, AUDITED)),
            extra={"type": permit_type.code if permit_type else ""},
        )
    return application


def do_update_draft(application: Application, *, actor: Any, **values: Any) -> Application:
    """Save what the applicant typed; allowed while a draft or while changes are requested."""
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        application = _locked(application)
        _require_applicant(actor, application)
        if not application.is_editable:
            raise ValidationError(_("This application can no longer be changed."), code="locked")
        if "permit_type_code" in values:
            code = str(values.pop("permit_type_code") or "")[:50]
            permit_type = (
                PermitType.objects.active()
                .filter(municipality=application.municipality, code=code)
                .first()
            )
            if permit_type is None:
                errors["permit_type"] = [_("Choose a permit type from the list.")]
            elif application.status != Status.DRAFT and permit_type != application.permit_type:
                errors["permit_type"] = [_("The type cannot change after submission.")]
            else:
                application.permit_type = permit_type
        cleaned = _clean_fields(application.municipality, values, errors)
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(application, AUDITED)
        for name, value in cleaned.items():
            setattr(application, name, value)
        _save(
            application,
            [*cleaned, "permit_type"],
            actor=actor,
            action="permit.draft_saved",
            before=before,
            extra={"fields": sorted(cleaned)},
        )
    return application


def do_upload_document(
    application: Application,
    *,
    document_type_code: str,
    upload: IO[bytes] | bytes,
    name: str,
    actor: Any,
) -> Document:
    document_type = DocumentType.objects.filter(
        municipality_id=application.municipality_id, code=str(document_type_code)[:50]
    ).first()
    if (
        document_type is None
        or not application.permit_type.document_types().filter(pk=document_type.pk).exists()
    ):
        raise ValidationError({"document_type": [_("Choose a document type from the list.")]})
    if not permissions.is_applicant(actor, application):
        raise PermissionDenied(_("This application is not yours."))
    try:
        clean = clean_document(upload, name, document_type.formats)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        application = _locked(application)
        _require_applicant(actor, application)
        if not application.is_editable:
            raise ValidationError(_("This application can no longer be changed."), code="locked")
        if application.documents.count() >= settings.PERMIT_MAX_DOCUMENTS:
            raise ValidationError(
                {
                    "file": [
                        _("At most %(limit)d documents may be attached.")
                        % {"limit": settings.PERMIT_MAX_DOCUMENTS}
                    ]
                }
            )
        document = Document(
            application=application,
            document_type=document_type,
            file_format=clean.file_format,
            original_name=clean.name,
            size=len(clean.data),
            sha256=clean.sha256,
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        document.file.save("upload", ContentFile(clean.data), save=False)
        try:
            document.save()
            audit.record(
                actor=actor,
                action="permit.document_added",
                obj=application,
                municipality_id=application.municipality_id,
                extra={"document": document.pk, "type": document_type.code, "size": document.size},
            )
        except BaseException:
            document.file.delete(save=False)
            raise
    return document


def do_remove_document(document: Document, *, actor: Any) -> None:
    with transaction.atomic():
        application = _locked(document.application)
        _require_applicant(actor, application)
        if not application.is_editable:
            raise ValidationError(_("This application can no longer be changed."), code="locked")
        if document.round_number is not None:
            raise ValidationError(
                _("A document the reviewers have seen stays on the file; add a new version."),
                code="reviewed",
            )
        file = document.file
        pk = document.pk
        document.delete()
        audit.record(
            actor=actor,
            action="permit.document_removed",
            obj=application,
            municipality_id=application.municipality_id,
            extra={"document": pk},
        )
        transaction.on_commit(lambda: file.delete(save=False))


# ---------------------------------------------------------------------------- submission


def missing_items(application: Application) -> dict[str, list[str]]:
    """Everything that keeps the application from being complete, keyed like the form."""
    missing: dict[str, list[str]] = {}
    labels = {
        "plot_number": _("Write the plot number (Krooki)."),
        "title_deed_number": _("Write the title deed number."),
        "location": _("Place the plot on the map."),
        "land_use": _("Choose the land use."),
        "built_up_area": _("Write the built-up area."),
        "floors": _("Write the number of floors."),
        "estimated_cost": _("Write the estimated cost."),
    }
    for name in REQUIRED_FIELDS:
        value = application.lat if name == "location" else getattr(application, name)
        if value in (None, ""):
            missing[name] = [labels[name]]
    if application.organisation_id and not application.owner_name:
        missing["owner_name"] = [_("Write the name of the owner the office acts for.")]
    present = set(application.documents.values_list("document_type_id", flat=True))
    for doc_type in application.permit_type.required_documents.all():
        if doc_type.pk not in present:
            missing[f"documents[{doc_type.code}]"] = [
                _("Attach: %(document)s.") % {"document": doc_type.name}
            ]
    return missing


def _open_round(application: Application, now: dt.datetime) -> ReviewRound:
    number = application.rounds.count() + 1
    engine = application.municipality.calendar.engine()
    day = dt.datetime.combine(dt.date.min, engine.day_end) - dt.datetime.combine(
        dt.date.min, engine.day_start
    )
    due = engine.add(now, day * application.permit_type.target_working_days)
    review_round = ReviewRound.objects.create(
        application=application, number=number, opened_at=now, due_at=due
    )
    departments = list(application.permit_type.review_departments.all())
    # Approvals stand: a department that approved the previous round keeps its decision
    # (and its conditions); only the others review the resubmission.
    approved = {
        r.department_id: r
        for r in Review.objects.filter(
            round__application=application,
            round__number=number - 1,
            decision=Decision.APPROVED,
        )
    }
    Review.objects.bulk_create(
        Review(round=review_round, department=d)
        if d.pk not in approved
        else Review(
            round=review_round,
            department=d,
            decision=Decision.APPROVED,
            decided_by_id=approved[d.pk].decided_by_id,
            decided_at=approved[d.pk].decided_at,
            conditions=approved[d.pk].conditions,
            kept_from_round=approved[d.pk].kept_from_round or number - 1,
        )
        for d in departments
    )
    application.documents.filter(round_number__isnull=True).update(round_number=number)
    return review_round


def do_submit_application(application: Application, *, actor: Any) -> Application:
    """Send a complete draft for review, or resubmit after changes were requested.

    An incomplete application raises a ValidationError listing exactly what is missing.
    A resubmission needs every comment of the last round answered, and adds the
    resubmission fee to the invoice.
    """
    with transaction.atomic():
        application = _locked(application)
        _require_applicant(actor, application)
        before = audit.snapshot(application, AUDITED)
        resubmitting = application.status == Status.CHANGES_REQUESTED
        _move(application, Status.IN_REVIEW)
        missing = missing_items(application)
        if resubmitting:
            unanswered = ReviewComment.objects.filter(
                review__round__application=application,
                review__round__number=application.rounds.count(),
                answer="",
            ).count()
            if unanswered:
                missing["answers"] = [
                    _("Answer every reviewer comment (%(count)d unanswered).")
                    % {"count": unanswered}
                ]
        if missing:
            raise ValidationError(missing)
        if not application.permit_type.review_departments.exists():
            raise ValidationError(
                _("This permit type has no reviewing departments yet; contact the municipality."),
                code="no_reviewers",
            )
        now = clock.now()
        application.complete_at = now
        fields = ["status", "complete_at"]
        if application.submitted_at is None:
            application.submitted_at = now
            fields.append("submitted_at")
        if resubmitting:
            application.resubmissions += 1
            fields.append("resubmissions")
        review_round = _open_round(application, now)
        reviews = list(review_round.reviews.select_related("department"))
        departments = [r.department for r in reviews if r.decision == Decision.PENDING]
        extra: dict[str, Any] = {"round": review_round.number, "due_at": review_round.due_at}
        if resubmitting:
            extra["approvals_kept"] = sorted(
                r.department.code for r in reviews if r.kept_from_round is not None
            )
            extra["reviewing_again"] = sorted(d.code for d in departments)
        _save(
            application,
            fields,
            actor=actor,
            action="permit.resubmitted" if resubmitting else "permit.submitted",
            before=before,
            extra=extra,
        )
        _notify(
            application,
            "permit.resubmitted" if resubmitting else "permit.submitted",
            actor,
            due_at=review_round.due_at.isoformat(),
        )
        if not departments:  # every department's approval stands (the type's list changed)
            _close_round(
                application,
                review_round,
                [r.decision for r in reviews],
                actor=actor,
                now=now,
            )
            return application
        _notify_staff(
            application,
            review_round,
            "permit.review_requested_again" if resubmitting else "permit.review_requested",
            _staff_ids(application.municipality_id, [d.pk for d in departments]),
            actor=actor,
            departments=departments,
        )
    return application


def do_answer_comment(comment: ReviewComment, *, text: str, actor: Any) -> ReviewComment:
    text = _text(text, field="answer", required=True)
    with transaction.atomic():
        application = _locked(comment.review.round.application)
        _require_applicant(actor, application)
        if application.status != Status.CHANGES_REQUESTED:
            raise ValidationError(_("Comments are answered while changes are requested."))
        comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
        comment.answer, comment.answered_at = text, clock.now()
        comment.save(update_fields=["answer", "answered_at"])
        audit.record(
            actor=actor,
            action="permit.comment_answered",
            obj=application,
            municipality_id=application.municipality_id,
            extra={"comment": comment.pk},
        )
    return comment


def do_withdraw_application(application: Application, *, actor: Any) -> Application:
    with transaction.atomic():
        application = _locked(application)
        _require_applicant(actor, application)
        before = audit.snapshot(application, AUDITED)
        _move(application, Status.WITHDRAWN)
        _save(application, ["status"], actor=actor, action="permit.withdrawn", before=before)
    return application


# ---------------------------------------------------------------------------- review


def do_decide_review(
    review: Review,
    *,
    decision: str,
    actor: Any,
    comments: Sequence[tuple[int | None, str]] = (),
    conditions: str = "",
) -> Review:
    """One department decides. When the last department of the round has decided, the round
    closes: any rejection rejects, else any change request asks for changes, else approved
    (and the invoice is issued).

    `comments` are (document id or None, text); a rejection or a change request needs one.
    The application row is locked first, so two reviewers deciding at the same moment apply
    one after the other and exactly one of them closes the round.
    """
    if decision not in {Decision.APPROVED, Decision.REJECTED, Decision.CHANGES_REQUESTED}:
        raise ValidationError({"decision": [_("Choose approve, reject or request changes.")]})
    texts = [(doc, _text(t, field="comments")) for doc, t in comments if str(t or "").strip()]
    if decision != Decision.APPROVED and not texts:
        raise ValidationError({"comments": [_("Say what is wrong: write at least one comment.")]})
    conditions = _text(conditions, field="conditions")
    with transaction.atomic():
        application = _locked(review.round.application)
        review = Review.objects.select_related("round", "department").get(pk=review.pk)
        if not permissions.can_review(actor, application.municipality_id, review.department_id):
            raise PermissionDenied(_("You may not decide this department's review."))
        if not review.round.is_active or application.status != Status.IN_REVIEW:
            raise ValidationError(_("This review round is closed."), code="round_closed")
        if review.decision != Decision.PENDING:
            raise ValidationError(
                _("%(department)s has already decided this round.")
                % {"department": review.department.name},
                code="already_decided",
            )
        documents = set(application.documents.values_list("pk", flat=True))
        for doc, _t in texts:
            if doc is not None and doc not in documents:
                raise ValidationError({"comments": [_("The comment names an unknown document.")]})
        now = clock.now()
        review.decision, review.decided_by, review.decided_at = decision, actor, now
        review.conditions = conditions
        review.save(update_fields=["decision", "decided_by", "decided_at", "conditions"])
        ReviewComment.objects.bulk_create(
            ReviewComment(review=review, document_id=doc, text=t, created_at=now)
            for doc, t in texts
        )
        audit.record(
            actor=actor,
            action="permit.review_decided",
            obj=application,
            municipality_id=application.municipality_id,
            changes={"decision": [Decision.PENDING, decision]},
            extra={
                "round": review.round.number,
                "department": review.department.code,
                "comments": len(texts),
            },
        )
        decisions = list(review.round.reviews.values_list("decision", flat=True))
        if Decision.PENDING not in decisions:
            _close_round(application, review.round, decisions, actor=actor, now=now)
    return review


def _close_round(
    application: Application,
    review_round: ReviewRound,
    decisions: list[str],
    *,
    actor: Any,
    now: dt.datetime,
) -> None:
    if Decision.REJECTED in decisions:
        outcome = Status.REJECTED
    elif Decision.CHANGES_REQUESTED in decisions:
        outcome = Status.CHANGES_REQUESTED
    else:
        outcome = Status.APPROVED
    before = audit.snapshot(application, AUDITED)
    _move(application, outcome)
    review_round.is_active, review_round.closed_at = False, now
    review_round.outcome = str(outcome)
    review_round.save(update_fields=["is_active", "closed_at", "outcome"])
    fields = ["status"]
    if outcome != Status.CHANGES_REQUESTED:
        application.decided_at = now
        fields.append("decided_at")
    _save(
        application,
        fields,
        actor=actor,
        action=f"permit.{outcome}",
        before=before,
        extra={"round": review_round.number},
    )
    context: dict[str, Any] = {}
    if outcome == Status.APPROVED:
        invoice = _issue_invoice(application, now)
        context = {
            "invoice": invoice.number,
            "total": str(invoice.total),
            "currency": CURRENCY,
            # "105.000 ريال عماني" / "105.000 Omani rials", in each recipient's language.
            "amount": money_text(invoice.total),
        }
    _notify(application, f"permit.{outcome}", actor, **context)


def _issue_invoice(application: Application, now: dt.datetime) -> Invoice:
    permit_type = application.permit_type
    lines: list[dict[str, Any]] = [
        {"kind": FeeKind.APPLICATION.value, "quantity": 1},
        {"kind": FeeKind.SERVICE.value, "quantity": 1},
    ]
    if application.resubmissions:
        lines.append({"kind": FeeKind.RESUBMISSION.value, "quantity": application.resubmissions})
    total = Decimal("0.000")
    for line in lines:
        amount = permit_type.fee(line["kind"]) * line["quantity"]
        line["unit"] = str(permit_type.fee(line["kind"]))
        line["amount"] = str(money(amount))
        total += amount
    year = now.astimezone(application.municipality.zoneinfo).year
    number = Counter.allocate(f"permit-invoice:{application.municipality_id}:{year}")[0]
    invoice = Invoice.objects.create(
        application=application,
        purpose=Invoice.Purpose.PERMIT,
        number=f"{application.municipality.code}-INV-{year}-{number:06d}",
        lines=lines,
        total=money(total),
        currency=CURRENCY,
        created_at=now,
    )
    audit.record(
        actor=None,
        action="permit.invoice_issued",
        obj=application,
        municipality_id=application.municipality_id,
        extra={"invoice": invoice.number, "total": invoice.total},
    )
    return invoice


def do_flag_overdue_round(review_round: ReviewRound, *, at: dt.datetime) -> bool:
    """Tell the staff once that a round passed its due time with departments still to
    decide: the reviewers of those departments and the city's supervisors. True when told.

    Idempotent: the round is re-read under a lock and marked, so a second scan (or a second
    worker at the same moment) finds it marked and sends nothing.
    """
    with transaction.atomic():
        application_id = ReviewRound.objects.values_list("application_id", flat=True).get(
            pk=review_round.pk
        )
        application = _locked(Application(pk=application_id))
        review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if (
            not review_round.is_active
            or review_round.overdue_notified_at is not None
            or review_round.due_at > at
        ):
            return False
        pending = [
            r.department
            for r in review_round.reviews.filter(decision=Decision.PENDING).select_related(
                "department"
            )
        ]
        if not pending:
            return False
        review_round.overdue_notified_at = at
        review_round.save(update_fields=["overdue_notified_at"])
        audit.record(
            actor=None,
            action="permit.review_overdue",
            obj=application,
            municipality_id=application.municipality_id,
            extra={
                "round": review_round.number,
                "due_at": review_round.due_at,
                "departments": [d.code for d in pending],
            },
        )
        _notify_staff(
            application,
            review_round,
            "permit.review_overdue",
            _staff_ids(application.municipality_id, [d.pk for d in pending], supervisors=True),
            departments=pending,
        )
    return True


# ---------------------------------------------------------------------------- payment


def do_start_payment(invoice: Invoice, *, gateway: str, actor: Any) -> PaymentIntent:
    """Open a payment attempt at `gateway` for the invoice's full amount."""
    application = invoice.application
    _require_applicant(actor, application)
    if invoice.state != Invoice.State.UNPAID:
        raise ValidationError(_("This invoice is already paid."), code="paid")
    with transaction.atomic():
        intent = PaymentIntent.objects.create(
            invoice=invoice,
            gateway=gateway,
            nonce=secrets.token_hex(16),
            amount=invoice.total,
            currency=invoice.currency,
            created_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="permit.payment_started",
            obj=application,
            municipality_id=application.municipality_id,
            extra={"invoice": invoice.number, "intent": intent.nonce, "gateway": gateway},
        )
    return intent


def do_record_payment(
    *,
    gateway: str,
    nonce: str,
    transaction_id: str,
    amount: Decimal,
    currency: str,
    actor: Any = None,
) -> Payment:
    """Book a payment a gateway confirmed (its signature already checked by the adapter).

    Refused, writing nothing: an unknown or spent attempt, a transaction id seen before
    (replay), an amount or currency that differs from the invoice. On success the invoice is
    paid, a receipt numbered and the permit issued in the same transaction.
    """
    transaction_id = str(transaction_id or "").strip()[:100]
    if not transaction_id:
        raise ValidationError(_("The payment has no transaction id."), code="no_transaction")
    with transaction.atomic():
        intent = (
            PaymentIntent.objects.select_for_update()
            .select_related("invoice")
            .filter(gateway=gateway, nonce=str(nonce)[:64])
            .first()
        )
        if intent is None:
            raise ValidationError(_("Unknown payment."), code="unknown_intent")
        application = _locked(intent.invoice.application)
        invoice = Invoice.objects.select_for_update().get(pk=intent.invoice_id)
        if intent.spent_at is not None or invoice.state != Invoice.State.UNPAID:
            raise ValidationError(_("This payment was already recorded."), code="replay")
        if Payment.objects.filter(gateway=gateway, transaction_id=transaction_id).exists():
            raise ValidationError(_("This payment was already recorded."), code="replay")
        if money(amount) != invoice.total or currency != invoice.currency:
            raise ValidationError(
                _("The amount paid does not match the invoice."), code="wrong_amount"
            )
        now = clock.now()
        year = now.astimezone(application.municipality.zoneinfo).year
        number = Counter.allocate(f"permit-receipt:{application.municipality_id}:{year}")[0]
        payment = Payment.objects.create(
            invoice=invoice,
            intent=intent,
            gateway=gateway,
            transaction_id=transaction_id,
            amount=invoice.total,
            currency=invoice.currency,
            receipt_number=f"{application.municipality.code}-RCT-{year}-{number:06d}",
            paid_at=now,
        )
        intent.spent_at = now
        intent.save(update_fields=["spent_at"])
        invoice.state, invoice.paid_at = Invoice.State.PAID, now
        invoice.save(update_fields=["state", "paid_at"])
        audit.record(
            actor=actor,
            action="permit.paid",
            obj=application,
            municipality_id=application.municipality_id,
            extra={
                "invoice": invoice.number,
                "receipt": payment.receipt_number,
                "amount": payment.amount,
                "gateway": gateway,
                "transaction": transaction_id,
            },
        )
        if invoice.purpose == Invoice.Purpose.RENEWAL:
            _renew(application, actor=actor, now=now, payment=payment)
        else:
            _issue(application, actor=actor, now=now)
    return payment


# ---------------------------------------------------------------------------- issuance


def _issue(application: Application, *, actor: Any, now: dt.datetime) -> Permit:
    permit_type = application.permit_type
    before = audit.snapshot(application, AUDITED)
    _move(application, Status.ISSUED)
    zone = application.municipality.zoneinfo
    year = now.astimezone(zone).year
    number = Counter.allocate(f"permit-no:{application.municipality_id}:{year}")[0]
    conditions = [c for c in (permit_type.conditions_ar, permit_type.conditions_en) if c]
    last_round = application.rounds.order_by("-number").first()
    if last_round is not None:
        conditions += [
            f"{r.department.name_ar}: {r.conditions}"
            for r in last_round.reviews.select_related("department")
            if r.conditions
        ]
    engine = application.municipality.calendar.engine()
    permit = Permit.objects.create(
        application=application,
        municipality_id=application.municipality_id,
        # BLD: never the shape of a case's reference ({code}-{year}-{number}).
        number=f"{application.municipality.code}-BLD-{year}-{number:06d}",
        issued_at=now,
        valid_until=add_months(now.astimezone(zone).date(), permit_type.validity),
        conditions="\n".join(conditions),
        token=secrets.token_urlsafe(24),
        working_days_to_issue=engine.working_days_between(application.complete_at or now, now),
    )
    _save(
        application,
        ["status"],
        actor=actor,
        action="permit.issued",
        before=before,
        extra={"permit": permit.number, "working_days": permit.working_days_to_issue},
    )
    _notify(application, "permit.issued", actor, permit=permit.number)
    return permit


RENEWAL_WINDOW_DAYS = 60


def renewal_opens_on(permit: Permit) -> dt.date:
    """The first day the permit can be renewed (RENEWAL_WINDOW_DAYS before it ends)."""
    return permit.valid_until - dt.timedelta(days=RENEWAL_WINDOW_DAYS)


def do_request_renewal(permit: Permit, *, actor: Any) -> Invoice:
    """Ask to renew an issued permit: the renewal fee's invoice (the open one if there is one).

    From RENEWAL_WINDOW_DAYS days before the end; the applicant pays it through the gateway
    like the permit's fees, and the payment renews the permit (`_renew`).
    """
    with transaction.atomic():
        application = _locked(permit.application)
        _require_applicant(actor, application)
        permit = Permit.objects.select_for_update().get(pk=permit.pk)
        if application.status != Status.ISSUED:
            raise ValidationError(
                _("Only an issued permit in force can be renewed."), code="not_issued"
            )
        now = clock.now()
        today = now.astimezone(application.municipality.zoneinfo).date()
        if (permit.valid_until - today).days > RENEWAL_WINDOW_DAYS:
            raise ValidationError(
                _("A permit can be renewed from 60 days before it ends (%(date)s).")
                % {"date": permit.valid_until.isoformat()},
                code="too_early",
            )
        open_invoice = Invoice.objects.filter(
            application=application,
            purpose=Invoice.Purpose.RENEWAL,
            state=Invoice.State.UNPAID,
        ).first()
        if open_invoice is not None:
            return open_invoice
        fee = application.permit_type.fee(FeeKind.RENEWAL)
        year = now.astimezone(application.municipality.zoneinfo).year
        number = Counter.allocate(f"permit-invoice:{application.municipality_id}:{year}")[0]
        invoice = Invoice.objects.create(
            application=application,
            purpose=Invoice.Purpose.RENEWAL,
            number=f"{application.municipality.code}-INV-{year}-{number:06d}",
            lines=[
                {
                    "kind": FeeKind.RENEWAL.value,
                    "quantity": 1,
                    "unit": str(fee),
                    "amount": str(money(fee)),
                }
            ],
            total=money(fee),
            currency=CURRENCY,
            created_at=now,
        )
        audit.record(
            actor=actor,
            action="permit.renewal_invoiced",
            obj=application,
            municipality_id=application.municipality_id,
            extra={"permit": permit.number, "invoice": invoice.number, "total": invoice.total},
        )
    return invoice


def _renew(application: Application, *, actor: Any, now: dt.datetime, payment: Payment) -> None:
    """The renewal fee is paid: extend the permit by its type's validity, from the later of
    today and its current end. Refused (the payment with it) once the permit is closed."""
    if application.status != Status.ISSUED:
        raise ValidationError(
            _("Only an issued permit in force can be renewed."), code="not_issued"
        )
    permit = Permit.objects.select_for_update().get(application=application)
    today = now.astimezone(application.municipality.zoneinfo).date()
    old = permit.valid_until
    permit.valid_until = add_months(max(today, old), application.permit_type.validity)
    permit.renewals += 1
    permit.renewed_at = now
    permit.save(update_fields=["valid_until", "renewals", "renewed_at"])
    audit.record(
        actor=actor,
        action="permit.renewed",
        obj=application,
        municipality_id=application.municipality_id,
        changes={"valid_until": [old.isoformat(), permit.valid_until.isoformat()]},
        extra={
            "permit": permit.number,
            "receipt": payment.receipt_number,
            "renewals": permit.renewals,
        },
    )
    _notify(application, "permit.renewed", actor, valid_until=permit.valid_until.isoformat())


# ---------------------------------------------------------------------------- inspections


def _take_slot_place(municipality: Municipality, day: dt.date, slot: str) -> None:
    """Take one place in the slot, or refuse when it is full. One conditional UPDATE: two
    bookings racing for the last place serialise on the row and only one gets it."""
    load, _created = SlotLoad.objects.get_or_create(municipality=municipality, day=day, slot=slot)
    taken = SlotLoad.objects.filter(pk=load.pk, booked__lt=slot_capacity(municipality)).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise ValidationError(
            {
                "slot": [
                    _("The %(slot)s slot on %(day)s is fully booked; choose another slot or day.")
                    % {"slot": Slot(slot).label, "day": day.isoformat()}
                ]
            }
        )


def do_schedule_inspection(
    permit: Permit, *, kind: str, day: dt.date, slot: str, actor: Any
) -> Inspection:
    """Book an inspection on a working day (the applicant asks, or staff book it)."""
    errors: dict[str, list[str]] = {}
    if kind not in InspectionKind.values:
        errors["kind"] = [_("Choose an inspection from the list.")]
    if slot not in Slot.values:
        errors["slot"] = [_("Choose a time slot.")]
    with transaction.atomic():
        application = _locked(permit.application)
        if not (
            permissions.is_applicant(actor, application)
            or permissions.is_permit_staff(actor, application.municipality_id)
        ):
            raise PermissionDenied(_("This application is not yours."))
        if application.status != Status.ISSUED:
            raise ValidationError(_("Inspections are booked for a permit in force."))
        engine = application.municipality.calendar.engine()
        today = clock.now().astimezone(application.municipality.zoneinfo).date()
        if not isinstance(day, dt.date) or day <= today:
            errors["day"] = [_("Choose a day after today.")]
        elif not engine.is_working_day(day):
            errors["day"] = [_("Choose a working day (not a weekend or holiday).")]
        if errors:
            raise ValidationError(errors)
        _take_slot_place(application.municipality, day, slot)
        inspection = Inspection.objects.create(
            permit=permit, kind=kind, scheduled_for=day, slot=slot, created_at=clock.now()
        )
        audit.record(
            actor=actor,
            action="permit.inspection_scheduled",
            obj=application,
            municipality_id=application.municipality_id,
            extra={"inspection": inspection.pk, "kind": kind, "day": day, "slot": slot},
        )
        _notify(application, "permit.inspection_scheduled", actor, day=day.isoformat(), slot=slot)
    return inspection


def do_record_inspection(
    inspection: Inspection,
    *,
    result: str,
    actor: Any,
    notes: str = "",
    photos: Sequence[IO[bytes] | bytes] = (),
) -> Inspection:
    if result not in {
        InspectionResult.PASSED,
        InspectionResult.FAILED,
        InspectionResult.PARTIAL,
        InspectionResult.CANCELLED,
    }:
        raise ValidationError({"result": [_("Choose passed, failed, partial or cancelled.")]})
    notes = _text(notes, field="notes", required=result != InspectionResult.PASSED)
    cleaned = []
    for index, photo in enumerate(photos, start=1):
        try:
            cleaned.append(clean_photo(photo))
        except ValidationError as exc:
            raise ValidationError(
                {
                    "photos": [
                        _("Photo %(number)d: %(problem)s") % {"number": index, "problem": m}
                        for m in exc.messages
                    ]
                }
            ) from exc
    with transaction.atomic():
        application = _locked(inspection.permit.application)
        _require_staff(actor, application.municipality_id)
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if inspection.result != InspectionResult.SCHEDULED:
            raise ValidationError(_("This inspection is already recorded."), code="recorded")
        now = clock.now()
        today = now.astimezone(application.municipality.zoneinfo).date()
        if result != InspectionResult.CANCELLED and today < inspection.scheduled_for:
            # A visit that has not happened has no result; it can only be cancelled.
            raise ValidationError(
                _("An inspection is recorded on or after its day (%(date)s).")
                % {"date": inspection.scheduled_for.isoformat()},
                code="too_early",
            )
        inspection.result, inspection.notes = result, notes
        inspection.inspector, inspection.inspected_at = actor, now
        inspection.save(update_fields=["result", "notes", "inspector", "inspected_at"])
        if result == InspectionResult.CANCELLED:  # its place is free for someone else
            SlotLoad.objects.filter(
                municipality_id=application.municipality_id,
                day=inspection.scheduled_for,
                slot=inspection.slot,
                booked__gt=0,
            ).update(booked=F("booked") - 1)
        for clean in cleaned:
            clean.content.name = "inspection.jpg"
            InspectionPhoto.objects.create(inspection=inspection, image=clean.content)
        audit.record(
            actor=actor,
            action="permit.inspection_recorded",
            obj=application,
            municipality_id=application.municipality_id,
            changes={"result": [InspectionResult.SCHEDULED, result]},
            extra={"inspection": inspection.pk, "photos": len(cleaned)},
        )
        _notify(application, "permit.inspection_recorded", actor, result=result)
    return inspection


def do_issue_completion_certificate(permit: Permit, *, actor: Any) -> Permit:
    """Close the permit once a final inspection has passed."""
    with transaction.atomic():
        application = _locked(permit.application)
        _require_staff(actor, application.municipality_id)
        permit = Permit.objects.select_for_update().get(pk=permit.pk)
        if not permit.inspections.filter(
            kind=InspectionKind.FINAL, result=InspectionResult.PASSED
        ).exists():
            raise ValidationError(
                _("A completion certificate needs a passed final inspection."), code="no_final"
            )
        before = audit.snapshot(application, AUDITED)
        _move(application, Status.COMPLETED)
        now = clock.now()
        year = now.astimezone(application.municipality.zoneinfo).year
        number = Counter.allocate(f"permit-completion:{application.municipality_id}:{year}")[0]
        permit.completed_at = now
        permit.completion_number = f"{application.municipality.code}-CC-{year}-{number:06d}"
        permit.save(update_fields=["completed_at", "completion_number"])
        _save(
            application,
            ["status"],
            actor=actor,
            action="permit.completed",
            before=before,
            extra={"completion": permit.completion_number},
        )
        _notify(application, "permit.completed", actor, completion=permit.completion_number)
    return permit

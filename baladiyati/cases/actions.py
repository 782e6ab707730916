"""Every state change of a case, once.

Each `do_<verb>_case` validates before it writes, runs in one transaction (locking the case
row where two people may act at once), writes one AuditEvent with the fields before and
after, and queues notifications for after the commit. Portal, back office, Open311, REST,
admin and management commands all call these; none of them saves a Case itself.

Bad input raises django.core.exceptions.ValidationError (translated; a dict of field errors
for submissions); acting without the right raises PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from baladiyati.accounts import permissions
from baladiyati.accounts.models import Role, StaffMembership
from baladiyati.accounts.phones import normalize_phone
from baladiyati.cities.models import Department, District, Municipality, Service, ServiceQuestion
from baladiyati.cities.questions import clean_answers
from baladiyati.core import audit, clock, geo
from baladiyati.core.images import CleanPhoto, clean_photo
from baladiyati.core.models import Counter
from baladiyati.core.prepared import Insert, Instances, Query, Slot, moment
from baladiyati.core.text import search_terms
from baladiyati.notify.events import Event, queue

from . import sla, subscriptions
from .models import (
    OPEN_STATUSES,
    REOPENABLE_STATUSES,
    TRANSITIONS,
    AreaSubscription,
    Case,
    CaseFollower,
    CaseNote,
    CasePhoto,
    CaseRating,
    CaseUpdate,
    Channel,
    CloseReason,
    Priority,
    Rating,
    Status,
)

RESEND_WINDOW = dt.timedelta(hours=24)

AUDITED_FIELDS = [
    "status",
    "close_reason",
    "duplicate_of",
    "priority",
    "department",
    "assignee",
    "due_at",
    "acknowledged_at",
    "closed_at",
    "reopen_count",
    "is_private",
    "is_hidden",
    *sla.SLA_FIELDS,
]


@dataclass(frozen=True)
class Contact:
    """Contact details of a reporter without an account (never published)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    # The language to write to them in ("ar", "en"); empty: the language of the request.
    language: str = ""


# ---------------------------------------------------------------------------- helpers


def _notify(
    case: Case,
    name: str,
    actor: Any,
    followers: Sequence[tuple[Any, Any, Any, Any]] | None = None,
    **context: Any,
) -> None:
    """Queue `name` for the reporter and followers (not the actor), delivered after commit.

    People without an account are reached through the contact details they left; they are
    passed in the event's context and never published. `followers` (user id, email, phone,
    language), when the caller knows them (a case just filed), saves reading them.
    """
    if followers is None:
        followers = list(
            case.followers.values_list(
                "user_id", "contact_email", "contact_phone", "contact_language"
            )
        )
    recipients = {user_id for user_id, _e, _p, _l in followers if user_id}
    contacts = [
        {"email": e, "phone": p, "language": lang or ""}
        for user_id, e, p, lang in followers
        if not user_id and (e or p)
    ]
    if case.reporter_id:
        recipients.add(case.reporter_id)
    elif case.contact_email or case.contact_phone:
        contacts.append(
            {
                "email": case.contact_email,
                "phone": case.contact_phone,
                "language": case.contact_language or "",
            }
        )
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    if name != "case.submitted":  # the reporter is told their report arrived; no one else
        recipients.discard(actor_id)
    queue(
        Event(
            name=name,
            municipality_id=case.municipality_id,
            object_type="cases.case",
            object_id=case.pk,
            actor_id=actor_id,
            recipient_ids=tuple(sorted(recipients)),
            context={
                "reference": case.reference,
                "status": case.status,
                # Lazy: rendered in each recipient's language by notify.
                "status_name": Status(case.status).label,
                "contacts": contacts,
                **context,
            },
        )
    )


def _locked(case: Case) -> Case:
    """The case re-read under a row lock, so concurrent actions apply one after the other."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("municipality__calendar", "service")
        .get(pk=case.pk)
    )


def _require_worker(actor: Any, case: Case) -> None:
    if not permissions.can_work_case(actor, case.municipality_id, case.department_id):
        raise PermissionDenied(_("You may not work on this request."))


def _message(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(_("Please write a message."), code="required")
    if len(text) > settings.CASE_MAX_DESCRIPTION:
        raise ValidationError(
            _("The message is longer than %(limit)d characters.")
            % {"limit": settings.CASE_MAX_DESCRIPTION},
            code="too_long",
        )
    return text


def _is_reporter(case: Case, actor: Any, token: str | None) -> bool:
    # Constant-time: the token is the only key an anonymous reporter has to their case.
    if token and secrets.compare_digest(str(token).encode(), case.tracking_token.encode()):
        return True
    return bool(
        case.reporter_id
        and getattr(actor, "is_authenticated", False)
        and actor.pk == case.reporter_id
    )


def _user_id(actor: Any) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


# ---------------------------------------------------------------------------- submit


def _clean_contact(contact: Contact | None, errors: dict[str, list[str]]) -> Contact:
    if contact is None:
        return Contact()
    name = (contact.name or "").strip()[:200]
    email = (contact.email or "").strip()
    phone = (contact.phone or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    language = (contact.language or translation.get_language() or "ar")[:2]
    if language not in ("ar", "en"):
        language = "ar"
    return Contact(name=name, email=email.lower(), phone=phone, language=language)


def _clean_photos(
    photos: Sequence[IO[bytes] | bytes], errors: dict[str, list[str]]
) -> list[CleanPhoto]:
    if len(photos) > settings.CASE_MAX_PHOTOS:
        errors["photos"] = [
            _("At most %(limit)d photos may be attached.") % {"limit": settings.CASE_MAX_PHOTOS}
        ]
        return []
    cleaned = []
    for index, photo in enumerate(photos, start=1):
        try:
            cleaned.append(clean_photo(photo))
        except ValidationError as exc:
            errors.setdefault("photos", []).extend(
                _("Photo %(number)d: %(problem)s") % {"number": index, "problem": message}
                for message in exc.messages
            )
    return cleaned


# The reads and writes of a submission, compiled once per process (core/prepared.py): built
# and compiled through the ORM each time they cost more than the database's work — about
# 2 ms of a 4.5 ms submission (docs/benchmarks.md, "POST").
_KEYED = Query(
    lambda s: (
        Case.objects.filter(municipality_id=s["municipality"], idempotency_key=s["key"])
        .order_by()
        .values_list("pk")[:1]
    ),
    [Slot("municipality"), Slot("key", "str")],
)
_SENT_BY_DEVICE = Query(
    lambda s: (
        Case.objects.filter(
            municipality_id=s["municipality"], device_id=s["device"], submission_hash=s["hash"]
        )
        .order_by("id")
        .values_list("id", "created_at")
    ),
    [Slot("municipality"), Slot("device", "str"), Slot("hash", "str")],
)
_ACTIVE_SERVICE = Instances(
    Service,
    # No ordering: the model's default one joins the catalogue's municipality and groups
    # for a lookup by a unique key.
    lambda s: Service.objects.filter(
        municipality_id=s["municipality"], code=s["code"], is_active=True
    ).order_by()[:1],
    [Slot("municipality"), Slot("code", "str")],
    related=["department"],
)
_QUESTIONS = Instances(
    ServiceQuestion,
    # Ordered within the service only (the default order joins the catalogue again).
    lambda s: ServiceQuestion.objects.filter(service_id=s["service"]).order_by("order", "id"),
    [Slot("service")],
)
_insert_case = Insert(Case)
_insert_update = Insert(CaseUpdate)
_insert_follower = Insert(CaseFollower)


def _existing_for_key(municipality: Municipality, key: str | None) -> Case | None:
    if not key:
        return None
    # Most keys are new: ask for the id alone, and read the case only when there is one.
    row = _KEYED.one({"municipality": municipality.pk, "key": key})
    return None if row is None else Case.objects.get(pk=row[0])


def _resent(municipality: Municipality, device_id: str, fingerprint: str) -> Case | None:
    """The first case this device sent with this fingerprint within RESEND_WINDOW.

    Looked up through the index case_device_resend alone, the window checked here: with
    `created_at` in the query, SQLite (which keeps no planner statistics) reads the day's
    cases through case_created instead, 2 to 4 ms a submission with a million cases
    (docs/benchmarks.md). One device's same report matches a handful of rows at most.
    """
    since = clock.now() - RESEND_WINDOW
    sent = _SENT_BY_DEVICE.rows(
        {"municipality": municipality.pk, "device": device_id, "hash": fingerprint}
    )
    for pk, created_at in sent:
        if moment(created_at) >= since:  # type: ignore[operator]
            return Case.objects.get(pk=pk)
    return None


def do_submit_case(
    *,
    municipality: Municipality,
    service_code: str,
    lat: float,
    lon: float,
    channel: str,
    actor: Any,
    description: str = "",
    answers: Mapping[str, Any] | None = None,
    photos: Sequence[IO[bytes] | bytes] = (),
    address: str = "",
    reporter: Any = None,
    contact: Contact | None = None,
    priority: int | None = None,
    is_private: bool = False,
    idempotency_key: str | None = None,
    device_id: str = "",
    media_url: str = "",
) -> Case:
    """File a new service request.

    Retries are idempotent: with a known idempotency key, or the same device sending the same
    report within RESEND_WINDOW, the first case is returned and nothing is written.
    """
    existing = _existing_for_key(municipality, idempotency_key)
    if existing is not None:
        return existing
    device_id = (device_id or "").strip()[:100]
    fingerprint = ""
    if device_id:
        fingerprint = _fingerprint(
            service_code, lat, lon, description, answers, address, contact, media_url, len(photos)
        )
        resent = _resent(municipality, device_id, fingerprint)
        if resent is not None:
            return resent

    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if (
        reporter is None
        and getattr(actor, "is_authenticated", False)
        and not actor.memberships.exists()
    ):
        reporter = actor  # a citizen filing for themselves
    if channel in (Channel.PHONE, Channel.COUNTER) and not permissions.can_file_for_caller(
        actor, municipality.pk
    ):
        raise PermissionDenied(_("Only municipality staff file requests for callers."))
    # Filing in someone else's name makes them follow the case and receive its messages:
    # staff may (for a caller), the system may (actor=None: imports, demo replay), no one else.
    if (
        reporter is not None
        and actor is not None
        and getattr(reporter, "pk", None) != getattr(actor, "pk", None)
        and not permissions.can_file_for_caller(actor, municipality.pk)
    ):
        raise PermissionDenied(_("Only municipality staff file requests for callers."))

    service: Service | None = _ACTIVE_SERVICE.first(
        {"municipality": municipality.pk, "code": str(service_code)[:50]}
    )
    if service is None:
        errors["service_code"] = [
            _("This municipality has no active service with code “%(code)s”.")
            % {"code": str(service_code)[:50]}
        ]

    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        lat = lon = float("nan")
    if not geo.valid_coordinates(lat, lon):
        errors["location"] = [_("The location is not a valid latitude and longitude.")]
    elif not municipality.contains(lat, lon):
        errors["location"] = [
            _("This location is outside %(municipality)s.") % {"municipality": municipality.name}
        ]

    description = (description or "").strip()
    if len(description) > settings.CASE_MAX_DESCRIPTION:
        errors["description"] = [
            _("The description is longer than %(limit)d characters.")
            % {"limit": settings.CASE_MAX_DESCRIPTION}
        ]
    address = (address or "").strip()
    if len(address) > 300:
        errors["address"] = [_("The address is longer than 300 characters.")]
    if priority is not None and priority not in Priority.values:
        errors["priority"] = [_("Unknown priority.")]

    cleaned_answers: dict[str, Any] = {}
    if service is not None:
        try:
            questions = _QUESTIONS.all({"service": service.pk})
            cleaned_answers = clean_answers(questions, answers or {}, municipality.zoneinfo)
        except ValidationError as exc:
            for code, messages in exc.message_dict.items():
                errors[f"attribute[{code}]"] = messages
    contact = _clean_contact(contact, errors)
    cleaned_photos = _clean_photos(photos, errors)
    if len(media_url or "") > 500:
        errors["media_url"] = [_("The media link is longer than 500 characters.")]
    if errors:
        raise ValidationError(errors)
    assert service is not None

    now = clock.now()
    year = now.astimezone(municipality.zoneinfo).year
    # Everything but the reference is worked out before the transaction: on SQLite one
    # writer at a time holds the write lock, and what is computed inside it (place, deadline,
    # search text, the case itself) is time every other writer waits (docs/benchmarks.md).
    case = Case(
        municipality=municipality,
        reference="",  # from the counter, in the transaction
        service=service,
        status=Status.SUBMITTED,
        priority=priority or Priority.NORMAL,
        channel=channel,
        description=description,
        answers=cleaned_answers,
        lat=lat,
        lon=lon,
        h3_cell=geo.h3_cell(lat, lon),
        district_id=municipality.district_at(lat, lon),
        address=address,
        department=service.department,
        reporter=reporter,
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        is_private=is_private or service.is_private,
        contact_language=contact.language or None,
        **sla.start_clock(municipality.calendar.engine(), now, service.sla_hours),
        idempotency_key=idempotency_key or None,
        device_id=device_id,
        submission_hash=fingerprint,
        media_url=media_url,
        search_text=search_terms(description, address, service.name_ar, service.name_en),
        created_at=now,
        updated_at=now,
    )
    changes = audit.diff({}, audit.snapshot(case, ["status", "service", "department", "due_at"]))
    row = _insert_case.prepare(case)  # its values as written, all but the reference
    update = CaseUpdate(
        case=case,
        kind=CaseUpdate.Kind.SUBMITTED,
        status=Status.SUBMITTED,
        created_at=now,
        author_id=_user_id(actor),
    )
    stored: list[CasePhoto] = []
    try:
        # The photos' files are written first, outside the transaction: on SQLite every
        # other writer would wait for them. Only their rows are written inside it.
        for photo in cleaned_photos:
            stored.append(CasePhoto(case=case, created_at=now))
            stored[-1].image.save("photo.jpg", photo.content, save=False)
            # Known from cleaning it (saving leaves them unset rather than read the file).
            stored[-1].width, stored[-1].height = photo.width, photo.height
        with transaction.atomic():
            number = Counter.allocate(f"case-ref:{municipality.pk}:{year}")[0]
            row.set("reference", f"{municipality.code}-{year}-{number:06d}")
            row.write()
            for stored_photo in stored:
                stored_photo.save(force_insert=True)  # its case has its id by now
            update.case = case  # now with its id
            _insert_update(update)
            followers: list[tuple[Any, Any, Any, Any]] = []
            if reporter is not None:
                _insert_follower(
                    CaseFollower(
                        case=case, user=reporter, contact_email="", contact_phone="", created_at=now
                    )
                )
                followers.append((reporter.pk, "", "", ""))
            audit.record(
                actor=actor,
                action="case.submitted",
                obj=case,
                municipality_id=municipality.pk,
                changes=changes,
                extra={"channel": channel, "photos": len(cleaned_photos)},
            )
            _notify(case, "case.submitted", actor, followers)
            subscriptions.notify_on_commit(case)
    except BaseException as exc:
        # Files are not transactional: remove what this failed attempt wrote to storage.
        for written in stored:
            written.image.delete(save=False)
        if not isinstance(exc, IntegrityError):
            raise
        # Two submissions with one idempotency key raced: the other one won.
        existing = _existing_for_key(municipality, idempotency_key)
        if existing is None:
            raise
        return existing
    return case


def _fingerprint(*parts: Any) -> str:
    """A stable digest of what a client sent (answers and contact included)."""

    def plain(value: Any) -> Any:
        if isinstance(value, Contact):
            return [value.name, value.email, value.phone]
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return str(value) if value is not None else ""

    payload = json.dumps([plain(p) for p in parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


# ---------------------------------------------------------------------------- staff work


def _apply(
    case: Case,
    *,
    actor: Any,
    action: str,
    changes: Mapping[str, Any],
    update: CaseUpdate | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Case:
    """Write `changes` onto the (locked) case, its timeline entry and the audit row."""
    before = audit.snapshot(case, AUDITED_FIELDS)
    for name, value in changes.items():
        setattr(case, name, value)
    case.save(update_fields=list(changes))
    if update is not None:
        update.case = case
        update.save()
    audit.record(
        actor=actor,
        action=action,
        obj=case,
        municipality_id=case.municipality_id,
        changes=audit.diff(before, audit.snapshot(case, AUDITED_FIELDS)),
        extra=dict(extra or {}),
    )
    return case


def _transition(
    case: Case,
    to_status: str,
    *,
    actor: Any,
    action: str,
    reason: str = "",
    duplicate_of: Case | None = None,
    message: str = "",
    external_id: str | None = None,
) -> Case:
    if to_status not in Status.values:
        raise ValidationError(_("Unknown status."), code="invalid_status")
    message = _message(message, required=False)
    with transaction.atomic():
        case = _locked(case)
        _require_worker(actor, case)
        if _already_applied(case, external_id):
            return case
        if to_status not in TRANSITIONS[case.status]:
            raise ValidationError(
                _("A request that is “%(current)s” cannot become “%(target)s”.")
                % {"current": Status(case.status).label, "target": Status(to_status).label},
                code="invalid_transition",
            )
        now = clock.now()
        changes: dict[str, Any] = {"status": to_status}
        if to_status == Status.CLOSED_NOT_FIXED:
            if reason not in CloseReason.values:
                raise ValidationError(
                    _("Say why the request is closed without fixing it."), code="reason_required"
                )
            changes["close_reason"] = reason
        elif reason:
            raise ValidationError(
                _("Only a request closed without fixing takes a reason."), code="reason_not_allowed"
            )
        if to_status == Status.DUPLICATE:
            changes["duplicate_of"] = _original(case, duplicate_of)
        elif duplicate_of is not None:
            raise ValidationError(
                _("Only a duplicate names the request it duplicates."), code="duplicate_not_allowed"
            )
        if to_status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS) and case.acknowledged_at is None:
            changes["acknowledged_at"] = now
        if to_status in (Status.FIXED, Status.CLOSED_NOT_FIXED, Status.DUPLICATE):
            changes["closed_at"] = now
            if case.acknowledged_at is None:
                changes["acknowledged_at"] = now
            sla.closing(case, now, changes)
        update = CaseUpdate(
            kind=CaseUpdate.Kind.STATUS,
            status=to_status,
            close_reason=changes.get("close_reason", ""),
            message=message,
            author_id=_user_id(actor),
            created_at=now,
            external_id=external_id or None,
        )
        _apply(case, actor=actor, action=action, changes=changes, update=update)
        if to_status == Status.DUPLICATE:
            _carry_followers(case, changes["duplicate_of"], now)
        _notify(case, action, actor, message=message)
    return case


def _already_applied(case: Case, external_id: str | None) -> bool:
    """A back-end system resending an update it already sent (same update id): a no-op."""
    return bool(external_id) and case.updates.filter(external_id=external_id).exists()


def _original(case: Case, duplicate_of: Case | None) -> Case:
    if duplicate_of is None:
        raise ValidationError(_("Name the request this one duplicates."), code="duplicate_required")
    # Walk the chain as it is in the database: the caller's copy of the target (or of any
    # case along the chain) may predate its own closing as a duplicate.
    target = Case.objects.filter(pk=duplicate_of.pk).first() or duplicate_of
    seen = {case.pk}
    while target.status == Status.DUPLICATE and target.duplicate_of_id is not None:
        seen.add(target.pk)
        target = target.duplicate_of  # type: ignore[assignment]
        if target.pk in seen:
            break
    if target.pk in seen or target.municipality_id != case.municipality_id:
        raise ValidationError(
            _("A request can only duplicate another request of the same municipality."),
            code="invalid_duplicate",
        )
    return target


def _carry_followers(case: Case, original: Case, now: dt.datetime) -> int:
    """The duplicate's reporter and followers now follow the original; the number added.

    Accounts are carried once each; people without an account keep their contact details
    and language (an address already following the original is not added twice). The
    original's own reporter is not made a follower of their own case.
    """
    followers = list(
        case.followers.values_list("user_id", "contact_email", "contact_phone", "contact_language")
    )
    users = {user_id for user_id, *_rest in followers if user_id}
    contacts = [(e, p, lang) for user_id, e, p, lang in followers if not user_id and (e or p)]
    if case.reporter_id:
        users.add(case.reporter_id)
    elif case.contact_email or case.contact_phone:
        contacts.append((case.contact_email, case.contact_phone, case.contact_language))
    present = list(original.followers.values_list("user_id", "contact_email", "contact_phone"))
    already = {user_id for user_id, _e, _p in present if user_id}
    if original.reporter_id:
        already.add(original.reporter_id)
    addresses = {a for _u, e, p in present for a in (e, p) if a}
    addresses.update(a for a in (original.contact_email, original.contact_phone) if a)
    rows = [CaseFollower(case=original, user_id=u, created_at=now) for u in sorted(users - already)]
    for email, phone, language in contacts:
        if (email and email in addresses) or (phone and phone in addresses):
            continue
        addresses.update(a for a in (email, phone) if a)
        rows.append(
            CaseFollower(
                case=original,
                contact_email=email,
                contact_phone=phone,
                contact_language=language,
                created_at=now,
            )
        )
    CaseFollower.objects.bulk_create(rows)
    return len(rows)


def do_transition_case(
    case: Case,
    to_status: str,
    *,
    actor: Any,
    reason: str = "",
    duplicate_of: Case | None = None,
    message: str = "",
    external_id: str | None = None,
) -> Case:
    """Move a case along the guarded workflow (see models.TRANSITIONS).

    `external_id` is a back-end system's id for this update: sent again, nothing happens.
    """
    return _transition(
        case,
        to_status,
        actor=actor,
        action=f"case.{to_status}",
        reason=reason,
        duplicate_of=duplicate_of,
        message=message,
        external_id=external_id,
    )


def do_acknowledge_case(case: Case, *, actor: Any, message: str = "") -> Case:
    return _transition(
        case, Status.ACKNOWLEDGED, actor=actor, action="case.acknowledged", message=message
    )


def do_assign_case(
    case: Case,
    *,
    actor: Any,
    department: Department | None = None,
    assignee: Any = None,
    unassign: bool = False,
) -> Case:
    """Route a case to a department and/or a staff member.

    Moving between departments is for supervisors and admins; a clerk assigns within their
    own department. The assignee must be staff who may work the case's (new) department.
    """
    with transaction.atomic():
        case = _locked(case)
        _require_worker(actor, case)
        if not case.is_open:
            raise ValidationError(_("A closed request cannot be assigned."), code="closed")
        changes: dict[str, Any] = {}
        target_department_id = case.department_id
        if department is not None and department.pk != case.department_id:
            m = permissions.membership(actor, case.municipality_id)
            if m is None or m.role not in (Role.SUPERVISOR, Role.ADMIN):
                raise PermissionDenied(_("Only a supervisor moves requests between departments."))
            if department.municipality_id != case.municipality_id:
                raise ValidationError(
                    _("The department belongs to another municipality."), code="tenant"
                )
            changes["department"] = department
            target_department_id = department.pk
            if assignee is None and case.assignee_id:
                changes["assignee"] = None
        if unassign:
            changes["assignee"] = None
        elif assignee is not None:
            if not permissions.can_work_case(assignee, case.municipality_id, target_department_id):
                raise ValidationError(
                    _("%(name)s cannot work on requests of this department.") % {"name": assignee},
                    code="invalid_assignee",
                )
            changes["assignee"] = assignee
        if not changes:
            raise ValidationError(_("Nothing to change."), code="no_change")
        _apply(case, actor=actor, action="case.assigned", changes=changes)
        if case.assignee_id:
            queue(
                Event(
                    name="case.assigned",
                    municipality_id=case.municipality_id,
                    object_type="cases.case",
                    object_id=case.pk,
                    actor_id=_user_id(actor),
                    recipient_ids=(case.assignee_id,),
                    context={"reference": case.reference},
                )
            )
    return case


def do_set_case_priority(case: Case, priority: int, *, actor: Any) -> Case:
    if priority not in Priority.values:
        raise ValidationError(_("Unknown priority."), code="invalid_priority")
    with transaction.atomic():
        case = _locked(case)
        _require_worker(actor, case)
        return _apply(case, actor=actor, action="case.prioritised", changes={"priority": priority})


def do_reply_to_case(
    case: Case, message: str, *, actor: Any, external_id: str | None = None
) -> Case:
    """A public reply on the timeline; the status does not change."""
    message = _message(message, required=True)
    with transaction.atomic():
        case = _locked(case)
        _require_worker(actor, case)
        if _already_applied(case, external_id):
            return case
        now = clock.now()
        update = CaseUpdate(
            kind=CaseUpdate.Kind.REPLY,
            status=case.status,
            message=message,
            author_id=_user_id(actor),
            created_at=now,
            external_id=external_id or None,
        )
        # No field changes: save(update_fields=[]) still stamps updated_at (TimeStampedModel).
        _apply(case, actor=actor, action="case.replied", changes={}, update=update)
        _notify(case, "case.replied", actor, message=message)
    return case


def do_add_note(case: Case, text: str, *, actor: Any) -> CaseNote:
    """An internal note; staff who may read the case (agents included) may add one."""
    text = _message(text, required=True)
    if not permissions.can_read_case(actor, case.municipality_id, case.department_id):
        raise PermissionDenied(_("You may not work on this request."))
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=actor, text=text, created_at=clock.now())
        audit.record(
            actor=actor,
            action="case.noted",
            obj=case,
            municipality_id=case.municipality_id,
            extra={"note": note.pk},
        )
    return note


def do_reopen_case(
    case: Case,
    reason: str,
    *,
    actor: Any,
    token: str | None = None,
    external_id: str | None = None,
) -> Case:
    """Send a closed case back to work: its reporter within the window, or staff at any time."""
    reason = _message(reason, required=True)
    with transaction.atomic():
        case = _locked(case)
        is_staff = permissions.can_work_case(actor, case.municipality_id, case.department_id)
        if not is_staff and not _is_reporter(case, actor, token):
            raise PermissionDenied(_("Only the person who reported this request may reopen it."))
        if _already_applied(case, external_id):
            return case
        if case.status not in REOPENABLE_STATUSES:
            raise ValidationError(
                _("Only a fixed request or one closed without fixing can be reopened."),
                code="invalid_transition",
            )
        now = clock.now()
        window = dt.timedelta(days=settings.CASE_REOPEN_DAYS)
        if not is_staff and case.closed_at is not None and now - case.closed_at > window:
            raise ValidationError(
                _("A request can be reopened within %(days)d days of closing.")
                % {"days": settings.CASE_REOPEN_DAYS},
                code="reopen_window",
            )
        update = CaseUpdate(
            kind=CaseUpdate.Kind.REOPENED,
            status=Status.REOPENED,
            message=reason,
            author_id=_user_id(actor),
            created_at=now,
            external_id=external_id or None,
        )
        changes: dict[str, Any] = {
            "status": Status.REOPENED,
            "close_reason": "",
            "closed_at": None,
            "reopen_count": case.reopen_count + 1,
        }
        sla.restart_clock(case, now, changes)
        _apply(
            case,
            actor=actor,
            action="case.reopened",
            changes=changes,
            update=update,
            extra={"reason": reason},
        )
        _notify(case, "case.reopened", actor, message=reason)
    return case


def do_rate_case(
    case: Case, score: int, *, actor: Any, comment: str = "", token: str | None = None
) -> CaseRating:
    """The reporter's happiness with a closure (1 unhappy, 2 neutral, 3 happy), once per closure."""
    if score not in Rating.values:
        raise ValidationError(_("Choose one of the three faces."), code="invalid_rating")
    comment = _message(comment, required=False)
    with transaction.atomic():
        case = _locked(case)
        if not _is_reporter(case, actor, token):
            raise PermissionDenied(_("Only the person who reported this request may rate it."))
        if case.status not in REOPENABLE_STATUSES:
            raise ValidationError(_("A request can be rated once it is closed."), code="not_closed")
        if CaseRating.objects.filter(case=case, closure=case.reopen_count).exists():
            raise ValidationError(_("You have already rated this request."), code="already_rated")
        rating = CaseRating.objects.create(
            case=case,
            closure=case.reopen_count,
            score=score,
            comment=comment,
            created_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="case.rated",
            obj=case,
            municipality_id=case.municipality_id,
            extra={"score": score},
        )
        _notify(case, "case.rated", actor, score=score)
    return rating


def do_follow_case(case: Case, *, actor: Any, contact: Contact | None = None) -> CaseFollower:
    """ "This is my problem too": follow a published open case instead of filing a duplicate.

    A signed-in citizen follows with their account (following twice is a no-op); someone
    without an account may leave a phone or email to be told of progress, or nothing.
    """
    errors: dict[str, list[str]] = {}
    cleaned = _clean_contact(contact, errors)
    if errors:
        raise ValidationError(errors)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        case = _locked(case)
        if case.is_private or case.is_hidden:
            raise PermissionDenied(_("This request is not public."))
        if not case.is_open:
            raise ValidationError(
                _("This request is closed; please report the problem again."), code="closed"
            )
        if user is not None:
            existing = CaseFollower.objects.filter(case=case, user=user).first()
            if existing is not None or case.reporter_id == user.pk:
                return existing or CaseFollower(case=case, user=user)
        follower = CaseFollower.objects.create(
            case=case,
            user=user,
            contact_email=cleaned.email,
            contact_phone=cleaned.phone,
            contact_language=cleaned.language if user is None else None,
            created_at=clock.now(),
        )
        audit.record(
            actor=actor, action="case.followed", obj=case, municipality_id=case.municipality_id
        )
    return follower


# ---------------------------------------------------------------------------- SLA


def _local(case: Case, moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(case.municipality.zoneinfo).strftime("%Y-%m-%d %H:%M")


def _notify_staff(case: Case, name: str, user_ids: Sequence[int], **context: Any) -> None:
    """Queue `name` for the staff members `user_ids` (warnings, escalations, answers)."""
    if not user_ids:
        return
    queue(
        Event(
            name=name,
            municipality_id=case.municipality_id,
            object_type="cases.case",
            object_id=case.pk,
            recipient_ids=tuple(sorted(set(user_ids))),
            context={
                "reference": case.reference,
                "status": case.status,
                "status_name": Status(case.status).label,
                # A model: rendered as its name in each recipient's language by notify.
                "service": case.service,
                "due": _local(case, case.due_at),
                **context,
            },
        )
    )


def _workers_of(case: Case) -> list[int]:
    """Who works the case now: its assignee, else the clerks of its department."""
    if case.assignee_id:
        return [case.assignee_id]
    return list(
        StaffMembership.objects.active()
        .filter(
            municipality_id=case.municipality_id, role=Role.CLERK, department=case.department_id
        )
        .values_list("user_id", flat=True)
    )


def _supervisors_of(case: Case) -> list[int]:
    return list(
        StaffMembership.objects.active()
        .filter(municipality_id=case.municipality_id, role=Role.SUPERVISOR)
        .values_list("user_id", flat=True)
    )


def do_await_citizen(case: Case, message: str, *, actor: Any) -> Case:
    """Ask the citizen for something and stop the SLA clock until they answer.

    The status does not change (Open311 keeps showing the case open); the question is a
    public timeline entry ("awaiting") and is sent to the reporter and followers.
    """
    message = _message(message, required=True)
    with transaction.atomic():
        case = _locked(case)
        _require_worker(actor, case)
        if not case.is_open:
            raise ValidationError(_("This request is closed."), code="closed")
        if case.sla_paused_at is not None:
            raise ValidationError(
                _("This request is already waiting for the citizen."), code="already_awaiting"
            )
        now = clock.now()
        update = CaseUpdate(
            kind=CaseUpdate.Kind.AWAITING,
            status=case.status,
            message=message,
            author_id=_user_id(actor),
            created_at=now,
        )
        _apply(
            case,
            actor=actor,
            action="case.awaiting_citizen",
            changes=sla.pause(case, now),
            update=update,
        )
        _notify(case, "case.awaiting_citizen", actor, message=message)
    return case


def do_resume_case(case: Case, *, actor: Any, message: str = "", token: str | None = None) -> Case:
    """Start the SLA clock again: the citizen answered, or staff resume the work.

    The reporter (signed in, or with the tracking token) must write their answer; staff may
    add a note to the timeline. The due and warning times move later by the working time the
    case waited. The assignee (or the department's clerks) are told of a citizen's answer.
    """
    with transaction.atomic():
        case = _locked(case)
        is_staff = permissions.can_work_case(actor, case.municipality_id, case.department_id)
        if not is_staff and not _is_reporter(case, actor, token):
            raise PermissionDenied(_("Only the person who reported this request may answer it."))
        message = _message(message, required=not is_staff)
        if not case.is_open or case.sla_paused_at is None:
            raise ValidationError(
                _("This request is not waiting for the citizen."), code="not_awaiting"
            )
        now = clock.now()
        update = CaseUpdate(
            kind=CaseUpdate.Kind.RESUMED,
            status=case.status,
            message=message,
            author_id=_user_id(actor),
            created_at=now,
        )
        _apply(
            case,
            actor=actor,
            action="case.resumed",
            changes=sla.resume(case, now),
            update=update,
            extra={"by": "staff" if is_staff else "citizen"},
        )
        if not is_staff:
            _notify_staff(case, "case.citizen_answered", _workers_of(case), message=message)
    return case


def do_check_case_deadline(case: Case, *, at: dt.datetime | None = None) -> Case:
    """The periodic scan's step for one case: warn at 80 %, flag and escalate on breach.

    Run by the system (no actor). Idempotent: once warned or escalated, nothing happens again
    until a reopen starts a new clock.
    """
    with transaction.atomic():
        case = _locked(case)
        at = at or clock.now()
        changes = sla.check(case, at)
        if not changes:
            return case
        if "breached_at" in changes:
            action = "case.escalated"
        elif "sla_warned_at" in changes:
            action = "case.sla_warned"
        else:  # bookkeeping only (closed or paused meanwhile): nothing to record
            case.sla_next_check_at = changes["sla_next_check_at"]
            case.save(update_fields=["sla_next_check_at"])
            return case
        _apply(case, actor=None, action=action, changes=changes)
        if action == "case.escalated":
            _notify_staff(
                case,
                "case.escalated",
                _supervisors_of(case) + ([case.assignee_id] if case.assignee_id else []),
            )
        else:
            _notify_staff(case, "case.sla_warning", _workers_of(case))
    return case


# ---------------------------------------------------------------------------- merge


def do_merge_case(case: Case, into: Case, *, actor: Any, message: str = "") -> Case:
    """Close `case` as a duplicate of the open case `into`, carrying its people over.

    The reporter (account or contact details) and followers of `case` follow `into` from now
    on; both cases get an audit row. Refused for the same case, a case of another
    municipality, or a target that is closed or itself a duplicate.
    """
    if into is None:
        raise ValidationError(_("Name the request this one duplicates."), code="duplicate_required")
    if into.pk == case.pk:
        raise ValidationError(_("A request cannot be merged into itself."), code="same_case")
    with transaction.atomic():
        # Both rows locked in id order, so two merges in opposite directions cannot deadlock.
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update(of=("self",))
            .filter(pk__in=[case.pk, into.pk])
            .order_by("pk")
        }
        current, target = locked[case.pk], locked[into.pk]
        _require_worker(actor, current)
        if target.municipality_id != current.municipality_id:
            raise ValidationError(
                _("A request can only duplicate another request of the same municipality."),
                code="tenant",
            )
        if not permissions.can_read_case(actor, target.municipality_id, target.department_id):
            raise PermissionDenied(_("You may not work on this request."))
        if target.status not in OPEN_STATUSES:
            raise ValidationError(
                _("Requests can only be merged into an open request."), code="target_closed"
            )
        before = target.followers.count()
        merged = _transition(
            current,
            Status.DUPLICATE,
            actor=actor,
            action="case.duplicate",
            duplicate_of=target,
            message=message,
        )
        audit.record(
            actor=actor,
            action="case.merged_into",
            obj=target,
            municipality_id=target.municipality_id,
            extra={
                "duplicate": current.pk,
                "reference": current.reference,
                "followers_added": target.followers.count() - before,
            },
        )
    return merged


# ---------------------------------------------------------------------------- area subscriptions


def do_subscribe_area(
    *,
    municipality: Municipality,
    actor: Any,
    district: District | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: float | None = None,
    service: Service | None = None,
    contact: Contact | None = None,
) -> AreaSubscription:
    """Be told of every new published case in a wilayat, or within `radius_m` of a point.

    A signed-in person subscribes with their account (the same area twice is a no-op);
    someone without an account leaves a phone or an email. Optionally for one service.
    """
    errors: dict[str, list[str]] = {}
    cleaned = _clean_contact(contact, errors)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is None and not (cleaned.email or cleaned.phone):
        errors.setdefault("contact", []).append(
            _("Leave a phone number or an email address to be told of new requests.")
        )
    box: tuple[float, float, float, float] | None = None
    if district is not None:
        if lat is not None or lon is not None or radius_m is not None:
            errors["area"] = [_("Choose a wilayat or a point with a radius, not both.")]
        elif district.municipality_id != municipality.pk:
            errors["area"] = [_("The wilayat belongs to another municipality.")]
    else:
        try:
            lat, lon = float(lat), float(lon)  # type: ignore[arg-type]
            radius_m = float(round(float(radius_m)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors["area"] = [_("Choose a wilayat or a point with a radius.")]
        else:
            if not geo.valid_coordinates(lat, lon) or not municipality.contains(lat, lon):
                errors["location"] = [
                    _("This location is outside %(municipality)s.")
                    % {"municipality": municipality.name}
                ]
            if not subscriptions.MIN_RADIUS_M <= radius_m <= subscriptions.MAX_RADIUS_M:
                errors["radius_m"] = [
                    _("The radius must be between %(min)d and %(max)d metres.")
                    % {"min": subscriptions.MIN_RADIUS_M, "max": subscriptions.MAX_RADIUS_M}
                ]
            else:
                box = geo.bbox_around(lat, lon, radius_m)
    if service is not None and service.municipality_id != municipality.pk:
        errors["service_code"] = [_("The service belongs to another municipality.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if user is not None:
            existing = AreaSubscription.objects.filter(
                municipality=municipality,
                user=user,
                district=district,
                lat=lat if district is None else None,
                lon=lon if district is None else None,
                radius_m=round(radius_m) if district is None and radius_m is not None else None,
                service=service,
                is_active=True,
            ).first()
            if existing is not None:
                return existing
        subscription = AreaSubscription.objects.create(
            municipality=municipality,
            user=user,
            contact_email="" if user else cleaned.email,
            contact_phone="" if user else cleaned.phone,
            contact_language="" if user else cleaned.language,
            district=district,
            lat=None if district else lat,
            lon=None if district else lon,
            radius_m=None if district else round(radius_m or 0),
            min_lat=box[0] if box else None,
            min_lon=box[1] if box else None,
            max_lat=box[2] if box else None,
            max_lon=box[3] if box else None,
            service=service,
            created_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="case.area_subscribed",
            obj=subscription,
            municipality_id=municipality.pk,
            extra={"district": district.pk if district else None, "radius_m": radius_m},
        )
    return subscription


def do_unsubscribe(subscription: AreaSubscription, *, actor: Any) -> AreaSubscription:
    """End an area subscription: its owner, the municipality's admin, or the system (actor
    None: the unsubscribe link of a message). Ending it twice is a no-op."""
    owner = subscription.user_id is not None and _user_id(actor) == subscription.user_id
    admin = (m := permissions.membership(actor, subscription.municipality_id)) is not None and (
        m.role == Role.ADMIN
    )
    if actor is not None and not owner and not admin:
        raise PermissionDenied(_("This subscription is not yours."))
    with transaction.atomic():
        subscription = AreaSubscription.objects.select_for_update().get(pk=subscription.pk)
        if not subscription.is_active:
            return subscription
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="case.area_unsubscribed",
            obj=subscription,
            municipality_id=subscription.municipality_id,
            changes={"is_active": [True, False]},
        )
    return subscription

"""One case: GET /backoffice/cases/<reference>, and a POST per thing a member can do to it.

Every change goes through `cases.actions` (or the issue-5 domain functions via `..domain`).
A refused change re-renders the page with the translated reason and status 400 (bad input)
or 403 (not allowed), with what was typed kept; a done change redirects back (303).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baladiyati.accounts.models import Language, User
from baladiyati.cases import actions, responses, sla
from baladiyati.cases.models import (
    TRANSITIONS,
    Case,
    CaseUpdate,
    CloseReason,
    Priority,
    Status,
)
from baladiyati.cities.models import Department
from baladiyati.core.text import to_ascii_digits
from baladiyati.portal.casepage import answers_of
from baladiyati.portal.formatting import digits_for

from .. import audit, choices, privacy, replies
from ..access import READERS, Desk, staff_view

# What each POST does, and who may try (the action itself checks the finer rights).
CASE_ACTIONS = (
    "acknowledge",
    "transition",
    "assign",
    "priority",
    "reply",
    "note",
    "reopen",
    "merge",
    "await",
    "resume",
)


def _case(desk: Desk, reference: str) -> Case:
    return get_object_or_404(
        desk.cases().select_related(
            "service",
            "district",
            "department",
            "assignee",
            "reporter",
            "duplicate_of",
            "municipality__calendar",
        ),
        reference=reference.upper(),
    )


def _page(
    request: HttpRequest,
    desk: Desk,
    case: Case,
    *,
    error: str = "",
    form: str = "",
    status: int = 200,
) -> HttpResponse:
    may_work = desk.may_work(case)
    updates = list(case.updates.select_related("author").order_by("created_at", "id"))
    transitions = [
        (s, Status(s).label)
        for s in Status.values
        if s in TRANSITIONS[case.status] and s not in (Status.DUPLICATE, Status.CLOSED_NOT_FIXED)
    ]
    state = sla.status_of(case)
    language = responses.citizen_language(case)
    digits = digits_for(request)
    context: dict[str, Any] = {
        "desk": desk,
        "nav": "inbox",
        "case": case,
        "municipality": desk.municipality,
        "may_work": may_work,
        "updates": updates,
        "reopens": [u for u in updates if u.kind == CaseUpdate.Kind.REOPENED],
        "notes": list(case.notes.select_related("author").order_by("created_at", "id")),
        "photos": list(case.photos.all()),
        "duplicates": list(case.duplicates.only("id", "reference", "status")),
        "followers": case.followers.count(),
        "ratings": list(case.ratings.order_by("created_at")),
        "audit": audit.trail(case, digits),
        "answers": _answers(case),
        "digits": digits,
        "transitions": transitions,
        "may_close_not_fixed": Status.CLOSED_NOT_FIXED in TRANSITIONS[case.status],
        "may_merge": Status.DUPLICATE in TRANSITIONS[case.status],
        "close_reasons": CloseReason.choices,
        "priorities": Priority.choices,
        "assignable": choices.assignable(desk, case.department_id) if may_work else [],
        "departments": choices.departments(desk) if desk.moves_departments else [],
        "reporter": privacy.reporter_panel(desk, case),
        "templates": replies.response_templates(case) if may_work else [],
        "citizen_language": language,
        "citizen_language_name": dict(Language.choices).get(language, language),
        "sla": state,
        "remaining_hours": round(state.remaining.total_seconds() / 3600, 1),
        "error": error,
        "form": form,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "backoffice/case.html", context, status=status)


def _answers(case: Case) -> list[Any]:
    """The service's questions and the chosen options in the page's language; an answer whose
    question was since removed stays visible under its code."""
    shown: list[Any] = answers_of(case)
    known = {q.code for q in case.service.questions.all()}
    for code, value in (case.answers or {}).items():
        if code not in known:
            raw = "، ".join(map(str, value)) if isinstance(value, list) else str(value)
            shown.append({"label": code, "value": raw, "numeric": False})
    return shown


@require_GET
@staff_view(READERS)
def case_detail(request: HttpRequest, desk: Desk, reference: str) -> HttpResponse:
    return _page(request, desk, _case(desk, reference))


@require_GET
@staff_view(READERS)
def case_photo(request: HttpRequest, desk: Desk, reference: str, photo_id: int) -> FileResponse:
    case = _case(desk, reference)
    photo = case.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _user_choice(raw: str) -> Any:
    return User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None


def _do(desk: Desk, case: Case, name: str, data: Any) -> str:
    """Run one action; the success message. Raises ValidationError / PermissionDenied."""
    actor = desk.user
    if name == "acknowledge":
        actions.do_acknowledge_case(case, actor=actor, message=data.get("message", ""))
        return _("Request acknowledged.")
    if name == "transition":
        target = data.get("status", "")
        if target not in Status.values:
            raise ValidationError(_("Choose the new status."))
        actions.do_transition_case(
            case,
            target,
            actor=actor,
            reason=data.get("reason", "") if target == Status.CLOSED_NOT_FIXED else "",
            message=data.get("message", ""),
        )
        return _("Status changed to “%(status)s”.") % {"status": Status(target).label}
    if name == "assign":
        department = None
        raw_department = to_ascii_digits(data.get("department", "")).strip()
        if raw_department:
            department = Department.objects.filter(
                pk=int(raw_department) if raw_department.isdigit() else 0,
                municipality=case.municipality_id,
            ).first()
            if department is None:
                raise ValidationError(_("Choose a department of this municipality."))
        raw = data.get("assignee", "")
        if raw == "none":
            actions.do_assign_case(case, actor=actor, department=department, unassign=True)
        else:
            assignee = _user_choice(raw) if raw else None
            if raw and assignee is None:
                raise ValidationError(_("Choose whom to assign the request to."))
            actions.do_assign_case(case, actor=actor, department=department, assignee=assignee)
        return _("Assignment saved.")
    if name == "priority":
        raw = data.get("priority", "")
        actions.do_set_case_priority(case, int(raw) if raw.isdigit() else 0, actor=actor)
        return _("Priority saved.")
    if name == "reply":
        actions.do_reply_to_case(case, data.get("message", ""), actor=actor)
        return _("Reply published.")
    if name == "note":
        actions.do_add_note(case, data.get("text", ""), actor=actor)
        return _("Note added.")
    if name == "reopen":
        actions.do_reopen_case(case, data.get("message", ""), actor=actor)
        return _("Request reopened.")
    if name == "merge":
        reference = to_ascii_digits(data.get("into", "")).strip().upper()
        if not reference:
            raise ValidationError(_("Enter the reference of the request this one duplicates."))
        # Scoped like every read: a reference of another city is simply not found.
        into = Case.objects.filter(municipality=case.municipality_id, reference=reference).first()
        if into is None:
            raise ValidationError(
                _("No request with reference %(reference)s.") % {"reference": reference}
            )
        actions.do_merge_case(case, into, actor=actor, message=data.get("message", ""))
        return _("Merged into %(reference)s.") % {"reference": into.reference}
    if name == "await":
        actions.do_await_citizen(case, data.get("message", ""), actor=actor)
        return _("Waiting for the citizen: the deadline is paused.")
    if name == "resume":
        actions.do_resume_case(case, actor=actor, message=data.get("message", ""))
        return _("Work resumed: the deadline runs again.")
    raise Http404


@require_POST
@staff_view(READERS)
def case_action(request: HttpRequest, desk: Desk, reference: str, name: str) -> HttpResponse:
    if name not in CASE_ACTIONS:
        raise Http404
    case = _case(desk, reference)
    try:
        text = _do(desk, case, name, request.POST)
    except PermissionDenied as exc:
        message = str(exc) or _("You may not do this.")
        return _page(request, desk, case, error=message, form=name, status=403)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        case.refresh_from_db()
        return _page(request, desk, case, error=message, form=name, status=400)
    messages.success(request, text)
    return redirect("backoffice:case", reference=case.reference, permanent=False)

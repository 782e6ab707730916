"""GET /backoffice/ (the inbox), POST /backoffice/bulk, GET /backoffice/inbox.csv."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from baladiyati.cases import actions, export
from baladiyati.cases.models import Priority, Status

from .. import choices
from ..access import READERS, WORKERS, Desk, staff_view
from ..inbox import QUICK_CAP, InboxFilter, bounded_count, page_of

QUICK = ("overdue", "mine", "unassigned")
BULK_LIMIT = 200


@require_GET
@staff_view(READERS)
def inbox(request: HttpRequest, desk: Desk) -> HttpResponse:
    flt = InboxFilter.parse(request.GET)
    base = flt.base(desk)
    qs = flt.apply(desk)
    cases, has_next = page_of(flt, qs)
    total, capped = bounded_count(qs)
    quick = []
    for name, label in (
        ("overdue", _("Overdue")),
        ("mine", _("Assigned to me")),
        ("unassigned", _("Unassigned")),
    ):
        count, more = bounded_count(flt.quick(base, desk, name), QUICK_CAP)
        quick.append(
            {
                "name": name,
                "label": label,
                "count": count,
                "capped": more,
                "active": getattr(flt, name),
                "toggle": flt.params(page=1, **{name: not getattr(flt, name)}),
            }
        )
    context: dict[str, Any] = {
        "desk": desk,
        "nav": "inbox",
        "flt": flt,
        "cases": cases,
        "total": total,
        "capped": capped,
        "quick": quick,
        "has_next": has_next,
        "next_page": flt.params(page=flt.page + 1) if has_next else "",
        "prev_page": flt.params(page=flt.page - 1) if flt.page > 1 else "",
        "export_query": flt.params(page=1),
        "this_query": flt.params(),
        "statuses": [
            ("open", _("All open")),
            ("closed", _("All closed")),
            ("all", _("All")),
            *Status.choices,
        ],
        "priorities": Priority.choices,
        "services": choices.services(desk),
        "districts": choices.districts(desk),
        "departments": choices.departments(desk) if desk.role != "clerk" else [],
        "assignable": choices.assignable(desk) if desk.works_cases else [],
        "sorts": [
            ("due", _("Due soonest")),
            ("-due", _("Due latest")),
            ("-created", _("Newest")),
            ("created", _("Oldest")),
            ("-priority", _("Highest priority")),
        ],
    }
    return render(request, "backoffice/inbox.html", context)


@require_POST
@staff_view(WORKERS)
def bulk(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Acknowledge or assign the ticked cases: each through its action, in its own
    transaction, so one refusal does not undo the others; each refusal is reported."""
    back = reverse("backoffice:inbox")
    query = request.POST.get("return", "")
    if query and not query.startswith("?") and "/" not in query and ":" not in query:
        back = f"{back}?{query}"
    action = request.POST.get("action", "")
    ids = [int(v) for v in request.POST.getlist("case") if v.isdigit()][:BULK_LIMIT]
    if not ids:
        messages.error(request, _("Tick at least one request."))
        return redirect(back)
    assignee = None
    if action == "assign":
        raw = request.POST.get("assignee", "")
        members = {str(m.user_id): m.user for m in choices.assignable(desk)}
        assignee = members.get(raw)
        if assignee is None:
            messages.error(request, _("Choose whom to assign the requests to."))
            return redirect(back)
    elif action != "acknowledge":
        messages.error(request, _("Choose what to do with the ticked requests."))
        return redirect(back)
    cases = {c.pk: c for c in desk.cases().filter(pk__in=ids)}
    done = 0
    for pk in ids:
        case = cases.get(pk)
        if case is None:
            messages.error(request, _("Request #%(id)d: not found.") % {"id": pk})
            continue
        try:
            if action == "assign":
                actions.do_assign_case(case, actor=desk.user, assignee=assignee)
            else:
                actions.do_acknowledge_case(case, actor=desk.user)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            problem = " ".join(getattr(exc, "messages", None) or [str(exc)])
            messages.error(
                request,
                _("%(reference)s: %(problem)s") % {"reference": case.reference, "problem": problem},
            )
    if done:
        if action == "assign":
            text = ngettext("%(count)d request assigned.", "%(count)d requests assigned.", done)
        else:
            text = ngettext(
                "%(count)d request acknowledged.", "%(count)d requests acknowledged.", done
            )
        messages.success(request, text % {"count": done})
    return redirect(back)


@require_GET
@staff_view(READERS)
def export_csv(request: HttpRequest, desk: Desk) -> StreamingHttpResponse:
    flt = InboxFilter.parse(request.GET)
    response = StreamingHttpResponse(
        export.stream_csv(flt.apply(desk)), content_type="text/csv; charset=utf-8"
    )
    name = export.filename(desk.municipality)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

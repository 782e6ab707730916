"""The reporter's private tracking page, /track/<tracking_token>: the case with its timeline,
expected date, replies and photos; the reporter's answer while the municipality awaits it;
and, once it is closed, reopening (within the window, with a reason) and the three-face
rating. The token is the only key; it is never guessed from the reference, and a wrong token
is a plain 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baladiyati.cases.actions import do_rate_case, do_reopen_case, do_resume_case
from baladiyati.cases.models import Case, CasePhoto

from ..casepage import page_context, with_case_relations
from ..inputs import text
from .cases import _photo_response


def by_token(token: str) -> Case:
    if not token or len(token) > 64 or "\x00" in token:
        raise Http404
    return get_object_or_404(with_case_relations(Case.objects.all()), tracking_token=token)


def _page(
    request: HttpRequest, case: Case, token: str, status: int = 200, **extra: object
) -> HttpResponse:
    context = page_context(case, token=token, viewer=request.user)
    context.update(tab="requests", **extra)
    response = render(request, "portal/case.html", context, status=status)
    # A private page: never kept by shared caches, and its address (the key) never sent to
    # another site in a Referer. ("no-referrer" would make its own forms fail CSRF checks:
    # browsers then send "Origin: null".)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def track(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, by_token(token), token)


def _messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@require_POST
def reopen(request: HttpRequest, token: str) -> HttpResponse:
    case = by_token(token)
    try:
        do_reopen_case(case, text(request.POST, "reason"), actor=request.user, token=token)
    except ValidationError as exc:
        return _page(
            request,
            case,
            token,
            status=400,
            reopen_errors=_messages(exc),
            reopen_reason=request.POST.get("reason", ""),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The request is open again. The municipality has been told."))
    return redirect("portal:track", token=token)


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    case = by_token(token)
    raw = request.POST.get("score", "")
    try:
        do_rate_case(
            case,
            int(raw) if raw.isdigit() else 0,
            actor=request.user,
            comment=text(request.POST, "comment"),
            token=token,
        )
    except ValidationError as exc:
        return _page(
            request,
            case,
            token,
            status=400,
            rate_errors=_messages(exc),
            rate_comment=request.POST.get("comment", ""),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Thank you for your rating."))
    return redirect("portal:track", token=token)


@require_POST
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter's answer to the municipality's question (a case awaiting the citizen)."""
    case = by_token(token)
    try:
        do_resume_case(case, actor=request.user, message=text(request.POST, "answer"), token=token)
    except ValidationError as exc:
        return _page(
            request,
            case,
            token,
            status=400,
            answer_errors=_messages(exc),
            answer_text=request.POST.get("answer", ""),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(
        request, _("Thank you. Your answer was sent and work on your request goes on.")
    )
    return redirect("portal:track", token=token)


@require_GET
def private_photo(request: HttpRequest, token: str, photo_id: int) -> FileResponse:
    case = by_token(token)
    return _photo_response(get_object_or_404(CasePhoto, case=case, pk=photo_id))

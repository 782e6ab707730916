"""Who is at the back office and what they may see.

Every view is wrapped by `staff_view`: signed in with password *and* a TOTP code
(django-otp's `is_verified`), an active staff membership, and a role the page allows.
`Desk` is what a view gets: the member, their municipality and the scoped case queryset.

Scoping (one place, tested by tests/test_permission_matrix.py):
- a clerk reads and works their own department's cases;
- agents, supervisors and admins read every case of their municipality; agents only read
  (and file for callers, and note), supervisors and admins work them;
- permit reviewers have no case work here;
- anything outside the scope is a 404, whether it is another city's or another
  department's: the page never tells that the object exists.

Contact details of reporters (phone, email) are shown in full to agents, supervisors and
admins, who talk to callers and handle complaints; a clerk sees the name and a masked phone
and email — they answer the reporter through public replies, which notify them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from baladiyati.accounts.models import Role, StaffMembership
from baladiyati.cases.models import Case
from baladiyati.cities.models import Municipality

READERS = frozenset({Role.AGENT, Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
WORKERS = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
CITY_WIDE = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
FILERS = frozenset({Role.AGENT, Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
EVERYONE = frozenset(Role.values)


@dataclass
class Desk:
    """The signed-in staff member's place: membership, municipality, what they may do."""

    membership: StaffMembership

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def municipality(self) -> Municipality:
        return self.membership.municipality

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def department_id(self) -> int | None:
        return self.membership.department_id

    @property
    def reads_cases(self) -> bool:
        return self.role in READERS

    @property
    def works_cases(self) -> bool:
        return self.role in WORKERS

    @property
    def city_wide(self) -> bool:
        return self.role in CITY_WIDE

    @property
    def sees_contacts(self) -> bool:
        return self.role in CITY_WIDE

    @property
    def moves_departments(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    def cases(self) -> Any:
        """Every case this member may read (a QuerySet; nothing for non-readers)."""
        qs = Case.objects.filter(municipality_id=self.membership.municipality_id)
        if self.role == Role.CLERK:
            return qs.filter(department_id=self.membership.department_id or 0)
        if self.role in CITY_WIDE:
            return qs
        return qs.none()

    def may_work(self, case: Case) -> bool:
        if self.role == Role.CLERK:
            return case.department_id == self.membership.department_id
        return self.role in WORKERS


# The municipality a member with several memberships chose to work in (views/cities.py).
CITY_SESSION_KEY = "backoffice_municipality"


def memberships_of(user: Any) -> Any:
    """The member's active memberships in active municipalities, first made first."""
    return (
        StaffMembership.objects.active()
        .filter(user=user, municipality__is_active=True)
        .select_related("municipality", "department", "user")
        .order_by("id")
    )


def desk_for(user: Any, municipality_id: Any = None) -> Desk | None:
    """The member's desk: one municipality at a time — the one chosen (`municipality_id`,
    from the session) when they are a member there, else their first membership."""
    cache = user.__dict__.setdefault("_backoffice_desk", {})
    key = municipality_id if isinstance(municipality_id, int) else None
    if key not in cache:
        membership = None
        if key is not None:
            membership = memberships_of(user).filter(municipality_id=key).first()
        if membership is None:
            membership = memberships_of(user).first()
        if membership is not None:
            membership.user = user  # the same object as request.user
        cache[key] = Desk(membership) if membership is not None else None
    desk: Desk | None = cache[key]
    return desk


def is_verified(user: Any) -> bool:
    """Signed in with a TOTP code too (django-otp's middleware adds `is_verified`)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if check is not None else False


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/forbidden.html", status=403)


def staff_view(
    roles: frozenset[str] = READERS,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Require a verified (password + TOTP) staff member whose role is in `roles`."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated or not is_verified(user):
                login = reverse("backoffice:login")
                return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            desk = desk_for(user, request.session.get(CITY_SESSION_KEY))
            if desk is None or desk.role not in roles:
                return forbidden(request)
            request.desk = desk  # type: ignore[attr-defined]
            return view(request, desk, *args, **kwargs)

        return wrapped

    return decorate

"""Who may do what with permit applications. One place, used by every action and page."""

from __future__ import annotations

from typing import Any

from baladiyati.accounts import permissions as staff
from baladiyati.accounts.models import Role

from .models import Application, OrganisationMember

# Roles that decide reviews, schedule and record inspections, issue completion certificates.
PERMIT_STAFF = {Role.PERMIT_REVIEWER, Role.SUPERVISOR, Role.ADMIN}


def is_permit_staff(user: Any, municipality_id: int) -> bool:
    m = staff.membership(user, municipality_id)
    return m is not None and m.is_active and m.role in PERMIT_STAFF


def opens_permit_desk(membership: Any) -> bool:
    """Whether a staff membership shows the back office's permit pages (and their link)."""
    return membership is not None and membership.is_active and membership.role in PERMIT_STAFF


def can_review(user: Any, municipality_id: int, department_id: int) -> bool:
    """A reviewer attached to a department decides that department's reviews only; one
    without a department, a supervisor or an admin decides any review of the city."""
    m = staff.membership(user, municipality_id)
    if m is None or not m.is_active or m.role not in PERMIT_STAFF:
        return False
    return m.role != Role.PERMIT_REVIEWER or not m.department_id or m.department_id == department_id


def is_office_member(user: Any, organisation_id: int | None) -> bool:
    if not organisation_id or not getattr(user, "is_authenticated", False):
        return False
    return OrganisationMember.objects.filter(
        organisation_id=organisation_id, user=user, is_active=True, organisation__is_active=True
    ).exists()


def is_applicant(user: Any, application: Application) -> bool:
    """The owner, whoever created it, or a member of the office acting for the owner."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (application.owner_id, application.created_by_id):
        return True
    return is_office_member(user, application.organisation_id)

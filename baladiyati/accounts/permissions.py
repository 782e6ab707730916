"""Who may do what, per municipality and department. One place, used by every action."""

from __future__ import annotations

from typing import Any

from .models import Role, StaffMembership

# Roles that work cases (acknowledge, assign, reply, transition, note).
CASE_WORKERS = {Role.CLERK, Role.SUPERVISOR, Role.ADMIN}
# Roles that may read every case of the municipality, whatever the department.
CITY_WIDE_READERS = {Role.AGENT, Role.SUPERVISOR, Role.ADMIN}


def membership(user: Any, municipality_id: int) -> StaffMembership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.membership(municipality_id)


def can_read_case(user: Any, municipality_id: int, department_id: int | None) -> bool:
    m = membership(user, municipality_id)
    if m is None:
        return False
    if m.role in CITY_WIDE_READERS:
        return True
    return m.role == Role.CLERK and m.department_id == department_id


def can_work_case(user: Any, municipality_id: int, department_id: int | None) -> bool:
    """Clerks work their department's cases; supervisors and admins every case of the city."""
    m = membership(user, municipality_id)
    if m is None or m.role not in CASE_WORKERS:
        return False
    return m.role != Role.CLERK or m.department_id == department_id


def can_file_for_caller(user: Any, municipality_id: int) -> bool:
    m = membership(user, municipality_id)
    return m is not None and m.role in {Role.AGENT, *CASE_WORKERS}

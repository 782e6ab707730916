"""The lists a back-office form offers: services, wilayats, departments, assignable staff."""

from __future__ import annotations

from typing import Any

from baladiyati.accounts.models import Role, StaffMembership
from baladiyati.cities.models import Department, District, Service

from .access import WORKERS, Desk


def services(desk: Desk, *, active_only: bool = False) -> list[Service]:
    qs = Service.objects.filter(municipality=desk.municipality)
    if desk.role == Role.CLERK:
        qs = qs.filter(department_id=desk.department_id or 0)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.select_related("group").order_by("group__order", "order", "id"))


def districts(desk: Desk) -> list[District]:
    return list(District.objects.filter(municipality=desk.municipality).order_by("order", "id"))


def departments(desk: Desk) -> list[Department]:
    return list(Department.objects.filter(municipality=desk.municipality).order_by("id"))


def assignable(desk: Desk, department_id: int | None = None) -> list[Any]:
    """Staff who may work cases: a clerk's own department (with supervisors and admins);
    `department_id` narrows to those who may work that department's cases."""
    department_id = desk.department_id if desk.role == Role.CLERK else department_id
    qs = (
        StaffMembership.objects.active()
        .filter(municipality=desk.municipality, role__in=WORKERS)
        .select_related("user", "department")
        .order_by("role", "user__first_name", "user__username")
    )
    members = list(qs)
    if department_id is not None:
        members = [m for m in members if m.role != Role.CLERK or m.department_id == department_id]
    return members

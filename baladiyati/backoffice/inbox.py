"""The inbox: which cases a filter names, in what order, and bounded counts.

Built for a municipality with 100,000 open cases: the page is read through the inbox indexes
(`case_inbox`: municipality, due time, status; `case_department` with the department) in due
order, and counts stop at COUNT_CAP — "1,000+" costs the same whatever the backlog, where an
exact COUNT would read every open case on every page view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.http import urlencode

from baladiyati.accounts.models import Role
from baladiyati.cases.models import CLOSED_STATUSES, OPEN_STATUSES, Case, Priority, Status
from baladiyati.core import clock
from baladiyati.core.text import search_terms, to_ascii_digits

from .access import Desk

PAGE_SIZE = 50
COUNT_CAP = 1000
# The quick filters' chips say "99+" beyond this: a number to glance at, and the unassigned
# count reads table rows (the assignee is not in the inbox index), so it stops early.
QUICK_CAP = 99
REFERENCE = re.compile(r"^[A-Za-z]{2,6}-\d{4}-\d{1,9}$")
SORTS = {
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "-priority": ("-priority", "due_at", "id"),
}
STATUS_CHOICES = ("open", "closed", "all", *Status.values)


def _int(raw: str | None) -> int | None:
    text = to_ascii_digits(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


@dataclass
class InboxFilter:
    status: str = "open"
    service: int | None = None
    district: int | None = None
    department: int | None = None
    priority: int | None = None
    overdue: bool = False
    mine: bool = False
    unassigned: bool = False
    q: str = ""
    sort: str = "due"
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, data: QueryDict) -> InboxFilter:
        """Unknown values fall back to the default (the inbox always opens)."""
        status = data.get("status", "open")
        priority = _int(data.get("priority"))
        sort = data.get("sort", "due")
        return cls(
            status=status if status in STATUS_CHOICES else "open",
            service=_int(data.get("service")),
            district=_int(data.get("wilayat")),
            department=_int(data.get("department")),
            priority=priority if priority in Priority.values else None,
            overdue=data.get("overdue") == "1",
            mine=data.get("mine") == "1",
            unassigned=data.get("unassigned") == "1",
            q=(data.get("q") or "").strip()[:200],
            sort=sort if sort in SORTS else "due",
            page=max(1, min(_int(data.get("page")) or 1, 10_000)),
        )

    def params(self, **changes: Any) -> str:
        """The query string of this filter with `changes` (None/False/"" drop a key)."""
        values: dict[str, Any] = {
            "status": self.status,
            "service": self.service,
            "wilayat": self.district,
            "department": self.department,
            "priority": self.priority,
            "overdue": 1 if self.overdue else None,
            "mine": 1 if self.mine else None,
            "unassigned": 1 if self.unassigned else None,
            "q": self.q,
            "sort": self.sort,
            "page": self.page,
        }
        values.update(changes)
        values = {k: (1 if v is True else None if v is False else v) for k, v in values.items()}
        if values.get("status") == "open":
            values["status"] = None
        if values.get("sort") == "due":
            values["sort"] = None
        if values.get("page") == 1:
            values["page"] = None
        return urlencode({k: v for k, v in values.items() if v not in (None, False, "")})

    def base(self, desk: Desk) -> QuerySet[Case]:
        """Every filter but the quick ones (overdue, mine, unassigned) and the page."""
        qs = desk.cases()
        if self.status == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif self.status == "closed":
            qs = qs.filter(status__in=CLOSED_STATUSES)
        elif self.status != "all":
            qs = qs.filter(status=self.status)
        if self.department and desk.role != Role.CLERK:
            qs = qs.filter(department_id=self.department)
        if self.service:
            qs = qs.filter(service_id=self.service)
        if self.district:
            qs = qs.filter(district_id=self.district)
        if self.priority:
            qs = qs.filter(priority=self.priority)
        if self.q:
            text = to_ascii_digits(self.q)
            if REFERENCE.match(text):
                qs = qs.filter(reference=text.upper())
            else:
                for term in search_terms(text).split():
                    qs = qs.filter(
                        Q(search_text__startswith=term) | Q(search_text__contains=f" {term}")
                    )
        return qs

    def quick(self, qs: QuerySet[Case], desk: Desk, name: str) -> QuerySet[Case]:
        if name == "overdue":
            return qs.filter(status__in=OPEN_STATUSES, due_at__lt=clock.now())
        if name == "mine":
            return qs.filter(assignee_id=desk.user.pk)
        if name == "unassigned":
            return qs.filter(assignee__isnull=True)
        return qs

    def apply(self, desk: Desk) -> QuerySet[Case]:
        qs = self.base(desk)
        for name in ("overdue", "mine", "unassigned"):
            if getattr(self, name):
                qs = self.quick(qs, desk, name)
        return qs

    def ordered(self, qs: QuerySet[Case]) -> QuerySet[Case]:
        return qs.order_by(*SORTS[self.sort])


def bounded_count(qs: QuerySet[Case], cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): an exact count up to `cap`, else (cap, True). One query."""
    cap = cap or COUNT_CAP
    n = qs.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


def page_of(flt: InboxFilter, qs: QuerySet[Case]) -> tuple[list[Case], bool]:
    """The cases of the page asked for, and whether another page follows. One query."""
    start = (flt.page - 1) * PAGE_SIZE
    rows = list(
        flt.ordered(qs).select_related("service", "district", "department", "assignee")[
            start : start + PAGE_SIZE + 1
        ]
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE

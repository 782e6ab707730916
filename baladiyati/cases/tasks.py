"""Background tasks of the cases domain (django-tasks; the database backend in production).

`scan_deadlines` is run every minute by `manage.py run_worker` (cases/management/commands):
it reads only the cases whose next SLA check has come (`Case.objects.sla_check_due()`,
index `case_sla_check`) and hands each to `actions.do_check_case_deadline`, which warns at
80 % of the allowed working time and flags and escalates on breach. Idempotent: a case is
warned and escalated once per clock (a reopen starts a new one), so running the scan twice,
or from two workers at once, never sends anything twice (each case is re-read under a lock).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django_tasks import task

from baladiyati.core import clock

from .actions import do_check_case_deadline
from .models import Case

logger = logging.getLogger("baladiyati.cases")

BATCH = 500  # cases per run: a backlog is worked off over the next minutes


@dataclass(frozen=True)
class ScanResult:
    checked: int
    warned: int
    escalated: int


def scan(limit: int = BATCH) -> ScanResult:
    at = clock.now()
    ids = list(
        Case.objects.sla_check_due(at)
        .order_by("sla_next_check_at")
        .values_list("pk", flat=True)[:limit]
    )
    before = {
        pk: (w, e)
        for pk, w, e in Case.objects.filter(pk__in=ids).values_list(
            "pk", "sla_warned_at", "escalated_at"
        )
    }
    warned = escalated = 0
    for pk in ids:
        try:
            case = do_check_case_deadline(Case(pk=pk), at=at)
        except Exception:  # one broken case (its transaction rolled back) must not stop the rest
            logger.exception("SLA check of case %s failed", pk)
            continue
        was_warned, was_escalated = before.get(pk, (None, None))
        warned += was_warned is None and case.sla_warned_at is not None
        escalated += was_escalated is None and case.escalated_at is not None
    if ids:
        logger.info("SLA scan: %s checked, %s warned, %s escalated", len(ids), warned, escalated)
    return ScanResult(checked=len(ids), warned=warned, escalated=escalated)


@task()
def scan_deadlines() -> dict[str, int]:
    result = scan()
    return {"checked": result.checked, "warned": result.warned, "escalated": result.escalated}

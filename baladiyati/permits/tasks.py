"""Background tasks of the permits domain (django-tasks; run by `manage.py run_worker`).

`scan_overdue_reviews` runs every minute: it reads the active review rounds whose due time
has passed and that were not yet reported (index `permit_round_overdue`), and hands each to
`actions.do_flag_overdue_round`, which tells the reviewers of the departments still to
decide and the city's supervisors, once. Idempotent: a flagged round is never told again,
and two workers scanning together serialise on the round's lock.
"""

from __future__ import annotations

import logging

from django_tasks import task

from baladiyati.core import clock

from .actions import do_flag_overdue_round
from .models import ReviewRound

logger = logging.getLogger("baladiyati.permits")

BATCH = 500


def scan(limit: int = BATCH) -> int:
    """Flag the overdue rounds; how many were newly flagged."""
    at = clock.now()
    ids = list(
        ReviewRound.objects.filter(is_active=True, overdue_notified_at__isnull=True, due_at__lte=at)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    flagged = 0
    for pk in ids:
        try:
            flagged += do_flag_overdue_round(ReviewRound(pk=pk), at=at)
        except Exception:  # one broken round (rolled back) must not stop the rest
            logger.exception("Overdue check of review round %s failed", pk)
    if flagged:
        logger.info("Overdue reviews: %s rounds reported", flagged)
    return flagged


@task()
def scan_overdue_reviews() -> int:
    return scan()

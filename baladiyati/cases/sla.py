"""SLA deadlines on the working calendar: due time, 80 % warning, pauses, breach.

A case's clock starts on submit (and again on each reopen) with the service's `sla_hours` of
*working* time (cities.calendar.WorkingTime: weekend, holidays, working hours). While the
case awaits the citizen the clock stops: on resuming, the due time and the warning time move
later by the working time that passed while paused (a deadline that had already passed when
the pause began stays where it was: pausing never undoes a breach). The periodic scan
(cases.tasks.scan_deadlines) warns at WARN_FRACTION of the allowed time and, on breach, flags
the case and escalates it to the municipality's supervisors.

The functions here compute field values; the actions (cases.actions) write them. Each returns
the changes as a dict so that `_apply` audits them with everything else the action changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from baladiyati.cities.calendar import WorkingTime
from baladiyati.core import clock

from .models import OPEN_STATUSES, Case

WARN_FRACTION = 0.8

# The SLA fields an action may change; audited with the case's other fields.
SLA_FIELDS = [
    "sla_started_at",
    "sla_warn_at",
    "sla_paused_at",
    "sla_paused_seconds",
    "sla_warned_at",
    "breached_at",
    "escalated_at",
]


def deadlines(
    engine: WorkingTime, start: dt.datetime, sla_hours: float
) -> tuple[dt.datetime, dt.datetime]:
    """(warning time, due time) for a clock started at `start` with `sla_hours` working hours."""
    allowed = dt.timedelta(hours=float(sla_hours))
    return engine.add(start, allowed * WARN_FRACTION), engine.add(start, allowed)


def shifted(
    engine: WorkingTime, moment: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime
) -> dt.datetime:
    """`moment` moved later by the working time between `paused_at` and `resumed_at`.

    A moment already reached when the pause began does not move; nor does anything when the
    pause held no working time (a weekend), so pausing never shortens a deadline.
    """
    if moment <= paused_at:
        return moment
    paused = engine.between(paused_at, resumed_at)
    if paused <= dt.timedelta(0):
        return moment
    return engine.add(moment, paused)


def next_check(
    *,
    status: str,
    paused_at: dt.datetime | None,
    warn_at: dt.datetime | None,
    due_at: dt.datetime | None,
    warned_at: dt.datetime | None,
    breached_at: dt.datetime | None,
) -> dt.datetime | None:
    """When the scan must next look at a case: its warning time, then its due time."""
    if status not in OPEN_STATUSES or paused_at is not None or breached_at is not None:
        return None
    if warned_at is None and warn_at is not None:
        return warn_at
    return due_at


def _with_next_check(case: Case, changes: dict[str, Any]) -> dict[str, Any]:
    def value(name: str) -> Any:
        return changes[name] if name in changes else getattr(case, name)

    changes["sla_next_check_at"] = next_check(
        status=value("status"),
        paused_at=value("sla_paused_at"),
        warn_at=value("sla_warn_at"),
        due_at=value("due_at"),
        warned_at=value("sla_warned_at"),
        breached_at=value("breached_at"),
    )
    return changes


def start_clock(engine: WorkingTime, start: dt.datetime, sla_hours: float) -> dict[str, Any]:
    """The fields of a clock starting now (a new case): due, warning and the first check."""
    warn_at, due_at = deadlines(engine, start, sla_hours)
    return {
        "due_at": due_at,
        "sla_started_at": start,
        "sla_warn_at": warn_at,
        "sla_next_check_at": warn_at,
    }


def restart_clock(case: Case, at: dt.datetime, changes: dict[str, Any]) -> dict[str, Any]:
    """A reopened case starts a new clock: new deadlines, no warning or breach yet.

    The paused total is kept (it describes the case's life); the earlier breach stays in the
    audit trail.
    """
    engine = case.municipality.calendar.engine()
    warn_at, due_at = deadlines(engine, at, case.service.sla_hours)
    changes.update(
        due_at=due_at,
        sla_started_at=at,
        sla_warn_at=warn_at,
        sla_paused_at=None,
        sla_warned_at=None,
        breached_at=None,
        escalated_at=None,
    )
    return _with_next_check(case, changes)


def pause(case: Case, at: dt.datetime) -> dict[str, Any]:
    return _with_next_check(case, {"sla_paused_at": at})


def resume(case: Case, at: dt.datetime, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """End a pause: deadlines move later by the working time paused."""
    changes = dict(changes or {})
    paused_at = case.sla_paused_at
    if paused_at is None:
        return _with_next_check(case, changes)
    engine = case.municipality.calendar.engine()
    paused = engine.between(paused_at, at)
    changes["sla_paused_at"] = None
    changes["sla_paused_seconds"] = (case.sla_paused_seconds or 0) + int(paused.total_seconds())
    changes["due_at"] = shifted(engine, case.due_at, paused_at, at)
    if case.sla_warn_at is not None and case.sla_warned_at is None:
        changes["sla_warn_at"] = shifted(engine, case.sla_warn_at, paused_at, at)
    return _with_next_check(case, changes)


def closing(case: Case, at: dt.datetime, changes: dict[str, Any]) -> dict[str, Any]:
    """A case leaving the open statuses: a pause ends and no more checks are due."""
    if case.sla_paused_at is not None:
        engine = case.municipality.calendar.engine()
        changes["sla_paused_at"] = None
        changes["sla_paused_seconds"] = (case.sla_paused_seconds or 0) + int(
            engine.between(case.sla_paused_at, at).total_seconds()
        )
    return _with_next_check(case, changes)


def check(case: Case, at: dt.datetime) -> dict[str, Any]:
    """What the periodic scan changes on `case` at `at`: warned, breached, escalated.

    Empty when nothing is due, so running the scan twice changes nothing the second time.
    """
    if case.status not in OPEN_STATUSES or case.sla_paused_at is not None:
        if case.sla_next_check_at is not None:
            return {"sla_next_check_at": None}
        return {}
    changes: dict[str, Any] = {}
    if case.sla_warned_at is None and case.sla_warn_at is not None and case.sla_warn_at <= at:
        changes["sla_warned_at"] = at
    if case.breached_at is None and case.due_at <= at:
        changes["breached_at"] = at
        changes["escalated_at"] = at
        if case.sla_warned_at is None:
            changes["sla_warned_at"] = at  # the warning is part of the escalation now
    changes = _with_next_check(case, changes)
    if changes == {"sla_next_check_at": case.sla_next_check_at}:
        return {}
    return changes


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SlaState:
    due_at: dt.datetime
    warn_at: dt.datetime | None
    paused: bool
    remaining: dt.timedelta  # working time left; negative once overdue
    used_fraction: float  # of the allowed working time (paused time not counted)
    level: str  # "ok" | "warning" | "breached" | "paused" | "closed"


def status_of(case: Case, at: dt.datetime | None = None) -> SlaState:
    """How the case stands against its deadline, for badges and the case page."""
    at = at or clock.now()
    engine = case.municipality.calendar.engine()
    until = case.sla_paused_at or at
    if case.due_at >= until:
        remaining = engine.between(until, case.due_at)
    else:
        remaining = -engine.between(case.due_at, until)
    allowed = dt.timedelta(hours=float(case.service.sla_hours))
    used = (allowed - remaining) / allowed if allowed else 1.0
    if case.status not in OPEN_STATUSES:
        level = "closed"
    elif case.sla_paused_at is not None:
        level = "paused"
    elif case.breached_at is not None or case.due_at <= at:
        level = "breached"
    elif case.sla_warned_at is not None or (case.sla_warn_at and case.sla_warn_at <= at):
        level = "warning"
    else:
        level = "ok"
    return SlaState(
        due_at=case.due_at,
        warn_at=case.sla_warn_at,
        paused=case.sla_paused_at is not None,
        remaining=remaining,
        used_fraction=max(0.0, used),
        level=level,
    )

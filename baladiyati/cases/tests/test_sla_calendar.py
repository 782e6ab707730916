"""cases.sla: deadlines on the working calendar, pauses, the 80 % warning (properties)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from baladiyati.cases import sla
from baladiyati.cities.calendar import WorkingTime

MUSCAT_TZ = ZoneInfo("Asia/Muscat")
NATIONAL_DAY = dt.date(2026, 11, 18)  # a Wednesday
MUSCAT = WorkingTime(
    tz=MUSCAT_TZ,
    weekend=frozenset({4, 5}),  # Friday, Saturday
    holidays=frozenset({NATIONAL_DAY}),
    day_start=dt.time(7, 30),
    day_end=dt.time(14, 30),
)


def muscat(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=MUSCAT_TZ)


instants = st.datetimes(
    min_value=dt.datetime(2026, 1, 1),
    max_value=dt.datetime(2027, 12, 31),
    timezones=st.just(dt.UTC),
)
sla_hours = st.integers(min_value=1, max_value=200)
gaps = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20))


@settings(deadline=None, max_examples=150)
@given(start=instants, hours=sla_hours)
def test_the_warning_comes_before_the_due_time_and_both_in_working_hours(
    start: dt.datetime, hours: int
) -> None:
    warn_at, due_at = sla.deadlines(MUSCAT, start, hours)
    assert start <= warn_at <= due_at
    assert MUSCAT.is_working_moment(warn_at) and MUSCAT.is_working_moment(due_at)
    # Never on a Friday, a Saturday or a public holiday.
    for moment in (warn_at, due_at):
        local = moment.astimezone(MUSCAT_TZ).date()
        assert local.weekday() not in (4, 5) and local != NATIONAL_DAY
    allowed = dt.timedelta(hours=hours)
    assert MUSCAT.between(start, due_at) == allowed
    assert abs(MUSCAT.between(start, warn_at) - allowed * sla.WARN_FRACTION) < dt.timedelta(
        seconds=1
    )


@settings(deadline=None, max_examples=150)
@given(start=instants, hours=sla_hours, before_pause=gaps, pause=gaps)
def test_pausing_never_shortens_a_deadline_and_the_warning_stays_first(
    start: dt.datetime, hours: int, before_pause: dt.timedelta, pause: dt.timedelta
) -> None:
    warn_at, due_at = sla.deadlines(MUSCAT, start, hours)
    paused_at = start + before_pause
    resumed_at = paused_at + pause
    new_due = sla.shifted(MUSCAT, due_at, paused_at, resumed_at)
    new_warn = sla.shifted(MUSCAT, warn_at, paused_at, resumed_at)
    assert new_due >= due_at
    assert new_warn >= warn_at
    assert new_warn <= new_due
    paused = MUSCAT.between(paused_at, resumed_at)
    if due_at > paused_at:
        # The working time left after resuming is what was left when the pause began.
        assert MUSCAT.between(paused_at, due_at) == MUSCAT.between(resumed_at, new_due) or (
            paused == dt.timedelta(0) and new_due == due_at
        )
    else:
        assert new_due == due_at  # a deadline already missed stays missed


@settings(deadline=None, max_examples=100)
@given(start=instants, hours=sla_hours, first=gaps, second=gaps)
def test_two_pauses_shift_the_deadline_by_their_total_working_time(
    start: dt.datetime, hours: int, first: dt.timedelta, second: dt.timedelta
) -> None:
    _warn, due_at = sla.deadlines(MUSCAT, start, hours)
    a = start
    b = a + first
    c = b + dt.timedelta(hours=1)
    d = c + second
    after_first = sla.shifted(MUSCAT, due_at, a, b)
    due = sla.shifted(MUSCAT, after_first, c, d)
    # A pause that begins once the deadline is reached does not move it (a breach stays).
    paused = MUSCAT.between(a, b) + (MUSCAT.between(c, d) if c < after_first else dt.timedelta())
    # Working time from the start to the new deadline: the allowance plus the time paused.
    assert MUSCAT.between(start, due) == dt.timedelta(hours=hours) + paused


def test_a_pause_over_the_weekend_moves_nothing() -> None:
    # Thursday 14:30 (closing) to Sunday 07:30 (opening): no working time passes.
    due = muscat(2026, 11, 29, 10, 0)
    assert (
        sla.shifted(MUSCAT, due, muscat(2026, 11, 26, 14, 30), muscat(2026, 11, 29, 7, 30)) == due
    )


def test_a_report_on_thursday_afternoon_is_due_after_the_weekend() -> None:
    # Thursday 26 November 13:00 + 14 working hours: 1.5 h on Thursday, Sunday's 7 h,
    # then 5.5 h on Monday → Monday 13:00. Friday and Saturday do not count.
    warn_at, due_at = sla.deadlines(MUSCAT, muscat(2026, 11, 26, 13, 0), 14)
    assert due_at == muscat(2026, 11, 30, 13, 0)
    # 80 % = 11.2 h: 1.5 h Thursday + 7 h Sunday + 2.7 h Monday → Monday 10:12.
    assert warn_at == muscat(2026, 11, 30, 10, 12)


def test_the_national_day_holiday_does_not_count() -> None:
    # Tuesday 17 November 14:00 + 1 h: 0.5 h Tuesday, Wednesday 18 is a holiday → Thursday 08:00.
    _warn, due_at = sla.deadlines(MUSCAT, muscat(2026, 11, 17, 14, 0), 1)
    assert due_at == muscat(2026, 11, 19, 8, 0)


def test_the_next_check_is_the_warning_then_the_due_time_then_nothing() -> None:
    w, d = muscat(2026, 11, 30, 10), muscat(2026, 11, 30, 13)
    common = {"paused_at": None, "warn_at": w, "due_at": d, "breached_at": None}
    assert sla.next_check(status="submitted", warned_at=None, **common) == w
    assert sla.next_check(status="submitted", warned_at=w, **common) == d
    assert sla.next_check(status="fixed", warned_at=None, **common) is None
    assert (
        sla.next_check(
            status="in_progress",
            warned_at=w,
            **{**common, "breached_at": d},  # type: ignore[arg-type]
        )
        is None
    )
    assert (
        sla.next_check(status="acknowledged", warned_at=None, **{**common, "paused_at": w}) is None
    )

"""Working time: add N working hours to an instant, and measure working time between two.

Pure and database-free so it can be property-tested and used in bulk (one WorkingTime per
municipality, built by `WorkingCalendar.engine()`). A moment is "working" when it falls on a
working day (not a weekend day, not a holiday) between day_start and day_end inclusive, in the
municipality's time zone. SLA due times (cases) and review deadlines (permits) depend on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

# Far more than any SLA needs; stops a loop if a calendar were ever all holidays.
MAX_DAYS = 366 * 30


@dataclass(frozen=True)
class WorkingTime:
    tz: ZoneInfo
    weekend: frozenset[int]  # date.weekday(): Monday=0 … Friday=4, Saturday=5
    holidays: frozenset[dt.date]
    day_start: dt.time
    day_end: dt.time

    def __post_init__(self) -> None:
        if self.day_end <= self.day_start:
            raise ValueError("the working day must end after it starts")
        if len(self.weekend) >= 7:
            raise ValueError("a calendar needs at least one working weekday")

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def _open_close(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.day_start, tzinfo=self.tz),
            dt.datetime.combine(day, self.day_end, tzinfo=self.tz),
        )

    def is_working_moment(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(self.tz)
        if not self.is_working_day(local.date()):
            return False
        opens, closes = self._open_close(local.date())
        return opens <= local <= closes

    def add(self, start: dt.datetime, hours: float | Decimal | dt.timedelta) -> dt.datetime:
        """The instant `hours` working hours after `start` (which may be outside hours)."""
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        remaining = hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=float(hours))
        if remaining < dt.timedelta(0):
            raise ValueError("hours must not be negative")
        current = start.astimezone(self.tz)
        day = current.date()
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self._open_close(day)
                current = max(current, opens)
                if current <= closes:
                    available = closes - current
                    if remaining <= available:
                        return current + remaining
                    remaining -= available
            day += dt.timedelta(days=1)
            current = dt.datetime.combine(day, dt.time.min, tzinfo=self.tz)
        raise ValueError("no working time found within the calendar's range")

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time elapsed from `start` to `end` (zero when end is not after start)."""
        if end <= start:
            return dt.timedelta(0)
        a, b = start.astimezone(self.tz), end.astimezone(self.tz)
        total = dt.timedelta(0)
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                opens, closes = self._open_close(day)
                lo, hi = max(a, opens), min(b, closes)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> Decimal:
        """Elapsed working time expressed in working days (permit issue times)."""
        day_length = dt.datetime.combine(dt.date.min, self.day_end) - dt.datetime.combine(
            dt.date.min, self.day_start
        )
        return (
            Decimal(self.between(start, end) / dt.timedelta(seconds=1))
            / Decimal(day_length / dt.timedelta(seconds=1))
        ).quantize(Decimal("0.01"))

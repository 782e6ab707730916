"""WorkingTime (adding and measuring working hours) and WorkingCalendar, its database side."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from baladiyati.cities.calendar import WorkingTime
from baladiyati.cities.models import Holiday, Municipality, WorkingCalendar, validate_weekend
from baladiyati.testing import BaseTestCase, box

MUSCAT_TZ = ZoneInfo("Asia/Muscat")
NATIONAL_DAY = dt.date(2026, 11, 18)  # a Wednesday


def muscat_time(**overrides: object) -> WorkingTime:
    """Muscat's calendar: Friday–Saturday weekend, 07:30–14:30, National Day off."""
    fields: dict[str, object] = {
        "tz": MUSCAT_TZ,
        "weekend": frozenset({4, 5}),
        "holidays": frozenset({NATIONAL_DAY}),
        "day_start": dt.time(7, 30),
        "day_end": dt.time(14, 30),
    }
    fields.update(overrides)
    return WorkingTime(**fields)  # type: ignore[arg-type]


def muscat(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=MUSCAT_TZ)


# ---------------------------------------------------------------------------- properties

fixed_offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
named_zones = st.sampled_from(
    [ZoneInfo(name) for name in ("UTC", "Asia/Muscat", "Asia/Kolkata", "America/New_York")]
)
instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2060, 12, 31),
    timezones=st.one_of(fixed_offsets, named_zones),
)
hours = st.one_of(
    st.integers(min_value=0, max_value=2000),
    st.floats(min_value=0, max_value=2000, allow_nan=False, allow_infinity=False),
)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingTime:
    """Any sensible calendar: up to five weekend days, holidays, a day of at least an hour."""
    start_minute = draw(st.integers(min_value=0, max_value=22 * 60))
    length = draw(st.integers(min_value=60, max_value=24 * 60 - 1 - start_minute))
    end_minute = start_minute + length
    return WorkingTime(
        tz=draw(
            st.sampled_from(
                [MUSCAT_TZ, ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC"), ZoneInfo("Europe/London")]
            )
        ),
        weekend=frozenset(draw(st.sets(st.integers(min_value=0, max_value=6), max_size=5))),
        holidays=frozenset(
            draw(
                st.sets(
                    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2061, 12, 31)),
                    max_size=40,
                )
            )
        ),
        day_start=dt.time(start_minute // 60, start_minute % 60),
        day_end=dt.time(end_minute // 60, end_minute % 60),
    )


@settings(deadline=None)  # each example walks up to a year of days; CI machines are slow
@given(calendar=calendars(), start=instants, n=hours)
def test_the_due_time_always_falls_in_working_hours(
    calendar: WorkingTime, start: dt.datetime, n: float
) -> None:
    due = calendar.add(start, n)
    assert calendar.is_working_moment(due)
    assert due >= start


@settings(deadline=None)
@given(start=instants, n=hours)
def test_the_due_time_in_muscat_is_never_on_a_weekend_or_holiday(
    start: dt.datetime, n: float
) -> None:
    calendar = muscat_time()
    local = calendar.add(start, n).astimezone(MUSCAT_TZ)
    assert local.weekday() not in (4, 5)
    assert local.date() != NATIONAL_DAY
    assert dt.time(7, 30) <= local.time() <= dt.time(14, 30)


@settings(deadline=None)  # each example walks up to a year of days; CI machines are slow
@given(calendar=calendars(), start=instants, n1=hours, n2=hours)
def test_more_hours_never_give_an_earlier_due_time(
    calendar: WorkingTime, start: dt.datetime, n1: float, n2: float
) -> None:
    n1, n2 = sorted((n1, n2))
    assert calendar.add(start, n1) <= calendar.add(start, n2)


@settings(deadline=None)  # each example walks up to a year of days; CI machines are slow
@given(calendar=calendars(), start=instants, n=hours)
def test_the_working_time_up_to_the_due_time_is_what_was_added(
    calendar: WorkingTime, start: dt.datetime, n: float
) -> None:
    assert calendar.between(start, calendar.add(start, n)) == dt.timedelta(hours=n)


# ---------------------------------------------------------------------------- examples


def test_it_skips_the_friday_saturday_weekend() -> None:
    wednesday = muscat(2026, 11, 25, 11, 42)
    assert muscat_time().add(wednesday, 14) == muscat(2026, 11, 29, 11, 42)  # Sunday


def test_it_reads_the_start_in_any_time_zone() -> None:
    wednesday_in_utc = dt.datetime(2026, 11, 25, 7, 42, tzinfo=dt.UTC)  # 11:42 in Muscat
    assert muscat_time().add(wednesday_in_utc, 14) == muscat(2026, 11, 29, 11, 42)


def test_it_skips_a_holiday() -> None:
    tuesday = muscat(2026, 11, 17, 11, 42)
    # Wednesday 18 November is National Day: Thursday's seven hours, then Sunday.
    assert muscat_time().add(tuesday, 14) == muscat(2026, 11, 22, 11, 42)
    assert muscat_time(holidays=frozenset()).add(tuesday, 14) == muscat(2026, 11, 19, 11, 42)


def test_a_start_on_friday_night_counts_from_sunday_morning() -> None:
    friday_night = muscat(2026, 11, 27, 22, 15)
    assert muscat_time().add(friday_night, 1) == muscat(2026, 11, 29, 8, 30)


def test_zero_hours_outside_working_hours_moves_to_the_next_opening() -> None:
    thursday_afternoon = muscat(2026, 11, 26, 16, 0)
    assert muscat_time().add(thursday_afternoon, 0) == muscat(2026, 11, 29, 7, 30)
    early_monday = muscat(2026, 11, 30, 6, 0)
    assert muscat_time().add(early_monday, 0) == muscat(2026, 11, 30, 7, 30)


def test_zero_hours_inside_working_hours_is_the_start_itself() -> None:
    monday = muscat(2026, 11, 30, 9, 5)
    assert muscat_time().add(monday, 0) == monday


def test_a_full_working_day_ends_at_closing_time_not_next_morning() -> None:
    assert muscat_time().add(muscat(2026, 11, 30, 7, 30), 7) == muscat(2026, 11, 30, 14, 30)
    assert muscat_time().add(muscat(2026, 11, 30, 14, 30), 0.5) == muscat(2026, 12, 1, 8, 0)


def test_it_accepts_fractional_decimal_and_timedelta_durations() -> None:
    monday = muscat(2026, 11, 30, 8, 0)
    assert muscat_time().add(monday, 1.5) == muscat(2026, 11, 30, 9, 30)
    assert muscat_time().add(monday, Decimal("0.25")) == muscat(2026, 11, 30, 8, 15)
    assert muscat_time().add(monday, dt.timedelta(minutes=90)) == muscat(2026, 11, 30, 9, 30)


def test_it_refuses_negative_hours_and_naive_starts() -> None:
    with pytest.raises(ValueError, match="negative"):
        muscat_time().add(muscat(2026, 11, 30, 8, 0), -1)
    with pytest.raises(ValueError, match="aware"):
        muscat_time().add(dt.datetime(2026, 11, 30, 8, 0), 1)


def test_between_counts_only_working_time() -> None:
    calendar = muscat_time()
    start, end = muscat(2026, 11, 25, 11, 42), muscat(2026, 11, 29, 11, 42)
    assert calendar.between(start, end) == dt.timedelta(hours=14)
    assert calendar.between(end, start) == dt.timedelta(0)
    assert calendar.working_days_between(start, end) == Decimal("2.00")


def test_a_calendar_needs_a_working_day_and_a_day_that_ends_after_it_starts() -> None:
    with pytest.raises(ValueError, match="end after"):
        muscat_time(day_start=dt.time(14, 0), day_end=dt.time(14, 0))
    with pytest.raises(ValueError, match="working weekday"):
        muscat_time(weekend=frozenset(range(7)))


@pytest.mark.parametrize("weekend", [[4, 5], [], [6], [0, 1, 2, 3, 4, 5]])
def test_it_accepts_weekends_that_leave_a_working_day(weekend: list[int]) -> None:
    validate_weekend(weekend)


@pytest.mark.parametrize("weekend", [[7], [-1], ["fri"], "4,5", None, [0, 1, 2, 3, 4, 5, 6]])
def test_it_refuses_impossible_weekends(weekend: object) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_weekend(weekend)
    assert exc.value.code == "invalid_weekend"


# ---------------------------------------------------------------------------- database side


class WorkingCalendarTest(BaseTestCase):
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.objects.get(municipality=self.muscat)

    def test_every_new_municipality_gets_the_omani_calendar(self) -> None:
        nizwa = Municipality.objects.create(
            slug="nizwa",
            code="NZW",
            name_ar="بلدية نزوى",
            name_en="Nizwa",
            boundary=box(57.4, 22.8, 57.7, 23.0),
        )
        calendar = WorkingCalendar.objects.get(municipality=nizwa)
        assert calendar.weekend_days == [4, 5]
        assert (calendar.day_start, calendar.day_end) == (dt.time(7, 30), dt.time(14, 30))

    def test_the_engine_follows_the_municipality_time_zone_and_holidays(self) -> None:
        engine = self.calendar().engine()
        assert engine.tz == MUSCAT_TZ
        assert not engine.is_working_day(NATIONAL_DAY)
        assert engine.is_working_day(dt.date(2026, 11, 17))

    def test_the_engine_picks_up_a_newly_added_holiday(self) -> None:
        calendar = self.calendar()
        eid = dt.date(2026, 12, 2)  # a Wednesday
        assert calendar.engine().is_working_day(eid)  # cached under the current version

        Holiday.objects.create(calendar=calendar, date=eid, name_ar="عطلة", name_en="Holiday")
        calendar.refresh_from_db()

        assert not calendar.engine().is_working_day(eid)
        assert self.calendar().engine().add(muscat(2026, 12, 1, 14, 0), 1) == muscat(
            2026, 12, 3, 8, 0
        )

    def test_the_engine_forgets_a_deleted_holiday(self) -> None:
        calendar = self.calendar()
        assert not calendar.engine().is_working_day(NATIONAL_DAY)

        Holiday.objects.filter(calendar=calendar, date=NATIONAL_DAY).get().delete()
        calendar.refresh_from_db()

        assert calendar.engine().is_working_day(NATIONAL_DAY)

    def test_the_engine_follows_a_changed_weekend(self) -> None:
        calendar = self.calendar()
        sunday = dt.date(2026, 11, 29)
        assert calendar.engine().is_working_day(sunday)

        calendar.weekend_days = [5, 6]
        calendar.save(update_fields=["weekend_days"])

        assert not self.calendar().engine().is_working_day(sunday)

    def test_it_refuses_a_working_day_that_ends_before_it_starts(self) -> None:
        calendar = self.calendar()
        calendar.day_end = dt.time(7, 0)
        with pytest.raises(ValidationError) as exc:
            calendar.full_clean()
        assert set(exc.value.message_dict) == {"day_end"}

    def test_it_refuses_a_weekend_of_seven_days(self) -> None:
        calendar = self.calendar()
        calendar.weekend_days = list(range(7))
        with pytest.raises(ValidationError) as exc:
            calendar.full_clean()
        assert set(exc.value.message_dict) == {"weekend_days"}

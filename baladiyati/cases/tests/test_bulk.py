"""cases.bulk: inserting many cases at once, and the synthetic cases of `seed_demo --cases`."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter as Tally
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from baladiyati.cases.bulk import (
    _CASE_FIELDS,
    NewCase,
    Place,
    SyntheticSpec,
    WorkingClock,
    _check_columns,
    from_us,
    generate_cases,
    insert_cases,
    synthetic_cases,
    to_us,
)
from baladiyati.cases.models import (
    CLOSED_STATUSES,
    Case,
    CaseFollower,
    CaseUpdate,
    Channel,
    CloseReason,
    Status,
)
from baladiyati.cases.tests.support import muscat
from baladiyati.cities.calendar import WorkingTime
from baladiyati.core import geo
from baladiyati.core.models import AuditEvent, Counter
from baladiyati.core.text import search_terms
from baladiyati.testing import MUSCAT_POINT, MUTTRAH_POINT, OUTSIDE_POINT, BaseTestCase

UTC = dt.UTC
END = muscat(2026, 11, 25, 12, 0)  # a Wednesday noon in Muscat
ENGINE = WorkingTime(
    tz=ZoneInfo("Asia/Muscat"),
    weekend=frozenset({4, 5}),
    holidays=frozenset({dt.date(2026, 11, 18), dt.date(2026, 11, 19), dt.date(2026, 12, 2)}),
    day_start=dt.time(7, 30),
    day_end=dt.time(14, 30),
)


def _working_clock_due(start: dt.datetime, hours: int) -> dt.datetime:
    due = WorkingClock(ENGINE).add(np.array([to_us(start)]), np.array([hours * 3_600_000_000]))
    return from_us(int(due[0]))


@pytest.mark.parametrize(
    ("start", "hours"),
    [
        (muscat(2026, 11, 25, 7, 30), 7),  # at opening: due at closing the same day
        (muscat(2026, 11, 25, 14, 30), 1),  # at closing: the next working day
        (muscat(2026, 11, 25, 3, 0), 2),  # before opening
        (muscat(2026, 11, 27, 10, 0), 3),  # on the weekend (Friday)
        (muscat(2026, 11, 17, 13, 0), 10),  # across the National Day holidays
        (muscat(2026, 11, 25, 11, 42), 0),  # no time at all
        (muscat(2026, 11, 25, 7, 30), 0),  # no time, at opening: not the closing before
        (muscat(2026, 11, 25, 16, 0), 0),  # no time, after closing: the next opening
        (muscat(2026, 11, 26, 14, 30), 0),  # no time, at closing on the eve of a weekend
        (muscat(2026, 11, 20, 9, 0), 400),  # far beyond the first table of days
    ],
)
def test_working_clock_agrees_with_the_working_calendar(start: dt.datetime, hours: int) -> None:
    assert _working_clock_due(start, hours) == ENGINE.add(start, hours)


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(
        min_value=dt.datetime(2025, 1, 1),
        max_value=dt.datetime(2027, 12, 31),
        timezones=st.just(UTC),
    ),
    hours=st.integers(min_value=0, max_value=200),
)
def test_working_clock_agrees_with_the_working_calendar_anywhere(
    start: dt.datetime, hours: int
) -> None:
    assert _working_clock_due(start, hours) == ENGINE.add(start, hours)


def test_working_clock_handles_many_instants_at_once() -> None:
    rng = random.Random(7)
    starts = [END - dt.timedelta(seconds=rng.randrange(90 * 86400)) for _ in range(500)]
    hours = [rng.choice([7, 14, 21, 70]) for _ in starts]
    due = WorkingClock(ENGINE).add(
        np.array([to_us(s) for s in starts]), np.array([h * 3_600_000_000 for h in hours])
    )
    assert [from_us(int(d)) for d in due] == [
        ENGINE.add(s, h) for s, h in zip(starts, hours, strict=True)
    ]


def test_it_fails_loudly_when_a_required_column_is_left_out() -> None:
    with pytest.raises(RuntimeError, match="search_text"):
        _check_columns(Case, [f for f in _CASE_FIELDS if f != "search_text"])


class InsertCasesTest(BaseTestCase):
    def new(self, **kwargs: object) -> NewCase:
        values: dict[str, object] = {
            "service_id": self.pothole.pk,
            "created_at": muscat(2026, 11, 24, 9, 15),
            "lat": MUTTRAH_POINT[0],
            "lon": MUTTRAH_POINT[1],
            "channel": Channel.APP,
            "description": "حفرة كبيرة أمام المسجد",
            "address": "روي، سكة 2011",
            "answers": {"size": "large"},
        }
        values.update(kwargs)
        return NewCase(**values)  # type: ignore[arg-type]

    def closed(self, status: str, **kwargs: object) -> NewCase:
        created = muscat(2026, 11, 22, 9, 0)
        values: dict[str, object] = {
            "status": status,
            "created_at": created,
            "acknowledged_at": created + dt.timedelta(hours=2),
            "closed_at": created + dt.timedelta(days=1),
        }
        return self.new(**{**values, **kwargs})

    def test_it_writes_every_field_as_the_submit_action_would(self) -> None:
        result = insert_cases(self.muscat, [self.new(priority=3, reporter_id=self.citizen.pk)])

        case = Case.objects.get()
        self.assertEqual(result.count, 1)
        self.assertEqual(case.reference, "MCT-2026-000001")
        self.assertEqual(case.municipality, self.muscat)
        self.assertEqual(case.department, self.roads)
        self.assertEqual(case.status, Status.SUBMITTED)
        self.assertEqual(case.priority, 3)
        self.assertEqual(case.answers, {"size": "large"})
        self.assertEqual(case.created_at, muscat(2026, 11, 24, 9, 15))
        self.assertEqual(case.updated_at, case.created_at)
        self.assertEqual(case.h3_cell, geo.h3_cell(*MUTTRAH_POINT))
        self.assertEqual(case.district, self.muttrah)
        self.assertEqual(
            case.search_text,
            search_terms(case.description, case.address, "حفرة في الطريق", "Pothole"),
        )
        self.assertEqual(case.due_at, self.muscat.calendar.engine().add(case.created_at, 14))
        self.assertEqual(len(case.tracking_token), 32)
        self.assertIsNone(case.idempotency_key)
        self.assertFalse(case.is_private)

    def test_it_numbers_references_on_from_live_submissions(self) -> None:
        first = self.submit()

        insert_cases(self.muscat, [self.new(), self.new()])
        after = self.submit(description="أخرى")

        self.assertEqual(first.reference, "MCT-2026-000001")
        self.assertEqual(
            list(Case.objects.order_by("id").values_list("reference", flat=True)),
            ["MCT-2026-000001", "MCT-2026-000002", "MCT-2026-000003", "MCT-2026-000004"],
        )
        self.assertEqual(after.reference, "MCT-2026-000004")

    def test_it_numbers_references_per_local_year(self) -> None:
        # 21:00 UTC on New Year's Eve is already 1 January in Muscat.
        cases = [
            self.new(created_at=dt.datetime(2025, 12, 31, 19, 0, tzinfo=UTC)),
            self.new(created_at=dt.datetime(2025, 12, 31, 21, 0, tzinfo=UTC)),
        ]

        insert_cases(self.muscat, cases)

        self.assertEqual([c.reference for c in cases], ["MCT-2025-000001", "MCT-2026-000001"])
        self.assertEqual(Counter.objects.get(name=f"case-ref:{self.muscat.pk}:2026").value, 1)

    def test_it_writes_in_batches_with_unique_references_and_tokens(self) -> None:
        cases = [self.new() for _ in range(25)]

        batches: list[int] = []
        result = insert_cases(self.muscat, cases, batch_size=10, progress=batches.append)

        self.assertEqual(batches, [10, 10, 5])
        self.assertEqual(result.count, 25)
        self.assertEqual(
            (result.first_reference, result.last_reference), ("MCT-2026-000001", "MCT-2026-000025")
        )
        self.assertEqual(len(set(Case.objects.values_list("reference", flat=True))), 25)
        self.assertEqual(len(set(Case.objects.values_list("tracking_token", flat=True))), 25)
        self.assertEqual([c.id for c in cases], sorted(Case.objects.values_list("id", flat=True)))

    def test_it_gives_each_case_its_timeline_and_the_reporter_follows(self) -> None:
        fixed = self.closed(Status.FIXED, reporter_id=self.citizen.pk, assignee_id=self.clerk.pk)
        acknowledged = self.new(
            status=Status.ACKNOWLEDGED, acknowledged_at=muscat(2026, 11, 24, 10, 0)
        )
        submitted = self.new()

        insert_cases(self.muscat, [fixed, acknowledged, submitted])

        def timeline(case: NewCase) -> list[tuple[str, str, dt.datetime, int | None]]:
            assert case.id is not None
            return [
                (u.kind, u.status, u.created_at, u.author_id)
                for u in CaseUpdate.objects.filter(case_id=case.id)
            ]

        self.assertEqual(
            timeline(fixed),
            [
                ("submitted", "submitted", fixed.created_at, self.citizen.pk),
                ("status", "fixed", fixed.closed_at, self.clerk.pk),
            ],
        )
        self.assertEqual(
            timeline(acknowledged),
            [
                ("submitted", "submitted", acknowledged.created_at, None),
                ("status", "acknowledged", acknowledged.acknowledged_at, None),
            ],
        )
        self.assertEqual(
            timeline(submitted), [("submitted", "submitted", submitted.created_at, None)]
        )
        self.assertEqual(
            list(CaseFollower.objects.values_list("case_id", "user_id")),
            [(fixed.id, self.citizen.pk)],
        )

    def test_a_reopened_case_is_due_again_from_its_reopening(self) -> None:
        reopened_at = muscat(2026, 11, 24, 13, 0)
        case = self.new(
            status=Status.REOPENED,
            created_at=muscat(2026, 11, 10, 9, 0),
            acknowledged_at=muscat(2026, 11, 10, 10, 0),
            updated_at=reopened_at,
            reopen_count=1,
        )

        insert_cases(self.muscat, [case])

        row = Case.objects.get()
        self.assertEqual(row.due_at, self.muscat.calendar.engine().add(reopened_at, 14))
        self.assertEqual(
            list(row.updates.values_list("kind", "created_at")),
            [("submitted", case.created_at), ("reopened", reopened_at)],
        )

    def test_a_duplicate_points_at_its_original_even_in_the_same_batch(self) -> None:
        original = self.new()
        duplicate = self.closed(Status.DUPLICATE, duplicate_of=original)
        later = self.closed(Status.DUPLICATE, duplicate_of=original)

        insert_cases(self.muscat, [original, duplicate])
        insert_cases(self.muscat, [later])

        self.assertEqual(
            set(
                Case.objects.filter(status=Status.DUPLICATE).values_list("duplicate_of", flat=True)
            ),
            {original.id},
        )

    def test_it_records_one_audit_event_for_the_whole_insert(self) -> None:
        insert_cases(
            self.muscat, [self.new() for _ in range(3)], actor=self.admin, action="case.imported"
        )

        event = AuditEvent.objects.get()
        self.assertEqual(event.action, "case.imported")
        self.assertEqual(event.actor, self.admin)
        self.assertEqual(event.municipality_id, self.muscat.pk)
        self.assertEqual(event.extra["count"], 3)
        self.assertEqual(event.extra["last_reference"], "MCT-2026-000003")

    def test_nothing_is_recorded_for_nothing(self) -> None:
        result = insert_cases(self.muscat, [])

        self.assertEqual(result.count, 0)
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_refuses_a_location_outside_the_municipality(self) -> None:
        with self.assertRaisesMessage(ValueError, "row 1: the location is outside"):
            insert_cases(
                self.muscat, [self.new(), self.new(lat=OUTSIDE_POINT[0], lon=OUTSIDE_POINT[1])]
            )

        self.assertFalse(Case.objects.exists())

    def test_it_refuses_rows_that_would_break_a_constraint(self) -> None:
        bad_rows = {
            "close reason": self.closed(Status.FIXED, close_reason=CloseReason.NO_ACTION_NEEDED),
            "closed without a reason": self.closed(Status.CLOSED_NOT_FIXED),
            "duplicate without original": self.closed(Status.DUPLICATE),
            "original of a non-duplicate": self.closed(Status.FIXED, duplicate_of=1),
            "open case with closed_at": self.new(
                status=Status.IN_PROGRESS,
                acknowledged_at=muscat(2026, 11, 24, 10, 0),
                closed_at=muscat(2026, 11, 24, 11, 0),
            ),
            "closed before acknowledged": self.closed(
                Status.FIXED, closed_at=muscat(2026, 11, 22, 10, 0)
            ),
            "another city's service": self.new(service_id=self.sohar_pothole.pk),
            "unknown channel": self.new(channel="fax"),
            "naive time": self.new(created_at=dt.datetime(2026, 11, 24, 9, 0)),
        }
        for name, row in bad_rows.items():
            with self.subTest(name), self.assertRaises(ValueError):
                insert_cases(self.muscat, [row])

        self.assertFalse(Case.objects.exists())
        self.assertFalse(Counter.objects.exists())

    def test_a_bad_batch_writes_nothing_and_earlier_batches_stay(self) -> None:
        rows = [self.new(), self.new(), self.new(channel="fax")]

        with self.assertRaisesMessage(ValueError, "row 2: unknown channel"):
            insert_cases(self.muscat, rows, batch_size=2)

        self.assertEqual(Case.objects.count(), 2)
        self.assertEqual(CaseUpdate.objects.count(), 2)


class SyntheticCasesTest(BaseTestCase):
    spec = SyntheticSpec(
        places=[
            Place(MUTTRAH_POINT[0], MUTTRAH_POINT[1], "روي", "Ruwi", weight=3),
            Place(MUSCAT_POINT[0], MUSCAT_POINT[1], "سداب", "Sidab"),
        ],
        service_weights={"pothole": 3},
        descriptions={"pothole": {"ar": ["حفرة"], "en": ["A pothole"]}},
        contact_names=["حمد"],
        answer_examples={"pole": ["MCT-L-0412"]},
    )

    def test_generated_cases_satisfy_the_constraints_and_tell_a_possible_story(self) -> None:
        result = generate_cases(self.muscat, 600, seed=3, end=END, spec=self.spec, batch_size=250)

        cases = list(Case.objects.select_related("service").order_by("id"))
        engine = self.muscat.calendar.engine()
        self.assertEqual(result.count, 600)
        self.assertEqual(len(cases), 600)
        self.assertEqual(len({c.reference for c in cases}), 600)
        for case in cases:
            with self.subTest(case.reference):
                self.assertTrue(END - dt.timedelta(days=90) <= case.created_at < END)
                self.assertLessEqual(case.updated_at, END)
                self.assertEqual(case.close_reason != "", case.status == Status.CLOSED_NOT_FIXED)
                self.assertEqual(case.duplicate_of_id is not None, case.status == Status.DUPLICATE)
                self.assertEqual(case.acknowledged_at is None, case.status == Status.SUBMITTED)
                self.assertEqual(case.closed_at is not None, case.status in CLOSED_STATUSES)
                if case.closed_at and case.acknowledged_at:
                    self.assertLessEqual(case.acknowledged_at, case.closed_at)
                self.assertTrue(engine.is_working_moment(case.due_at))
                self.assertEqual(case.district_id, self.muscat.district_at(case.lat, case.lon))
                self.assertIn(case.service.code, {"pothole", "streetlight"})
                if case.duplicate_of_id:
                    self.assertLess(case.duplicate_of_id, case.id)
                    original = Case.objects.get(pk=case.duplicate_of_id)
                    self.assertNotEqual(original.status, Status.DUPLICATE)
        statuses = Tally(c.status for c in cases)
        self.assertGreater(statuses[Status.FIXED], statuses[Status.SUBMITTED])
        self.assertTrue(set(statuses) >= {Status.FIXED, Status.CLOSED_NOT_FIXED, Status.DUPLICATE})
        self.assertFalse(Case.objects.filter(service=self.retired).exists())
        self.assertEqual(AuditEvent.objects.get().action, "case.bulk_generated")

    def test_points_fall_inside_the_municipality_around_the_places(self) -> None:
        cases = list(synthetic_cases(self.muscat, 300, seed=1, end=END, spec=self.spec))

        boundary = geo.geometry(self.muscat.boundary)
        self.assertTrue(all(boundary.covers(Point(c.lon, c.lat)) for c in cases))
        near_ruwi = sum(geo.distance_m(c.lat, c.lon, *MUTTRAH_POINT) < 3000 for c in cases)
        self.assertGreater(near_ruwi, 150)
        self.assertTrue(all(c.address.startswith(("روي", "سداب", "Ruwi", "Sidab")) for c in cases))

    def test_the_answers_are_valid_for_the_service_questions(self) -> None:
        from baladiyati.cities.questions import clean_answers

        questions = {s.pk: list(s.questions.all()) for s in (self.pothole, self.streetlight)}
        for case in synthetic_cases(self.muscat, 200, seed=2, end=END, spec=self.spec):
            cleaned = clean_answers(questions[case.service_id], case.answers, self.muscat.zoneinfo)
            self.assertEqual(set(cleaned), set(case.answers))

    def test_the_same_seed_gives_the_same_cases(self) -> None:
        def run(seed: int) -> list[tuple[object, ...]]:
            return [
                (c.service_id, c.created_at, c.lat, c.lon, c.status, c.description, c.answers)
                for c in synthetic_cases(self.muscat, 50, seed=seed, end=END, spec=self.spec)
            ]

        self.assertEqual(run(5), run(5))
        self.assertNotEqual(run(5), run(6))

    def test_without_places_points_spread_over_the_whole_municipality(self) -> None:
        cases = list(synthetic_cases(self.muscat, 200, seed=4, end=END))

        districts = Tally(self.muscat.district_at(c.lat, c.lon) for c in cases)
        self.assertEqual(set(districts), {self.muttrah.pk, self.muscat_wilayat.pk})
        self.assertTrue(all(c.address == "" for c in cases))

"""Paging headers: X-Result-Count is exact up to a bound and left out beyond it."""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock
from zoneinfo import ZoneInfo

from django.db.models import F

from baladiyati.cases.models import Case
from baladiyati.core.prepared import Prepared, Slot
from baladiyati.open311 import views
from baladiyati.open311.serializers import RequestWriter
from baladiyati.open311.tests.support import Open311TestCase


class ResultCountTests(Open311TestCase):
    def setUp(self) -> None:
        self.cases = [self.submit() for _ in range(5)]

    def test_within_the_bound_the_count_is_exact(self) -> None:
        response = self.get("requests.json", page_size="2", page="2")

        self.assertEqual(response["X-Result-Count"], "5")
        self.assertEqual(response["X-Page-Count"], "3")
        self.assertNotIn("X-Result-Count-Min", response)

    def test_beyond_the_bound_the_count_is_left_out_and_the_next_page_still_linked(self) -> None:
        # Count at most two pages ahead, and at least 2 rows: page 1 of size 1 counts to 2.
        with (
            mock.patch.object(views, "COUNT_AT_LEAST", 2),
            mock.patch.object(views, "COUNT_PAGES_AHEAD", 2),
        ):
            first = self.get("requests.json", page_size="1")
            last = self.get("requests.json", page_size="1", page="4")  # counts to 3 + 2 = 5

        self.assertNotIn("X-Result-Count", first)
        self.assertNotIn("X-Page-Count", first)
        self.assertEqual(first["X-Result-Count-Min"], "3")
        self.assertIn("page=2", first["Link"])
        self.assertEqual(len(self.json(first)), 1)
        self.assertEqual(last["X-Result-Count"], "5")
        self.assertIn("page=5", last["Link"])

    def test_a_page_past_the_end_is_empty_with_the_exact_count(self) -> None:
        response = self.get("requests.json", page_size="10", page="3")

        self.assertEqual(self.json(response), [])
        self.assertEqual(response["X-Result-Count"], "5")
        self.assertNotIn("Link", response)

    def test_the_updates_list_is_bounded_the_same_way(self) -> None:
        with (
            mock.patch.object(views, "COUNT_AT_LEAST", 2),
            mock.patch.object(views, "COUNT_PAGES_AHEAD", 2),
        ):
            response = self.get("servicerequestupdates.json", page_size="1")

        self.assertEqual(response["X-Result-Count-Min"], "3")
        self.assertIn('rel="next"', response["Link"])


class PreparedStatementTests(Open311TestCase):
    def test_a_slot_the_orm_transforms_is_refused_at_compile_time(self) -> None:
        with self.assertRaisesMessage(RuntimeError, "slots ['reference'] not found"):
            Prepared(
                lambda s: Case.objects.filter(reference__contains=s["reference"]).values_list("id"),
                [Slot("reference", "str")],
            )

    def test_values_go_where_the_orm_put_them(self) -> None:
        case = self.submit()
        statement = Prepared(
            lambda s: (
                Case.objects.filter(
                    municipality_id=s["municipality"], reference__in=s["refs"], lat__gte=s["lat"]
                )
                .annotate(twice=F("lat") * 2)
                .values_list("reference", "twice")
            ),
            [Slot("municipality"), Slot("refs", "strlist", 2), Slot("lat", "float")],
        )

        rows = statement.rows(
            {"municipality": self.muscat.pk, "refs": [case.reference, "x"], "lat": 0.0}
        )

        self.assertEqual(rows, [(case.reference, case.lat * 2)])


class TimestampTests(Open311TestCase):
    def test_times_are_written_in_the_zone_exactly_as_astimezone_would(self) -> None:
        rng = random.Random(7)
        for zone in ("Asia/Muscat", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu"):
            tz = ZoneInfo(zone)
            writer = RequestWriter(tz, str)
            moments = [
                dt.datetime(2026, 1, 1) + dt.timedelta(minutes=7 * n, seconds=rng.randrange(60))
                for n in range(0, 80_000, 3)
            ]
            for moment in moments:
                aware = moment.replace(tzinfo=dt.UTC)
                expected = aware.astimezone(tz).isoformat(timespec="seconds")
                self.assertEqual(writer.w3c(moment), expected, (zone, moment))
                self.assertEqual(writer.w3c(aware), expected)
                self.assertEqual(writer.w3c(str(moment)), expected)  # SQLite's text
                # PostgreSQL's text of a timestamptz in a UTC session: "+00" at the end.
                self.assertEqual(writer.w3c(f"{moment}+00"), expected)

"""cases.bulk: indexes left out of a bulk insert into an empty case table and built after;
datetimes adapted for a whole column at once as one by one."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from unittest import mock

from django.db import connection

from baladiyati.cases import bulk
from baladiyati.cases.bulk import Inserter, insert_cases
from baladiyati.cases.models import Case, CaseUpdate
from baladiyati.cases.tests.test_bulk_import import new
from baladiyati.testing import BaseTestCase


def indexes() -> dict[str, Any]:
    """Every index of the case table and its timeline, as the database describes it."""
    found = {}
    with connection.cursor() as cursor:
        for model in (Case, CaseUpdate):
            table = model._meta.db_table
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                if info["index"] or info["unique"]:
                    found[name] = (table, tuple(info["columns"]), info["unique"])
    return found


class DeferredIndexesTest(BaseTestCase):
    def test_into_an_empty_table_indexes_are_left_out_then_built_as_declared(self) -> None:
        before = indexes()
        declared = {name for name, _sql in bulk._index_statements()}
        self.assertGreater(len(declared), 20)
        self.assertLessEqual(declared, set(before))
        self.assertFalse(Case.objects.exists())

        with Inserter(self.muscat) as inserter:
            self.assertTrue(inserter.defer_indexes())
            during = indexes()
            for offset in (0, 2):
                batch = [new(self), new(self)]
                inserter.write(inserter.writer.prepare(batch, offset), offset)

        self.assertEqual(set(before) - set(during), declared)  # the unique ones stay
        self.assertEqual(indexes(), before)
        self.assertEqual(Case.objects.count(), 4)
        self.assertEqual(CaseUpdate.objects.count(), 4)

    def test_a_table_holding_cases_keeps_its_indexes(self) -> None:
        insert_cases(self.muscat, [new(self)])
        before = indexes()

        with (
            mock.patch.object(bulk, "_drop_indexes") as drop,
            Inserter(self.muscat) as inserter,
        ):
            self.assertFalse(inserter.defer_indexes())
            inserter.write(inserter.writer.prepare([new(self)], 0), 0)

        drop.assert_not_called()
        self.assertEqual(indexes(), before)

    def test_an_insert_stopped_half_way_builds_them_on_closing(self) -> None:
        before = indexes()
        write = bulk._Writer.write
        calls: list[int] = []

        def interrupted(writer: Any, *args: Any) -> None:
            calls.append(1)
            if len(calls) == 2:
                raise KeyboardInterrupt
            write(writer, *args)

        with (
            mock.patch.object(bulk._Writer, "write", interrupted),
            self.assertRaises(KeyboardInterrupt),
            Inserter(self.muscat) as inserter,
        ):
            inserter.defer_indexes()
            for offset in (0, 1):
                inserter.write(inserter.writer.prepare([new(self)], offset), offset)

        self.assertEqual(indexes(), before)
        self.assertEqual(Case.objects.count(), 1)

    def test_indexes_a_killed_insert_left_out_are_built_by_the_next_one(self) -> None:
        before = indexes()
        dropped = bulk._drop_indexes()  # as a process killed before it could close
        self.assertTrue(dropped)
        self.assertNotEqual(indexes(), before)

        insert_cases(self.muscat, [new(self)])

        self.assertEqual(indexes(), before)
        self.assertEqual(bulk.restore_indexes(), [])


class AdaptManyTest(BaseTestCase):
    def test_a_column_is_adapted_as_each_value_would_be(self) -> None:
        adapt = bulk._datetime_adapter()
        adapt_many = bulk._many_adapter(adapt)
        draw = random.Random(7)
        values: list[dt.datetime | None] = []
        for _ in range(3000):
            us = draw.randint(-(10**15), 4 * 10**15)
            if draw.random() < 0.5:
                us -= us % 1_000_000  # whole seconds: written without a fraction
            zone = dt.timezone(dt.timedelta(minutes=draw.randint(-720, 840)))
            values.append(None if draw.random() < 0.1 else bulk.from_us(us).astimezone(zone))

        self.assertEqual(adapt_many(values), [adapt(v) for v in values])
        self.assertEqual(adapt_many([None, None]), [None, None])
        self.assertEqual(adapt_many([]), [])


class GenerationTest(BaseTestCase):
    def test_generating_into_an_empty_table_builds_the_indexes_after(self) -> None:
        before = indexes()

        with mock.patch.object(bulk, "_drop_indexes", wraps=bulk._drop_indexes) as drop:
            result = bulk.generate_cases(self.muscat, 7, batch_size=3)
            bulk.generate_cases(self.muscat, 7, batch_size=3)  # not empty now: kept up

        drop.assert_called_once()
        self.assertEqual(result.count, 7)
        self.assertEqual(Case.objects.count(), 14)
        self.assertEqual(indexes(), before)

"""cases.bulk as imports use it: bad rows reported and left out, external references kept,
originals named by external id, the audit event written also when an insert stops half-way."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.test import TransactionTestCase

from baladiyati.cases import bulk
from baladiyati.cases.bulk import NewCase, insert_cases
from baladiyati.cases.models import Case, CaseUpdate, Channel, Status
from baladiyati.cases.tests.support import muscat
from baladiyati.core.models import AuditEvent
from baladiyati.testing import MUTTRAH_POINT, OUTSIDE_POINT, BaseTestCase, build_world


def new(world: Any, **kwargs: Any) -> NewCase:
    values: dict[str, Any] = {
        "service_id": world.pothole.pk,
        "created_at": muscat(2026, 11, 24, 9, 15),
        "lat": MUTTRAH_POINT[0],
        "lon": MUTTRAH_POINT[1],
        "channel": Channel.OPEN311,
        "answers": {"size": "large"},
    }
    values.update(kwargs)
    return NewCase(**values)


class ProblemRowsTest(BaseTestCase):
    def test_bad_rows_are_reported_with_their_position_and_the_rest_written(self) -> None:
        original = new(self, external_id="o", status=Status.FIXED)
        original.acknowledged_at = original.closed_at = original.created_at
        rows = [
            new(self, external_source="old", external_id="1"),
            new(self, channel="fax"),
            original,
            new(self, lat=OUTSIDE_POINT[0], lon=OUTSIDE_POINT[1]),
            new(self, external_source="old", external_id="4"),
        ]
        original.lat, original.lon = OUTSIDE_POINT  # refused: so is its duplicate below
        duplicate = new(self, status=Status.DUPLICATE, duplicate_of=original)
        duplicate.acknowledged_at = duplicate.closed_at = duplicate.created_at
        rows.append(duplicate)
        problems: list[tuple[int, str]] = []

        result = insert_cases(
            self.muscat,
            rows,
            batch_size=4,
            on_problem=lambda position, case, why: problems.append((position, why)),
        )

        self.assertEqual(result.count, 2)
        self.assertEqual(
            [(p, why.split(" ")[0]) for p, why in problems],
            [(1, "unknown"), (2, "the"), (3, "the"), (5, "its")],
        )
        written = Case.objects.order_by("id")
        self.assertEqual(
            list(written.values_list("external_source", "external_id")),
            [("old", "1"), ("old", "4")],
        )
        self.assertEqual(CaseUpdate.objects.filter(case__in=written).count(), 2)
        self.assertEqual(AuditEvent.objects.get().extra["count"], 2)

    def test_an_original_may_be_named_by_its_external_id(self) -> None:
        original = new(self, external_source="old", external_id="A")
        earlier = new(self, external_source="old", external_id="B")
        insert_cases(self.muscat, [earlier])

        def duplicate(of: str) -> NewCase:
            case = new(self, external_source="old", status=Status.DUPLICATE, duplicate_of=of)
            case.acknowledged_at = case.closed_at = case.created_at
            return case

        insert_cases(self.muscat, [original, duplicate("A"), duplicate("B")])

        duplicates = Case.objects.filter(status=Status.DUPLICATE).order_by("id")
        self.assertEqual(
            [d.duplicate_of.external_id for d in duplicates],  # type: ignore[union-attr]
            ["A", "B"],
        )

    def test_an_insert_stopped_half_way_records_what_it_wrote(self) -> None:
        write = bulk._Writer.write
        calls: list[int] = []

        def failing(writer: Any, *args: Any) -> None:
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            write(writer, *args)

        with (
            mock.patch.object(bulk._Writer, "write", failing),
            self.assertRaisesMessage(RuntimeError, "disk full"),
        ):
            insert_cases(self.muscat, [new(self) for _ in range(5)], batch_size=2, extra={"x": 1})

        event = AuditEvent.objects.get()
        self.assertEqual((event.extra["count"], event.extra["x"]), (2, 1))
        self.assertIs(event.extra["complete"], False)
        self.assertEqual(event.extra["last_reference"], "MCT-2026-000002")


class OutsideATransactionTest(TransactionTestCase):
    """As management commands run it: each batch commits on its own."""

    # Flushed afterwards without the data migrations' rows, and the content types re-made,
    # the next test with serialized_rollback could not restore them; so restore them here.
    serialized_rollback = True

    def setUp(self) -> None:
        build_world(self)

    def test_every_batch_is_written_and_numbered_in_order(self) -> None:
        rows = [new(self, created_at=muscat(2026, 11, 24, 9, n)) for n in range(7)]

        result = insert_cases(self.muscat, rows, batch_size=3)  # type: ignore[attr-defined]

        self.assertEqual(result.count, 7)
        self.assertEqual(result.last_reference, "MCT-2026-000007")
        self.assertEqual(
            list(Case.objects.order_by("created_at").values_list("reference", flat=True)),
            [f"MCT-2026-{n:06d}" for n in range(1, 8)],
        )
        self.assertTrue(all(r.id for r in rows))

    def test_an_error_keeps_the_batches_committed_and_the_audit_says_so(self) -> None:
        write = bulk._Writer.write
        calls: list[int] = []

        def failing(writer: Any, *args: Any) -> None:
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            write(writer, *args)

        rows = [new(self) for _ in range(9)]
        with (
            mock.patch.object(bulk._Writer, "write", failing),
            self.assertRaisesMessage(RuntimeError, "disk full"),
        ):
            insert_cases(self.muscat, rows, batch_size=3)  # type: ignore[attr-defined]

        self.assertEqual(Case.objects.count(), 3)
        self.assertEqual(AuditEvent.objects.get().extra["count"], 3)

"""manage.py run_worker: django-tasks-db's worker plus the every-minute periodic tasks."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.test import TransactionTestCase
from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult

from baladiyati.accounts.models import User
from baladiyati.cases.actions import do_submit_case
from baladiyati.cases.management.commands.run_worker import (
    HOURLY,
    MINUTELY,
    PERIODIC_TASKS,
    Scheduler,
)
from baladiyati.cases.models import Case, Channel
from baladiyati.cases.tests.support import WEDNESDAY, muscat
from baladiyati.cities.models import Municipality, Service
from baladiyati.core import clock
from baladiyati.notify import sms
from baladiyati.notify.models import Delivery, DeliveryStatus
from baladiyati.testing import MUTTRAH_POINT, BaseTestCase, build_world

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SchedulerTest(BaseTestCase):
    def scheduler(self, pending: Any = lambda task: False) -> tuple[Scheduler, FakeClock]:
        fake = FakeClock()
        return Scheduler(period=60, clock=fake, pending=pending), fake

    def test_it_enqueues_each_periodic_task_once_a_minute_and_the_pruning_hourly(self) -> None:
        scheduler, fake = self.scheduler()
        self.assertEqual(scheduler.tick(), list(PERIODIC_TASKS))
        fake.now += 59
        self.assertEqual(scheduler.tick(), [])
        fake.now += 1
        self.assertEqual(scheduler.tick(), list(MINUTELY))
        fake.now += 3600
        self.assertEqual(scheduler.tick(), list(PERIODIC_TASKS))
        self.assertEqual(len(HOURLY), 1)

    def test_a_run_still_waiting_in_the_queue_is_not_enqueued_again(self) -> None:
        scheduler, fake = self.scheduler(pending=lambda task: True)
        self.assertEqual(scheduler.tick(), [])
        scheduler.pending = lambda task: False
        fake.now += 30
        self.assertEqual(scheduler.tick(), [])  # checked a minute from the last look
        fake.now += 30
        self.assertEqual(scheduler.tick(), list(MINUTELY))

    @override_settings(TASKS=DATABASE_TASKS)
    def test_the_pending_check_reads_the_database_queue(self) -> None:
        from baladiyati.cases.management.commands.run_worker import _still_queued
        from baladiyati.cases.tasks import scan_deadlines

        self.assertFalse(_still_queued(scan_deadlines))
        scan_deadlines.enqueue()
        self.assertTrue(_still_queued(scan_deadlines))


@override_settings(TASKS=DATABASE_TASKS)
class RunWorkerOnceTest(TransactionTestCase):
    """The command as it runs in production: its own transactions, committed, and
    django-tasks-db's worker closing the connection between tasks (which would end a
    TestCase's enclosing transaction on PostgreSQL)."""

    serialized_rollback = True  # keep the data migrations' rows for the tests that follow

    citizen: User
    muscat: Municipality
    pothole: Service

    def setUp(self) -> None:
        build_world(self)

    def submit(self) -> Case:
        """The shared personas' pothole in Muttrah, reported by the citizen."""
        return do_submit_case(
            actor=self.citizen,
            municipality=self.muscat,
            service_code=self.pothole.code,
            lat=MUTTRAH_POINT[0],
            lon=MUTTRAH_POINT[1],
            channel=Channel.APP,
            description="حفرة كبيرة أمام المسجد",
            answers={"size": "large"},
        )

    def test_once_enqueues_the_periodic_tasks_and_runs_everything_queued(self) -> None:
        sms.outbox.clear()
        with clock.frozen_at(WEDNESDAY):
            case = self.submit()  # committed: its messages are queued on commit
        # The submission's messages wait in the database queue for the worker.
        self.assertEqual(Delivery.objects.filter(status=DeliveryStatus.QUEUED).count(), 2)
        self.assertEqual(sms.outbox, [])
        with clock.frozen_at(muscat(2026, 12, 6, 9)):
            call_command("run_worker", once=True, stdout=io.StringIO(), verbosity=0)
        self.assertEqual(Delivery.objects.filter(status=DeliveryStatus.SENT).count(), 2)
        self.assertEqual(len(sms.outbox), 1)
        self.assertIsNotNone(Case.objects.get(pk=case.pk).escalated_at)  # the scan ran
        done = set(
            DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("task_path", flat=True)
        )
        self.assertTrue(set(PERIODIC_TASKS) <= done)  # the pruning included
        self.assertFalse(DBTaskResult.objects.filter(status="READY").exists())

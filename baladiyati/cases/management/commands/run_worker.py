"""`manage.py run_worker`: the background worker, with the periodic jobs scheduled.

django-tasks runs what is enqueued but has no timetable. This command runs
django-tasks-db's worker (`db_worker`) in the main thread and, in a second thread, a small
scheduler that enqueues each periodic task once per period:

    baladiyati.cases.tasks.scan_deadlines            every 60 s  (SLA warnings, escalations)
    baladiyati.notify.delivery.retry_due_deliveries  every 60 s  (messages whose retry is due)
    baladiyati.permits.tasks.scan_overdue_reviews    every 60 s  (permit reviews past due)
    prune_finished_runs (below)                      hourly      (the queue's finished rows:
                                                     successes after a day, failures after 14)

A periodic task is not enqueued again while its previous run still waits in the queue, so a
stopped or slow worker never finds a pile of identical runs. Both tasks are idempotent
(each case and each delivery is re-read under a lock), so running several workers — each
with its scheduler — is safe; it only checks more often.

    manage.py run_worker                 # until stopped (Ctrl+C / SIGTERM)
    manage.py run_worker --once          # enqueue the periodic tasks, run everything queued, exit
    manage.py run_worker --every 30      # another period (seconds)

`make demo` starts it in the background next to the web server. Production: run it as a
service (systemd, a container) beside the web server, as many as the load needs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger("baladiyati.worker")

MINUTELY = (
    "baladiyati.cases.tasks.scan_deadlines",
    "baladiyati.notify.delivery.retry_due_deliveries",
    "baladiyati.permits.tasks.scan_overdue_reviews",
)
HOURLY = ("baladiyati.cases.management.commands.run_worker.prune_finished_runs",)
PERIODIC_TASKS = MINUTELY + HOURLY


@task()
def prune_finished_runs() -> None:
    """Two runs a minute add ~3,000 rows a day to the queue table: keep a day of successes."""
    call_command("prune_db_task_results", min_age_days=1, failed_min_age_days=14, verbosity=0)


def _still_queued(task: Any) -> bool:
    """True when a run of `task` waits in the database queue (not started yet)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


@dataclass
class Scheduler:
    """Enqueues each task of `paths` every `period` seconds, and of `hourly` every hour."""

    paths: Sequence[str] = MINUTELY
    period: float = 60.0
    hourly: Sequence[str] = HOURLY
    clock: Callable[[], float] = time.monotonic
    pending: Callable[[Any], bool] = _still_queued
    last: dict[str, float] = field(default_factory=dict)

    def tick(self) -> list[str]:
        """Enqueue what is due now; the paths enqueued."""
        now = self.clock()
        enqueued = []
        for path, period in [(p, self.period) for p in self.paths] + [
            (p, 3600.0) for p in self.hourly
        ]:
            previous = self.last.get(path)
            if previous is not None and now - previous < period:
                continue
            task = import_string(path)
            self.last[path] = now
            if self.pending(task):
                continue
            task.enqueue()
            enqueued.append(path)
        return enqueued

    def run(self, stop: threading.Event) -> None:
        """Tick every second until `stop` is set (the scheduler thread)."""
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.tick()
                except Exception:  # a database hiccup must not end the schedule
                    logger.exception("the scheduler could not enqueue the periodic tasks")
                stop.wait(1.0)
        finally:
            connection.close()


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks-db) and enqueue the periodic tasks (SLA scan, "
        "notification retries) every minute."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=float, default=60.0, help="Seconds between periodic runs (60)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds the worker waits when the queue is empty (1).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue the periodic tasks once, run everything queued, then exit.",
        )

    def handle(self, *args: Any, every: float, interval: float, once: bool, **options: Any) -> None:
        if every < 1 or interval < 0:
            self.stderr.write("--every must be at least 1 second and --interval not negative.")
            raise SystemExit(2)
        verbosity = options.get("verbosity", 1)
        scheduler = Scheduler(period=every)
        if once:
            scheduler.tick()
            call_command(
                "db_worker", batch=True, reload=False, startup_delay=False, verbosity=verbosity
            )
            return
        stop = threading.Event()
        thread = threading.Thread(target=scheduler.run, args=(stop,), name="scheduler", daemon=True)
        thread.start()
        self.stdout.write(f"Worker started; periodic tasks every {every:g} s. Ctrl+C stops it.")
        try:
            call_command(
                "db_worker",
                interval=interval,
                reload=False,
                startup_delay=False,
                verbosity=verbosity,
            )
        finally:
            stop.set()
            thread.join(timeout=5)

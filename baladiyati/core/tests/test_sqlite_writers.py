"""The SQLite backend queues writers on a lock file (baladiyati/core/sqlite/base.py)."""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from unittest import mock

from django.test import SimpleTestCase

from baladiyati.core.sqlite.base import DatabaseWrapper, _queue_for


def _wrapper(name: str, alias: str, init_command: str = "") -> Any:
    settings = {
        "ENGINE": "baladiyati.core.sqlite",
        "NAME": name,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5, "init_command": init_command},
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=alias)


def _held_by_someone(lock: Path) -> bool:
    """Whether another open file description holds the flock (a new one cannot take it)."""
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


class _OwnDatabaseFile(SimpleTestCase):
    """A SQLite file of the test's own, in a directory removed afterwards."""

    # Connections of its own to a file of its own; this lets the test runner allow them.
    databases = {"default"}

    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.name = str(Path(self.dir.name) / "db.sqlite3")
        self.lock = Path(self.name + "-writer.lock")


class SqliteWriterQueueTest(_OwnDatabaseFile):
    def setUp(self) -> None:
        super().setUp()
        self.one = _wrapper(self.name, "writer_one")
        self.two = _wrapper(self.name, "writer_two")
        with self.one.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n integer)")

    def tearDown(self) -> None:
        self.one.close()
        self.two.close()

    def test_a_transaction_holds_the_lock_file_until_it_commits(self) -> None:
        with _atomic(self.one):
            self.one.cursor().execute("INSERT INTO t VALUES (1)")
            assert _held_by_someone(self.lock)
        assert not _held_by_someone(self.lock)

    def test_a_rolled_back_transaction_lets_the_lock_go(self) -> None:
        with self.assertRaises(ZeroDivisionError), _atomic(self.one):
            self.one.cursor().execute("INSERT INTO t VALUES (1)")
            1 / 0  # noqa: B018
        assert not _held_by_someone(self.lock)
        with self.one.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            assert cursor.fetchone() == (0,)

    def test_a_second_writer_waits_for_the_first_and_then_goes(self) -> None:
        events: list[str] = []
        started = threading.Event()

        def second() -> None:
            two = _wrapper(self.name, "writer_three")  # connections belong to their thread
            started.set()
            with _atomic(two):
                events.append("second began")
                two.cursor().execute("INSERT INTO t VALUES (2)")
            two.close()

        with _atomic(self.one):
            self.one.cursor().execute("INSERT INTO t VALUES (1)")
            thread = threading.Thread(target=second)
            thread.start()
            started.wait(5)
            time.sleep(0.2)
            events.append("first commits")
        thread.join(10)
        assert events == ["first commits", "second began"]
        with self.one.cursor() as cursor:
            cursor.execute("SELECT n FROM t ORDER BY n")
            assert cursor.fetchall() == [(1,), (2,)]

    def test_a_writer_kept_waiting_past_the_timeout_begins_all_the_same(self) -> None:
        # Someone else holds the lock file (not SQLite's lock): after the busy timeout the
        # transaction goes ahead, and SQLite's own locking decides, as without the queue.
        fd = os.open(self.lock, os.O_RDWR | os.O_CREAT)
        self.one.settings_dict["OPTIONS"]["timeout"] = 0.2
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            started = time.monotonic()
            with _atomic(self.one):
                self.one.cursor().execute("INSERT INTO t VALUES (1)")
            assert time.monotonic() - started >= 0.2
        finally:
            os.close(fd)
        with self.one.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            assert cursor.fetchone() == (1,)

    def test_reads_outside_a_transaction_take_no_lock(self) -> None:
        with _atomic(self.one), self.two.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            assert cursor.fetchone() == (0,)

    def test_in_memory_databases_are_not_queued(self) -> None:
        assert _queue_for(":memory:") is None
        assert _queue_for("file:memorydb_default?mode=memory&cache=shared") is None
        assert _queue_for(self.name) is not None


class SqliteCheckpointTest(_OwnDatabaseFile):
    """Checkpoints are taken after the writer's turn, every CHECKPOINT_EVERY commits."""

    def traced(self, db: Any) -> list[tuple[str, bool]]:
        """Every statement the connection runs, and whether the lock file was held then."""
        seen: list[tuple[str, bool]] = []
        db.ensure_connection()
        db.connection.set_trace_callback(
            lambda sql: seen.append((sql, self.lock.exists() and _held_by_someone(self.lock)))
        )
        return seen

    def commit_rows(self, db: Any, count: int) -> None:
        """A table, then `count` rows in it, each in a transaction of its own."""
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n integer)")
        for n in range(count):
            with _atomic(db):
                db.cursor().execute("INSERT INTO t VALUES (%s)", [n])

    def test_a_wal_connection_checkpoints_every_so_many_commits_with_the_lock_let_go(self) -> None:
        with mock.patch("baladiyati.core.sqlite.base.CHECKPOINT_EVERY", 3):
            db = _wrapper(self.name, "checkpointing", "PRAGMA journal_mode=WAL;")
            try:
                seen = self.traced(db)
                with db.cursor() as cursor:
                    cursor.execute("PRAGMA wal_autocheckpoint")
                    backstop = cursor.fetchone()[0]
                self.commit_rows(db, 7)
            finally:
                db.close()
        self.assertEqual(backstop, 4000)  # SQLite's own, 1,000 pages by default, four times
        checkpoints = [held for sql, held in seen if "wal_checkpoint" in sql]
        self.assertEqual(checkpoints, [False, False])  # after commits 3 and 6, lock let go
        commits = [i for i, (sql, _held) in enumerate(seen) if sql.startswith("COMMIT")]
        first = next(i for i, (sql, _held) in enumerate(seen) if "wal_checkpoint" in sql)
        self.assertEqual(first, commits[2] + 1)

    def test_a_connection_without_a_write_ahead_log_takes_none(self) -> None:
        db = _wrapper(self.name, "rollback_journal")
        try:
            seen = self.traced(db)
            self.commit_rows(db, 40)
        finally:
            db.close()
        self.assertFalse([sql for sql, _held in seen if "wal_checkpoint" in sql])


class _atomic:
    """transaction.atomic on a connection that is not in settings.DATABASES."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if kind is None:
            self.connection.commit()
        else:
            self.connection.rollback()
        self.connection.set_autocommit(True)


class PlaceholderTests(SimpleTestCase):
    """Statements are rewritten to SQLite's placeholders once, and as Django rewrites them."""

    databases = {"default"}

    def test_the_rewritten_statement_is_remembered_and_runs_as_djangos(self) -> None:
        from baladiyati.core.sqlite.base import _qmark

        with tempfile.TemporaryDirectory() as folder:
            db = _wrapper(str(Path(folder) / "q.sqlite3"), "placeholders")
            try:
                sql = "SELECT %s || '%%', %s + 1 WHERE %s LIKE 'a%%'"
                before = _qmark.cache_info()
                with db.cursor() as cursor:
                    for _ in range(3):
                        cursor.execute(sql, ["x", 41, "abc"])
                        self.assertEqual(cursor.fetchall(), [("x%", 42)])
                    cursor.execute("SELECT %(n)s * 2", {"n": 21})  # pyformat, as Django allows
                    self.assertEqual(cursor.fetchall(), [(42,)])
                after = _qmark.cache_info()
                self.assertEqual(_qmark(sql), "SELECT ? || '%', ? + 1 WHERE ? LIKE 'a%'")
                self.assertEqual(after.misses - before.misses, 1)
                self.assertGreaterEqual(after.hits - before.hits, 2)
            finally:
                db.close()

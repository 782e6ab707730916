"""Django's SQLite backend, with writers queued on a lock file instead of SQLite's sleeps.

In WAL mode readers never wait, but one writer at a time holds the write lock. Every
transaction here begins IMMEDIATE (settings.py), so a second writer gets SQLITE_BUSY at once,
and SQLite's busy handler then sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries, whatever
the holder's transaction takes (under a millisecond for a submission). Two server workers
taking reports spent most of their time asleep so: 82 submissions a second while the cores
idled (docs/benchmarks.md).

So a transaction first takes an exclusive `flock` on a lock file beside the database, trying
again every 50 µs to 1 ms, and lets it go after COMMIT or ROLLBACK: the next writer starts
within a millisecond of the last one's commit. Threads of one process take turns on a lock of
their own first (a process holds one flock at a time). A writer that has not had its turn
within the connection's busy timeout, or one on an in-memory database, begins as it would
without this, and SQLite's own locking decides (as before: "database is locked" past the
timeout). SQLite's locking stays what keeps data safe: the flock only decides who goes next.

Checkpoints, too, are taken after the writer's turn, not in it. SQLite copies the write-ahead
log back into the database (a checkpoint: a thousand pages and two fsyncs) inside the COMMIT
that fills the log past `wal_autocheckpoint` — while this writer still held the lock file,
so every other writer waited for it: a quarter of the time of two workers taking reports
(docs/benchmarks.md). Here a connection to a file takes a PASSIVE checkpoint itself every
`CHECKPOINT_EVERY` commits, once its turn is over: it runs beside the next writer, which
SQLite allows. SQLite's own automatic checkpoint stays, four times further out, for
connections that write without a transaction of ours (a single autocommitted statement).

One more difference: Django's cursor rewrites every statement's `%s` placeholders into
SQLite's `?` with a regular expression, each time it runs (30 µs for the 2.5 KB statement of
an Open311 page); here the rewritten text is remembered per statement (`_qmark`).
"""

from __future__ import annotations

import fcntl
import functools
import os
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base

_guard = threading.Lock()
_queues: dict[str, _WriterQueue] = {}


class _WriterQueue:
    """One per lock file and process: a thread lock, then the flock on a file of its own."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.threads = threading.Lock()
        self.fd: int | None = None
        self.pid = 0

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            return False
        try:
            if self.fd is None or self.pid != os.getpid():
                # Opened in this process: a descriptor inherited across fork() would share
                # one lock between parent and child.
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                self.pid = os.getpid()
            if not _flock(self.fd, deadline):
                self.threads.release()
                return False
        except BaseException:
            self.threads.release()
            raise
        return True

    def release(self) -> None:
        try:
            if self.fd is not None and self.pid == os.getpid():
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.threads.release()


def _flock(fd: int, deadline: float) -> bool:
    """Take the exclusive flock before `deadline`; False if it could not be had by then."""
    # Polled, every 20 to 50 µs, rather than a blocking flock: a blocked flock cannot time
    # out, and a writer must give up as SQLite's busy timeout would. Measured over HTTP
    # (two workers taking reports): a blocking flock 425/s, polling up to 1 ms 390/s (the
    # lock idled while its next holder slept), up to 50 µs 420/s.
    pause = 0.00002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.00005)


def _queue_for(name: Any) -> _WriterQueue | None:
    name = str(name or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    path = os.path.abspath(name) + "-writer.lock"
    with _guard:
        queue = _queues.get(path)
        if queue is None:
            queue = _queues[path] = _WriterQueue(path)
        return queue


@functools.lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    """A statement in SQLite's placeholder style, as Django's cursor writes it."""
    return str(base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%"))


class _Cursor(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))  # type: ignore[misc]


# Commits of one connection between its own checkpoints: a submission writes about forty
# pages of log, two workers commit in turn, so a checkpoint copies some 600 pages.
CHECKPOINT_EVERY = 32


class DatabaseWrapper(base.DatabaseWrapper):
    # (django-stubs leaves the private transaction methods out: hence the ignores below.)
    _writer: _WriterQueue | None = None
    _commits_to_checkpoint = 0  # 0: this connection takes no checkpoints of its own

    def get_new_connection(self, conn_params: Any) -> Any:
        conn = super().get_new_connection(conn_params)
        self._commits_to_checkpoint = 0
        if _queue_for(self.settings_dict["NAME"]) is not None:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            pages = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            if str(mode).lower() == "wal" and pages > 0:
                # SQLite's own checkpoint becomes the backstop (see the module's docstring).
                conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages) * 4}")
                self._commits_to_checkpoint = CHECKPOINT_EVERY
        return conn

    def create_cursor(self, name: Any = None) -> Any:
        return self.connection.cursor(factory=_Cursor)

    def _start_transaction_under_autocommit(self) -> None:
        queue = _queue_for(self.settings_dict["NAME"])
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if queue is not None and self._writer is None and queue.acquire(timeout):
            self._writer = queue
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._let_go()
            raise

    def _let_go(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._let_go()
        if self._commits_to_checkpoint:
            self._commits_to_checkpoint -= 1
            if not self._commits_to_checkpoint:
                self._commits_to_checkpoint = CHECKPOINT_EVERY
                # PASSIVE: copies what it can without waiting for anyone, and never calls
                # the busy handler; what it leaves, the next checkpoint takes.
                self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._let_go()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._let_go()

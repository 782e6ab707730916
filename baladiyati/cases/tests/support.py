"""Helpers shared by the case action tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import tempfile
import zlib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.test import override_settings

from baladiyati.cases.models import Case, Status
from baladiyati.core.models import AuditEvent
from baladiyati.notify.events import Event, notification_requested

MUSCAT_TZ = ZoneInfo("Asia/Muscat")


def muscat(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=MUSCAT_TZ)


# A Wednesday morning in Muscat, clear of weekends and holidays.
WEDNESDAY = muscat(2026, 11, 25, 11, 42)


class NotificationSpy:
    """Collects the notification events actually sent (that is, after commit).

    with NotificationSpy() as spy:
        ...
    assert [e.name for e in spy.events] == ["case.submitted"]
    """

    def __init__(self) -> None:
        self.events: list[Event] = []

    def receive(self, sender: Any, event: Event, **kwargs: Any) -> None:
        self.events.append(event)

    def __enter__(self) -> NotificationSpy:
        notification_requested.connect(self.receive, weak=False, dispatch_uid=id(self))
        return self

    def __exit__(self, *exc: object) -> None:
        notification_requested.disconnect(dispatch_uid=id(self))

    @property
    def names(self) -> list[str]:
        return [event.name for event in self.events]


class TempMediaMixin:
    """Store uploads in a throw-away MEDIA_ROOT, so a test can see every file written."""

    media_root: Path

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.media_root = Path(tempfile.mkdtemp(prefix="baladiyati-media-"))
        self.addCleanup(shutil.rmtree, self.media_root, True)  # type: ignore[attr-defined]
        media = override_settings(MEDIA_ROOT=str(self.media_root))
        media.enable()
        self.addCleanup(media.disable)  # type: ignore[attr-defined]

    def stored_files(self) -> list[Path]:
        return [path for path in self.media_root.rglob("*") if path.is_file()]


def png_of_size(width: int, height: int) -> bytes:
    """A small, valid 1-bit PNG that decompresses to width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def force_status(case: Case, status: str, *, original: Case | None = None) -> Case:
    """Put a case in `status` directly (test set-up only), with the fields that status needs."""
    fields: dict[str, Any] = {"status": status, "close_reason": "", "duplicate_of": None}
    if status == Status.CLOSED_NOT_FIXED:
        fields["close_reason"] = "no_action_needed"
    if status == Status.DUPLICATE:
        assert original is not None, "a duplicate needs its original"
        fields["duplicate_of"] = original
    if status in (Status.FIXED, Status.CLOSED_NOT_FIXED, Status.DUPLICATE):
        fields["closed_at"] = case.created_at
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def audit_rows(case: Case, action: str | None = None) -> list[AuditEvent]:
    rows = AuditEvent.objects.for_object(case)
    if action is not None:
        rows = rows.filter(action=action)
    return list(rows)

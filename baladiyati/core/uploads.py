"""Reading an uploaded file without reading more than a limit allows."""

from __future__ import annotations

from typing import IO


def read_at_most(upload: IO[bytes] | bytes, limit: int) -> bytes:
    """The upload's bytes from the start, at most `limit + 1` of them.

    One byte more than the limit tells the caller the file is too large (and says so in its
    own words) without reading the rest of a huge upload into memory.
    """
    if isinstance(upload, bytes):
        return upload[: limit + 1]
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(limit + 1)

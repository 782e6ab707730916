"""Intake of application documents: type checked by content, size limits, virus scan hook.

The file's first bytes decide what it is (never its name or the browser's content type).
`settings.PERMIT_VIRUS_SCANNER` names a callable(data, name) that raises ValidationError to
refuse a file; the default, `no_scan`, accepts everything (an installation plugs in clamd).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from baladiyati.core.uploads import read_at_most

from .models import FileFormat

# DWG drawings start with "AC10" followed by two digits of the release (AC1015 … AC1032).
_SIGNATURES: list[tuple[str, bytes]] = [
    (FileFormat.PDF, b"%PDF-"),
    (FileFormat.JPEG, b"\xff\xd8\xff"),
    (FileFormat.PNG, b"\x89PNG\r\n\x1a\n"),
]


def sniff(data: bytes) -> str | None:
    """The format of `data` from its content, or None when it is none we accept."""
    for name, magic in _SIGNATURES:
        if data.startswith(magic):
            return str(name)
    if len(data) >= 6 and data[:4] == b"AC10" and data[4:6].isdigit():
        return str(FileFormat.DWG)
    return None


def no_scan(data: bytes, name: str) -> None:
    """The default virus scanner: accepts every file."""


@dataclass(frozen=True)
class CleanDocument:
    data: bytes
    file_format: str
    name: str
    sha256: str


def read_upload(upload: IO[bytes] | bytes, limit: int) -> bytes:
    data = read_at_most(upload, limit)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)},
            code="too_large",
        )
    return data


def clean_document(upload: IO[bytes] | bytes, name: str, accepted: list[str]) -> CleanDocument:
    data = read_upload(upload, settings.PERMIT_MAX_DOCUMENT_BYTES)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    found = sniff(data)
    allowed = [str(f) for f in (accepted or list(FileFormat.values))]
    if found is None or found not in allowed:
        raise ValidationError(
            _("This document must be one of: %(formats)s. The file sent is not.")
            % {"formats": ", ".join(FileFormat(f).label for f in allowed)},
            code="wrong_type",
        )
    scanner = import_string(settings.PERMIT_VIRUS_SCANNER)
    scanner(data, name)
    base = (name or "document").replace("\\", "/").rsplit("/", 1)[-1][:150]
    return CleanDocument(
        data=data, file_format=found, name=base, sha256=hashlib.sha256(data).hexdigest()
    )

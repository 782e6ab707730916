"""Helpers shared by the portal's tests (not collected: no test_ prefix)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.utils import translation

from baladiyati.testing import BaseTestCase

ARABIC = {"baladiyati_language": "ar"}
ENGLISH = {"baladiyati_language": "en"}


class TempMediaMixin:
    """Uploads go to a throw-away MEDIA_ROOT."""

    media_root: Path

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.media_root = Path(tempfile.mkdtemp(prefix="baladiyati-portal-media-"))
        self.addCleanup(shutil.rmtree, self.media_root, True)  # type: ignore[attr-defined]
        media = override_settings(MEDIA_ROOT=str(self.media_root))
        media.enable()
        self.addCleanup(media.disable)  # type: ignore[attr-defined]


class PortalTestCase(TempMediaMixin, BaseTestCase):
    """The shared world, with uploads kept apart and a switch to English."""

    def english(self) -> None:
        self.client.cookies["baladiyati_language"] = "en"

    def text(self, response: Any) -> str:
        return response.content.decode()

    def tearDown(self) -> None:
        translation.activate("ar")
        super().tearDown()

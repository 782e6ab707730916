"""Photo intake: check by content, refuse bombs, re-encode without metadata.

Everything happens before anything is written: `clean_photo` either returns a new JPEG
(no EXIF, so no GPS position of the citizen's home) or raises a translated ValidationError.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .uploads import read_at_most

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class CleanPhoto:
    content: ContentFile
    width: int
    height: int
    original_format: str


def _read(upload: IO[bytes] | bytes, limit: int) -> bytes:
    data = read_at_most(upload, limit)
    if len(data) > limit:
        raise ValidationError(
            _("The photo is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)},
            code="photo_too_large",
        )
    if not data:
        raise ValidationError(_("The photo is empty."), code="photo_empty")
    return data


_strict = threading.Lock()


def _load_whole(img: Image.Image) -> None:
    """Load every pixel, refusing a file cut short, whatever the process-wide setting says.

    Pillow fills a truncated image with grey when `ImageFile.LOAD_TRUNCATED_IMAGES` is set,
    and WeasyPrint (the permit certificates) sets it for the whole process when imported; a
    photo cut off in upload must still be refused. Pillow reads the flag while loading, so it
    is held off for that moment.
    """
    with _strict:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            img.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def clean_photo(upload: IO[bytes] | bytes) -> CleanPhoto:
    data = _read(upload, settings.CASE_MAX_PHOTO_BYTES)
    not_an_image = ValidationError(
        _("The file is not a photo. Please send a JPEG, PNG or WebP image."), code="photo_type"
    )
    bomb = ValidationError(_("The photo has too many pixels."), code="photo_bomb")
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_an_image
                probe.verify()
            with Image.open(io.BytesIO(data)) as opened:
                original_format = opened.format or ""
                _load_whole(opened)
                img: Image.Image = ImageOps.exif_transpose(opened) or opened
                if img.mode not in ("RGB", "L"):
                    background = Image.new("RGB", img.size, (255, 255, 255))
                    rgba = img.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    img = background
                elif img.mode == "L":
                    img = img.convert("RGB")
                edge = settings.CASE_PHOTO_MAX_EDGE
                if max(img.size) > edge:
                    img.thumbnail((edge, edge), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif= argument: the re-encoded file carries no metadata at all.
                img.save(out, format="JPEG", quality=85, optimize=True)
                width, height = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    return CleanPhoto(ContentFile(out.getvalue()), width, height, original_format)

"""clean_photo: only real photos get in, re-encoded as JPEG without metadata."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from PIL import Image, ImageFile

from baladiyati.core.images import clean_photo
from baladiyati.testing import jpeg_bytes

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def encoded(img: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **params)
    return out.getvalue()


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


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def refusal(upload: object, language: str = "en") -> ValidationError:
    with translation.override(language), pytest.raises(ValidationError) as exc:
        clean_photo(upload)  # type: ignore[arg-type]
    return exc.value


# ---------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGB"), ("WEBP", "RGB"), ("PNG", "L")]
)
def test_it_accepts_jpeg_png_and_webp_and_re_encodes_them_as_jpeg(fmt: str, mode: str) -> None:
    data = encoded(Image.new(mode, (40, 30), "white"), fmt)
    photo = clean_photo(data)
    out = opened(photo.content.read())
    assert out.format == "JPEG"
    assert out.mode == "RGB"
    assert (photo.width, photo.height) == out.size == (40, 30)
    assert photo.original_format == fmt


def test_it_reads_an_uploaded_file_from_its_start() -> None:
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes(), content_type="image/jpeg")
    upload.read()  # a form field already looked at it
    assert clean_photo(upload).width == 64


def test_it_removes_the_exif_gps_position() -> None:
    original = jpeg_bytes(exif_gps=True)
    assert GPS_IFD in opened(original).getexif()  # the test photo does carry a position

    data = clean_photo(original).content.read()

    assert len(opened(data).getexif()) == 0
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data


def test_it_turns_the_photo_upright_before_dropping_the_orientation_tag() -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # taken with the phone turned: rotate 90° clockwise to view
    data = encoded(Image.new("RGB", (64, 48), "blue"), "JPEG", exif=exif)

    photo = clean_photo(data)

    assert (photo.width, photo.height) == (48, 64)
    assert ORIENTATION not in opened(photo.content.read()).getexif()


def test_transparent_areas_of_a_png_become_white() -> None:
    img = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    img.paste((200, 0, 0, 255), (10, 0, 20, 10))  # right half opaque red

    out = opened(clean_photo(encoded(img, "PNG")).content.read())

    assert out.mode == "RGB"
    left, right = out.getpixel((2, 5)), out.getpixel((17, 5))
    assert all(channel > 240 for channel in left)  # type: ignore[union-attr]
    assert right[0] > 180 and right[1] < 40  # type: ignore[index]


def test_a_palette_png_with_transparency_is_handled() -> None:
    img = Image.new("P", (16, 16), 0)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    data = encoded(img, "PNG", transparency=0)
    assert opened(clean_photo(data).content.read()).mode == "RGB"


def test_a_cmyk_jpeg_is_converted_to_rgb() -> None:
    data = encoded(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "JPEG")
    assert opened(clean_photo(data).content.read()).mode == "RGB"


@override_settings(CASE_PHOTO_MAX_EDGE=32)
def test_it_shrinks_a_large_photo_to_the_longest_edge_allowed() -> None:
    photo = clean_photo(jpeg_bytes(size=(64, 48)))
    assert (photo.width, photo.height) == (32, 24)


# ---------------------------------------------------------------------------- refused


def test_it_refuses_a_text_file_renamed_to_jpg() -> None:
    upload = SimpleUploadedFile("photo.jpg", b"just some text\n" * 20, content_type="image/jpeg")
    error = refusal(upload)
    assert error.code == "photo_type"
    assert error.messages == ["The file is not a photo. Please send a JPEG, PNG or WebP image."]


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_it_refuses_other_image_formats(fmt: str) -> None:
    assert refusal(encoded(Image.new("RGB", (8, 8)), fmt)).code == "photo_type"


def test_it_refuses_a_truncated_jpeg() -> None:
    data = jpeg_bytes(size=(200, 200), color="green")
    assert refusal(data[: len(data) // 2]).code == "photo_type"


def test_it_refuses_a_truncated_jpeg_when_the_process_accepts_truncated_images(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As after `import weasyprint` (the permit certificates), which turns this on for all.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = jpeg_bytes(size=(200, 200), color="green")
    assert refusal(data[: len(data) // 2]).code == "photo_type"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_it_refuses_an_empty_file() -> None:
    assert refusal(b"").code == "photo_empty"


def test_it_refuses_a_file_over_10_mb() -> None:
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024))
    error = refusal(upload)
    assert error.code == "photo_too_large"
    assert error.messages == ["The photo is larger than 10 MB."]


@pytest.mark.skipif(
    not (Path(settings.LOCALE_PATHS[0]) / "ar" / "LC_MESSAGES" / "django.mo").exists(),
    reason="the Arabic catalogue is not compiled (make messages)",
)
def test_the_refusal_is_in_arabic_for_an_arabic_reader() -> None:
    error = refusal(b"not a photo", language="ar")
    assert error.messages != refusal(b"not a photo", language="en").messages
    assert any("\u0600" <= char <= "\u06ff" for char in error.messages[0])


def test_it_refuses_a_real_photo_over_the_configured_size() -> None:
    data = jpeg_bytes(size=(300, 300))
    with override_settings(CASE_MAX_PHOTO_BYTES=len(data) - 1):
        assert refusal(data).code == "photo_too_large"
    with override_settings(CASE_MAX_PHOTO_BYTES=len(data)):
        assert clean_photo(data).width == 300


def test_it_refuses_a_decompression_bomb() -> None:
    bomb = png_of_size(20_000, 20_000)  # 400 million pixels in 50 kB
    assert len(bomb) < 100_000
    assert refusal(bomb).code == "photo_bomb"


@pytest.mark.parametrize("pixels", [1_000, 2_000])  # above twice the limit, and just above it
def test_it_refuses_more_pixels_than_the_configured_limit(pixels: int) -> None:
    data = png_of_size(100, 20)  # 2,000 pixels
    with override_settings(IMAGE_MAX_PIXELS=pixels - 1):
        assert refusal(data).code == "photo_bomb"
    with override_settings(IMAGE_MAX_PIXELS=2_000):
        assert clean_photo(data).width == 100

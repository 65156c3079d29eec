"""Lossless metadata removal from JPEGs: the picture bytes stay, the private segments go."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from editor.core.images.jpeg_segments import (
    MalformedJpeg,
    RemovedMetadata,
    clean_jpeg,
    orientation_segment,
)
from tests.core.images.conftest import GPS_IFD, ORIENTATION, jpeg_bytes, marked_picture

SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def test_private_segments_go_and_the_picture_stays_bit_for_bit() -> None:
    source = jpeg_bytes(marked_picture(), gps=True, comment=b"shot at 12 Elm Street")
    cleaned = clean_jpeg(source)

    assert _pixels(cleaned.data) == _pixels(source)
    assert b"Elm Street" not in cleaned.data
    assert b"SERIAL-1234567" not in cleaned.data
    assert b"Jane Photographer" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert "exif" not in image.info
        assert not image.getexif().get_ifd(GPS_IFD)
    assert {RemovedMetadata.EXIF, RemovedMetadata.COMMENT} <= cleaned.removed


def test_orientation_is_the_only_exif_left_and_the_icc_profile_is_kept() -> None:
    source = jpeg_bytes(marked_picture(), orientation=6, gps=True, icc_profile=SRGB_ICC)
    cleaned = clean_jpeg(source, orientation=6)

    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert dict(image.getexif()) == {ORIENTATION: 6}
        assert image.info.get("icc_profile") == SRGB_ICC
    assert orientation_segment(6) in cleaned.data


def test_cleaning_is_deterministic_and_idempotent() -> None:
    source = jpeg_bytes(marked_picture(), orientation=3, gps=True)
    once = clean_jpeg(source, orientation=3).data
    assert clean_jpeg(source, orientation=3).data == once
    assert clean_jpeg(once, orientation=3).data == once


def test_anything_after_the_first_image_is_dropped() -> None:
    source = jpeg_bytes(marked_picture())
    appended = source + b"PK\x03\x04 a zip file riding along" + jpeg_bytes(marked_picture(8, 8))
    cleaned = clean_jpeg(appended)
    assert cleaned.data == clean_jpeg(source).data
    assert RemovedMetadata.EXTRA_DATA in cleaned.removed


def test_a_cut_short_file_is_called_truncated() -> None:
    source = jpeg_bytes(marked_picture())
    with pytest.raises(MalformedJpeg) as raised:
        clean_jpeg(source[: len(source) // 2])
    assert raised.value.truncated


def test_a_file_that_is_not_a_jpeg_is_refused() -> None:
    with pytest.raises(MalformedJpeg):
        clean_jpeg(b"GIF89a not a jpeg")


_SMALL_JPEG = jpeg_bytes(marked_picture(64, 48), orientation=6, gps=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(_SMALL_JPEG)),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_SMALL_JPEG) - 1), st.integers(0, 255)),
        max_size=6,
    ),
)
def test_damaged_jpegs_raise_only_malformed_jpeg(cut: int, flips: list[tuple[int, int]]) -> None:
    damaged = bytearray(_SMALL_JPEG[:cut])
    for position, value in flips:
        if position < len(damaged):
            damaged[position] = value
    try:
        cleaned = clean_jpeg(bytes(damaged), orientation=6)
    except MalformedJpeg:
        return
    assert cleaned.data.startswith(b"\xff\xd8") and cleaned.data.endswith(b"\xff\xd9")

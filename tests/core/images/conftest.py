"""Fixtures for the image pipeline: a private cache folder and small pictures made on the spot."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from editor.core.images import ImageCache

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def image_cache(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "image-cache")


def marked_picture(width: int = 300, height: int = 200) -> Image.Image:
    """A picture whose orientation can be told: a red block top-left, a blue one bottom-right."""
    picture = Image.new("RGB", (width, height), (235, 235, 235))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, width // 3, height // 3), fill=(220, 20, 20))
    draw.rectangle((width * 2 // 3, height * 2 // 3, width, height), fill=(20, 20, 220))
    return picture


def jpeg_bytes(
    picture: Image.Image,
    *,
    orientation: int | None = None,
    gps: bool = False,
    comment: bytes | None = None,
    quality: int = 90,
    icc_profile: bytes | None = None,
) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif[0x013B] = "Jane Photographer"
        exif[0xA431] = "SERIAL-1234567"
        exif[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 7.5), 3: "E", 4: (4.0, 53.0, 12.0)}
    options: dict[str, object] = {"quality": quality}
    if len(exif):
        options["exif"] = exif.tobytes()
    if comment is not None:
        options["comment"] = comment
    if icc_profile is not None:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", **options)
    return buffer.getvalue()


# The picture as stored with each EXIF orientation: what a camera held that way writes.
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def as_stored_by_camera(picture: Image.Image, orientation: int) -> Image.Image:
    transpose = STORED_AS[orientation]
    return picture if transpose is None else picture.transpose(transpose)


def best_matching_transform(candidate: Image.Image, reference: Image.Image) -> str:
    """Which of the eight flips/rotations of ``reference`` ``candidate`` looks most like."""
    from PIL import ImageChops, ImageStat

    scores = {}
    for name, transpose in [("upright", None), *[(t.name, t) for t in Image.Transpose]]:
        turned = reference if transpose is None else reference.transpose(transpose)
        resized_candidate = candidate.convert("RGB").resize((64, 64))
        resized_reference = turned.convert("RGB").resize((64, 64))
        difference = ImageChops.difference(resized_candidate, resized_reference)
        aspect_penalty = 0 if _same_aspect(candidate, turned) else 1000
        scores[name] = sum(ImageStat.Stat(difference).mean) + aspect_penalty
    return min(scores, key=lambda name: scores[name])


def _same_aspect(first: Image.Image, second: Image.Image) -> bool:
    return (first.width >= first.height) == (second.width >= second.height)

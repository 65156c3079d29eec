"""Originals that are not JPEG: decoded in full, turned upright and written again.

PNG, GIF and WebP files are small next to camera JPEGs, and their metadata
sits in many places (text chunks, eXIf, XMP, GIF comments), so instead of
editing chunks we decode and re-encode them: losslessly for PNG, GIF and
lossless WebP, at quality 90 for lossy WebP. Only the pixels, transparency,
animation timing and the ICC profile are carried over, so nothing private
can ride along. TIFF and BMP become JPEG (opaque colour or grey pictures) or
PNG (anything with transparency, a palette or one bit per pixel).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from editor.core.images.decoding import ImageHeader, make_upright, to_display_mode
from editor.core.images.formats import StoredFormat

_WEBP_LOSSY_QUALITY = 90
_JPEG_QUALITY = 92
# What may be carried from a decoded image's info into the file we write.
_TECHNICAL_INFO = ("transparency", "duration", "loop", "background")
_DEFAULT_FRAME_MS = 100
_PNG_MODES = ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA")


class TooManyPixels(ValueError):
    pass


@dataclass(frozen=True)
class Reencoded:
    data: bytes
    format: StoredFormat
    width: int
    height: int
    # The first frame, upright and in display mode, for the thumbnail.
    preview: Image.Image


def stored_format_for(header: ImageHeader) -> StoredFormat:
    if header.format == "PNG":
        return StoredFormat.PNG
    if header.format == "GIF":
        return StoredFormat.GIF
    if header.format == "WEBP":
        return StoredFormat.WEBP
    if header.frames == 1 and header.mode in ("RGB", "CMYK", "YCbCr", "L", "LAB"):
        return StoredFormat.JPEG
    return StoredFormat.PNG


def reencode(
    image: Image.Image, header: ImageHeader, *, source: bytes, max_pixels: int
) -> Reencoded:
    """Decode every frame of ``image`` (opened, not loaded) and write it again.

    Raises ``TooManyPixels`` when the frames together exceed ``max_pixels``
    (a GIF frame may claim far more than its screen), and whatever Pillow
    raises for data it cannot decode.
    """
    target = stored_format_for(header)
    if header.frames > 1 and target is not StoredFormat.JPEG:
        return _reencode_animation(image, header, target, source=source, max_pixels=max_pixels)
    image.load()
    upright = make_upright(image, header.orientation)
    prepared, icc_profile = _encodable(upright, target, header.icc_profile)
    buffer = io.BytesIO()
    prepared.save(buffer, target.value, **_save_options(target, source, icc_profile))
    preview = to_display_mode(upright, header.icc_profile)
    return Reencoded(buffer.getvalue(), target, upright.width, upright.height, preview)


def _reencode_animation(
    image: Image.Image,
    header: ImageHeader,
    target: StoredFormat,
    *,
    source: bytes,
    max_pixels: int,
) -> Reencoded:
    frames: list[Image.Image] = []
    durations: list[int] = []
    total_pixels = 0
    for index in range(header.frames):
        image.seek(index)
        image.load()
        total_pixels += image.width * image.height
        if total_pixels > max_pixels:
            raise TooManyPixels(
                f"its {header.frames} animation frames add up to more than "
                f"{max_pixels // 1_000_000} megapixels"
            )
        frame = image.copy()
        frame.info = {key: image.info[key] for key in _TECHNICAL_INFO if key in image.info}
        frames.append(frame)
        durations.append(int(image.info.get("duration") or _DEFAULT_FRAME_MS))
    first = frames[0]
    options = _save_options(target, source, header.icc_profile)
    options.update(
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=int(image.info.get("loop", 0) or 0),
    )
    buffer = io.BytesIO()
    first.save(buffer, target.value, **options)
    preview = to_display_mode(first, header.icc_profile)
    return Reencoded(buffer.getvalue(), target, first.width, first.height, preview)


def _encodable(
    image: Image.Image, target: StoredFormat, icc_profile: bytes | None
) -> tuple[Image.Image, bytes | None]:
    """``image`` in a mode ``target`` can hold, its info reduced to technical keys, and the
    ICC profile that still describes its pixels (None once converted to sRGB)."""
    mode = image.mode
    if mode == "CMYK" or (target is StoredFormat.JPEG and mode not in ("RGB", "L")):
        converted = to_display_mode(image, icc_profile)
        if target is StoredFormat.JPEG and converted.mode == "RGBA":
            converted = converted.convert("RGB")
        image, icc_profile = converted, None
    elif (target is StoredFormat.WEBP and mode not in ("RGB", "RGBA")) or (
        target is StoredFormat.PNG and mode not in _PNG_MODES
    ):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    clean = image.copy() if image.info else image
    clean.info = {key: image.info[key] for key in _TECHNICAL_INFO if key in image.info}
    return clean, icc_profile


def _has_alpha(image: Image.Image) -> bool:
    return "A" in image.getbands() or "transparency" in image.info


def _save_options(
    target: StoredFormat, source: bytes, icc_profile: bytes | None
) -> dict[str, object]:
    options: dict[str, object] = {}
    if icc_profile and target is not StoredFormat.GIF:
        options["icc_profile"] = icc_profile
    if target is StoredFormat.JPEG:
        options.update(quality=_JPEG_QUALITY, subsampling="4:4:4")
    elif target is StoredFormat.WEBP:
        if is_lossless_webp(source):
            options.update(lossless=True, quality=100, exact=True)
        else:
            options.update(quality=_WEBP_LOSSY_QUALITY)
    return options


def is_lossless_webp(data: bytes) -> bool:
    """Whether a WebP file's picture is stored losslessly (a ``VP8L`` chunk, not ``VP8 ``)."""
    position = 12
    while position + 8 <= len(data):
        chunk = data[position : position + 4]
        if chunk == b"VP8L":
            return True
        if chunk == b"VP8 ":
            return False
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        if chunk == b"ANMF":
            position += 8 + 16  # the frame header; its picture chunks follow inside
            continue
        position += 8 + size + (size & 1)
    return False

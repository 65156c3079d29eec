"""Turning stored bytes into upright sRGB pixels, decoding no more than a job needs.

JPEGs are decoded by libjpeg-turbo through ``simplejpeg``, which scales in the
DCT by any M/8 (Pillow's ``draft`` only halves), so a 6000 px photo needed at
1600 px is decoded at 2250 px instead of 3000, and a thumbnail at 750 px. Its
strict mode also turns libjpeg's "corrupt data" warnings into errors, which
Pillow hides; that is how a damaged photo is told apart from a good one.
Everything else goes through Pillow.

Thread rule: every function here may run on any thread at once, except that
``pillow_warnings`` serialises its callers (see there).
"""

from __future__ import annotations

import functools
import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageCms

ORIENTATION_TAG = 0x0112
# EXIF orientation → the transpose that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIDEWAYS = frozenset({5, 6, 7, 8})


@dataclass(frozen=True)
class ImageHeader:
    """What an image says about itself before any pixel is decoded."""

    format: str
    mode: str
    raw_width: int
    raw_height: int
    orientation: int
    icc_profile: bytes | None
    frames: int

    @property
    def width(self) -> int:
        """Width once upright."""
        return self.raw_height if self.orientation in _SIDEWAYS else self.raw_width

    @property
    def height(self) -> int:
        return self.raw_width if self.orientation in _SIDEWAYS else self.raw_height


def probe(data: bytes) -> ImageHeader:
    """The header of stored (already verified) image bytes, without decoding pixels."""
    return read_header(Image.open(io.BytesIO(data)))


def read_header(image: Image.Image) -> ImageHeader:
    icc = image.info.get("icc_profile")
    return ImageHeader(
        format=str(image.format),
        mode=image.mode,
        raw_width=image.width,
        raw_height=image.height,
        orientation=orientation_of(image),
        icc_profile=icc if isinstance(icc, bytes) and icc else None,
        frames=int(getattr(image, "n_frames", 1)),
    )


def orientation_of(image: Image.Image) -> int:
    """The EXIF orientation (1–8); 1 when absent, out of range or unreadable."""
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # a damaged EXIF block must not stop the picture
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def make_upright(image: Image.Image, orientation: int) -> Image.Image:
    transpose = _UPRIGHT.get(orientation)
    return image if transpose is None else image.transpose(transpose)


def decode_upright(
    data: bytes,
    *,
    min_width: int = 0,
    min_height: int = 0,
    strict: bool = False,
) -> tuple[Image.Image, ImageHeader]:
    """The first frame of ``data``, upright, in sRGB, as RGB, RGBA or L, and its header.

    JPEGs come back at the smallest DCT scale that is at least
    ``min_width`` × ``min_height`` once upright (0 means full size); other
    formats at full size. With ``strict`` a JPEG whose entropy data is damaged
    or cut short raises ``ValueError`` (simplejpeg) or ``OSError`` (Pillow).
    """
    opened = Image.open(io.BytesIO(data))
    header = read_header(opened)
    if header.format in ("JPEG", "MPO"):
        image = _decode_jpeg(data, opened, header, min_width, min_height, strict)
    else:
        opened.load()
        image = opened
    image = to_display_mode(image, header.icc_profile)
    return make_upright(image, header.orientation), header


def _decode_jpeg(
    data: bytes,
    opened: Image.Image,
    header: ImageHeader,
    min_width: int,
    min_height: int,
    strict: bool,
) -> Image.Image:
    import simplejpeg

    if header.orientation in _SIDEWAYS:
        min_width, min_height = min_height, min_width
    colorspace = simplejpeg.decode_jpeg_header(data, strict=strict)[2]
    if colorspace in ("CMYK", "YCCK"):
        if strict:  # simplejpeg checks the data; Pillow knows Adobe's inverted CMYK
            simplejpeg.decode_jpeg(data, colorspace="CMYK", min_factor=8, strict=True)
        if min_width or min_height:
            opened.draft(None, (max(min_width, 1), max(min_height, 1)))
        opened.load()
        return opened
    grey = colorspace == "Gray"
    pixels: Any = simplejpeg.decode_jpeg(
        data,
        colorspace="GRAY" if grey else "RGB",
        min_width=min_width,
        min_height=min_height,
        strict=strict,
    )
    if grey:
        return Image.fromarray(pixels[:, :, 0], "L")
    return Image.fromarray(pixels, "RGB")


def to_display_mode(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB, RGBA or L in sRGB: what browsers, Qt and the encoders all take as is."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        image = _sixteen_bit_to_grey(image)
    elif mode == "1":
        image = image.convert("L")
    elif mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("LA", "La", "PA", "RGBa"):
        image = image.convert("RGBA")
    elif mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert("RGB")
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        image = _to_srgb(image, icc_profile)
    if image.mode == "CMYK":
        image = image.convert("RGB")
    return image


def _sixteen_bit_to_grey(image: Image.Image) -> Image.Image:
    image = image.convert("I") if image.mode != "F" else image
    _, high = image.getextrema()
    if isinstance(high, (int, float)) and high > 255:
        scale = 255 / (65535 if high <= 65535 else high)
        image = image.point(lambda value: value * scale)
    return image.convert("L")


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@functools.lru_cache(maxsize=16)
def _transform_to_srgb(icc_profile: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        description = ImageCms.getProfileDescription(source) or ""
        if mode != "CMYK" and "srgb" in description.lower():
            return None
        output_mode = "RGBA" if mode == "RGBA" else "RGB"
        # No pixel cache: the transform is shared by rendition threads, and LittleCMS
        # transforms are only thread-safe without it.
        return ImageCms.buildTransform(
            source, _srgb_profile(), mode, output_mode, flags=ImageCms.Flags.NOCACHE
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a profile we cannot read is treated as sRGB


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    transform = _transform_to_srgb(icc_profile, image.mode)
    if transform is None:
        return image
    try:
        converted = ImageCms.applyTransform(image, transform)
    except (ImageCms.PyCMSError, ValueError):
        return image
    return image if converted is None else converted


_warnings_lock = threading.Lock()


@contextmanager
def pillow_warnings() -> Iterator[list[str]]:
    """Collect the warnings Pillow raises while decoding (corrupt EXIF, invalid APNG …).

    ``warnings.catch_warnings`` swaps process-wide state, so callers are
    serialised; only ingest uses this, and it handles one file at a time anyway.
    Decompression-bomb warnings are left out: the caller checks pixel counts itself.
    """
    with _warnings_lock, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        messages: list[str] = []
        try:
            yield messages
        finally:
            messages.extend(
                str(warning.message).strip()
                for warning in caught
                if issubclass(warning.category, UserWarning)
                and not issubclass(warning.category, Image.DecompressionBombWarning)
            )

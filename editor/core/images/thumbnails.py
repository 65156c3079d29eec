"""Thumbnails for the media panel: at most 320 px on the long side, upright, sRGB.

JPEG for opaque pictures and PNG for ones with transparency, the two formats
Qt reads without plugins. Made once per stored original and kept in the
``ImageCache`` by its sha256.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from editor.core.images.cache import ImageCache
from editor.core.images.decoding import decode_upright, probe

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from editor.core.models import AssetId

THUMBNAIL_SIZE = 320
# Decode at least this many times the thumbnail size, then filter down: the
# DCT scaling alone would alias fine detail.
_DECODE_MARGIN = 2
_JPEG_QUALITY = 82


@dataclass(frozen=True)
class Thumbnail:
    sha256: str
    data: bytes
    mime: str
    width: int
    height: int
    path: Path


class AssetNotFound(LookupError):
    pass


def fitted_size(width: int, height: int, box: int) -> tuple[int, int]:
    """``width`` × ``height`` scaled to fit a ``box`` square, never enlarged."""
    scale = min(1.0, box / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def thumbnail_decode_size(width: int, height: int) -> tuple[int, int]:
    target_width, target_height = fitted_size(width, height, THUMBNAIL_SIZE)
    return target_width * _DECODE_MARGIN, target_height * _DECODE_MARGIN


def thumbnail_from_image(image: Image.Image, *, sha256: str, cache: ImageCache) -> Thumbnail:
    """Shrink an upright, display-mode image (see ``decode_upright``) and cache the result."""
    size = fitted_size(image.width, image.height, THUMBNAIL_SIZE)
    small = image.resize(size, Image.Resampling.LANCZOS) if size != image.size else image
    buffer = io.BytesIO()
    if small.mode == "RGBA":
        small.save(buffer, "PNG", optimize=False)
        extension, mime = "png", "image/png"
    else:
        small.save(buffer, "JPEG", quality=_JPEG_QUALITY)
        extension, mime = "jpg", "image/jpeg"
    data = buffer.getvalue()
    path = cache.thumbnail_path(sha256, THUMBNAIL_SIZE, extension)
    cache.write(path, data)
    return Thumbnail(sha256, data, mime, small.width, small.height, path)


def cached_thumbnail(sha256: str, *, cache: ImageCache) -> Thumbnail | None:
    for extension, mime in (("jpg", "image/jpeg"), ("png", "image/png")):
        path = cache.thumbnail_path(sha256, THUMBNAIL_SIZE, extension)
        try:
            data = path.read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except (OSError, SyntaxError, ValueError):
            continue  # absent, or left damaged by a crash: made again below
        return Thumbnail(sha256, data, mime, width, height, path)
    return None


def make_thumbnail(original: bytes, *, sha256: str, cache: ImageCache) -> Thumbnail:
    """The thumbnail of a stored original, from the cache or made now (~10–60 ms)."""
    found = cached_thumbnail(sha256, cache=cache)
    if found is not None:
        return found
    header = probe(original)
    min_width, min_height = thumbnail_decode_size(header.width, header.height)
    image, _ = decode_upright(original, min_width=min_width, min_height=min_height)
    return thumbnail_from_image(image, sha256=sha256, cache=cache)


def thumbnail_for_asset(session: Session, *, asset_id: AssetId, cache: ImageCache) -> Thumbnail:
    """The media panel's thumbnail for an asset; the original is read only on a cache miss."""
    from sqlalchemy import select

    from editor.core.models import Asset

    sha256 = session.scalar(select(Asset.sha256).where(Asset.id == asset_id))
    if sha256 is None:
        raise AssetNotFound(f"no image with id {asset_id}")
    found = cached_thumbnail(sha256, cache=cache)
    if found is not None:
        return found
    original = session.scalar(select(Asset.original).where(Asset.id == asset_id))
    assert original is not None
    return make_thumbnail(original, sha256=sha256, cache=cache)

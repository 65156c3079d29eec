"""Responsive renditions for publishing: 400, 800 and 1600 px wide, JPEG and WebP.

Each is cached by (asset sha256, width, format) in the ``ImageCache``, so
publishing an unchanged image again reads six file names and decodes nothing.
A rendition is never wider than its source: a 1000 px picture gets 400, 800
and 1000 px files. The pixels are upright, in sRGB, with no metadata.

Speed: the source is decoded once, at the smallest JPEG DCT scale that still
covers the widest rendition (a 6000 px photo is decoded at 2250 px, not
6000), resized once to the widest, and each narrower one is made from the
one above it. The six encodes run on a small thread pool: Pillow and libwebp
release the GIL while they work, and the WebP encode of the widest rendition
alone is half the job, so it starts first. For a batch, threads beat
processes here (no pickling of originals, no interpreter start-up): see
``editor/core/images/bench.py``.
"""

from __future__ import annotations

import enum
import io
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from editor.core.images.cache import ImageCache
from editor.core.images.decoding import decode_upright, probe

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from editor.core.models import AssetId

RENDITION_WIDTHS = (400, 800, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80
# libwebp's method 2 makes files within ~1% of method 4 on photos at a third of
# the time; the widest WebP is otherwise most of a publish's CPU time.
WEBP_METHOD = 2


class RenditionFormat(enum.StrEnum):
    JPEG = "jpeg"
    WEBP = "webp"

    @property
    def mime(self) -> str:
        return f"image/{self.value}"

    @property
    def extension(self) -> str:
        return "jpg" if self is RenditionFormat.JPEG else "webp"


@dataclass(frozen=True)
class RenditionSpec:
    width: int
    height: int
    format: RenditionFormat


@dataclass(frozen=True)
class Rendition:
    sha256: str
    width: int
    height: int
    format: RenditionFormat
    path: Path

    @property
    def mime(self) -> str:
        return self.format.mime

    @property
    def filename(self) -> str:
        """A stable public name, e.g. ``3f2a9c01b7e4-800w.webp`` for a site's image folder."""
        return f"{self.sha256[:12]}-{self.width}w.{self.format.extension}"


def plan_renditions(
    width: int, height: int, widths: Sequence[int] = RENDITION_WIDTHS
) -> list[RenditionSpec]:
    """The renditions of an upright ``width`` × ``height`` picture, widest first."""
    targets = sorted({min(target, width) for target in widths}, reverse=True)
    return [
        RenditionSpec(target, max(1, round(height * target / width)), format)
        for target in targets
        for format in RenditionFormat
    ]


def cached_renditions(
    *, sha256: str, width: int, height: int, cache: ImageCache
) -> list[Rendition] | None:
    """All renditions of an asset if every one is already cached (no decoding), else None."""
    found = []
    for spec in plan_renditions(width, height):
        path = cache.rendition_path(sha256, spec.width, spec.format.extension)
        if not path.is_file():
            return None
        found.append(Rendition(sha256, spec.width, spec.height, spec.format, path))
    return found


def make_renditions(
    original: bytes, *, sha256: str, cache: ImageCache, threads: int = 2
) -> list[Rendition]:
    """The six renditions of a stored original, from the cache or made now.

    ``threads`` > 1 spreads the encodes over a private pool (use it for a
    single image); the batch function passes 1 and runs images side by side.
    """
    header = probe(original)
    cached = cached_renditions(sha256=sha256, width=header.width, height=header.height, cache=cache)
    if cached is not None:
        return cached
    plan = plan_renditions(header.width, header.height)
    widest = plan[0]
    image, _ = decode_upright(original, min_width=widest.width, min_height=widest.height)
    if threads <= 1:
        made = [_encode(sized, spec, sha256, cache) for sized, spec in _sized(image, plan)]
    else:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rendition") as pool:
            futures = [
                pool.submit(_encode, sized, spec, sha256, cache)
                for sized, spec in _sized(image, plan)
            ]
            made = [future.result() for future in futures]
    by_spec = {(rendition.width, rendition.format): rendition for rendition in made}
    return [by_spec[spec.width, spec.format] for spec in plan]


def _sized(
    image: Image.Image, plan: list[RenditionSpec]
) -> Iterable[tuple[Image.Image, RenditionSpec]]:
    """Each spec with its image, widest first; WebP before JPEG at each width."""
    current = image
    for width in sorted({spec.width for spec in plan}, reverse=True):
        specs = sorted(
            (spec for spec in plan if spec.width == width),
            key=lambda spec: spec.format is not RenditionFormat.WEBP,
        )
        size = (specs[0].width, specs[0].height)
        if current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS)
        for spec in specs:
            yield current, spec


def _encode(image: Image.Image, spec: RenditionSpec, sha256: str, cache: ImageCache) -> Rendition:
    buffer = io.BytesIO()
    if spec.format is RenditionFormat.JPEG:
        if image.mode == "RGBA":
            image = _on_white(image)
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    path = cache.rendition_path(sha256, spec.width, spec.format.extension)
    cache.write(path, buffer.getvalue())
    return Rendition(sha256, spec.width, spec.height, spec.format, path)


def _on_white(image: Image.Image) -> Image.Image:
    flattened = Image.new("RGB", image.size, "white")
    flattened.paste(image, mask=image.getchannel("A"))
    return flattened


def renditions_for_assets(
    session: Session,
    *,
    asset_ids: Iterable[AssetId],
    cache: ImageCache,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[AssetId, list[Rendition]]:
    """Renditions for many assets, on ``workers`` threads (default: the CPU count, ≤ 4).

    Cached assets cost a file check each and their originals are never read.
    The session is used on the calling thread only; originals are read one at a
    time and at most ``workers + 1`` are held in memory. ``progress(done, total)``
    is called on the calling thread. When ``cancelled()`` turns true no new image
    is started, and the ones finished so far are returned.
    """
    from sqlalchemy import select

    from editor.core.models import Asset, AssetId

    ids = list(dict.fromkeys(asset_ids))
    rows = session.execute(
        select(Asset.id, Asset.sha256, Asset.width, Asset.height).where(Asset.id.in_(ids))
    ).all()
    results: dict[AssetId, list[Rendition]] = {}
    missing = []
    for row in rows:
        cached = cached_renditions(
            sha256=row.sha256, width=row.width, height=row.height, cache=cache
        )
        if cached is None:
            missing.append(row)
        else:
            results[AssetId(row.id)] = cached
    total = len(rows)
    if progress is not None:
        progress(len(results), total)
    if not missing:
        return results
    worker_count = workers or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=worker_count, thread_name_prefix="renditions") as pool:
        running: dict[Future[list[Rendition]], AssetId] = {}

        def collect(done: Iterable[Future[list[Rendition]]]) -> None:
            for future in done:
                results[running.pop(future)] = future.result()
                if progress is not None:
                    progress(len(results), total)

        for row in missing:
            if cancelled is not None and cancelled():
                break
            original = session.scalar(select(Asset.original).where(Asset.id == row.id))
            assert original is not None
            future = pool.submit(
                make_renditions, original, sha256=row.sha256, cache=cache, threads=1
            )
            running[future] = AssetId(row.id)
            del original
            if len(running) > worker_count:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                collect(finished)
        collect(list(running))
    return results

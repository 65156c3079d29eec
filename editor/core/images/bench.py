"""Figures for the image pipeline, wired into the ``drafting`` and ``publishing`` bench groups.

The 24-megapixel test photo is made at run time (6000 × 4000, gradients,
shapes and sensor-like noise, JPEG quality 90, ~10 MB, with EXIF holding GPS,
a serial number and orientation 6 as a phone held upright writes it), so no
large file is kept in the repository.

Ingest is measured in a fresh subprocess per run, so its peak memory is the
process's own high-water mark above the moment before the call (Linux's
``clear_refs`` resets it; elsewhere ``ru_maxrss`` is used), not Python's
allocations alone: Pillow and libjpeg allocate outside ``tracemalloc``'s view.

Run ``python -m editor.core.images.bench`` to print both groups' figures.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import multiprocessing
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from editor.bench import BenchContext, Figure

PHOTO_SIZE = (6000, 4000)
INGEST_RUNS = 3
RENDITION_RUNS = 5
BATCH_PHOTOS = 6
INGEST_SECONDS_TARGET = 0.5
INGEST_MEMORY_MB_TARGET = 80.0
RENDITION_RATIO_TARGET = 1.1
RENDITION_SECONDS_WITHOUT_LIBVIPS = 0.5


def make_test_photo(*, orientation: int = 6, seed: int = 1) -> bytes:
    """A 24 MP JPEG that compresses like a photo (not like flat colour or pure noise)."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    width, height = PHOTO_SIZE

    def texture(sigma: float, blur: float) -> Image.Image:
        small = Image.effect_noise((width // 16, height // 16), sigma)
        return small.filter(ImageFilter.GaussianBlur(blur)).resize(
            (width, height), Image.Resampling.BICUBIC
        )

    red = ImageChops.add(Image.linear_gradient("L").resize((width, height)), texture(60, 3), 2)
    green = ImageChops.add(Image.radial_gradient("L").resize((width, height)), texture(60, 2), 2)
    blue = ImageChops.add(
        Image.linear_gradient("L").rotate(90).resize((width, height)), texture(60, 4), 2
    )
    grain = Image.effect_noise((width, height), 18)
    photo = Image.merge(
        "RGB", [ImageChops.add(channel, grain, 1, -128) for channel in (red, green, blue)]
    )
    draw = ImageDraw.Draw(photo)
    shapes = random.Random(seed)
    for _ in range(300):
        left, top = shapes.randrange(width), shapes.randrange(height)
        draw.ellipse(
            (left, top, left + shapes.randrange(20, 400), top + shapes.randrange(20, 400)),
            fill=(shapes.randrange(256), shapes.randrange(256), shapes.randrange(256)),
        )
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    exif[0xA431] = "BODY-SERIAL-0123456789"
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 7.5), 3: "E", 4: (4.0, 53.0, 12.0)}
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def measure_ingest(context: BenchContext) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-images-") as scratch:
        folder = Path(scratch)
        photo = folder / "photo-24mp.jpg"
        photo.write_bytes(make_test_photo())
        runs = [_ingest_in_subprocess(photo, folder / f"run-{run}") for run in range(INGEST_RUNS)]
    return [
        Figure(
            "drafting.image_ingest_24mp",
            statistics.median(run["seconds"] for run in runs),
            "s",
            INGEST_SECONDS_TARGET,
        ),
        Figure(
            "drafting.image_ingest_peak_memory",
            max(run["peak_mb"] for run in runs),
            "MB",
            INGEST_MEMORY_MB_TARGET,
        ),
        Figure(
            "drafting.image_ingest_same_file_again",
            statistics.median(run["repeat_seconds"] for run in runs),
            "s",
            None,
        ),
    ]


def _ingest_in_subprocess(photo: Path, folder: Path) -> dict[str, float]:
    folder.mkdir()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "editor.core.images.bench",
            "--ingest-child",
            str(photo),
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the ingest benchmark failed: {completed.stderr.strip()[-800:]}")
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _ingest_child(photo: Path, folder: Path) -> None:
    from editor.core.images import ImageCache, ingest_image, ingest_image_file
    from editor.core.store import open_store, sqlite_url

    store = open_store(sqlite_url(folder / "store.sqlite3"))
    cache = ImageCache(folder / "cache")
    warm_up = make_small_photo()
    with store.session_factory.begin() as session:
        ingest_image(session, data=warm_up, filename="warm-up.jpg", cache=cache)
    baseline_mb = _reset_peak_memory()
    started = time.perf_counter()
    with store.session_factory.begin() as session:
        ingest_image_file(session, path=photo, cache=cache)
    seconds = time.perf_counter() - started
    peak_mb = _peak_memory_mb() - baseline_mb
    started = time.perf_counter()
    with store.session_factory.begin() as session:
        ingest_image_file(session, path=photo, cache=cache)
    repeat_seconds = time.perf_counter() - started
    store.close()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "repeat_seconds": repeat_seconds}))


def make_small_photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 40).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _reset_peak_memory() -> float:
    """Reset the high-water mark where the OS allows it; the baseline to subtract, in MB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _proc_status_mb("VmRSS")
    except OSError:
        return _peak_memory_mb()


def _peak_memory_mb() -> float:
    try:
        return _proc_status_mb("VmHWM")
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _proc_status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise OSError(f"no {field} in /proc/self/status")


def measure_renditions(context: BenchContext) -> list[Figure]:
    from editor.core.images.jpeg_segments import clean_jpeg

    photo = clean_jpeg(make_test_photo(orientation=1), orientation=1).data
    pillow_seconds, libvips_seconds = _pillow_and_libvips_seconds(photo)
    figures = []
    if libvips_seconds is None:
        figures.append(
            Figure(
                "publishing.rendition_24mp",
                pillow_seconds,
                "s",
                RENDITION_SECONDS_WITHOUT_LIBVIPS,
            )
        )
    else:
        figures += [
            Figure(
                "publishing.rendition_24mp",
                pillow_seconds,
                "s",
                round(RENDITION_RATIO_TARGET * libvips_seconds, 4),
            ),
            Figure("publishing.rendition_24mp_libvips", libvips_seconds, "s", None),
            Figure(
                "publishing.rendition_vs_libvips",
                pillow_seconds / libvips_seconds,
                "×",
                RENDITION_RATIO_TARGET,
            ),
        ]
    figures.append(
        Figure(
            "publishing.rendition_24mp_one_core",
            min(_timed_renditions(photo, threads=1) for _ in range(RENDITION_RUNS)),
            "s",
            None,
        )
    )
    sources = [
        clean_jpeg(
            make_test_photo(orientation=orientation, seed=orientation), orientation=orientation
        ).data
        for orientation in (1, 6)
    ]
    batch = [_variant(sources[index % 2], index) for index in range(BATCH_PHOTOS)]
    threads = _batch_seconds(batch, lambda: ThreadPoolExecutor(2))
    try:
        processes = _batch_seconds(
            batch, lambda: ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
        )
    except (
        BrokenProcessPool
    ):  # e.g. run from a script on standard input, which spawn cannot re-import
        processes = math.nan
    figures += [
        Figure("publishing.renditions_batch_threads_per_photo", threads / len(batch), "s", None),
        Figure(
            "publishing.renditions_batch_processes_per_photo", processes / len(batch), "s", None
        ),
        Figure("publishing.renditions_all_cached_20_photos", _cached_seconds(photo), "s", 0.3),
    ]
    return figures


def _variant(photo: bytes, index: int) -> bytes:
    """The same picture with different bytes (a JPEG comment), so each has its own sha256."""
    return photo[:2] + b"\xff\xfe\x00\x06" + index.to_bytes(4, "big") + photo[2:]


def _timed_renditions(photo: bytes, *, threads: int) -> float:
    from editor.core.images import ImageCache
    from editor.core.images.renditions import make_renditions

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-renditions-") as scratch:
        cache = ImageCache(Path(scratch))
        started = time.perf_counter()
        make_renditions(photo, sha256="0" * 64, cache=cache, threads=threads)
        return time.perf_counter() - started


def _batch_seconds(photos: list[bytes], executor: Callable[[], Executor]) -> float:
    from editor.core.images import ImageCache
    from editor.core.images.renditions import make_renditions

    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-bench-batch-"))
    try:
        cache = ImageCache(scratch)
        with executor() as pool:
            pool.submit(sum, [1]).result()  # workers started before the clock
            started = time.perf_counter()
            futures = [
                pool.submit(
                    make_renditions,
                    photo,
                    sha256=hashlib.sha256(photo).hexdigest(),
                    cache=cache,
                    threads=1,
                )
                for photo in photos
            ]
            for future in futures:
                future.result()
            return time.perf_counter() - started
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _cached_seconds(photo: bytes) -> float:
    """Re-publishing 20 unchanged photos: the cache check alone, originals never read."""
    from editor.core.images import ImageCache
    from editor.core.images.decoding import probe
    from editor.core.images.renditions import cached_renditions, make_renditions

    header = probe(photo)
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-cached-") as scratch:
        cache = ImageCache(Path(scratch))
        sha256 = hashlib.sha256(photo).hexdigest()
        make_renditions(photo, sha256=sha256, cache=cache)
        started = time.perf_counter()
        for _ in range(20):
            found = cached_renditions(
                sha256=sha256, width=header.width, height=header.height, cache=cache
            )
            assert found is not None
        return time.perf_counter() - started


def _pillow_and_libvips_seconds(photo: bytes) -> tuple[float, float | None]:
    """Best of ``RENDITION_RUNS`` for Pillow and for libvips, runs interleaved so both see
    the same machine (other work on a shared 2-core box moves single timings by 2×).

    libvips gets the faster of its two usual idioms, with the same sizes, filter
    (Lanczos 3), qualities and WebP effort; None when pyvips is not installed.
    """
    jobs = _libvips_jobs(photo)
    for job in jobs:
        job()  # warm up libvips' caches and thread pool
    _timed_renditions(photo, threads=2)
    pillow_runs: list[float] = []
    libvips_runs: list[list[float]] = [[] for _ in jobs]
    for _ in range(RENDITION_RUNS):
        pillow_runs.append(_timed_renditions(photo, threads=2))
        for job, runs in zip(jobs, libvips_runs, strict=True):
            started = time.perf_counter()
            job()
            runs.append(time.perf_counter() - started)
    libvips = min(min(runs) for runs in libvips_runs) if jobs else None
    return min(pillow_runs), libvips


def _libvips_jobs(photo: bytes) -> list[Callable[[], None]]:
    try:
        import pyvips  # type: ignore[import-not-found, unused-ignore]
    except (ImportError, OSError):
        return []
    from editor.core.images.renditions import (
        JPEG_QUALITY,
        RENDITION_WIDTHS,
        WEBP_METHOD,
        WEBP_QUALITY,
    )

    def save(image: object) -> None:
        image.jpegsave_buffer(Q=JPEG_QUALITY, optimize_coding=True, interlace=True)  # type: ignore[attr-defined]
        image.webpsave_buffer(Q=WEBP_QUALITY, effort=WEBP_METHOD)  # type: ignore[attr-defined]

    def thumbnail_each() -> None:
        for width in RENDITION_WIDTHS:
            # Saved twice, so held in memory (libvips reads the JPEG sequentially).
            save(pyvips.Image.thumbnail_buffer(photo, width, height=100_000).copy_memory())

    def thumbnail_once_then_resize() -> None:
        widest = max(RENDITION_WIDTHS)
        image = pyvips.Image.thumbnail_buffer(photo, widest, height=100_000).copy_memory()
        for width in sorted(RENDITION_WIDTHS, reverse=True):
            save(image if width == widest else image.resize(width / widest, kernel="lanczos3"))

    return [thumbnail_each, thumbnail_once_then_resize]


def _main(arguments: list[str]) -> None:
    if arguments[:1] == ["--ingest-child"]:
        _ingest_child(Path(arguments[1]), Path(arguments[2]))
        return
    from editor.bench import format_table

    context = BenchContext(store_url=None)
    print(format_table(measure_ingest(context) + measure_renditions(context)))


if __name__ == "__main__":
    _main(sys.argv[1:])

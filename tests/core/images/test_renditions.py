"""Publishing renditions: six files per picture, never enlarged, upright, cached by content."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from editor.core.images import ImageCache, ingest_image, prepare_image
from editor.core.images.renditions import (
    RenditionFormat,
    cached_renditions,
    make_renditions,
    plan_renditions,
    renditions_for_assets,
)
from editor.core.store import Store
from tests.core.images.conftest import (
    as_stored_by_camera,
    best_matching_transform,
    jpeg_bytes,
    marked_picture,
)


def test_the_plan_never_enlarges() -> None:
    assert [(spec.width, spec.height) for spec in plan_renditions(6000, 4000)][::2] == [
        (1600, 1067),
        (800, 533),
        (400, 267),
    ]
    assert {spec.width for spec in plan_renditions(1000, 500)} == {1000, 800, 400}
    assert {spec.width for spec in plan_renditions(300, 900)} == {300}
    assert {spec.format for spec in plan_renditions(300, 900)} == set(RenditionFormat)


def test_a_sideways_photo_gives_six_upright_files_without_metadata(
    image_cache: ImageCache,
) -> None:
    upright = marked_picture(2400, 1600)
    data = jpeg_bytes(as_stored_by_camera(upright, 8), orientation=8, gps=True)
    prepared = prepare_image(data, filename="wide.jpg", cache=image_cache)

    renditions = make_renditions(prepared.data, sha256=prepared.sha256, cache=image_cache)

    assert sorted((r.width, r.height, r.format.value) for r in renditions) == [
        (400, 267, "jpeg"), (400, 267, "webp"),
        (800, 533, "jpeg"), (800, 533, "webp"),
        (1600, 1067, "jpeg"), (1600, 1067, "webp"),
    ]  # fmt: skip
    for rendition in renditions:
        with Image.open(rendition.path) as file:
            assert file.size == (rendition.width, rendition.height)
            assert file.format == ("JPEG" if rendition.format is RenditionFormat.JPEG else "WEBP")
            assert not file.getexif() and "icc_profile" not in file.info
            assert best_matching_transform(file, upright) == "upright"
        assert (
            rendition.filename
            == f"{prepared.sha256[:12]}-{rendition.width}w.{rendition.path.suffix[1:]}"
        )


def test_cached_renditions_are_not_made_again(image_cache: ImageCache) -> None:
    prepared = prepare_image(
        jpeg_bytes(marked_picture(1000, 700)), filename="a.jpg", cache=image_cache
    )
    first = make_renditions(prepared.data, sha256=prepared.sha256, cache=image_cache, threads=1)
    stamps = {rendition.path: rendition.path.stat().st_mtime_ns for rendition in first}
    for path in stamps:
        os.utime(path, ns=(1, 1))

    again = make_renditions(prepared.data, sha256=prepared.sha256, cache=image_cache)

    assert again == first
    assert all(rendition.path.stat().st_mtime_ns == 1 for rendition in again)
    assert (
        cached_renditions(sha256=prepared.sha256, width=1000, height=700, cache=image_cache)
        == first
    )


def test_transparent_pictures_get_a_white_jpeg_and_a_transparent_webp(
    image_cache: ImageCache,
) -> None:
    picture = Image.new("RGBA", (500, 300), (0, 0, 0, 0))
    picture.paste((200, 30, 30, 255), (0, 0, 250, 300))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    prepared = prepare_image(buffer.getvalue(), filename="logo.png", cache=image_cache)

    renditions = make_renditions(prepared.data, sha256=prepared.sha256, cache=image_cache)

    jpeg = next(r for r in renditions if r.format is RenditionFormat.JPEG and r.width == 400)
    webp = next(r for r in renditions if r.format is RenditionFormat.WEBP and r.width == 400)
    with Image.open(jpeg.path) as file:
        assert file.convert("RGB").getpixel((390, 150)) == (255, 255, 255)
    with Image.open(webp.path) as file:
        assert file.mode == "RGBA" and file.getpixel((390, 150))[3] == 0


def test_a_batch_covers_every_asset_and_reuses_the_cache(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    asset_ids = []
    with store.session_factory.begin() as session:
        for index, size in enumerate([(1800, 1200), (900, 1300), (640, 480)]):
            data = jpeg_bytes(marked_picture(*size).rotate(index * 5))
            result = ingest_image(session, data=data, filename=f"{index}.jpg", cache=image_cache)
            asset_ids.append(result.asset_id)

    seen_progress: list[tuple[int, int]] = []
    with store.session_factory() as session:
        made = renditions_for_assets(
            session,
            asset_ids=asset_ids,
            cache=image_cache,
            workers=2,
            progress=lambda done, total: seen_progress.append((done, total)),
        )
    assert set(made) == set(asset_ids)
    assert [len(made[asset_id]) for asset_id in asset_ids] == [6, 6, 4]
    assert seen_progress[-1] == (3, 3)

    with store.session_factory() as session:
        again = renditions_for_assets(session, asset_ids=asset_ids, cache=image_cache)
    assert again == made


def test_a_cancelled_batch_starts_nothing_new(store: Store, image_cache: ImageCache) -> None:
    with store.session_factory.begin() as session:
        asset_ids = [
            ingest_image(
                session, data=jpeg_bytes(marked_picture(700, 500 + i)), filename="x.jpg",
                cache=image_cache,
            ).asset_id
            for i in range(3)
        ]  # fmt: skip
    with store.session_factory() as session:
        made = renditions_for_assets(
            session, asset_ids=asset_ids, cache=image_cache, cancelled=lambda: True
        )
    assert made == {}

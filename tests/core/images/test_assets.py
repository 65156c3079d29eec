"""Ingesting into a real store (SQLite and PostgreSQL): one asset per picture, nothing for bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from editor.core.images import (
    AssetNotFound,
    ImageCache,
    ImageRejected,
    RemovedMetadata,
    ingest_image,
    ingest_image_file,
    prepare_image,
    store_prepared,
    thumbnail_for_asset,
)
from editor.core.models import Asset, AssetId
from editor.core.store import Store
from tests.core.images.conftest import GPS_IFD, as_stored_by_camera, jpeg_bytes, marked_picture


def _asset_count(store: Store) -> int:
    with store.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Asset)) or 0


def test_a_photo_is_stored_once_upright_without_gps(store: Store, image_cache: ImageCache) -> None:
    upright = marked_picture(300, 200)
    data = jpeg_bytes(as_stored_by_camera(upright, 6), orientation=6, gps=True)

    with store.session_factory.begin() as session:
        first = ingest_image(
            session, data=data, filename="harbour.jpg", cache=image_cache, alt_text="The harbour"
        )
    with store.session_factory.begin() as session:
        second = ingest_image(session, data=data, filename="copy of harbour.jpg", cache=image_cache)

    assert first.created and not second.created
    assert first.asset_id == second.asset_id
    assert second.filename == "harbour.jpg" and second.alt_text == "The harbour"
    assert any("already in the store" in note for note in second.notes)
    assert RemovedMetadata.GPS_LOCATION in first.removed_metadata
    assert first.suggested_credit == "Jane Photographer"
    assert first.reference == f"asset:{first.sha256[:12]}"
    assert _asset_count(store) == 1
    with store.session_factory() as session:
        asset = session.get(Asset, first.asset_id)
        assert asset is not None
        assert (asset.width, asset.height, asset.mime) == (300, 200, "image/jpeg")
        assert (asset.caption, asset.credit) == ("", "")
        with Image.open(io.BytesIO(asset.original)) as stored:
            assert not stored.getexif().get_ifd(GPS_IFD)
        assert b"SERIAL-1234567" not in asset.original


def test_the_same_picture_from_a_fresh_cache_still_finds_the_asset(
    store: Store, tmp_path: Path
) -> None:
    data = jpeg_bytes(marked_picture(), gps=True)
    with store.session_factory.begin() as session:
        first = ingest_image(session, data=data, filename="a.jpg", cache=ImageCache(tmp_path / "1"))
    with store.session_factory.begin() as session:
        again = ingest_image(session, data=data, filename="a.jpg", cache=ImageCache(tmp_path / "2"))
    assert again.asset_id == first.asset_id and not again.created
    assert again.thumbnail.data  # remade from the stored original
    assert _asset_count(store) == 1


def test_two_prepared_copies_stored_in_one_unit_of_work_make_one_asset(
    store: Store, image_cache: ImageCache
) -> None:
    data = jpeg_bytes(marked_picture())
    prepared = prepare_image(data, filename="a.jpg", cache=image_cache)
    with store.session_factory.begin() as session:
        first = store_prepared(session, prepared)
        second = store_prepared(session, prepared)
    assert first.created and not second.created
    assert first.asset_id == second.asset_id
    assert _asset_count(store) == 1


def test_bad_files_are_refused_and_nothing_is_stored(
    store: Store, image_cache: ImageCache, shared_data: Path
) -> None:
    bad = [
        shared_data / "images" / "camera" / "corrupted.jpg",
        shared_data / "images" / "pillow" / "malformed" / "truncated_jpeg.jpg",
        shared_data / "images" / "pillow" / "malformed" / "broken_data_stream.png",
        shared_data / "images" / "pillow" / "bombs" / "reallybig.bmp",
        shared_data / "images" / "pillow" / "bombs" / "decompression_bomb_extents.gif",
    ]
    for path in bad:
        with pytest.raises(ImageRejected) as rejected, store.session_factory.begin() as session:
            ingest_image_file(session, path=path, cache=image_cache)
        assert str(rejected.value).startswith(f"{path.name}: ")
    with pytest.raises(ImageRejected), store.session_factory.begin() as session:
        ingest_image(
            session, data=b"\x00" * (101 * 1024 * 1024), filename="paste", cache=image_cache
        )
    assert _asset_count(store) == 0


def test_a_file_with_a_non_utf8_name_is_stored(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    name = b"r\xe9union-\xff.jpg".decode("utf-8", "surrogateescape")
    path = tmp_path / name
    path.write_bytes(jpeg_bytes(marked_picture()))
    with store.session_factory.begin() as session:
        result = ingest_image_file(session, path=path, cache=image_cache)
    assert result.filename == "r\ufffdunion-\ufffd.jpg"
    with store.session_factory() as session:
        assert session.scalar(select(Asset.filename)) == result.filename


def test_media_panel_thumbnails_come_from_the_cache_or_the_store(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    with store.session_factory.begin() as session:
        result = ingest_image(
            session, data=jpeg_bytes(marked_picture(900, 600)), filename="a.jpg", cache=image_cache
        )
    with store.session_factory() as session:
        cached = thumbnail_for_asset(session, asset_id=result.asset_id, cache=image_cache)
        remade = thumbnail_for_asset(
            session, asset_id=result.asset_id, cache=ImageCache(tmp_path / "empty")
        )
        with pytest.raises(AssetNotFound):
            thumbnail_for_asset(session, asset_id=AssetId(999_999), cache=image_cache)
    assert cached.path == result.thumbnail.path and cached.data == result.thumbnail.data
    assert (remade.width, remade.height) == (320, 213)
    assert remade.path.is_file() and remade.mime == "image/jpeg"

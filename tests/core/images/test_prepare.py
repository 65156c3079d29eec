"""Checking and cleaning files before they are stored: real camera photos and Pillow's bad files."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageOps, ImageStat

from editor.core.images import (
    MAX_INPUT_BYTES,
    ImageCache,
    ImageRejected,
    RejectReason,
    RemovedMetadata,
    StoredFormat,
    display_filename,
    prepare_image,
    read_image_file,
)
from editor.core.images.decoding import decode_upright
from tests.core.images.conftest import (
    GPS_IFD,
    as_stored_by_camera,
    best_matching_transform,
    jpeg_bytes,
    marked_picture,
)

# Files in Pillow's malformed/ folder whose picture data is fine and only their
# metadata is broken: they are taken, with the broken metadata dropped.
METADATA_ONLY_DAMAGE = {
    "broken_exif_dpi.jpg",
    "exif-dpi-zerodivision.jpg",
    "exif-ifd-offset.jpg",
    "exif_gps_typeerror.jpg",
    "exif_typeerror.jpg",
    "invalid-exif-without-x-resolution.jpg",
    "invalid-exif.jpg",
    "photoshop-200dpi-broken.jpg",
    "sugarshack_bad_mpo_header.jpg",
    "truncated_app14.jpg",
    "truncated_exif_dpi.jpg",
    "apng_syntax_num_frames_invalid.png",
}


def _upright_stored(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image.convert("RGB"))


def _image_files(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.name not in ("README", "LICENSE-Pillow")
    )


def test_no_gps_tag_survives_from_real_camera_photos(
    shared_data: Path, image_cache: ImageCache
) -> None:
    photos = _image_files(shared_data / "images" / "camera" / "gps")
    assert len(photos) >= 9
    for photo in photos:
        prepared = prepare_image(photo.read_bytes(), filename=photo.name, cache=image_cache)
        assert RemovedMetadata.GPS_LOCATION in prepared.removed_metadata, photo.name
        with Image.open(io.BytesIO(prepared.data)) as stored:
            exif = stored.getexif()
            assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD), photo.name
            assert "xmp" not in stored.info, photo.name
        assert b"GPS" not in prepared.data, photo.name


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_every_exif_orientation_sample_ends_upright(
    shared_data: Path, image_cache: ImageCache, shape: str
) -> None:
    folder = shared_data / "images" / "camera" / "orientation"
    with Image.open(folder / f"{shape}_1.jpg") as reference_file:
        reference = reference_file.convert("RGB")
    for orientation in range(1, 9):
        path = folder / f"{shape}_{orientation}.jpg"
        prepared = prepare_image(path.read_bytes(), filename=path.name, cache=image_cache)

        assert (prepared.width, prepared.height) == reference.size, path.name
        stored = _upright_stored(prepared.data)
        assert best_matching_transform(stored, reference) == "upright", path.name
        with Image.open(io.BytesIO(prepared.thumbnail.data)) as thumbnail:
            assert best_matching_transform(thumbnail, reference) == "upright", path.name
            assert max(thumbnail.size) == 320


@pytest.mark.parametrize("orientation", range(1, 9))
def test_pillow_orientation_samples_end_upright(
    shared_data: Path, image_cache: ImageCache, orientation: int
) -> None:
    folder = shared_data / "images" / "pillow" / "metadata-edge"
    name = (
        "hopper_orientation_2.jpg" if orientation == 1 else f"hopper_orientation_{orientation}.jpg"
    )
    with Image.open(folder / "hopper_orientation_2.jpg") as mirrored:
        reference = ImageOps.exif_transpose(mirrored).convert("RGB")
    prepared = prepare_image((folder / name).read_bytes(), filename=name, cache=image_cache)
    assert best_matching_transform(_upright_stored(prepared.data), reference) == "upright"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_made_up_orientations_give_upright_pictures_and_sizes(
    image_cache: ImageCache, orientation: int
) -> None:
    upright = marked_picture(300, 200)
    data = jpeg_bytes(as_stored_by_camera(upright, orientation), orientation=orientation)
    prepared = prepare_image(data, filename="phone.jpg", cache=image_cache)
    assert (prepared.width, prepared.height) == (300, 200)
    assert best_matching_transform(_upright_stored(prepared.data), upright) == "upright"
    decoded, _ = decode_upright(prepared.data)
    assert decoded.size == (300, 200)
    assert best_matching_transform(decoded, upright) == "upright"


@pytest.mark.parametrize(
    "folder", ["images/pillow/malformed", "images/pillow/bombs", "images/camera/invalid"]
)
def test_every_bad_file_is_refused_by_name_and_reason_or_taken_clean(
    shared_data: Path, image_cache: ImageCache, folder: str
) -> None:
    for path in _image_files(shared_data / folder):
        try:
            prepared = prepare_image(path.read_bytes(), filename=path.name, cache=image_cache)
        except ImageRejected as rejected:
            assert path.name not in METADATA_ONLY_DAMAGE, f"{path.name}: {rejected}"
            assert str(rejected).startswith(f"{path.name}: ")
            assert len(rejected.detail) > 15
            continue
        assert folder == "images/camera/invalid" or path.name in METADATA_ONLY_DAMAGE, path.name
        # Taken: what is stored decodes strictly and carries no metadata beyond orientation.
        decode_upright(prepared.data, strict=True)
        with Image.open(io.BytesIO(prepared.data)) as stored:
            assert set(stored.getexif()) <= {0x0112}, path.name
            assert not {"xmp", "photoshop", "comment"} & set(stored.info), path.name


def test_bombs_are_refused_for_their_pixel_count(
    shared_data: Path, image_cache: ImageCache
) -> None:
    bombs = shared_data / "images" / "pillow" / "bombs"
    for name in ("decompression_bomb.gif", "decompression_bomb_extents.gif", "reallybig.bmp"):
        started = time.perf_counter()
        with pytest.raises(ImageRejected) as rejected:
            prepare_image((bombs / name).read_bytes(), filename=name, cache=image_cache)
        assert rejected.value.reason is RejectReason.TOO_MANY_PIXELS
        assert time.perf_counter() - started < 1.0


def test_a_picture_over_the_pixel_limit_is_refused_from_its_header(image_cache: ImageCache) -> None:
    # A 1-bit PNG of 12,000 × 9,000 compresses to a few kB but would be 108 MP decoded.
    buffer = io.BytesIO()
    Image.new("1", (12_000, 9_000)).save(buffer, "PNG")
    with pytest.raises(ImageRejected) as rejected:
        prepare_image(buffer.getvalue(), filename="huge.png", cache=image_cache)
    assert rejected.value.reason is RejectReason.TOO_MANY_PIXELS
    assert "12,000 × 9,000" in str(rejected.value)


def test_the_damaged_camera_photo_is_refused(shared_data: Path, image_cache: ImageCache) -> None:
    path = shared_data / "images" / "camera" / "corrupted.jpg"
    with pytest.raises(ImageRejected) as rejected:
        prepare_image(path.read_bytes(), filename=path.name, cache=image_cache)
    assert rejected.value.reason in (RejectReason.CORRUPT, RejectReason.TRUNCATED)
    assert str(rejected.value).startswith("corrupted.jpg: ")


def test_a_truncated_jpeg_is_refused_as_truncated(image_cache: ImageCache) -> None:
    data = jpeg_bytes(marked_picture(600, 400))
    with pytest.raises(ImageRejected) as rejected:
        prepare_image(data[: len(data) * 2 // 3], filename="half.jpg", cache=image_cache)
    assert rejected.value.reason is RejectReason.TRUNCATED


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40), "ZIP archive"),
        ("Dear editor, here is my letter. Café ☕\n".encode() * 20, "text"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        (bytes(range(256)) * 4, "not an image"),
    ],
)
def test_non_images_are_refused_saying_what_they_are(
    image_cache: ImageCache, content: bytes, expected: str
) -> None:
    with pytest.raises(ImageRejected) as rejected:
        prepare_image(content, filename="attachment", cache=image_cache)
    assert rejected.value.reason is RejectReason.NOT_AN_IMAGE
    assert expected in str(rejected.value)


@pytest.mark.parametrize("format", ["ICO", "PPM", "TGA", "PCX"])
def test_unsupported_image_formats_are_named(image_cache: ImageCache, format: str) -> None:
    buffer = io.BytesIO()
    marked_picture(32, 32).save(buffer, format)
    with pytest.raises(ImageRejected) as rejected:
        prepare_image(buffer.getvalue(), filename=f"logo.{format.lower()}", cache=image_cache)
    assert rejected.value.reason in (RejectReason.UNSUPPORTED_FORMAT, RejectReason.NOT_AN_IMAGE)
    assert "JPEG, PNG, GIF or WebP" in str(rejected.value)


def test_a_100_mb_paste_is_refused_at_once(image_cache: ImageCache) -> None:
    blob = b"\xff\xd8\xff" + bytes(100 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(ImageRejected) as rejected:
        prepare_image(blob, filename="pasted image", cache=image_cache)
    assert time.perf_counter() - started < 0.05
    assert rejected.value.reason is RejectReason.TOO_LARGE
    assert "104.9 MB" in str(rejected.value) and "60 MB" in str(rejected.value)


def test_a_huge_file_on_disk_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    with path.open("wb") as file:
        file.truncate(MAX_INPUT_BYTES * 3)  # sparse: no data written
    started = time.perf_counter()
    with pytest.raises(ImageRejected) as rejected:
        read_image_file(path)
    assert time.perf_counter() - started < 0.05
    assert rejected.value.reason is RejectReason.TOO_LARGE


def test_an_empty_or_unreadable_file_is_refused(tmp_path: Path, image_cache: ImageCache) -> None:
    with pytest.raises(ImageRejected) as empty:
        prepare_image(b"", filename="empty.jpg", cache=image_cache)
    assert empty.value.reason is RejectReason.EMPTY
    with pytest.raises(ImageRejected) as missing:
        read_image_file(tmp_path / "gone.jpg")
    assert missing.value.reason is RejectReason.UNREADABLE
    assert str(missing.value).startswith("gone.jpg: ")


def test_non_utf8_and_hostile_file_names_become_storable_text() -> None:
    latin1_on_disk = Path(b"caf\xe9-photo.jpg".decode("utf-8", "surrogateescape"))
    shown = display_filename(latin1_on_disk)
    assert shown == "caf\ufffd-photo.jpg"
    shown.encode("utf-8")  # would raise for surrogates
    assert display_filename(b"/home/ed/Pictures/\xff\xfe.png") == "\ufffd\ufffd.png"
    assert display_filename("C:\\Users\\ed\\photo.jpg") == "photo.jpg"
    assert display_filename("photo\u202egpj.exe") == "photogpj.exe"
    assert display_filename("tab\tand\nnewline.jpg") == "tabandnewline.jpg"
    assert display_filename("") == "image"
    long_name = display_filename("x" * 400 + ".jpeg")
    assert len(long_name) == 255 and long_name.endswith(".jpeg")


@pytest.mark.parametrize(
    "name",
    [
        "exif.png",
        "exif_text.png",
        "exif_imagemagick.png",
        "exif_imagemagick_orientation.png",
        "icc_profile.png",
        "icc_profile_none.png",
        "iptc.jpg",
        "exif_gps.jpg",
        "pil_sample_cmyk.jpg",
        "icc_profile_big.jpg",
        "hopper_16bit_qtables.jpg",
        "exif-200dpcm.jpg",
    ],
)
def test_metadata_edge_cases_are_handled(
    shared_data: Path, image_cache: ImageCache, name: str
) -> None:
    path = shared_data / "images" / "pillow" / "metadata-edge" / name
    source = path.read_bytes()
    prepared = prepare_image(source, filename=name, cache=image_cache)
    with Image.open(io.BytesIO(prepared.data)) as stored:
        assert set(stored.getexif()) <= {0x0112}
        leaked = {key for key, value in stored.info.items() if isinstance(value, str)}
        assert not leaked - {"srgb"}, leaked
        with Image.open(io.BytesIO(source)) as original:
            if "icc_profile" in original.info:
                assert stored.info.get("icc_profile") == original.info["icc_profile"]
    decoded, _ = decode_upright(prepared.data)
    assert decoded.mode in ("RGB", "RGBA", "L")
    assert Image.open(io.BytesIO(prepared.thumbnail.data)).mode in ("RGB", "RGBA", "L")


def test_a_png_with_exif_orientation_is_stored_upright(
    shared_data: Path, image_cache: ImageCache
) -> None:
    folder = shared_data / "images" / "pillow" / "metadata-edge"
    # The same pixels as exif_imagemagick.png (orientation 1), tagged orientation 3.
    tagged = (folder / "exif_imagemagick_orientation.png").read_bytes()
    prepared = prepare_image(tagged, filename="rotated.png", cache=image_cache)
    with Image.open(folder / "exif_imagemagick.png") as untagged:
        expected = untagged.transpose(Image.Transpose.ROTATE_180)
    assert best_matching_transform(_upright_stored(prepared.data), expected) == "upright"
    with Image.open(io.BytesIO(prepared.data)) as stored:
        assert 0x0112 not in stored.getexif()


def test_a_cmyk_jpeg_thumbnail_keeps_its_colours(
    shared_data: Path, image_cache: ImageCache
) -> None:
    path = shared_data / "images" / "pillow" / "metadata-edge" / "pil_sample_cmyk.jpg"
    prepared = prepare_image(path.read_bytes(), filename=path.name, cache=image_cache)
    with Image.open(path) as original:
        expected = original.convert("RGB").resize((32, 32))
    thumbnail = Image.open(io.BytesIO(prepared.thumbnail.data)).convert("RGB").resize((32, 32))
    difference = sum(ImageStat.Stat(ImageChops.difference(expected, thumbnail)).mean) / 3
    assert difference < 40  # inverted CMYK would be ~150 off


def test_the_same_file_gives_the_same_stored_bytes(image_cache: ImageCache) -> None:
    data = jpeg_bytes(marked_picture(), orientation=6, gps=True)
    first = prepare_image(data, filename="a.jpg", cache=image_cache)
    second = prepare_image(data, filename="b.jpg", cache=image_cache)
    assert first.sha256 == second.sha256 and first.data == second.data
    assert first.format is StoredFormat.JPEG and first.mime == "image/jpeg"


def test_tiff_and_bmp_are_converted(image_cache: ImageCache) -> None:
    for format, mode, expected in [
        ("TIFF", "RGB", StoredFormat.JPEG),
        ("TIFF", "RGBA", StoredFormat.PNG),
        ("BMP", "RGB", StoredFormat.JPEG),
        ("BMP", "P", StoredFormat.PNG),
    ]:
        buffer = io.BytesIO()
        marked_picture(120, 80).convert(mode).save(buffer, format)
        prepared = prepare_image(buffer.getvalue(), filename=f"scan.{format}", cache=image_cache)
        assert prepared.format is expected, (format, mode)
        assert (prepared.width, prepared.height) == (120, 80)
        assert any("Converted" in note for note in prepared.notes)


def test_animated_gif_and_webp_keep_their_frames_and_lose_their_comments(
    image_cache: ImageCache,
) -> None:
    frames = [marked_picture(80, 60).rotate(angle) for angle in (0, 90, 180)]
    for format in ("GIF", "WEBP", "PNG"):
        buffer = io.BytesIO()
        options: dict[str, object] = {"comment": b"secret location"} if format == "GIF" else {}
        frames[0].save(
            buffer, format, save_all=True, append_images=frames[1:], duration=[100, 200, 300],
            loop=0, **options,
        )  # fmt: skip
        prepared = prepare_image(buffer.getvalue(), filename=f"anim.{format}", cache=image_cache)
        assert b"secret location" not in prepared.data
        with Image.open(io.BytesIO(prepared.data)) as stored:
            assert stored.format == format
            assert stored.n_frames == 3
            assert "comment" not in stored.info


def test_pillow_decompression_bomb_warning_threshold_does_not_refuse_a_90_mp_jpeg(
    image_cache: ImageCache,
) -> None:
    # Pillow warns above 89.5 MP; our limit is 100 MP, checked from the header.
    buffer = io.BytesIO()
    Image.new("L", (11_000, 8_200), 128).save(buffer, "JPEG", quality=20)
    prepared = prepare_image(buffer.getvalue(), filename="big.jpg", cache=image_cache)
    assert (prepared.width, prepared.height) == (11_000, 8_200)
    assert not prepared.notes


_SMALL = jpeg_bytes(marked_picture(48, 32), orientation=6, gps=True)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.integers(min_value=0, max_value=len(_SMALL)),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_SMALL) - 1), st.integers(0, 255)),
        max_size=4,
    ),
)
def test_no_error_but_image_rejected_escapes_for_damaged_jpegs(
    image_cache: ImageCache, cut: int, flips: list[tuple[int, int]]
) -> None:
    damaged = bytearray(_SMALL[:cut])
    for position, value in flips:
        if position < len(damaged):
            damaged[position] = value
    try:
        prepared = prepare_image(bytes(damaged), filename="fuzz.jpg", cache=image_cache)
    except ImageRejected:
        return
    decode_upright(prepared.data, strict=True)

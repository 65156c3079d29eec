"""Adding an image to the store: check it, make it upright and private, store it once.

``prepare_image`` is pure CPU work and may run on any worker thread;
``store_prepared`` is the database step for the store's lane; ``ingest_image``
and ``ingest_image_file`` do both. None of them commits: the caller's unit of
work (``with store.session_factory.begin() as session:``) does.

What is stored, and why:
- JPEG (the camera case): the file's own picture data, with every metadata
  segment but the ICC profile, JFIF density and Adobe flags removed and the
  orientation kept as the only EXIF tag (``jpeg_segments``). No full-size
  decode happens at all: the file is verified by a strict libjpeg decode at
  thumbnail scale, which still reads every byte of picture data. A 24 MP
  photo takes ~0.1 s and ~20 MB beyond its own bytes.
- Other formats are decoded and re-encoded (``reencode``), upright.
- The asset is keyed by the sha256 of the stored bytes, which are a pure
  function of the input file, so adding the same file twice finds the first
  asset. The input file's own sha256 is remembered in the image cache as well,
  so a repeat skips even the cleaning and re-encoding.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from editor.core.images.cache import ImageCache
from editor.core.images.decoding import (
    ImageHeader,
    decode_upright,
    pillow_warnings,
    read_header,
)
from editor.core.images.errors import (
    MAX_INPUT_BYTES,
    MAX_PIXELS,
    ImageRejected,
    RejectReason,
    check_size,
    damaged,
    jpeg_damage_message,
    note_for_warning,
    only_padding_before_end,
    too_many_pixels,
)
from editor.core.images.formats import (
    OPENABLE_FORMATS,
    StoredFormat,
    damaged_image_format,
    describe_non_image,
    describe_unsupported,
    display_filename,
)
from editor.core.images.jpeg_segments import MalformedJpeg, RemovedMetadata, clean_jpeg
from editor.core.images.metadata import private_metadata
from editor.core.images.reencode import TooManyPixels, reencode
from editor.core.images.thumbnails import (
    Thumbnail,
    cached_thumbnail,
    make_thumbnail,
    thumbnail_decode_size,
    thumbnail_from_image,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from editor.core.models import AssetId

MAX_FRAMES = 1_000
REFERENCE_LENGTH = 12


@dataclass(frozen=True)
class PreparedImage:
    """An image checked and made ready to store; nothing is in the database yet."""

    filename: str
    data: bytes
    sha256: str
    format: StoredFormat
    width: int
    height: int
    thumbnail: Thumbnail
    removed_metadata: frozenset[RemovedMetadata]
    # Things the person should know, e.g. that damaged metadata was dropped.
    notes: tuple[str, ...]
    # The photographer's name or copyright line from the file, for the credit field.
    suggested_credit: str
    source_sha256: str

    @property
    def mime(self) -> str:
        return self.format.mime


@dataclass(frozen=True)
class IngestResult:
    asset_id: AssetId
    sha256: str
    filename: str
    mime: str
    width: int
    height: int
    alt_text: str
    caption: str
    credit: str
    # False when the same image was already stored: the existing asset is returned unchanged.
    created: bool
    thumbnail: Thumbnail
    removed_metadata: frozenset[RemovedMetadata]
    notes: tuple[str, ...]
    suggested_credit: str

    @property
    def reference(self) -> str:
        """What a figure's Markdown names it by: ``asset:<first 12 hex of sha256>``."""
        return f"asset:{self.sha256[:REFERENCE_LENGTH]}"


def ingest_image(
    session: Session,
    *,
    data: bytes,
    filename: str,
    cache: ImageCache,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
) -> IngestResult:
    """Check, clean and store ``data`` (a pasted or dropped file) once.

    Raises ``ImageRejected`` (and stores nothing) for anything that is not a
    usable image; see ``prepare_image``.
    """
    name = display_filename(filename)
    check_size(len(data), name)
    source_sha256 = hashlib.sha256(data).hexdigest()
    known = _known_stored_sha256(cache, source_sha256)
    if known is not None:
        repeat = _existing_result(session, known, cache=cache)
        if repeat is not None:
            return repeat
    prepared = prepare_image(data, filename=name, cache=cache, source_sha256=source_sha256)
    return store_prepared(session, prepared, alt_text=alt_text, caption=caption, credit=credit)


def ingest_image_file(
    session: Session,
    *,
    path: Path,
    cache: ImageCache,
    filename: str | None = None,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
) -> IngestResult:
    """``ingest_image`` for a file on disk (file dialog, drag-and-drop of a file URL).

    A file over the size limit is refused from its size alone, without reading it.
    """
    data = read_image_file(path, filename=filename)
    return ingest_image(
        session,
        data=data,
        filename=filename or os.fsdecode(path.name),
        cache=cache,
        alt_text=alt_text,
        caption=caption,
        credit=credit,
    )


def read_image_file(path: Path, *, filename: str | None = None) -> bytes:
    name = display_filename(filename or path.name)
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            check_size(size, name)
            data = file.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise ImageRejected(
            name, RejectReason.UNREADABLE, f"the file could not be read ({error.strerror or error})"
        ) from None
    check_size(len(data), name)
    return data


def prepare_image(
    data: bytes, *, filename: str, cache: ImageCache, source_sha256: str | None = None
) -> PreparedImage:
    """Verify ``data`` and make what will be stored, plus its thumbnail (cached).

    Refuses with ``ImageRejected`` naming the file and the reason: empty or
    over 60 MB, not an image, a format we do not take, more than 100
    megapixels (checked from the header, before decoding), damaged or cut
    short. Damaged metadata alone does not refuse a picture: the metadata is
    dropped anyway, and a note says so.
    """
    name = display_filename(filename)
    check_size(len(data), name)
    source_sha256 = source_sha256 or hashlib.sha256(data).hexdigest()
    with pillow_warnings() as warned:
        prepared = _prepare(data, name, cache, source_sha256)
    notes = list(prepared.notes)
    for message in warned:
        note = note_for_warning(message)
        if note not in notes:
            notes.append(note)
    _remember_stored_sha256(cache, source_sha256, prepared.sha256)
    return PreparedImage(
        filename=prepared.filename,
        data=prepared.data,
        sha256=prepared.sha256,
        format=prepared.format,
        width=prepared.width,
        height=prepared.height,
        thumbnail=prepared.thumbnail,
        removed_metadata=prepared.removed_metadata,
        notes=tuple(notes),
        suggested_credit=prepared.suggested_credit,
        source_sha256=source_sha256,
    )


def store_prepared(
    session: Session,
    prepared: PreparedImage,
    *,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
) -> IngestResult:
    """Insert the asset unless an identical one exists (then it is returned unchanged).

    Safe against two editors adding the same picture at once: the insert is
    ``ON CONFLICT DO NOTHING`` on the sha256, and both get the one row.
    """
    from sqlalchemy import select

    from editor.core.models import Asset, utc_now

    created = False
    if session.scalar(select(Asset.id).where(Asset.sha256 == prepared.sha256)) is None:
        statement = _insert_ignoring_duplicates(session).values(
            sha256=prepared.sha256,
            original=prepared.data,
            mime=prepared.mime,
            width=prepared.width,
            height=prepared.height,
            filename=prepared.filename,
            alt_text=alt_text,
            caption=caption,
            credit=credit[:255],
            created_at=utc_now(),
        )
        inserted = session.connection().execute(statement.returning(Asset.id))
        created = inserted.scalar_one_or_none() is not None
    result = _existing_result(
        session,
        prepared.sha256,
        thumbnail=prepared.thumbnail,
        created=created,
        removed_metadata=prepared.removed_metadata,
        notes=prepared.notes,
        suggested_credit=prepared.suggested_credit,
    )
    assert result is not None, "the asset was inserted or found just above"
    return result


def _insert_ignoring_duplicates(session: Session) -> Any:
    from editor.core.models import Asset

    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(Asset).on_conflict_do_nothing(index_elements=["sha256"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(Asset).on_conflict_do_nothing(index_elements=["sha256"])


def _existing_result(
    session: Session,
    sha256: str,
    *,
    cache: ImageCache | None = None,
    thumbnail: Thumbnail | None = None,
    created: bool = False,
    removed_metadata: frozenset[RemovedMetadata] = frozenset(),
    notes: tuple[str, ...] = (),
    suggested_credit: str = "",
) -> IngestResult | None:
    from sqlalchemy import select

    from editor.core.models import Asset, AssetId

    row = session.execute(
        select(
            Asset.id,
            Asset.filename,
            Asset.mime,
            Asset.width,
            Asset.height,
            Asset.alt_text,
            Asset.caption,
            Asset.credit,
        ).where(Asset.sha256 == sha256)
    ).one_or_none()
    if row is None:
        return None
    if thumbnail is None:
        assert cache is not None
        thumbnail = cached_thumbnail(sha256, cache=cache)
        if thumbnail is None:
            original = session.scalar(select(Asset.original).where(Asset.id == row.id))
            assert original is not None
            thumbnail = make_thumbnail(original, sha256=sha256, cache=cache)
    if not created:
        notes = (f"This picture is already in the store as {row.filename}.", *notes)
    return IngestResult(
        asset_id=AssetId(row.id),
        sha256=sha256,
        filename=row.filename,
        mime=row.mime,
        width=row.width,
        height=row.height,
        alt_text=row.alt_text,
        caption=row.caption,
        credit=row.credit,
        created=created,
        thumbnail=thumbnail,
        removed_metadata=removed_metadata,
        notes=notes,
        suggested_credit=suggested_credit,
    )


def _prepare(data: bytes, name: str, cache: ImageCache, source_sha256: str) -> PreparedImage:
    image = _open(data, name)
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRejected(name, RejectReason.CORRUPT, "its header gives it no width or height")
    if width * height > MAX_PIXELS:
        raise ImageRejected(name, RejectReason.TOO_MANY_PIXELS, too_many_pixels(width, height))
    header = read_header(image)
    notes: list[str] = []
    removed, suggested_credit = private_metadata(image, notes)
    if header.format in ("JPEG", "MPO"):
        return _prepare_jpeg(
            data, name, cache, header, removed, notes, suggested_credit, source_sha256
        )
    if header.frames > MAX_FRAMES:
        raise ImageRejected(
            name,
            RejectReason.TOO_MANY_PIXELS,
            f"it has {header.frames:,} animation frames; at most {MAX_FRAMES:,} can be used",
        )
    try:
        _open(data, name).verify()  # checksums (PNG) before decoding
        reencoded = reencode(_open(data, name), header, source=data, max_pixels=MAX_PIXELS)
    except TooManyPixels as error:
        raise ImageRejected(name, RejectReason.TOO_MANY_PIXELS, str(error)) from None
    except Image.DecompressionBombError:
        raise ImageRejected(
            name, RejectReason.TOO_MANY_PIXELS, "a frame in it claims billions of pixels"
        ) from None
    except ImageRejected:
        raise
    except Exception as error:  # Pillow raises many types for damaged data
        raise damaged(name, error) from None
    sha256 = hashlib.sha256(reencoded.data).hexdigest()
    thumbnail = cached_thumbnail(sha256, cache=cache) or thumbnail_from_image(
        reencoded.preview, sha256=sha256, cache=cache
    )
    if header.format in ("TIFF", "BMP"):
        notes.append(f"Converted from {header.format} to {reencoded.format.value}.")
    return PreparedImage(
        filename=name,
        data=reencoded.data,
        sha256=sha256,
        format=reencoded.format,
        width=reencoded.width,
        height=reencoded.height,
        thumbnail=thumbnail,
        removed_metadata=frozenset(removed),
        notes=tuple(notes),
        suggested_credit=suggested_credit,
        source_sha256=source_sha256,
    )


def _prepare_jpeg(
    data: bytes,
    name: str,
    cache: ImageCache,
    header: ImageHeader,
    removed: set[RemovedMetadata],
    notes: list[str],
    suggested_credit: str,
    source_sha256: str,
) -> PreparedImage:
    try:
        cleaned = clean_jpeg(data, orientation=header.orientation)
    except MalformedJpeg as error:
        reason = RejectReason.TRUNCATED if error.truncated else RejectReason.CORRUPT
        raise ImageRejected(
            name, reason, jpeg_damage_message(str(error), error.truncated)
        ) from None
    removed |= cleaned.removed
    sha256 = hashlib.sha256(cleaned.data).hexdigest()
    # A cached thumbnail means these exact bytes were verified before.
    thumbnail = cached_thumbnail(sha256, cache=cache)
    if thumbnail is None:
        min_width, min_height = thumbnail_decode_size(header.width, header.height)
        try:
            decoded, _ = decode_upright(
                cleaned.data, min_width=min_width, min_height=min_height, strict=True
            )
        except Exception as error:  # simplejpeg: ValueError; Pillow: OSError and others
            if not only_padding_before_end(error):
                raise damaged(name, error) from None
            # Some encoders pad the last scan; every picture byte before it decoded cleanly.
            decoded, _ = decode_upright(cleaned.data, min_width=min_width, min_height=min_height)
        thumbnail = thumbnail_from_image(decoded, sha256=sha256, cache=cache)
    return PreparedImage(
        filename=name,
        data=cleaned.data,
        sha256=sha256,
        format=StoredFormat.JPEG,
        width=header.width,
        height=header.height,
        thumbnail=thumbnail,
        removed_metadata=frozenset(removed),
        notes=tuple(notes),
        suggested_credit=suggested_credit,
        source_sha256=source_sha256,
    )


def _open(data: bytes, name: str) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=OPENABLE_FORMATS)
    except Image.DecompressionBombError:
        raise ImageRejected(
            name,
            RejectReason.TOO_MANY_PIXELS,
            "its header claims billions of pixels (a decompression bomb); it was not opened",
        ) from None
    except UnidentifiedImageError:
        pass
    except Exception as error:
        raise damaged(name, error) from None
    try:
        other = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ImageRejected(
            name,
            RejectReason.TOO_MANY_PIXELS,
            "its header claims billions of pixels (a decompression bomb); it was not opened",
        ) from None
    except Exception:
        announced = damaged_image_format(data)
        if announced is not None:
            raise ImageRejected(
                name,
                RejectReason.CORRUPT,
                f"it starts like a {announced} file but its header is damaged; it cannot be used",
            ) from None
        raise ImageRejected(name, RejectReason.NOT_AN_IMAGE, describe_non_image(data)) from None
    raise ImageRejected(
        name, RejectReason.UNSUPPORTED_FORMAT, describe_unsupported(str(other.format))
    )


def _source_memo_path(cache: ImageCache, source_sha256: str) -> Path:
    return cache.root / "sources" / source_sha256[:2] / source_sha256


def _known_stored_sha256(cache: ImageCache, source_sha256: str) -> str | None:
    try:
        value = _source_memo_path(cache, source_sha256).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else None


def _remember_stored_sha256(cache: ImageCache, source_sha256: str, stored_sha256: str) -> None:
    # Only a shortcut: a read-only cache costs a re-encode next time.
    with contextlib.suppress(OSError):
        cache.write(_source_memo_path(cache, source_sha256), stored_sha256.encode("ascii"))

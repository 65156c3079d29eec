"""Which files the pipeline takes, and how to name the ones it does not.

Kept: JPEG (camera multi-picture files, MPO, count as JPEG), PNG, GIF and WebP,
the formats every browser shows. TIFF and BMP are taken and converted (to
JPEG for opaque colour pictures, otherwise PNG). Everything else is refused
with a message that says what the file looks like and what to do instead.
"""

from __future__ import annotations

import enum
import os
import re
import unicodedata

# Pillow plugin names tried when opening (MPO files open through the JPEG plugin).
OPENABLE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP")

MAX_FILENAME_LENGTH = 255
# Direction overrides can make "photo\u202egpj.exe" read as "photoexe.jpg".
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class StoredFormat(enum.StrEnum):
    """The format an original is kept in."""

    JPEG = "JPEG"
    PNG = "PNG"
    GIF = "GIF"
    WEBP = "WEBP"

    @property
    def mime(self) -> str:
        return _MIME[self]

    @property
    def extension(self) -> str:
        return _EXTENSION[self]


_MIME = {
    StoredFormat.JPEG: "image/jpeg",
    StoredFormat.PNG: "image/png",
    StoredFormat.GIF: "image/gif",
    StoredFormat.WEBP: "image/webp",
}
_EXTENSION = {
    StoredFormat.JPEG: "jpg",
    StoredFormat.PNG: "png",
    StoredFormat.GIF: "gif",
    StoredFormat.WEBP: "webp",
}

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document; export the page as PNG or JPEG first"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document); unpack it and add the image itself"),
    (b"\x1f\x8b", "a gzip archive, not an image"),
    (b"Rar!\x1a\x07", "a RAR archive, not an image"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive, not an image"),
    (b"8BPS", "a Photoshop document; export it as JPEG or PNG"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image, which browsers do not show; export it as JPEG"),
    (b"\xff\x0a", "a JPEG XL image, which Newsdesk cannot use; export it as JPEG"),
    (b"\x7fELF", "a program, not an image"),
    (b"MZ", "a Windows program, not an image"),
)

_NETPBM = re.compile(rb"P[1-7][\s\d-]")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def damaged_image_format(data: bytes) -> str | None:
    """The format a file announces by its first bytes, for one no decoder would open."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    for signature, name in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return name
    return None


def describe_non_image(data: bytes) -> str:
    """What a file that no image plugin accepted most likely is, as the end of a sentence."""
    if _NETPBM.match(data):
        return "this is a Netpbm (PBM/PGM/PPM) image, which Newsdesk cannot use; save it as PNG"
    for signature, description in _SIGNATURES:
        if data.startswith(signature):
            return f"this is {description}"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIF_BRANDS:
            return "this is a HEIC/HEIF photo, which Newsdesk cannot use yet; export it as JPEG"
        if brand in _AVIF_BRANDS:
            return "this is an AVIF image, which Newsdesk cannot use yet; export it as JPEG"
        return "this is a video or other media file, not an image"
    head = data[:4096].lstrip()
    if head[:5].lower() in (b"<?xml", b"<svg ") and b"<svg" in head.lower():
        return "this is an SVG drawing, which Newsdesk cannot use; export it as PNG"
    if head[:1] == b"<" and b"<html" in head.lower():
        return "this is a web page, not an image"
    if _looks_like_text(data[:4096]):
        return "this is text, not an image"
    return "this is not an image Newsdesk can read (JPEG, PNG, GIF or WebP)"


def describe_unsupported(pillow_format: str) -> str:
    return (
        f"{pillow_format} images cannot be used in articles; "
        "save it as JPEG, PNG, GIF or WebP and add it again"
    )


def _looks_like_text(sample: bytes) -> bool:
    if not sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the sample's end is still text.
        if error.start < len(sample) - 4:
            return False
        text = sample[: error.start].decode("utf-8")
    printable = sum(1 for char in text if char.isprintable() or char in "\r\n\t")
    return printable >= 0.95 * len(text)


def display_filename(name: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A file name safe to store and show: its last path part, valid UTF-8, no control
    characters, at most 255 characters.

    Undecodable bytes (a non-UTF-8 name on a Linux disk, carried in ``str`` as
    surrogate escapes) become U+FFFD instead of failing in the database driver.
    """
    raw = os.fsdecode(os.fspath(name)) if not isinstance(name, str) else name
    raw = raw.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    cleaned = "".join(
        char
        for char in cleaned
        if unicodedata.category(char) not in ("Cc", "Cs") and char not in _BIDI_CONTROLS
    ).strip()
    if not cleaned:
        return "image"
    if len(cleaned) > MAX_FILENAME_LENGTH:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            cleaned = stem[: MAX_FILENAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            cleaned = cleaned[:MAX_FILENAME_LENGTH]
    return cleaned

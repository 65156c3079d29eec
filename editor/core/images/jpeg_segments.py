"""Removing private metadata from a JPEG without touching its picture data.

A JPEG is a list of marker segments followed by entropy-coded scans. We copy
the segments a decoder needs (frame, tables, scans), the harmless ones that
change how it looks (JFIF density without its thumbnail, the ICC colour
profile, Adobe's colour-transform flag), and drop everything else: EXIF
(camera serial numbers, owner name, maker notes, GPS), XMP, IPTC/Photoshop
blocks, comments, multi-picture data, other applications' segments, and
anything after the first image's end marker (extra pictures, appended files).

This costs a few milliseconds and no decoding, so the pixels stay exactly as
the camera wrote them. The one fact of EXIF we keep is the orientation, as a
minimal EXIF block holding only that tag, because rotating a JPEG losslessly
needs every DCT coefficient in memory (~72 MB for 24 MP) and re-encoding loses
quality; everything we derive (thumbnails, renditions, width and height) is
turned upright, and browsers and ``ImageOps.exif_transpose`` honour the tag.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"

# In scan data 0xFF is followed by 0x00 (a stuffed byte), a restart marker
# (D0–D7) or a fill byte (FF); anything else ends the scan.
_END_OF_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")

_JFIF = b"JFIF\x00"
_JFIF_HEADER_LENGTH = 14  # identifier, version, units, densities, thumbnail size
_ICC = b"ICC_PROFILE\x00"
_ADOBE = b"Adobe"
_ADOBE_LENGTH = 12  # libjpeg ignores shorter Adobe segments, and so do we
_EXIF = b"Exif\x00\x00"
_XMP = b"http://ns.adobe.com/xap/1.0/"
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/"
_PHOTOSHOP = b"Photoshop 3.0\x00"
_MPF = b"MPF\x00"

_APP0, _APP1, _APP2, _APP13, _APP14, _COMMENT, _SOS = 0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xFE, 0xDA
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
# Frame headers, Huffman and arithmetic tables, quantisation tables, restart
# interval, line count, scan header: what decoding needs.
_STRUCTURAL = frozenset({*range(0xC0, 0xD0), 0xDB, 0xDC, 0xDD, _SOS})


class RemovedMetadata(enum.StrEnum):
    """What was taken out of a file, in words for the person who added it."""

    GPS_LOCATION = "GPS location"
    EXIF = "camera details (EXIF)"
    XMP = "XMP metadata"
    IPTC = "IPTC/Photoshop metadata"
    COMMENT = "comments"
    THUMBNAIL = "embedded thumbnail"
    EXTRA_DATA = "extra pictures or data after the image"
    TEXT = "text fields"
    OTHER = "other application data"


class MalformedJpeg(ValueError):
    """The segment structure is broken; ``truncated`` tells a cut-short file apart."""

    def __init__(self, message: str, *, truncated: bool) -> None:
        super().__init__(message)
        self.truncated = truncated


@dataclass(frozen=True)
class CleanedJpeg:
    data: bytes
    removed: frozenset[RemovedMetadata]


def orientation_segment(orientation: int) -> bytes:
    """An APP1 EXIF segment holding nothing but the Orientation tag (big-endian TIFF)."""
    tiff = (
        b"MM\x00\x2a\x00\x00\x00\x08"  # header, first IFD at offset 8
        + b"\x00\x01"  # one entry
        + b"\x01\x12\x00\x03\x00\x00\x00\x01"  # tag 0x0112, SHORT, count 1
        + orientation.to_bytes(2, "big")
        + b"\x00\x00"
        + b"\x00\x00\x00\x00"  # no next IFD
    )
    payload = _EXIF + tiff
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def clean_jpeg(data: bytes, *, orientation: int = 1) -> CleanedJpeg:
    """The first image of ``data`` with only decoding segments, ICC, JFIF density and
    Adobe flags kept, plus an orientation-only EXIF block when ``orientation != 1``.

    The output is a pure function of the input bytes and ``orientation``, so the
    same file always gives the same stored bytes (and sha256), on every Pillow.
    Raises ``MalformedJpeg`` when the segment structure cannot be followed.
    """
    if not data.startswith(SOI):
        raise MalformedJpeg("it does not start like a JPEG file", truncated=False)
    view = memoryview(data)
    size = len(data)
    parts: list[bytes | memoryview] = [SOI]
    removed: set[RemovedMetadata] = set()
    orientation_pending = orientation != 1
    seen_scan = False
    position = 2
    while True:
        position = _next_marker_position(data, position)
        marker = data[position + 1]
        if marker == 0xD9:
            parts.append(EOI)
            position += 2
            break
        if marker in _STANDALONE:
            parts.append(view[position : position + 2])
            position += 2
            continue
        if marker == 0xD8:
            raise MalformedJpeg("it holds a second start-of-image marker", truncated=False)
        if position + 4 > size:
            raise MalformedJpeg("it ends inside a header", truncated=True)
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2:
            raise MalformedJpeg(f"a header has an impossible length ({length})", truncated=False)
        end = position + 2 + length
        if end > size:
            if seen_scan:  # a marker-like byte pair inside damaged picture data
                raise MalformedJpeg("its picture data holds a stray marker", truncated=False)
            raise MalformedJpeg("it ends inside a header", truncated=True)
        payload = view[position + 4 : end]
        kept = _kept_segment(marker, payload, view[position:end], removed)
        if kept is not None:
            if orientation_pending and marker != _APP0:
                parts.append(orientation_segment(orientation))
                orientation_pending = False
            parts.append(kept)
        position = end
        if marker == _SOS:
            seen_scan = True
            scan_end = _END_OF_SCAN.search(data, position)
            if scan_end is None:
                raise MalformedJpeg("it ends in the middle of the picture data", truncated=True)
            parts.append(view[position : scan_end.start()])
            position = scan_end.start()
    if data[position:].strip(b"\x00\xff\r\n"):
        removed.add(RemovedMetadata.EXTRA_DATA)
    return CleanedJpeg(b"".join(parts), frozenset(removed))


def _next_marker_position(data: bytes, position: int) -> int:
    """Where the next marker's 0xFF is, skipping stray bytes and fill bytes as libjpeg does."""
    size = len(data)
    if position < size and data[position] != 0xFF:
        position = data.find(b"\xff", position)
        if position < 0:
            raise MalformedJpeg("it ends before the end-of-image marker", truncated=True)
    while position + 1 < size and data[position + 1] == 0xFF:
        position += 1
    if position + 1 >= size:
        raise MalformedJpeg("it ends before the end-of-image marker", truncated=True)
    return position


def _kept_segment(
    marker: int, payload: memoryview, segment: memoryview, removed: set[RemovedMetadata]
) -> bytes | memoryview | None:
    if marker in _STRUCTURAL:
        return segment
    head = bytes(payload[:40])
    if marker == _APP0:
        if head.startswith(_JFIF) and len(payload) >= _JFIF_HEADER_LENGTH:
            if len(payload) > _JFIF_HEADER_LENGTH or payload[12] or payload[13]:
                removed.add(RemovedMetadata.THUMBNAIL)
            # The same header with a zero-sized thumbnail.
            header = bytes(payload[:12]) + b"\x00\x00"
            return b"\xff\xe0" + (len(header) + 2).to_bytes(2, "big") + header
        removed.add(
            RemovedMetadata.THUMBNAIL if head.startswith(b"JFXX") else RemovedMetadata.OTHER
        )
        return None
    if marker == _APP2:
        if head.startswith(_ICC):
            return segment
        removed.add(RemovedMetadata.EXTRA_DATA if head.startswith(_MPF) else RemovedMetadata.OTHER)
        return None
    if marker == _APP14 and head.startswith(_ADOBE) and len(payload) >= _ADOBE_LENGTH:
        return segment
    if marker == _APP1:
        if head.startswith(_EXIF):
            removed.add(RemovedMetadata.EXIF)
        elif head.startswith((_XMP, _XMP_EXTENSION)):
            removed.add(RemovedMetadata.XMP)
            if b"GPSLatitude" in bytes(payload) or b"GPSLongitude" in bytes(payload):
                removed.add(RemovedMetadata.GPS_LOCATION)
        else:
            removed.add(RemovedMetadata.OTHER)
    elif marker == _APP13:
        removed.add(RemovedMetadata.IPTC if head.startswith(_PHOTOSHOP) else RemovedMetadata.OTHER)
    elif marker == _COMMENT:
        removed.add(RemovedMetadata.COMMENT)
    else:
        removed.add(RemovedMetadata.OTHER)
    return None

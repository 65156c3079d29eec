"""What private metadata a file carries, so the person adding it can be told what was removed."""

from __future__ import annotations

from PIL import Image

from editor.core.images.jpeg_segments import RemovedMetadata

_GPS_IFD = 0x8825
_ARTIST, _COPYRIGHT = 0x013B, 0x8298
_XMP_INFO_KEYS = ("xmp", "XML:com.adobe.xmp")
_IPTC_INFO_KEYS = ("photoshop", "iptc", "Raw profile type iptc", "Raw profile type 8bim")
_EXIF_INFO_KEYS = ("exif", "Raw profile type exif", "Raw profile type APP1")
# Info keys that describe how pixels look or move, not who or where.
_TECHNICAL_INFO_KEYS = frozenset(
    {
        "transparency", "gamma", "dpi", "aspect", "chromaticity", "srgb", "icc_profile",
        "duration", "loop", "disposal", "blend", "background", "version", "extension",
        "compression", "default_image", "interlace", "bbox", "lossless", "loop_count",
        "resolution", "progressive", "progression", "jfif", "jfif_version", "jfif_unit",
        "jfif_density", "adobe", "adobe_transform", "mp", "mpoffset", "timestamp",
    }
)  # fmt: skip


def private_metadata(image: Image.Image, notes: list[str]) -> tuple[set[RemovedMetadata], str]:
    """What private metadata ``image`` (opened, not decoded) carries, and a credit line from it.

    A damaged EXIF block adds a note to ``notes`` instead of failing: it is dropped anyway.
    """
    removed: set[RemovedMetadata] = set()
    credit = ""
    info = image.info
    if any(key in info for key in _EXIF_INFO_KEYS):
        removed.add(RemovedMetadata.EXIF)
    try:
        exif = image.getexif()
        if exif:
            removed.add(RemovedMetadata.EXIF)
        if exif.get_ifd(_GPS_IFD) or _GPS_IFD in exif:
            removed.add(RemovedMetadata.GPS_LOCATION)
        credit = _credit_from(exif.get(_ARTIST)) or _credit_from(exif.get(_COPYRIGHT))
    except Exception:
        notes.append("Its camera metadata (EXIF) was damaged; it was removed.")
    if any(key in info for key in _XMP_INFO_KEYS):
        removed.add(RemovedMetadata.XMP)
    if any(key in info for key in _IPTC_INFO_KEYS):
        removed.add(RemovedMetadata.IPTC)
    if "comment" in info:
        removed.add(RemovedMetadata.COMMENT)
    if any(
        isinstance(value, str) and key not in _TECHNICAL_INFO_KEYS
        for key, value in info.items()
        if key not in _EXIF_INFO_KEYS + _XMP_INFO_KEYS + _IPTC_INFO_KEYS + ("comment",)
    ):
        removed.add(RemovedMetadata.TEXT)
    return removed, credit


def _credit_from(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    text = " ".join(value.replace("\x00", " ").split())
    return text[:255] if text.isprintable() else ""

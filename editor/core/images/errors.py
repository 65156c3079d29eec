"""Why an image was refused, in words a person can act on."""

from __future__ import annotations

import enum

MAX_INPUT_BYTES = 60_000_000
MAX_PIXELS = 100_000_000


class RejectReason(enum.StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_AN_IMAGE = "not_an_image"
    UNSUPPORTED_FORMAT = "unsupported_format"
    TOO_MANY_PIXELS = "too_many_pixels"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    UNREADABLE = "unreadable"


class ImageRejected(Exception):
    """The one error the image pipeline lets out for bad input.

    ``str(error)`` names the file and says why, e.g.
    ``"holiday.jpg: the file is cut short (truncated); re-export or re-download it"``;
    nothing has been stored when it is raised.
    """

    def __init__(self, filename: str, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{filename}: {detail}")
        self.filename = filename
        self.reason = reason
        self.detail = detail


def check_size(size: int, name: str) -> None:
    """Refuse an empty file, or one over ``MAX_INPUT_BYTES``, from its size alone."""
    if size == 0:
        raise ImageRejected(name, RejectReason.EMPTY, "the file is empty")
    if size > MAX_INPUT_BYTES:
        raise ImageRejected(
            name,
            RejectReason.TOO_LARGE,
            f"the file is {size / 1_000_000:,.1f} MB; images up to "
            f"{MAX_INPUT_BYTES // 1_000_000} MB can be added (export a smaller JPEG)",
        )


def too_many_pixels(width: int, height: int) -> str:
    return (
        f"it claims to be {width:,} × {height:,} pixels ({width * height / 1_000_000:,.0f} "
        f"megapixels); pictures up to {MAX_PIXELS // 1_000_000} megapixels can be added"
    )


def damaged(name: str, error: BaseException) -> ImageRejected:
    # Pillow and libjpeg word their OSError/SyntaxError/ValueError messages for people;
    # anything else (an IndexError deep in a plugin) says nothing useful.
    detail = str(error).strip() if isinstance(error, (OSError, SyntaxError, ValueError)) else ""
    detail = detail or "the decoder could not read it"
    truncated = any(
        word in detail.lower() for word in ("truncated", "premature end", "unexpected end")
    )
    if truncated:
        return ImageRejected(
            name,
            RejectReason.TRUNCATED,
            f"the file is cut short (truncated: {detail}); copy or download it again",
        )
    return ImageRejected(
        name, RejectReason.CORRUPT, f"the picture data is damaged ({detail}); it cannot be used"
    )


def only_padding_before_end(error: BaseException) -> bool:
    """libjpeg's one harmless complaint: bytes between the last scan and the end marker."""
    message = str(error).lower()
    return "extraneous bytes before marker 0xd9" in message


def jpeg_damage_message(detail: str, truncated: bool) -> str:
    if truncated:
        return f"the file is cut short (truncated: {detail}); copy or download it again"
    return f"the JPEG structure is damaged ({detail}); it cannot be used"


def note_for_warning(message: str) -> str:
    """A Pillow warning as a note for the person (the picture itself was fine)."""
    lowered = message.lower()
    if "apng" in lowered:
        return "Its animation data was damaged; only the still picture was kept."
    if "exif" in lowered or "mpo" in lowered or "metadata" in lowered:
        return "Its metadata was damaged; it was removed."
    return f"While reading it: {message}"

"""Media URLs: the one part of the rendered HTML that differs between preview and publishing.

Rendering writes every image of ours as an ``asset:<hex>`` reference (the first
12 or more hex digits of the image's SHA-256), with ``?w=<width>`` in ``srcset``
entries. Those references pass the sanitiser like any URL and are swapped for
real URLs only at the very end, by a ``MediaUrl`` callable the caller chooses:
the preview points them at its own URL scheme, publishing at the files it
writes. Everything else in the HTML is byte-identical between the two.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

# (asset reference — lowercase hex, width in CSS pixels of the rendition wanted) -> URL.
MediaUrl = Callable[[str, int], str]

# Widths the image pipeline makes renditions at; ``srcset`` offers all of them.
# The same widths as ``editor.core.images.renditions.RENDITION_WIDTHS`` (a test keeps them equal),
# so every srcset entry names a file publishing really writes.
RENDITION_WIDTHS = (400, 800, 1600)
# The rendition ``src`` points at, for browsers that ignore ``srcset``.
DEFAULT_RENDITION_WIDTH = 800
# The body column is at most 720 px wide; figures fill it, and the screen on phones.
BODY_IMAGE_SIZES = "(max-width: 760px) 100vw, 720px"
HERO_IMAGE_SIZES = "(max-width: 1200px) 100vw, 1200px"

ASSET_SCHEME = "asset"
ASSET_REFERENCE = re.compile(r"^asset:([0-9a-fA-F]{12,64})$")
_ASSET_IN_ATTRIBUTE = re.compile(r"asset:([0-9a-f]{12,64})(?:\?w=(\d{1,5}))?")
_URL_ATTRIBUTE = re.compile(r' (src|srcset|href)="([^"]*)"')


def asset_reference(url: str) -> str | None:
    """The lowercase hex reference of an ``asset:`` URL, or ``None`` for any other URL."""
    match = ASSET_REFERENCE.match(url.strip())
    return match.group(1).lower() if match else None


def asset_placeholder(reference: str, width: int | None = None) -> str:
    return f"asset:{reference}" if width is None else f"asset:{reference}?w={width}"


def asset_srcset(reference: str) -> str:
    return ", ".join(
        f"{asset_placeholder(reference, width)} {width}w" for width in RENDITION_WIDTHS
    )


def resolve_media(fragment: str, media_url: MediaUrl) -> str:
    """``fragment`` with every ``asset:`` reference in ``src``/``srcset``/``href`` replaced by
    the URL ``media_url`` gives for it (escaped for the attribute)."""
    if "asset:" not in fragment:
        return fragment

    def resolve_reference(match: re.Match[str]) -> str:
        width = int(match.group(2)) if match.group(2) else DEFAULT_RENDITION_WIDTH
        return html.escape(media_url(match.group(1), width), quote=True)

    def resolve_attribute(match: re.Match[str]) -> str:
        value = match.group(2)
        if "asset:" not in value:
            return match.group(0)
        return f' {match.group(1)}="{_ASSET_IN_ATTRIBUTE.sub(resolve_reference, value)}"'

    return _URL_ATTRIBUTE.sub(resolve_attribute, fragment)


def media_folder_url(prefix: str, extension: str = "jpg") -> MediaUrl:
    """A ``MediaUrl`` for renditions stored as ``<prefix><reference>-<width>.<extension>``."""

    def media_url(reference: str, width: int) -> str:
        return f"{prefix}{reference}-{width}.{extension}"

    return media_url

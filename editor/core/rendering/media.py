"""Media URLs: the one part of the rendered HTML that differs between preview and publishing.

Every image of ours is shown as a ``<picture>``: a WebP ``<source>`` for the
browsers that read it, and a JPEG ``<img>`` (``src`` and ``srcset``) for the
rest, each ``srcset`` listing the renditions that exist for the image.

Rendering writes those URLs as ``asset:`` placeholders (the first 12 or more
hex digits of the image's SHA-256): ``asset:<hex>`` (the JPEG at the default
width), ``asset:<hex>?w=<width>`` (the JPEG at least that wide) and, as a whole
``srcset`` value, ``asset:<hex>?srcset=<jpeg|webp>`` (every rendition in that
format, with its width). They pass the sanitiser like any URL and are swapped
for real URLs only at the very end, by what the caller passes as ``media_url``:

- a ``MediaLocator``, which knows the renditions of each image (publishing:
  a small picture has fewer, and each format has its own files) and, when it
  can, the image's pixel size, or
- a plain ``MediaUrl`` callable ``(reference, width) -> URL``, which serves one
  URL per width whatever the format, is assumed to have every width and knows
  no sizes (browsers decode an image by its bytes, so the preview's JPEG still
  shows in the WebP ``<source>``).

A figure's ``<img>`` (one whose ``srcset`` lists every rendition of one of our
images) also gets ``width`` and ``height`` when the locator knows the image's
size: the size of the widest rendition listed, so the browser reserves the
figure's space before the image arrives (the theme scales it with ``width:
100%; height: auto``). They are written here too, after sanitising, from the
locator's answer; an ``<img>`` that already has either is left as it is.

Everything else in the HTML is byte-identical between the two, so preview and
publishing must give the same sizes (both read them from the ``Asset`` rows).
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

# (asset reference — lowercase hex, width in CSS pixels of the rendition wanted) -> URL.
MediaUrl = Callable[[str, int], str]
# asset reference -> the image's (width, height) in pixels, upright, or None when unknown.
ImageSize = Callable[[str], tuple[int, int] | None]

# Widths the image pipeline makes renditions at; ``srcset`` offers all of them.
# The same widths as ``editor.core.images.renditions.RENDITION_WIDTHS`` (a test keeps them equal),
# so every srcset entry names a file publishing really writes.
RENDITION_WIDTHS = (400, 800, 1600)
# The rendition ``src`` points at, for browsers that ignore ``srcset``.
DEFAULT_RENDITION_WIDTH = 800
# The body column is at most 720 px wide; figures fill it, and the screen on phones.
BODY_IMAGE_SIZES = "(max-width: 760px) 100vw, 720px"
HERO_IMAGE_SIZES = "(max-width: 1200px) 100vw, 1200px"
TEASER_IMAGE_SIZES = "(max-width: 600px) 100vw, (max-width: 900px) 50vw, 400px"

ASSET_SCHEME = "asset"
ASSET_REFERENCE = re.compile(r"^asset:([0-9a-fA-F]{12,64})$")
# In sanitised HTML, where a placeholder's "&" would be "&amp;"; placeholders have none.
_ASSET_IN_ATTRIBUTE = re.compile(
    r"asset:([0-9a-f]{12,64})(?:\?(?:w=(\d{1,5})|srcset=(jpeg|webp)\b))?"
)
_URL_ATTRIBUTE = re.compile(r' (src|srcset|href)="([^"]*)"')
# An ``<img>`` as the sanitiser writes it: lower-case names, every value in double quotes
# (a ``"`` inside one is ``&quot;``), so the tag ends at the first ``>`` outside quotes.
_IMG_TAG = re.compile(r'<img((?: [a-z][a-z0-9-]*="[^"]*")*)>')
_SRCSET_ATTRIBUTE = re.compile(r' srcset="asset:([0-9a-f]{12,64})\?srcset=(?:jpeg|webp)"')
_SIZE_ATTRIBUTE = re.compile(r' (?:width|height)="')


class ImageFormat(enum.StrEnum):
    """The formats renditions are made in; values as ``images.renditions.RenditionFormat``'s
    (a test keeps them equal; rendering does not import the Pillow pipeline)."""

    JPEG = "jpeg"
    WEBP = "webp"

    @property
    def mime(self) -> str:
        return f"image/{self.value}"


# The ``<img>``'s format, which every browser reads.
FALLBACK_FORMAT = ImageFormat.JPEG
# The ``<source>`` formats of a ``<picture>``, best first (smaller files).
SOURCE_FORMATS = (ImageFormat.WEBP,)


@runtime_checkable
class MediaLocator(Protocol):
    """Where the renditions of the page's images are, for a caller that knows them."""

    def widths(self, reference: str) -> Sequence[int]:
        """The widths, in pixels, the renditions of ``reference`` exist at, narrowest first."""
        ...

    def url(self, reference: str, width: int, image_format: ImageFormat) -> str:
        """The URL of the rendition of ``reference`` in ``image_format`` to show at ``width``
        CSS pixels: the narrowest at least that wide, else the widest there is."""
        ...

    def size(self, reference: str) -> tuple[int, int] | None:
        """The image's own (width, height) in pixels, upright, or ``None`` when not known
        (then its ``<img>`` gets no ``width``/``height``). A body renderer keeps what it
        rendered, so a locator must give the same answer for a reference every time."""
        ...


class _EveryWidth:
    """A ``MediaUrl`` as a locator: every width exists, one URL serves every format, and
    sizes come from ``image_size`` (none without it)."""

    def __init__(self, media_url: MediaUrl, image_size: ImageSize | None = None) -> None:
        self._media_url = media_url
        self._image_size = image_size

    def widths(self, reference: str) -> Sequence[int]:
        return RENDITION_WIDTHS

    def url(self, reference: str, width: int, image_format: ImageFormat) -> str:
        return self._media_url(reference, width)

    def size(self, reference: str) -> tuple[int, int] | None:
        return None if self._image_size is None else self._image_size(reference)


def media_locator(media_url: MediaUrl | MediaLocator) -> MediaLocator:
    """``media_url`` as a ``MediaLocator`` (a plain ``MediaUrl`` is wrapped; it knows no sizes)."""
    if isinstance(media_url, MediaLocator):
        return media_url
    if not callable(media_url):
        raise TypeError(f"not a MediaLocator (widths, url, size) nor a MediaUrl: {media_url!r}")
    return _EveryWidth(media_url)


def sized_media_url(media_url: MediaUrl, image_size: ImageSize) -> MediaLocator:
    """A locator serving ``media_url`` at every width, with each image's size from
    ``image_size`` (the preview: its scheme, and the sizes of the store's images)."""
    return _EveryWidth(media_url, image_size)


def rendition_size(locator: MediaLocator, reference: str) -> tuple[int, int] | None:
    """The (width, height) of the widest rendition ``locator`` lists for ``reference``, or
    ``None`` when it does not know the image's size. A rendition is never wider than its
    image, and its height is scaled and rounded as ``images.renditions.plan_renditions``
    makes it (a test keeps them equal)."""
    size = locator.size(reference)
    if size is None:
        return None
    width, height = size
    widths = locator.widths(reference)
    if width <= 0 or height <= 0 or not widths:
        return None
    widest = min(max(widths), width)
    return widest, max(1, round(height * widest / width))


def asset_reference(url: str) -> str | None:
    """The lowercase hex reference of an ``asset:`` URL, or ``None`` for any other URL."""
    match = ASSET_REFERENCE.match(url.strip())
    return match.group(1).lower() if match else None


def asset_placeholder(reference: str, width: int | None = None) -> str:
    return f"asset:{reference}" if width is None else f"asset:{reference}?w={width}"


def asset_srcset(reference: str, image_format: ImageFormat = FALLBACK_FORMAT) -> str:
    """The placeholder of a whole ``srcset``: every rendition of ``reference`` in ``image_format``."""
    return f"asset:{reference}?srcset={image_format.value}"


def rendition_srcset(locator: MediaLocator, reference: str, image_format: ImageFormat) -> str:
    """``srcset`` of every rendition of ``reference`` in ``image_format``: "url 400w, …"."""
    return ", ".join(
        f"{locator.url(reference, width, image_format)} {width}w"
        for width in locator.widths(reference)
    )


def resolve_media(fragment: str, media_url: MediaUrl | MediaLocator) -> str:
    """``fragment`` with every ``asset:`` placeholder in ``src``/``srcset``/``href`` replaced
    by the URLs ``media_url`` gives for it (escaped for the attribute), and each figure's
    ``<img>`` given the ``width`` and ``height`` the locator knows."""
    if "asset:" not in fragment:
        return fragment
    locator = media_locator(media_url)
    if "<img" in fragment:
        fragment = _with_sizes(fragment, locator)

    def resolve_attribute(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if "asset:" not in value:
            return match.group(0)

        def resolve_reference(found: re.Match[str]) -> str:
            reference, width, set_format = found.group(1), found.group(2), found.group(3)
            if set_format is None:
                width_wanted = int(width) if width else DEFAULT_RENDITION_WIDTH
                resolved = locator.url(reference, width_wanted, FALLBACK_FORMAT)
            elif name == "srcset":
                resolved = rendition_srcset(locator, reference, ImageFormat(set_format))
            else:
                resolved = locator.url(reference, DEFAULT_RENDITION_WIDTH, ImageFormat(set_format))
            return html.escape(resolved, quote=True)

        return f' {name}="{_ASSET_IN_ATTRIBUTE.sub(resolve_reference, value)}"'

    return _URL_ATTRIBUTE.sub(resolve_attribute, fragment)


def _with_sizes(fragment: str, locator: MediaLocator) -> str:
    """Each ``<img>`` listing every rendition of one of our images (a figure's), with
    ``width`` and ``height`` added when the locator knows the size and the tag has neither."""

    def sized(match: re.Match[str]) -> str:
        attributes = match.group(1)
        listed = _SRCSET_ATTRIBUTE.search(attributes)
        if listed is None or _SIZE_ATTRIBUTE.search(attributes):
            return match.group(0)
        size = rendition_size(locator, listed.group(1))
        if size is None:
            return match.group(0)
        return f'<img{attributes} width="{size[0]}" height="{size[1]}">'

    return _IMG_TAG.sub(sized, fragment)


class _FolderMedia:
    def __init__(self, prefix: str) -> None:
        self._prefix = prefix

    def widths(self, reference: str) -> Sequence[int]:
        return RENDITION_WIDTHS

    def url(self, reference: str, width: int, image_format: ImageFormat) -> str:
        extension = "jpg" if image_format is ImageFormat.JPEG else image_format.value
        return f"{self._prefix}{reference}-{width}.{extension}"

    def size(self, reference: str) -> tuple[int, int] | None:
        return None


def media_folder_url(prefix: str) -> MediaLocator:
    """A locator for renditions at every width, stored as
    ``<prefix><reference>-<width>.<jpg|webp>``; it knows no sizes."""
    return _FolderMedia(prefix)

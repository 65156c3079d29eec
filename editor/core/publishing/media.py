"""Where a published page's images point: rendition files named by content.

A published page shows each image as a ``<picture>``: WebP renditions in its
``<source>`` (every current browser reads them, and they are the smaller
files) and JPEG ones in its ``<img>`` for the rest. Each ``srcset`` lists the
renditions the image really has (a small picture has fewer: it is never
enlarged), and ``src`` is the narrowest JPEG at least the default width.
File names come from the image's sha256, so a changed image is a new file and
an unchanged one keeps its name (and, on a static site, its inode) across
builds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from editor.core.images.renditions import RenditionFormat, plan_renditions
from editor.core.publishing.content import ImageRef
from editor.core.rendering.media import RENDITION_WIDTHS, ImageFormat, MediaLocator

# A reference that names no image: pre-flight refuses such an article, so this is
# only ever seen in a preview of a broken draft.
MISSING_IMAGE_URL = "about:blank"


@dataclass(frozen=True, slots=True)
class RenditionFile:
    sha256: str
    width: int
    height: int
    format: RenditionFormat

    @property
    def filename(self) -> str:
        """As ``Rendition.filename``: ``3f2a9c01b7e4-800w.webp``."""
        return f"{self.sha256[:12]}-{self.width}w.{self.format.extension}"


def rendition_files(image: ImageRef) -> list[RenditionFile]:
    """The six (or fewer, for a small picture) files of ``image``, widest first."""
    return [
        RenditionFile(image.sha256, spec.width, spec.height, spec.format)
        for spec in plan_renditions(image.width, image.height)
    ]


def best_rendition(image: ImageRef, css_width: int, image_format: RenditionFormat) -> RenditionFile:
    """The narrowest rendition at least ``css_width`` wide, else the widest."""
    files = [file for file in rendition_files(image) if file.format is image_format]
    wide_enough = [file for file in files if file.width >= css_width]
    return min(wide_enough, key=lambda file: file.width) if wide_enough else files[0]


class RenditionMedia:
    """The ``MediaLocator`` of published pages: ``<prefix><rendition filename>`` for the
    images in ``images`` (references as written, lower case; a longer or shorter
    reference than the one stored still finds its image by prefix), and their sizes."""

    def __init__(self, images: Mapping[str, ImageRef], prefix: str) -> None:
        self._images = images
        self._prefix = prefix
        self._found: dict[str, ImageRef | None] = {}
        self._urls: dict[tuple[str, int, ImageFormat], str] = {}

    def widths(self, reference: str) -> Sequence[int]:
        image = self._image(reference)
        if image is None:
            return RENDITION_WIDTHS
        return sorted({spec.width for spec in plan_renditions(image.width, image.height)})

    def url(self, reference: str, width: int, image_format: ImageFormat) -> str:
        key = (reference, width, image_format)
        known = self._urls.get(key)
        if known is None:
            image = self._image(reference)
            known = (
                MISSING_IMAGE_URL
                if image is None
                else self._prefix
                + best_rendition(image, width, RenditionFormat(image_format.value)).filename
            )
            self._urls[key] = known
        return known

    def size(self, reference: str) -> tuple[int, int] | None:
        image = self._image(reference)
        return None if image is None else (image.width, image.height)

    def _image(self, reference: str) -> ImageRef | None:
        if reference in self._found:
            return self._found[reference]
        image = self._images.get(reference)
        if image is None:
            image = next(
                (
                    candidate
                    for known, candidate in self._images.items()
                    if reference.startswith(known) or known.startswith(reference)
                ),
                None,
            )
        self._found[reference] = image
        return image


def rendition_media_url(images: Mapping[str, ImageRef], prefix: str) -> MediaLocator:
    """Where the renditions of ``images`` are on a page whose way to them is ``prefix``."""
    return RenditionMedia(images, prefix)

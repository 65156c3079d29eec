"""Where a published page's images point: rendition files named by content.

The renderer asks for ``(asset reference, CSS width)``; a published page
answers with the smallest rendition at least that wide (or the widest there
is), in one format for the whole ``srcset`` (WebP: every current browser reads
it, and it is the smaller file). The JPEG renditions are published beside them
for feeds and for whatever refers to them later. File names come from the
image's sha256, so a changed image is a new file and an unchanged one keeps
its name (and, on a static site, its inode) across builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from editor.core.images.renditions import RenditionFormat, plan_renditions
from editor.core.publishing.content import ImageRef
from editor.core.rendering.media import MediaUrl

PAGE_IMAGE_FORMAT = RenditionFormat.WEBP
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


def best_rendition(
    image: ImageRef, css_width: int, image_format: RenditionFormat = PAGE_IMAGE_FORMAT
) -> RenditionFile:
    """The narrowest rendition at least ``css_width`` wide, else the widest."""
    files = [file for file in rendition_files(image) if file.format is image_format]
    wide_enough = [file for file in files if file.width >= css_width]
    return min(wide_enough, key=lambda file: file.width) if wide_enough else files[0]


def rendition_media_url(
    images: Mapping[str, ImageRef],
    prefix: str,
    image_format: RenditionFormat = PAGE_IMAGE_FORMAT,
) -> MediaUrl:
    """A ``MediaUrl`` pointing at ``<prefix><rendition filename>`` for the article's images.

    ``images`` maps references as written (lower case) to images; a longer
    reference than the one stored still finds its image by prefix.
    """

    chosen: dict[tuple[str, int], str] = {}

    def media_url(reference: str, width: int) -> str:
        known = chosen.get((reference, width))
        if known is not None:
            return known
        url = _media_url(reference, width)
        chosen[reference, width] = url
        return url

    def _media_url(reference: str, width: int) -> str:
        image = images.get(reference)
        if image is None:
            image = next(
                (
                    candidate
                    for ref, candidate in images.items()
                    if reference.startswith(ref) or ref.startswith(reference)
                ),
                None,
            )
        if image is None:
            return MISSING_IMAGE_URL
        return prefix + best_rendition(image, width, image_format).filename

    return media_url

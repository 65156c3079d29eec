"""The image pipeline (Pillow, no Qt): verify, orient, strip, store once, thumbnails, renditions.

The UI and publishing call only what this module exports:

- ``ingest_image(session, data=, filename=, cache=)`` / ``ingest_image_file(session, path=, cache=)``
  add a pasted, dropped or chosen file and return an ``IngestResult``
  (asset id, ``reference`` for the figure Markdown, thumbnail, what was removed);
  bad input raises ``ImageRejected`` whose ``str()`` names the file and the reason.
- ``prepare_image`` + ``store_prepared`` are the same split in a CPU step (any
  thread) and a database step (the store's lane).
- ``thumbnail_for_asset(session, asset_id=, cache=)`` for the media panel.
- ``renditions_for_assets(session, asset_ids=, cache=)`` and ``make_renditions``
  for publishing: widths 400/800/1600 in JPEG and WebP, cached by
  (sha256, width, format).

Derived files live in an ``ImageCache`` (``ImageCache.default()`` is the user's
cache folder); the store holds only originals.
"""

from editor.core.images.cache import ImageCache
from editor.core.images.errors import MAX_INPUT_BYTES, MAX_PIXELS, ImageRejected, RejectReason
from editor.core.images.formats import StoredFormat, display_filename
from editor.core.images.ingest import (
    IngestResult,
    PreparedImage,
    ingest_image,
    ingest_image_file,
    prepare_image,
    read_image_file,
    store_prepared,
)
from editor.core.images.jpeg_segments import RemovedMetadata
from editor.core.images.thumbnails import (
    THUMBNAIL_SIZE,
    AssetNotFound,
    Thumbnail,
    make_thumbnail,
    thumbnail_for_asset,
)

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_PIXELS",
    "THUMBNAIL_SIZE",
    "AssetNotFound",
    "ImageCache",
    "ImageRejected",
    "IngestResult",
    "PreparedImage",
    "RejectReason",
    "RemovedMetadata",
    "StoredFormat",
    "Thumbnail",
    "display_filename",
    "ingest_image",
    "ingest_image_file",
    "make_thumbnail",
    "prepare_image",
    "read_image_file",
    "store_prepared",
    "thumbnail_for_asset",
]

"""Where derived images (thumbnails, renditions) are kept between runs.

Everything here can be made again from the stored original, so it lives in
the user's cache folder, keyed by the original's sha256: a changed image has
a new hash and so new files, and nothing ever needs invalidating. Files are
written whole under a temporary name and renamed, so a reader on another
thread or process never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImageCache:
    root: Path

    @classmethod
    def default(cls) -> ImageCache:
        import platformdirs

        return cls(platformdirs.user_cache_path("newsdesk", appauthor=False) / "images")

    def thumbnail_path(self, sha256: str, size: int, extension: str) -> Path:
        return self.root / "thumbnails" / sha256[:2] / f"{sha256}-{size}.{extension}"

    def rendition_path(self, sha256: str, width: int, extension: str) -> Path:
        return self.root / "renditions" / sha256[:2] / f"{sha256}-{width}w.{extension}"

    def write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

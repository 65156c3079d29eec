"""Every change the site builder makes on disk goes through ``SiteFiles``.

It is the one seam where a full disk, a read-only folder or a vanished
mount shows up as ``OSError``; tests hand the builder a ``SiteFiles`` that
fails there (ENOSPC, EROFS) to prove nothing half-built is ever swapped in.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path


class SiteFiles:
    def make_folder(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def write(self, path: Path, data: bytes) -> None:
        with path.open("xb") as file:
            file.write(data)

    def link(self, existing: Path, path: Path) -> None:
        """``path`` as a hard link to ``existing`` (same bytes, no copy); a copy where the
        file system has no hard links or the two are on different devices."""
        try:
            os.link(existing, path)
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            self.copy(existing, path)

    def copy(self, existing: Path, path: Path) -> None:
        shutil.copyfile(existing, path)

    def symlink(self, target: str, path: Path) -> None:
        os.symlink(target, path, target_is_directory=True)

    def replace(self, source: Path, path: Path) -> None:
        os.replace(source, path)

    def remove_folder(self, path: Path) -> None:
        path.rmdir()

    def remove_tree(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def remove_file(self, path: Path) -> None:
        path.unlink(missing_ok=True)

"""A static site folder that is swapped whole: ``site`` → ``site.builds/<generation>``.

The folder the user names (``/srv/www/site``) is a symbolic link Newsdesk
manages. Each build is written into a new generation folder beside it
(``/srv/www/site.builds/g000042``); when it is complete, a new link is made
and renamed over the old one (``rename(2)`` is atomic), so a reader sees the
old site or the new one, never half of either. Old generations are removed
after. Each generation's manifest (path → sha256 of the bytes, and the key of
what made them) lets the next build hard-link unchanged files instead of
writing them again.

A named folder that exists as a real folder with files in it, or as a file,
is refused: it is not ours to replace. An empty folder is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from editor.core.publishing.errors import NotASite, PublishFailed
from editor.core.publishing.site.files import SiteFiles

MARKER_NAME = "NEWSDESK-SITE"
MARKER_TEXT = (
    "This folder holds the generations of a static site built by Newsdesk.\n"
    "The site itself is the link beside it; do not edit files here.\n"
)
LOCK_NAME = ".lock"
MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_FORMAT = 1
_GENERATION = re.compile(r"^g(\d{6,})$")


@dataclass
class Manifest:
    """What a generation holds: relative path → (sha256 of the bytes, key of the inputs)."""

    files: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(
            {"format": MANIFEST_FORMAT, "files": self.files, "keys": self.keys},
            separators=(",", ":"),
            sort_keys=True,
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
        except ValueError:
            return cls()
        if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
            return cls()
        return cls(files=dict(raw.get("files", {})), keys=dict(raw.get("keys", {})))


class SiteFolder:
    def __init__(self, path: Path, *, files: SiteFiles | None = None) -> None:
        # Not resolved: the path itself is the link we manage.
        self.path = Path(os.path.abspath(path.expanduser()))
        self.files = files or SiteFiles()

    @property
    def builds(self) -> Path:
        return self.path.parent / f"{self.path.name}.builds"

    @property
    def marker(self) -> Path:
        return self.builds / MARKER_NAME

    def generation_path(self, generation: str) -> Path:
        return self.builds / generation

    def manifest_path(self, generation: str) -> Path:
        return self.builds / f"{generation}{MANIFEST_SUFFIX}"

    def check(self) -> None:
        """Refuse (``NotASite``) a named folder Newsdesk must not replace."""
        path = self.path
        if self.builds.exists() and not self.marker.is_file():
            raise NotASite(
                f"{self.builds} exists and was not made by Newsdesk; "
                "move it away or choose another site folder."
            )
        if path.is_symlink():
            if self.current_generation() is None:
                raise NotASite(
                    f"{path} is a link to {os.readlink(path)}, not a Newsdesk site; "
                    "remove it or choose another site folder."
                )
            return
        if path.is_dir():
            if any(path.iterdir()):
                raise NotASite(
                    f"{path} is a folder with files in it, not a Newsdesk site; "
                    "choose an empty or new folder (Newsdesk replaces it with the site)."
                )
            return
        if path.exists():
            raise NotASite(f"{path} is a file, not a site folder.")

    def current_generation(self) -> str | None:
        """The generation the site link points at, or None (no site yet)."""
        if not self.path.is_symlink():
            return None
        target = Path(os.readlink(self.path))
        if target.parent.name != self.builds.name or not _GENERATION.match(target.name):
            return None
        if not self.generation_path(target.name).is_dir():
            return None
        return target.name

    def generations(self) -> list[str]:
        if not self.builds.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.builds.iterdir()
            if _GENERATION.match(entry.name) and entry.is_dir()
        )

    def prepare_builds(self) -> None:
        if not self.marker.is_file():
            self.files.make_folder(self.builds)
            self.files.write(self.marker, MARKER_TEXT.encode())

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One build of this site at a time, across processes (the next one waits)."""
        try:
            import fcntl
        except ImportError:  # Windows: builds are not serialised across processes there.
            yield
            return
        lock_file = self.builds / LOCK_NAME
        try:
            # Read-only when it exists: a read-only disk still gets a clear message from
            # the first write, not from taking the lock.
            handle = os.open(lock_file, os.O_RDONLY)
        except FileNotFoundError:
            try:
                handle = os.open(lock_file, os.O_CREAT | os.O_RDWR, 0o644)
            except OSError as error:
                raise PublishFailed(
                    f"Could not write the site at {self.path}: {error.strerror or error}."
                ) from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)

    def read_manifest(self, generation: str | None) -> Manifest:
        if generation is None:
            return Manifest()
        try:
            return Manifest.from_json(self.manifest_path(generation).read_bytes())
        except OSError:
            return Manifest()

    def new_generation(self) -> str:
        """A fresh, empty generation folder numbered after every existing one."""
        numbers = [int(_GENERATION.match(name).group(1)) for name in self.generations()]  # type: ignore[union-attr]
        generation = f"g{max(numbers, default=0) + 1:06d}"
        self.files.make_folder(self.generation_path(generation))
        return generation

    def write_manifest(self, generation: str, manifest: Manifest) -> None:
        path = self.manifest_path(generation)
        self.files.remove_file(path)
        self.files.write(path, manifest.to_json())

    def swap_to(self, generation: str | None) -> None:
        """Point the site at ``generation`` in one atomic rename (None: no site at all)."""
        if generation is None:
            if self.path.is_symlink():
                self.files.remove_file(self.path)
            return
        link = self.path.parent / f".{self.path.name}.link-{generation}"
        self.files.remove_file(link)
        self.files.symlink(f"{self.builds.name}/{generation}", link)
        try:
            if self.path.is_dir() and not self.path.is_symlink():
                self.files.remove_folder(self.path)  # empty: checked before building
            self.files.replace(link, self.path)
        except BaseException:
            self.files.remove_file(link)
            raise

    def discard(self, generation: str) -> None:
        self.files.remove_tree(self.generation_path(generation))
        self.files.remove_file(self.manifest_path(generation))

    def remove_all_but(self, keep: str | None) -> None:
        for generation in self.generations():
            if generation != keep:
                self.discard(generation)

"""Publishing targets: one small interface, chosen by name.

Names (what settings, the CLI's ``--to`` and publish records hold):

- ``this-store`` — the article goes live in the store it is written in;
- ``folder:/path/to/site`` — the store's published articles as a static site
  in that folder (publishing there also makes the article live in this store:
  the site mirrors the store);
- ``store:postgresql+psycopg://user@host/db`` (or ``store:/path/to/file.sqlite3``)
  — the article and its images are copied to that store and made live there.
  A password is never part of the name: give it in the URL when publishing or
  save it with ``newsdesk store-login``.

Every target takes the *source* ``Store`` rather than a session: a publish is
several units of work by design (read, make renditions with no lock held, the
target's own commit, the local publish record), each opened and closed inside.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.models import ArticleId
from editor.core.publication_state import FOLDER_PREFIX as FOLDER_PREFIX
from editor.core.publication_state import STORE_PREFIX as STORE_PREFIX
from editor.core.publication_state import THIS_STORE as THIS_STORE
from editor.core.publishing.errors import UnknownTarget

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from editor.core.images.cache import ImageCache
    from editor.core.publishing.checks import PreflightIssue
    from editor.core.publishing.content import ArticleContent
    from editor.core.publishing.progress import Cancelled, Progress
    from editor.core.store import Store


class TargetKind(enum.StrEnum):
    THIS_STORE = "this-store"
    FOLDER = "folder"
    STORE = "store"


class PublicationState(enum.StrEnum):
    NOT_PUBLISHED = "not_published"
    LIVE = "live"
    # Live, but the article has been edited since (Update would publish the edits).
    OUTDATED = "outdated"
    # Live, but someone edited the copy at the target since we published it.
    CHANGED_AT_TARGET = "changed_at_target"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    """What a publish did. ``changed`` is False when the target already held exactly this.

    ``version`` is the article's version in this store afterwards: publishing sets its
    status, so an open editor continues from this version (its next save would
    otherwise be a conflict)."""

    target: str
    article_id: ArticleId
    url: str
    published_at: datetime
    checksum: str
    changed: bool
    revision_id: int | None
    version: int
    warnings: tuple[PreflightIssue, ...] = ()
    images: int = 0

    @property
    def summary(self) -> str:
        verb = "Published" if self.changed else "Already up to date:"
        return f"{verb} {self.url or self.target}"


@dataclass(frozen=True, slots=True)
class UnpublishOutcome:
    """``version``: the article's version in this store afterwards (see ``PublishOutcome``)."""

    target: str
    article_id: ArticleId
    changed: bool
    version: int

    @property
    def summary(self) -> str:
        return (
            f"Unpublished from {self.target}"
            if self.changed
            else f"Was not published at {self.target}"
        )


@dataclass(frozen=True, slots=True)
class TargetStatus:
    target: str
    state: PublicationState
    url: str = ""
    published_at: datetime | None = None
    message: str = ""


class PublishTarget(ABC):
    """A place articles are published to. Implementations are cheap to make; they open
    their connections and folders only inside these calls, which run on a worker thread."""

    kind: TargetKind

    @property
    @abstractmethod
    def name(self) -> str:
        """The target's name as written in settings and publish records."""

    @property
    @abstractmethod
    def description(self) -> str:
        """For people: "this store", "the site folder /srv/site", "the store db.example.org/news"."""

    @abstractmethod
    def publish(
        self,
        source: Store,
        *,
        article_id: int,
        author: str,
        expected_version: int | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        now: datetime | None = None,
    ) -> PublishOutcome:
        """Make the article live at the target, or raise a ``PublishError`` with nothing
        half-published there and the draft untouched."""

    @abstractmethod
    def unpublish(
        self,
        source: Store,
        *,
        article_id: int,
        author: str,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        now: datetime | None = None,
    ) -> UnpublishOutcome:
        """Take the article down at the target (its content there is kept, not deleted)."""

    @abstractmethod
    def status(self, source: Store, *, article_id: int) -> TargetStatus:
        """Whether the article is live at the target, and whether that copy is current."""

    @abstractmethod
    def slug_conflict(self, session: Session, content: ArticleContent) -> str | None:
        """A sentence when another article already has ``content.slug`` at the target."""

    def preflight(self, source: Store, *, article_id: int) -> list[PreflightIssue]:
        """The pre-flight list for the article at this target (reads only)."""
        from editor.core.publishing.pipeline import preflight_issues

        return preflight_issues(source, article_id=article_id, target=self)


def target_from_name(name: str, *, cache: ImageCache | None = None) -> PublishTarget:
    """The target a name stands for. Raises ``UnknownTarget`` with the accepted forms."""
    from editor.core.images.cache import ImageCache

    image_cache = cache or ImageCache.default()
    cleaned = name.strip()
    if cleaned == THIS_STORE:
        from editor.core.publishing.local import ThisStoreTarget

        return ThisStoreTarget(cache=image_cache)
    if cleaned.startswith(FOLDER_PREFIX):
        from editor.core.publishing.folder import FolderTarget

        path = cleaned.removeprefix(FOLDER_PREFIX).strip()
        if not path:
            raise UnknownTarget("folder: needs a path, e.g. folder:/srv/www/site")
        return FolderTarget(Path(path), cache=image_cache)
    if cleaned.startswith(STORE_PREFIX):
        from editor.core.publishing.remote import StoreTarget

        url = cleaned.removeprefix(STORE_PREFIX).strip()
        if not url:
            raise UnknownTarget("store: needs a store URL, e.g. store:postgresql+psycopg://u@h/db")
        return StoreTarget(url, cache=image_cache)
    raise UnknownTarget(f"No publishing target {name!r}: use this-store, folder:PATH or store:URL")

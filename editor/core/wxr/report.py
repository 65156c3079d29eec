"""What an import did and found, and the progress it reports while it runs."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


class ImportPhase(enum.StrEnum):
    READING = "reading"  # items are read, converted and written as the file streams
    LINKING = "linking"  # replies, attachments and featured images are joined up
    DONE = "done"


@dataclass(frozen=True, slots=True)
class ImportProgress:
    phase: ImportPhase
    bytes_read: int
    total_bytes: int
    articles: int
    comments: int

    @property
    def fraction(self) -> float:
        """0.0–1.0 for a progress bar; reading is most of the work."""
        if self.phase is ImportPhase.DONE:
            return 1.0
        read = self.bytes_read / self.total_bytes if self.total_bytes else 0.0
        share = 0.95 * min(read, 1.0)
        return share if self.phase is ImportPhase.READING else max(share, 0.95)


# Called on the importing thread between items; returning False cancels the import
# (ImportCancelled is raised and the caller's transaction must be rolled back).
ProgressCallback = Callable[[ImportProgress], bool | None]


class ImportCancelled(Exception):
    """The progress callback asked to stop; nothing of the import may be committed."""


@dataclass
class ImportReport:
    """Counts of one import. "created/updated/unchanged" compare with what the store
    held before; the other counts describe the file. ``unmappable`` covers what this
    import converted: articles unchanged since the last import are not converted again."""

    source: str = ""
    wxr_version: str = ""
    posts: int = 0
    pages: int = 0
    attachments: int = 0
    comments: int = 0
    comments_by_status: Counter[str] = field(default_factory=Counter)
    comments_by_type: Counter[str] = field(default_factory=Counter)
    threaded_comments: int = 0
    articles_by_status: Counter[str] = field(default_factory=Counter)
    # sticky, password-protected, private, pending: flags kept in Article.extra.
    flagged: Counter[str] = field(default_factory=Counter)
    articles_created: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    comments_created: int = 0
    comments_updated: int = 0
    comments_unchanged: int = 0
    media_created: int = 0
    media_updated: int = 0
    # MediaReference rows of this site still waiting to be fetched, after the import.
    media_to_fetch: int = 0
    # Comments whose status a moderator here changed since the last import: kept.
    kept_local_moderation: int = 0
    # Articles edited here since the last import and overwritten by a newer export:
    # the edited text was kept as a revision.
    revisions_saved: int = 0
    recovered: list[str] = field(default_factory=list)
    unmappable: Counter[str] = field(default_factory=Counter)
    skipped_items: Counter[str] = field(default_factory=Counter)
    # Imported decisions (approved = ham, spam) the learned spam filter was taught.
    spam_filter_lessons: int = 0

    @property
    def created(self) -> int:
        return self.articles_created + self.comments_created + self.media_created

    @property
    def updated(self) -> int:
        return self.articles_updated + self.comments_updated + self.media_updated

    def summary_lines(self) -> list[str]:
        lines = [
            f"Imported {self.source} (WXR {self.wxr_version}): {self.posts} posts, "
            f"{self.pages} pages, {self.attachments} attachments, {self.comments} comments",
            f"Articles: {self.articles_created} new, {self.articles_updated} updated, "
            f"{self.articles_unchanged} unchanged ("
            + ", ".join(f"{n} {status}" for status, n in sorted(self.articles_by_status.items()))
            + ")",
            f"Comments: {self.comments_created} new, {self.comments_updated} updated, "
            f"{self.comments_unchanged} unchanged ("
            + ", ".join(f"{n} {status}" for status, n in sorted(self.comments_by_status.items()))
            + "; "
            + ", ".join(f"{n} {kind}" for kind, n in sorted(self.comments_by_type.items()))
            + f"; {self.threaded_comments} replies)",
            f"Media to fetch: {self.media_to_fetch} ({self.media_created} new, "
            f"{self.media_updated} updated)",
        ]
        if self.flagged:
            lines.append(
                "Flagged: " + ", ".join(f"{n} {flag}" for flag, n in sorted(self.flagged.items()))
            )
        if self.spam_filter_lessons:
            lines.append(f"Spam filter: taught {self.spam_filter_lessons} imported decisions")
        if self.kept_local_moderation:
            lines.append(
                f"Kept {self.kept_local_moderation} moderation decisions made here since the "
                "last import"
            )
        if self.revisions_saved:
            lines.append(
                f"Saved {self.revisions_saved} locally edited articles as revisions before "
                "updating them"
            )
        if self.skipped_items:
            lines.append(
                "Not imported: "
                + ", ".join(f"{n} {kind}" for kind, n in sorted(self.skipped_items.items()))
            )
        lines.extend(f"Recovered: {problem}" for problem in self.recovered)
        lines.extend(f"Not mappable: {n} × {thing}" for thing, n in sorted(self.unmappable.items()))
        return lines

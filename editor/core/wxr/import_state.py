"""What one import remembers while it runs: the ids it wrote and the links still to make.

The reading pass (``importer``) fills it; the comment and media passes
(``comment_rows``, ``media_rows``) use it to join replies to parents,
attachments to articles and featured images to their files once every item
has been written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from editor.core.models import Article, ArticleTag, Comment, CommentStatus, MediaReference, Revision
from editor.core.wxr.html_to_markdown import BodyImage
from editor.core.wxr.report import ImportReport

ARTICLE_TABLE: Table = Article.__table__  # type: ignore[assignment]
COMMENT_TABLE: Table = Comment.__table__  # type: ignore[assignment]
MEDIA_TABLE: Table = MediaReference.__table__  # type: ignore[assignment]
REVISION_TABLE: Table = Revision.__table__  # type: ignore[assignment]
ARTICLE_TAG_TABLE: Table = ArticleTag.__table__  # type: ignore[assignment]

# Rows per IN (...) lookup; well under every backend's bound-parameter limit.
LOOKUP_CHUNK = 500


@dataclass(slots=True)
class Attachment:
    post_id: str
    parent_post_id: str
    url: str
    title: str
    alt_text: str
    caption: str


@dataclass(slots=True)
class ParentLink:
    """A comment whose parent is set once every comment has an id."""

    comment_id: int
    current_parent_id: int | None
    parent_wp_id: int | None
    # False for a new comment, and for one already counted as updated for other changes.
    counts_as_update: bool


@dataclass(slots=True)
class Thumbnail:
    article_id: int
    attachment_id: str
    extra: dict[str, Any]
    is_new: bool


@dataclass
class ImportState:
    session: Session
    report: ImportReport
    site: str = ""
    article_ids: dict[str, int] = field(default_factory=dict)  # WordPress post id → ours
    comment_ids: dict[int, int] = field(default_factory=dict)  # WordPress comment id → ours
    parent_links: list[ParentLink] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    thumbnails: list[Thumbnail] = field(default_factory=list)
    # (article id, WordPress post id, image) for articles written by this import.
    body_images: list[tuple[int, str, BodyImage]] = field(default_factory=list)
    # Existing articles this import rewrote: their old body images may be stale.
    rewritten_articles: list[tuple[int, str]] = field(default_factory=list)
    touched_articles: set[int] = field(default_factory=set)
    updated_articles: set[int] = field(default_factory=set)
    # Comments whose imported decision should teach the spam filter.
    training: list[tuple[int, CommentStatus]] = field(default_factory=list)

    def article_external_id(self, post_id: str) -> str:
        return f"wxr:{self.site}:post:{post_id}"


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def rows_by_external_id(
    session: Session, table: Table, columns: Sequence[str], external_ids: Sequence[str]
) -> dict[str, Any]:
    """The rows of ``table`` with these external ids (``columns`` and the id), by external id."""
    found: dict[str, Any] = {}
    selected = [table.c.id, table.c.external_id, *(table.c[name] for name in columns)]
    for chunk in chunks(external_ids):
        for row in session.execute(select(*selected).where(table.c.external_id.in_(chunk))):
            found[row.external_id] = row
    return found

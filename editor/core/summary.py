"""What a store holds, in the shape ``newsdesk info --json`` promises."""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy import func, select

from editor.core.models import Article, ArticleStatus, Asset, CommentStatus
from editor.core.moderation.queue import QueueTab, status_counts
from editor.core.store import Store


class StoreSummary(TypedDict):
    store: str
    schema: str
    articles: dict[str, int]
    comments: dict[str, int]
    assets: int


def summarize(store: Store) -> StoreSummary:
    """Counts by status, every status present even when zero. Keys are a public contract."""
    with store.session_factory() as session:
        article_counts = dict(
            session.execute(select(Article.status, func.count()).group_by(Article.status)).all()
        )
        # The queue's counts: kept by triggers on PostgreSQL, one index count per status on
        # SQLite (a GROUP BY over a million comments takes most of a second).
        queue_counts = status_counts(session=session)
        comment_counts = {status: queue_counts[QueueTab(status.value)] for status in CommentStatus}
        asset_count = session.scalar(select(func.count()).select_from(Asset)) or 0
    return StoreSummary(
        store=store.display_url,
        schema=store.schema_revision() or "",
        articles={status.value: int(article_counts.get(status, 0)) for status in ArticleStatus},
        comments={status.value: int(comment_counts.get(status, 0)) for status in CommentStatus},
        assets=int(asset_count),
    )

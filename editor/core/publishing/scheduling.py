"""Publishing at a chosen time.

A scheduled article has status ``scheduled``, its ``scheduled_at`` and the
target it is to go to (``extra["publish_target"]``; the default target when
absent). It goes out the next time any Newsdesk on that store runs
``publish_due`` after its time: the app on a timer, or ``newsdesk
publish-due`` from cron. Two Newsdesks doing so at once publish it once: the
second finds it published and skips it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.articles.drafts import ArticleNotFound
from editor.core.articles.service import start_writing
from editor.core.models import Article, ArticleId, ArticleStatus, utc_now
from editor.core.publishing.errors import PublishConflict, PublishError, PublishRefused
from editor.core.publishing.progress import Cancelled, Progress
from editor.core.publishing.targets import THIS_STORE, PublishOutcome, target_from_name

if TYPE_CHECKING:
    from editor.core.images.cache import ImageCache
    from editor.core.store import Store

TARGET_KEY = "publish_target"
SCHEDULER_AUTHOR = "Newsdesk scheduler"


@dataclass(frozen=True, slots=True)
class DueResult:
    """One due article: its outcome, or the error that stopped it (it stays scheduled)."""

    article_id: ArticleId
    title: str
    target: str
    outcome: PublishOutcome | None = None
    error: str = ""
    # Another Newsdesk published it first: nothing to do, not a failure.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome is not None or self.skipped


def schedule_publication(
    session: Session, *, article_id: int, at: datetime, target: str = THIS_STORE
) -> int:
    """Schedule the article for ``at`` (aware) to ``target``; returns its new version (the
    editor holding it continues from that). Raises ``UnknownTarget`` for a bad name and
    ``PublishRefused`` for a published article (unpublish it first)."""
    target_from_name(target)  # refuse a bad name now, not at the scheduled time
    start_writing(session)
    article = session.get(Article, article_id, with_for_update=True, populate_existing=True)
    if article is None:
        raise PublishRefused(str(ArticleNotFound(article_id)))
    if article.status is ArticleStatus.PUBLISHED:
        raise PublishRefused(
            f"“{article.title or 'Untitled'}” is already published; unpublish it to schedule it."
        )
    article.status = ArticleStatus.SCHEDULED
    article.scheduled_at = at
    article.extra = {**(article.extra or {}), TARGET_KEY: target}
    session.flush()
    return article.version


def cancel_schedule(session: Session, *, article_id: int) -> int:
    """Back to draft, keeping the chosen time out of the way; returns the new version."""
    start_writing(session)
    article = session.get(Article, article_id, with_for_update=True, populate_existing=True)
    if article is None:
        raise PublishRefused(str(ArticleNotFound(article_id)))
    if article.status is ArticleStatus.SCHEDULED:
        article.status = ArticleStatus.DRAFT
        article.scheduled_at = None
        extra = dict(article.extra or {})
        extra.pop(TARGET_KEY, None)
        article.extra = extra
        session.flush()
    return article.version


def due_articles(session: Session, *, now: datetime) -> list[tuple[ArticleId, str, str]]:
    """(id, title, target name) of every scheduled article whose time has come, oldest first."""
    rows = session.execute(
        select(Article.id, Article.title, Article.extra)
        .where(Article.status == ArticleStatus.SCHEDULED, Article.scheduled_at <= now)
        .order_by(Article.scheduled_at, Article.id)
    )
    return [
        (ArticleId(row.id), row.title, str((row.extra or {}).get(TARGET_KEY) or THIS_STORE))
        for row in rows
    ]


def publish_due(
    store: Store,
    *,
    now: datetime | None = None,
    author: str = SCHEDULER_AUTHOR,
    cache: ImageCache | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[DueResult]:
    """Publish every due article to its target, one after another; a failure is reported
    in its result and the rest still go out. Call from any thread but the UI's."""
    moment = now or utc_now()
    with store.session_factory() as session:
        due = due_articles(session, now=moment)
    results = []
    for article_id, title, target_name in due:
        if cancelled is not None and cancelled():
            break
        try:
            target = target_from_name(target_name, cache=cache)
            outcome = target.publish(
                store,
                article_id=article_id,
                author=author,
                progress=progress,
                cancelled=cancelled,
                now=moment,
            )
        except PublishError as error:
            skipped = isinstance(error, PublishConflict) and not _still_scheduled(store, article_id)
            results.append(
                DueResult(article_id, title, target_name, error=str(error), skipped=skipped)
            )
        else:
            results.append(DueResult(article_id, title, target_name, outcome=outcome))
    return results


def _still_scheduled(store: Store, article_id: int) -> bool:
    with store.session_factory() as session:
        status = session.scalar(select(Article.status).where(Article.id == article_id))
    return status is ArticleStatus.SCHEDULED

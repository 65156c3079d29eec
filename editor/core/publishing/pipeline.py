"""The steps every target shares: read and check the article, make its image renditions.

Both run before any target is written to, in sessions that only read (no
store lock is held while images are encoded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from editor.core.articles.drafts import ArticleNotFound
from editor.core.models import ArticleId
from editor.core.publishing.checks import PreflightIssue, check_content, errors_in
from editor.core.publishing.content import ArticleContent, load_content
from editor.core.publishing.errors import PreflightFailed, PublishConflict, PublishRefused
from editor.core.publishing.progress import PublishStep, StepReporter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from editor.core.images.cache import ImageCache
    from editor.core.publishing.targets import PublishTarget
    from editor.core.store import Store


@dataclass(frozen=True, slots=True)
class Prepared:
    content: ArticleContent
    warnings: tuple[PreflightIssue, ...]
    # The newest publish record of the article when it was checked: a newer one at commit
    # time means someone else published it meanwhile.
    last_record_id: int


def issues_for(
    session: Session, content: ArticleContent, target: PublishTarget
) -> list[PreflightIssue]:
    from editor.core.publishing.page import layout_issues

    return check_content(
        content,
        slug_conflict=target.slug_conflict(session, content),
        layout_issues=layout_issues(content),
    )


def preflight_issues(
    source: Store, *, article_id: int, target: PublishTarget
) -> list[PreflightIssue]:
    with source.session_factory() as session:
        content = load_content(session, article_id=article_id, with_comments=False)
        return issues_for(session, content, target)


def prepare(
    source: Store,
    *,
    article_id: int,
    target: PublishTarget,
    reporter: StepReporter,
    expected_version: int | None,
) -> Prepared:
    """The article as stored now, checked. Raises ``PreflightFailed`` on any error and
    ``PublishConflict`` when it is no longer the version the editor showed."""
    reporter.step(PublishStep.CHECKING)
    with source.session_factory() as session:
        try:
            content = load_content(session, article_id=article_id)
        except ArticleNotFound as error:
            raise PublishRefused(str(error)) from None
        if expected_version is not None and content.version != expected_version:
            raise PublishConflict(
                f"“{content.title or 'Untitled'}” was saved elsewhere (version {content.version}) "
                f"after you opened version {expected_version}; reload it, then publish."
            )
        issues = issues_for(session, content, target)
        last_record_id = newest_record_id(session, article_id=article_id)
    if errors_in(issues):
        raise PreflightFailed(issues)
    return Prepared(content=content, warnings=tuple(issues), last_record_id=last_record_id)


def newest_record_id(session: Session, *, article_id: int) -> int:
    from sqlalchemy import func, select

    from editor.core.models import PublishRecord

    found = session.scalar(
        select(func.max(PublishRecord.id)).where(PublishRecord.article_id == article_id)
    )
    return int(found or 0)


def make_renditions(
    source: Store, content: ArticleContent, *, cache: ImageCache, reporter: StepReporter
) -> int:
    """Renditions of every image the page shows (cached ones cost a file check); the
    number of images. Uses every core (up to four)."""
    from editor.core.publishing.renditions import renditions_for_images

    images = content.all_images
    reporter.step(PublishStep.IMAGES, 0, len(images))
    with source.session_factory() as session:
        renditions_for_images(session, images, cache=cache, reporter=reporter)
    return len(images)


def site_path(content: ArticleContent, published_at: datetime | None = None) -> str:
    """The article's place on a site: ``2026/11/flood-barrier-trial/`` (from its first
    publication date, so it never moves once published)."""
    when = published_at or content.published_at
    if when is None:
        raise ValueError("an article's site path needs its publication date")
    return f"{when:%Y}/{when:%m}/{content.slug}/"


def article_label(content: ArticleContent) -> str:
    return f"“{content.title or 'Untitled'}”"


def as_article_id(value: int) -> ArticleId:
    return ArticleId(value)

"""Publishing in the store the article is written in: ``this-store``.

Going live is one transaction: the rendered page stored as the blob
``published/<uuid>``, status published, ``published_at`` (kept from the first
publication), a PUBLISH revision and a ``PublishRecord``. Image renditions are
made before it, with no lock held. The folder target runs the same
transaction and builds its site inside it, so ``make_live`` and ``take_down``
are shared.

Two publishers of one article: the article row is locked (``FOR UPDATE``; the
write lock on SQLite) before its version is compared with the one checked, so
the second waits, then finds the first one's publish and is told.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.articles.drafts import ArticleNotFound
from editor.core.articles.revisions import record_revision
from editor.core.articles.service import start_writing
from editor.core.articles.slugs import slug_conflict
from editor.core.models import Article, ArticleId, ArticleStatus, RevisionReason, utc_now
from editor.core.publishing.checks import check_content, errors_in
from editor.core.publishing.content import ArticleContent, load_content
from editor.core.publishing.errors import PreflightFailed, PublishConflict, PublishRefused
from editor.core.publishing.page import (
    SiteSettings,
    load_site_settings,
    media_url_for,
    render_article_page,
)
from editor.core.publishing.pipeline import (
    Prepared,
    article_label,
    make_renditions,
    newest_record_id,
    prepare,
    site_path,
)
from editor.core.publishing.progress import Cancelled, Progress, PublishStep, StepReporter
from editor.core.publishing.records import (
    add_publish_record,
    add_unpublish_record,
    latest_record,
    remove_page,
    store_page,
    stored_page,
)
from editor.core.publishing.targets import (
    THIS_STORE,
    PublicationState,
    PublishOutcome,
    PublishTarget,
    TargetKind,
    TargetStatus,
    UnpublishOutcome,
)

if TYPE_CHECKING:
    from editor.core.images.cache import ImageCache
    from editor.core.store import Store

# Where a page kept in the store finds its images when the store is served as a site.
STORE_MEDIA_PREFIX = "/media/"


@dataclass(frozen=True, slots=True)
class LiveWrite:
    """What ``make_live`` wrote: ``content`` as published (status, ``published_at`` set)."""

    content: ArticleContent
    changed: bool
    revision_id: int | None
    url: str
    site: SiteSettings
    version: int

    def outcome(
        self,
        *,
        target: str,
        prepared: Prepared,
        images: int,
        url: str | None = None,
        changed: bool | None = None,
    ) -> PublishOutcome:
        """The ``PublishOutcome`` of this write; a target that also wrote elsewhere (a site
        folder) gives its own ``url`` and whether it ``changed`` anything."""
        assert self.content.published_at is not None
        return PublishOutcome(
            target=target,
            article_id=self.content.id,
            url=self.url if url is None else url,
            published_at=self.content.published_at,
            checksum=self.content.checksum,
            changed=self.changed if changed is None else changed,
            revision_id=self.revision_id,
            version=self.version,
            warnings=prepared.warnings,
            images=images,
        )


def store_url_path(content: ArticleContent, site: SiteSettings) -> str:
    path = site_path(content)
    return site.absolute(path) if site.base_url else "/" + path


def lock_article(session: Session, article_id: int) -> Article:
    start_writing(session)
    article = session.scalars(
        select(Article)
        .where(Article.id == article_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if article is None:
        raise PublishRefused(str(ArticleNotFound(article_id)))
    return article


def make_live(
    session: Session,
    *,
    prepared: Prepared,
    author: str,
    now: datetime,
    also_record: Sequence[tuple[str, Callable[[ArticleContent, SiteSettings], str]]] = (),
) -> LiveWrite:
    """The publish transaction's writes (the caller commits). ``also_record`` adds
    publish records beside this store's: ``(target name, URL of the published content)``
    (the folder target's)."""
    article = lock_article(session, prepared.content.id)
    content = prepared.content
    if article.version != content.version:
        content = _content_changed_meanwhile(session, prepared)
    published_at = article.published_at or now
    checksum = content.checksum
    site = load_site_settings(session)
    latest = latest_record(session, article_id=content.id, target=THIS_STORE)
    same_content = (
        article.status is ArticleStatus.PUBLISHED
        and latest is not None
        and latest.is_live
        and latest.checksum == checksum
        and all(
            (record := latest_record(session, article_id=content.id, target=name)) is not None
            and record.is_live
            and record.checksum == checksum
            for name, _url in also_record
        )
    )
    # A page says it was updated when the update went out (as the site's pages do).
    updated_at = latest.published_at if same_content and latest is not None else now
    content = replace(
        content,
        status=ArticleStatus.PUBLISHED,
        published_at=published_at,
        updated_at=updated_at,
    )
    page = render_article_page(
        content, media_url=media_url_for(content, STORE_MEDIA_PREFIX), site=site.served_site()
    ).encode()
    url = store_url_path(content, site)
    if same_content and latest is not None:
        # Comments or the theme may still change the page; the article itself did not change.
        page_changed = stored_page(session, uuid=content.uuid) != page
        if page_changed:
            store_page(session, uuid=content.uuid, page=page)
        return LiveWrite(content, page_changed, latest.revision_id, url, site, article.version)
    store_page(session, uuid=content.uuid, page=page)
    article.status = ArticleStatus.PUBLISHED
    article.published_at = published_at
    article.scheduled_at = None
    session.flush()
    revision = record_revision(
        session, article_id=content.id, reason=RevisionReason.PUBLISH, author=author
    )
    records = [(THIS_STORE, url)] + [(name, url_of(content, site)) for name, url_of in also_record]
    for name, record_url in records:
        add_publish_record(
            session,
            article_id=content.id,
            target=name,
            checksum=checksum,
            url=record_url,
            revision_id=revision.id,
            at=now,
        )
    session.flush()
    return LiveWrite(content, True, revision.id, url, site, article.version)


def _content_changed_meanwhile(session: Session, prepared: Prepared) -> ArticleContent:
    """The article was saved or published after it was checked: tell the second publisher,
    or carry on with the newest text when only the words moved on and its images are ready."""
    current = load_content(session, article_id=prepared.content.id)
    latest = latest_record(session, article_id=current.id, target=THIS_STORE)
    if newest_record_id(session, article_id=current.id) > prepared.last_record_id:
        who = (latest.by if latest else "") or "someone else"
        did = "published" if latest is None or latest.is_live else "unpublished"
        when = f" at {latest.published_at:%H:%M:%S} UTC" if latest else ""
        raise PublishConflict(
            f"{who} {did} {article_label(current)}{when} while you were publishing it; "
            "yours was not written. Reload to see it."
        )
    ready = {image.sha256 for image in prepared.content.all_images}
    if not {image.sha256 for image in current.all_images} <= ready:
        raise PublishConflict(
            f"{article_label(current)} gained new images while it was being published; "
            "nothing was published. Publish again."
        )
    issues = check_content(current, slug_conflict=None)
    if errors_in(issues):
        raise PreflightFailed(issues)
    return current


def take_down(
    session: Session, *, article_id: int, now: datetime, also_record: tuple[str, ...] = ()
) -> tuple[bool, int]:
    """The unpublish transaction's writes: status back to draft, the stored page removed,
    unpublish records. Returns whether it was live, and the article's version after."""
    article = lock_article(session, article_id)
    was_live = article.status is ArticleStatus.PUBLISHED
    if was_live:
        article.status = ArticleStatus.DRAFT
    remove_page(session, uuid=article.uuid)
    for name in (THIS_STORE, *also_record):
        latest = latest_record(session, article_id=article_id, target=name)
        if latest is not None and latest.is_live:
            add_unpublish_record(session, article_id=article_id, target=name, at=now)
            was_live = True
    session.flush()
    return was_live, article.version


class ThisStoreTarget(PublishTarget):
    kind = TargetKind.THIS_STORE

    def __init__(self, *, cache: ImageCache) -> None:
        self.cache = cache

    @property
    def name(self) -> str:
        return THIS_STORE

    @property
    def description(self) -> str:
        return "this store"

    def slug_conflict(self, session: Session, content: ArticleContent) -> str | None:
        return slug_conflict(session, content.slug, article_id=content.id)

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
        reporter = StepReporter(progress, cancelled)
        prepared = prepare(
            source,
            article_id=article_id,
            target=self,
            reporter=reporter,
            expected_version=expected_version,
        )
        images = make_renditions(source, prepared.content, cache=self.cache, reporter=reporter)
        when = now or utc_now()
        with source.session_factory() as session, session.begin():
            reporter.step(PublishStep.WRITING)
            live = make_live(session, prepared=prepared, author=author, now=when)
            reporter.step(PublishStep.COMMITTING)
        reporter.report(PublishStep.DONE, 1, 1)
        return live.outcome(target=self.name, prepared=prepared, images=images)

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
        reporter = StepReporter(progress, cancelled)
        with source.session_factory() as session, session.begin():
            reporter.step(PublishStep.WRITING)
            changed, version = take_down(session, article_id=article_id, now=now or utc_now())
            reporter.step(PublishStep.COMMITTING)
        reporter.report(PublishStep.DONE, 1, 1)
        return UnpublishOutcome(self.name, ArticleId(article_id), changed, version)

    def status(self, source: Store, *, article_id: int) -> TargetStatus:
        with source.session_factory() as session:
            content = load_content(session, article_id=article_id, with_comments=False)
            latest = latest_record(session, article_id=article_id, target=THIS_STORE)
            has_page = stored_page(session, uuid=content.uuid) is not None
        if content.status is not ArticleStatus.PUBLISHED or not has_page:
            return TargetStatus(self.name, PublicationState.NOT_PUBLISHED)
        current = latest is not None and latest.checksum == content.checksum
        return TargetStatus(
            self.name,
            PublicationState.LIVE if current else PublicationState.OUTDATED,
            url=latest.url if latest else "",
            published_at=content.published_at,
            message="" if current else "Edited since it was published.",
        )

"""Publishing to another store (``store:URL``): typically local drafts → the newsroom's PostgreSQL.

The article is found there by its uuid (publishing twice updates it, never
duplicates it), its images by sha256 (copied once), its tags by name; then
it is made live there exactly as ``this-store`` would: stored page, status,
``published_at``, a PUBLISH revision and a publish record, all in ONE remote
transaction. Only after that commits is the publish recorded here.

Refused, with nothing written there:
- another article (another uuid) already has the slug there ("slug taken");
- the copy there was changed since we last published it: its content
  checksum is neither the one in our latest publish record for that store nor
  the one we are publishing now (so a publish whose local record was lost
  after the remote commit still goes through);
- someone else published it there at the same moment: publishers of one
  article serialise on a lock keyed by its uuid (``pg_advisory_xact_lock``; the
  write lock on SQLite), so the second one sees the first one's copy.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from editor.core.articles.revisions import record_revision
from editor.core.articles.service import start_writing
from editor.core.models import (
    Article,
    ArticleId,
    ArticleStatus,
    RevisionReason,
    utc_now,
)
from editor.core.publishing.checks import ArticleField, CheckKind, PreflightIssue, Severity
from editor.core.publishing.content import ArticleContent, load_content
from editor.core.publishing.errors import (
    PublishConflict,
    PublishError,
    PublishFailed,
    PublishRefused,
    SlugTaken,
)
from editor.core.publishing.pipeline import Prepared, article_label, prepare
from editor.core.publishing.progress import Cancelled, Progress, PublishStep, StepReporter
from editor.core.publishing.records import (
    add_publish_record,
    add_unpublish_record,
    latest_publish,
    latest_record,
    remove_page,
    store_page,
)
from editor.core.publishing.remote_copy import (
    copy_images,
    live_and_current,
    lock_article_uuid,
    page_and_url,
    upsert_article,
)
from editor.core.publishing.targets import (
    STORE_PREFIX,
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


def _full_url(url: str) -> str:
    from editor.core.store import sqlite_url

    return url if "://" in url else sqlite_url(Path(url))


class StoreTarget(PublishTarget):
    kind = TargetKind.STORE

    def __init__(self, url: str, *, cache: ImageCache) -> None:
        self._url = _full_url(url)
        self.cache = cache

    @property
    def name(self) -> str:
        # URL.set() leaves a field alone when given None; _replace (URL is a named tuple)
        # is what removes the password, so it is never written into a publish record.
        without_password = make_url(self._url)._replace(password=None)
        return STORE_PREFIX + without_password.render_as_string(hide_password=False)

    @property
    def description(self) -> str:
        from editor.core.store import display_url

        return f"the store {display_url(self._url)}"

    def slug_conflict(self, session: Session, content: ArticleContent) -> str | None:
        # Checked where it matters, in the remote transaction (see ``preflight`` for the list).
        return None

    def preflight(self, source: Store, *, article_id: int) -> list[PreflightIssue]:
        issues = super().preflight(source, article_id=article_id)
        with source.session_factory() as session:
            content = load_content(session, article_id=article_id, with_comments=False)
        try:
            remote = self._open()
        except PublishFailed as error:
            return [
                *issues,
                PreflightIssue(
                    CheckKind.SLUG_TAKEN, Severity.WARNING, str(error), ArticleField.SLUG
                ),
            ]
        try:
            with remote.session_factory() as session:
                owner = session.scalar(select(Article.uuid).where(Article.slug == content.slug))
        finally:
            remote.close()
        if owner is not None and owner != content.uuid:
            issues.append(
                PreflightIssue(
                    CheckKind.SLUG_TAKEN,
                    Severity.ERROR,
                    f'"{content.slug}" is the address of another article at '
                    f"{self.description}: slug taken at the target.",
                    ArticleField.SLUG,
                )
            )
        return issues

    def _open(self) -> Store:
        from editor.core.store import StoreError, open_store

        try:
            return open_store(self._url)
        except StoreError as error:
            raise PublishFailed(
                f"Could not open {self.description}: {error}. Nothing was published there."
            ) from error

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
        content = prepared.content
        with source.session_factory() as session:
            last = latest_publish(session, article_id=article_id, target=self.name)
        when = now or utc_now()
        reporter.step(PublishStep.CONNECTING)
        remote = self._open()
        try:
            published = self._publish_there(
                remote,
                source,
                prepared=prepared,
                last_checksum=None if last is None else last.checksum,
                author=author,
                when=when,
                reporter=reporter,
            )
        finally:
            remote.close()
        changed, url, published_at = published
        with source.session_factory() as session, session.begin():
            revision_id, version = self._record_here(
                session,
                content=content,
                author=author,
                url=url,
                when=when,
                record=changed or last is None or last.checksum != content.checksum,
            )
        reporter.report(PublishStep.DONE, 1, 1)
        return PublishOutcome(
            target=self.name,
            article_id=ArticleId(article_id),
            url=url,
            published_at=published_at,
            checksum=content.checksum,
            changed=changed,
            revision_id=revision_id,
            version=version,
            warnings=prepared.warnings,
            images=len(content.all_images),
        )

    def _publish_there(
        self,
        remote: Store,
        source: Store,
        *,
        prepared: Prepared,
        last_checksum: str | None,
        author: str,
        when: datetime,
        reporter: StepReporter,
    ) -> tuple[bool, str, datetime]:
        content = prepared.content
        step = "connecting"
        try:
            with remote.session_factory() as session, session.begin():
                step = "reading its copy"
                lock_article_uuid(session, content.uuid)
                there = session.scalars(
                    select(Article)
                    .where(Article.uuid == content.uuid)
                    .with_for_update()
                    .execution_options(populate_existing=True)
                ).first()
                self._refuse_conflicts(session, content, there, last_checksum)
                if there is not None and live_and_current(session, there, content):
                    copy = load_content(session, article_id=there.id)
                    published_at = copy.published_at or when
                    return False, page_and_url(session, copy, published_at, when)[1], published_at
                step = "copying images"
                asset_ids = copy_images(session, source, content, reporter)
                step = "writing the article"
                reporter.step(PublishStep.WRITING)
                article = upsert_article(session, content, there, asset_ids)
                published_at = article.published_at or when
                copy = load_content(session, article_id=article.id)
                page, url = page_and_url(session, copy, published_at, when)
                store_page(session, uuid=content.uuid, page=page)
                article.status = ArticleStatus.PUBLISHED
                article.published_at = published_at
                article.scheduled_at = None
                session.flush()
                revision = record_revision(
                    session, article_id=article.id, reason=RevisionReason.PUBLISH, author=author
                )
                add_publish_record(
                    session,
                    article_id=article.id,
                    target=THIS_STORE,
                    checksum=copy.checksum,
                    url=url,
                    revision_id=revision.id,
                    at=when,
                )
                session.flush()
                step = "committing"
                reporter.step(PublishStep.COMMITTING)
            return True, url, published_at
        except PublishError:
            raise
        except IntegrityError as error:
            raise PublishConflict(
                f"Someone else published {article_label(content)} (or another article with its "
                f"address) to {self.description} at the same moment; nothing of yours was "
                "written there. Publish again to compare."
            ) from error
        except DBAPIError as error:
            reason = (
                str(error.orig or error).strip().splitlines()[0]
                if str(error.orig or error).strip()
                else type(error).__name__
            )
            raise PublishFailed(
                f"Lost {self.description} while {step}: {reason}. Nothing was published "
                "there; retry when it is back."
            ) from error

    def _refuse_conflicts(
        self,
        session: Session,
        content: ArticleContent,
        there: Article | None,
        last_checksum: str | None,
    ) -> None:
        owner = session.scalar(
            select(Article.uuid).where(Article.slug == content.slug, Article.uuid != content.uuid)
        )
        if owner is not None:
            raise SlugTaken(
                f'Slug taken at the target: "{content.slug}" is already the address of another '
                f"article at {self.description}. Change the slug and publish again."
            )
        if there is None:
            return
        theirs = load_content(session, article_id=there.id, with_comments=False).checksum
        if theirs not in (content.checksum, last_checksum):
            latest = latest_record(session, article_id=there.id, target=THIS_STORE)
            since = (
                f"last published there at {latest.published_at:%Y-%m-%d %H:%M} UTC"
                if latest
                else "never published from here"
            )
            raise PublishConflict(
                f"The copy of {article_label(content)} at {self.description} was changed there "
                f"since you last published it ({since}); nothing was published. Compare it "
                "there first."
            )

    def _record_here(
        self,
        session: Session,
        *,
        content: ArticleContent,
        author: str,
        url: str,
        when: datetime,
        record: bool,
    ) -> tuple[int | None, int]:
        """The publish recorded in this store: (revision id, the article's version after)."""
        start_writing(session)
        article = session.get(Article, content.id, populate_existing=True)
        if article is None:
            raise PublishRefused(
                f"{article_label(content)} was deleted here while it was being published; "
                f"it is live at {self.description}."
            )
        if article.status is ArticleStatus.SCHEDULED:
            # Published where it was scheduled to go: no longer waiting here.
            article.status = ArticleStatus.DRAFT
            article.scheduled_at = None
            session.flush()
        if not record:
            latest = latest_publish(session, article_id=content.id, target=self.name)
            return (None if latest is None else latest.revision_id), article.version
        revision = record_revision(
            session, article_id=content.id, reason=RevisionReason.PUBLISH, author=author
        )
        add_publish_record(
            session,
            article_id=content.id,
            target=self.name,
            checksum=content.checksum,
            url=url,
            revision_id=revision.id,
            at=when,
        )
        return revision.id, article.version

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
        with source.session_factory() as session:
            content = load_content(session, article_id=article_id, with_comments=False)
        when = now or utc_now()
        reporter.step(PublishStep.CONNECTING)
        remote = self._open()
        try:
            with remote.session_factory() as session, session.begin():
                lock_article_uuid(session, content.uuid)
                there = session.scalars(
                    select(Article).where(Article.uuid == content.uuid).with_for_update()
                ).first()
                changed = there is not None and there.status is ArticleStatus.PUBLISHED
                if there is not None and changed:
                    reporter.step(PublishStep.WRITING)
                    there.status = ArticleStatus.DRAFT
                    remove_page(session, uuid=content.uuid)
                    add_unpublish_record(session, article_id=there.id, target=THIS_STORE, at=when)
                    reporter.step(PublishStep.COMMITTING)
        except DBAPIError as error:
            raise PublishFailed(
                f"Lost {self.description} while unpublishing: "
                f"{str(error.orig or error).strip().splitlines()[0]}. Nothing was changed there."
            ) from error
        finally:
            remote.close()
        with source.session_factory() as session, session.begin():
            latest = latest_record(session, article_id=article_id, target=self.name)
            if latest is not None and latest.is_live:
                add_unpublish_record(session, article_id=article_id, target=self.name, at=when)
            version = session.scalar(select(Article.version).where(Article.id == article_id))
        reporter.report(PublishStep.DONE, 1, 1)
        return UnpublishOutcome(self.name, ArticleId(article_id), changed, int(version or 0))

    def status(self, source: Store, *, article_id: int) -> TargetStatus:
        with source.session_factory() as session:
            content = load_content(session, article_id=article_id, with_comments=False)
            last = latest_publish(session, article_id=article_id, target=self.name)
        try:
            remote = self._open()
        except PublishFailed as error:
            return TargetStatus(self.name, PublicationState.UNREACHABLE, message=str(error))
        try:
            with remote.session_factory() as session:
                there = session.scalars(select(Article).where(Article.uuid == content.uuid)).first()
                if there is None or there.status is not ArticleStatus.PUBLISHED:
                    return TargetStatus(self.name, PublicationState.NOT_PUBLISHED)
                theirs = load_content(session, article_id=there.id, with_comments=False)
        except DBAPIError as error:
            return TargetStatus(self.name, PublicationState.UNREACHABLE, message=str(error.orig))
        finally:
            remote.close()
        url = last.url if last else ""
        if theirs.checksum != content.checksum and (
            last is None or theirs.checksum != last.checksum
        ):
            state = PublicationState.CHANGED_AT_TARGET
            message = "Changed at the target since it was published from here."
        elif theirs.checksum != content.checksum:
            state, message = PublicationState.OUTDATED, "Edited since it was published."
        else:
            state, message = PublicationState.LIVE, ""
        return TargetStatus(self.name, state, url, theirs.published_at, message)

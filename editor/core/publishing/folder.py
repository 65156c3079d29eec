"""The static site folder target (``folder:/path``), and ``export_site``.

The site mirrors the store: it shows the store's published articles. So a
publish to the folder is this store's publish transaction with a site build
inside it: the new generation is built and swapped in before the commit, and
swapped back out if the commit fails; cancelling before the swap leaves the
old site and the store as they were. Unpublishing does the reverse.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from editor.core.articles.slugs import slug_conflict
from editor.core.models import ArticleId, ArticleStatus, utc_now
from editor.core.publishing.content import ArticleContent, load_content
from editor.core.publishing.local import make_live, take_down
from editor.core.publishing.page import SiteSettings, load_site_settings
from editor.core.publishing.pipeline import make_renditions, prepare
from editor.core.publishing.progress import Cancelled, Progress, PublishStep, StepReporter
from editor.core.publishing.records import latest_record
from editor.core.publishing.site.builder import (
    SiteBuild,
    build_generation,
    open_site,
)
from editor.core.publishing.site.files import SiteFiles
from editor.core.publishing.site.layout import SiteFolder
from editor.core.publishing.site.listing import INDEX_FILE, article_path
from editor.core.publishing.targets import (
    FOLDER_PREFIX,
    PublicationState,
    PublishOutcome,
    PublishTarget,
    TargetKind,
    TargetStatus,
    UnpublishOutcome,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import SessionTransaction

    from editor.core.images.cache import ImageCache
    from editor.core.store import Store


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    """A whole-site export: where it is, how many articles, files written vs hard-linked."""

    folder: Path
    generation: str
    articles: int
    written: int
    linked: int

    @property
    def url(self) -> str:
        return (self.folder / INDEX_FILE).as_uri()

    @property
    def summary(self) -> str:
        return (
            f"Site at {self.folder}: {self.articles} articles; "
            f"{self.written} files written, {self.linked} unchanged"
        )


def site_url(folder: SiteFolder, content: ArticleContent, site: SiteSettings) -> str:
    """Where a published article can be opened: on the served site, else on disk."""
    path = article_path(content)
    if site.base_url:
        return site.absolute(path)
    return (folder.path / path / INDEX_FILE).as_uri()


class FolderTarget(PublishTarget):
    kind = TargetKind.FOLDER

    def __init__(self, path: Path, *, cache: ImageCache, files: SiteFiles | None = None) -> None:
        self.folder = SiteFolder(path, files=files)
        self.cache = cache

    @property
    def name(self) -> str:
        return f"{FOLDER_PREFIX}{self.folder.path}"

    @property
    def description(self) -> str:
        return f"the site folder {self.folder.path}"

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
        self.folder.check()  # refuse a folder that is not ours before anything else
        prepared = prepare(
            source,
            article_id=article_id,
            target=self,
            reporter=reporter,
            expected_version=expected_version,
        )
        open_site(self.folder)
        images = make_renditions(source, prepared.content, cache=self.cache, reporter=reporter)
        when = now or utc_now()
        folder = self.folder
        with source.session_factory() as session, folder.locked():
            transaction = session.begin()
            build: SiteBuild | None = None
            try:
                reporter.step(PublishStep.WRITING)
                live = make_live(
                    session,
                    prepared=prepared,
                    author=author,
                    now=when,
                    also_record=(
                        (self.name, lambda content, site: site_url(folder, content, site)),
                    ),
                )
                build = build_generation(
                    session, folder, cache=self.cache, reporter=reporter, site=live.site
                )
                _swap_and_commit(build, transaction, reporter)
            except BaseException:
                _roll_back(transaction, build)
                raise
            _finish(build)
        reporter.report(PublishStep.DONE, 1, 1)
        return live.outcome(
            target=self.name,
            prepared=prepared,
            images=images,
            url=site_url(folder, live.content, live.site),
            changed=live.changed or build.written > 0,
        )

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
        open_site(self.folder)
        with source.session_factory() as session, self.folder.locked():
            transaction = session.begin()
            build: SiteBuild | None = None
            try:
                reporter.step(PublishStep.WRITING)
                changed, version = take_down(
                    session,
                    article_id=article_id,
                    now=now or utc_now(),
                    also_record=(self.name,),
                )
                build = build_generation(
                    session,
                    self.folder,
                    cache=self.cache,
                    reporter=reporter,
                    site=load_site_settings(session),
                )
                _swap_and_commit(build, transaction, reporter)
            except BaseException:
                _roll_back(transaction, build)
                raise
            _finish(build)
        reporter.report(PublishStep.DONE, 1, 1)
        return UnpublishOutcome(self.name, ArticleId(article_id), changed, version)

    def status(self, source: Store, *, article_id: int) -> TargetStatus:
        with source.session_factory() as session:
            content = load_content(session, article_id=article_id, with_comments=False)
            latest = latest_record(session, article_id=article_id, target=self.name)
        if latest is None or not latest.is_live or content.status is not ArticleStatus.PUBLISHED:
            return TargetStatus(self.name, PublicationState.NOT_PUBLISHED)
        generation = self.folder.current_generation()
        if generation is None or content.published_at is None:
            return TargetStatus(
                self.name,
                PublicationState.NOT_PUBLISHED,
                message=f"There is no site at {self.folder.path} any more.",
            )
        current = latest.checksum == content.checksum
        return TargetStatus(
            self.name,
            PublicationState.LIVE if current else PublicationState.OUTDATED,
            url=latest.url,
            published_at=content.published_at,
            message="" if current else "Edited since it was published.",
        )


def _swap_and_commit(
    build: SiteBuild, transaction: SessionTransaction, reporter: StepReporter
) -> None:
    reporter.step(PublishStep.SWAPPING)
    try:
        build.swap()
    except OSError as error:
        from editor.core.publishing.errors import PublishFailed
        from editor.core.publishing.site.builder import fault_message

        raise PublishFailed(fault_message(build.folder, error, "swap in")) from error
    reporter.report(PublishStep.COMMITTING, 0, 1)
    transaction.commit()


def _roll_back(transaction: SessionTransaction, build: SiteBuild | None) -> None:
    if transaction.is_active:
        transaction.rollback()
    if build is not None:
        # If even this fails the site shows the new build while the store kept the old
        # state; the next publish or export rebuilds the site from the store.
        with contextlib.suppress(OSError):
            build.undo()


def _finish(build: SiteBuild) -> None:
    # Removing old generations is tidying: the new site is live and committed already.
    with contextlib.suppress(OSError):
        build.finish()


def export_site(
    source: Store,
    *,
    folder: Path,
    cache: ImageCache | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    files: SiteFiles | None = None,
) -> ExportOutcome:
    """Build the whole site of the store's published articles into ``folder`` (a
    Newsdesk-managed link, see ``site.layout``) and swap it in. Reads the store only.
    ``cache``: where renditions are kept (default: the user's image cache)."""
    from editor.core.images.cache import ImageCache

    image_cache = cache or ImageCache.default()
    reporter = StepReporter(progress, cancelled)
    site_folder = SiteFolder(folder, files=files)
    open_site(site_folder)
    with source.session_factory() as session, site_folder.locked():
        build = build_generation(
            session,
            site_folder,
            cache=image_cache,
            reporter=reporter,
            site=load_site_settings(session),
        )
        try:
            reporter.step(PublishStep.SWAPPING)
            build.swap()
        except OSError as error:
            from editor.core.publishing.errors import PublishFailed
            from editor.core.publishing.site.builder import fault_message

            build.undo()
            raise PublishFailed(fault_message(site_folder, error, "swap in")) from error
        except BaseException:
            build.undo()
            raise
        _finish(build)
    reporter.report(PublishStep.DONE, 1, 1)
    return ExportOutcome(
        folder=site_folder.path,
        generation=build.generation,
        articles=build.articles,
        written=build.written,
        linked=build.linked,
    )

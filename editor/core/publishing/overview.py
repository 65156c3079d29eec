"""What is published where: every article's state at each publishing target, in one read.

The Publishing area shows this as a table. It is read from the publish log
(``PublishRecord``, see ``records``) and the articles themselves, never from
the targets: opening a remote store or a site folder for every row would make
a table of a few thousand articles take minutes and fail when one is offline.

"Changed since" uses the rule a publish itself uses to decide whether there is
anything to update: the article's content checksum now (``content_checksum``)
against the one its latest publish record holds. So saving an edit and then
undoing it reads as live again, and a new comment or view does not count as a
change. The whole overview is a fixed handful of queries whatever the number
of articles (no query per article; see ``publication_overview``).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editor.core.models import (
    Article,
    ArticleId,
    ArticleStatus,
    ArticleTag,
    AssetId,
    PublishRecord,
    Revision,
    Tag,
)
from editor.core.publication_state import TargetState
from editor.core.publishing.content import (
    IMAGE_COLUMNS,
    ImageRef,
    TagRef,
    article_content,
    asset_references,
    content_checksum,
    image_ref,
)
from editor.core.publishing.errors import UnknownTarget
from editor.core.publishing.records import UNPUBLISHED_CHECKSUM
from editor.core.publishing.scheduling import TARGET_KEY
from editor.core.publishing.targets import FOLDER_PREFIX, THIS_STORE, target_from_name


@dataclass(frozen=True, slots=True)
class TargetPublication:
    """The article at one target.

    ``at``: for a live article the latest publish or update; for an unpublished one when
    it was taken down; for a scheduled one the time it is to go out; for a marked
    published one the article's publication date. ``location`` is the URL or file URI
    the latest publish record holds, only while the article is live there. ``by`` is
    who published it (when known); ``note`` explains a state the log alone would not.
    """

    target: str
    state: TargetState
    at: datetime | None = None
    location: str = ""
    by: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ArticlePublication:
    """One article and its state at every target asked for (keyed by the names given)."""

    article_id: ArticleId
    title: str
    slug: str
    author: str
    status: ArticleStatus
    # Publish with this as the expected version: refused if the article moved on since.
    version: int
    updated_at: datetime
    first_published_at: datetime | None
    scheduled_at: datetime | None
    # The target a scheduled article is to go to (as written when it was scheduled).
    scheduled_target: str | None
    targets: Mapping[str, TargetPublication]

    def at(self, target: str) -> TargetPublication:
        return self.targets[target]


def record_target_name(target: str) -> str:
    """The name publish records use for ``target``: a folder's absolute path, a store's
    URL without its password. Settings may spell the same target differently."""
    try:
        return target_from_name(target).name
    except UnknownTarget:
        return target.strip()


def publication_overview(session: Session, *, targets: Sequence[str]) -> list[ArticlePublication]:
    """Every article, most recently edited first, with its state at each of ``targets``.

    Reads only; at most five queries whatever the number of articles or targets.
    """
    record_names = {target: record_target_name(target) for target in targets}
    articles = session.execute(
        select(
            Article.id,
            Article.title,
            Article.slug,
            Article.author,
            Article.status,
            Article.version,
            Article.updated_at,
            Article.published_at,
            Article.scheduled_at,
            Article.extra,
        ).order_by(Article.updated_at.desc(), Article.id.desc())
    ).all()
    latest = _latest_records(session, sorted(set(record_names.values())))
    live_ids = {
        article_id
        for (article_id, _target), record in latest.items()
        if record.checksum != UNPUBLISHED_CHECKSUM
    }
    checksums = _current_checksums(session, live_ids, sorted(set(record_names.values())))
    overview = []
    for row in articles:
        scheduled_target = None
        if row.status is ArticleStatus.SCHEDULED:
            scheduled_target = str((row.extra or {}).get(TARGET_KEY) or THIS_STORE)
        facts = _ArticleFacts(
            status=row.status,
            published_at=row.published_at,
            scheduled_at=row.scheduled_at,
            scheduled_record_name=(
                None if scheduled_target is None else record_target_name(scheduled_target)
            ),
            checksum=checksums.get(row.id),
        )
        overview.append(
            ArticlePublication(
                article_id=ArticleId(row.id),
                title=row.title,
                slug=row.slug,
                author=row.author,
                status=row.status,
                version=row.version,
                updated_at=row.updated_at,
                first_published_at=row.published_at,
                scheduled_at=row.scheduled_at,
                scheduled_target=scheduled_target,
                targets={
                    target: _state_at(target, record_name, facts, latest.get((row.id, record_name)))
                    for target, record_name in record_names.items()
                },
            )
        )
    return overview


@dataclass(frozen=True, slots=True)
class _Record:
    checksum: str
    url: str
    published_at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class _ArticleFacts:
    status: ArticleStatus
    published_at: datetime | None
    scheduled_at: datetime | None
    scheduled_record_name: str | None
    # The content checksum now; only for articles with a live record somewhere.
    checksum: str | None


def _state_at(
    target: str, record_name: str, article: _ArticleFacts, record: _Record | None
) -> TargetPublication:
    if article.scheduled_record_name == record_name:
        return TargetPublication(target, TargetState.SCHEDULED, at=article.scheduled_at)
    if record is None:
        if record_name == THIS_STORE and article.status is ArticleStatus.PUBLISHED:
            return TargetPublication(
                target,
                TargetState.MARKED_PUBLISHED,
                at=article.published_at,
                note=(
                    "Came into the store already published (imported or sample content). "
                    "Publish it to give it a page here."
                ),
            )
        return TargetPublication(target, TargetState.NEVER_PUBLISHED)
    if record.checksum == UNPUBLISHED_CHECKSUM:
        return TargetPublication(target, TargetState.UNPUBLISHED, at=record.published_at)
    mirrors_this_store = record_name == THIS_STORE or record_name.startswith(FOLDER_PREFIX)
    if mirrors_this_store and article.status is not ArticleStatus.PUBLISHED:
        # This store and its site folders show only articles published here: one archived
        # or taken down here is gone from them (a site at its next build).
        return TargetPublication(
            target,
            TargetState.UNPUBLISHED,
            by=record.by,
            note=f"No longer published in this store (it is {article.status.value} now).",
        )
    changed = article.checksum != record.checksum
    return TargetPublication(
        target,
        TargetState.CHANGED_SINCE if changed else TargetState.LIVE,
        at=record.published_at,
        location=record.url,
        by=record.by,
        note="Edited since it was published: Update publishes the edits." if changed else "",
    )


def _latest_records(session: Session, record_names: list[str]) -> dict[tuple[int, str], _Record]:
    """The newest record of each (article, target) among ``record_names``, in one query."""
    if not record_names:
        return {}
    ranked = (
        select(
            PublishRecord.article_id,
            PublishRecord.target,
            PublishRecord.checksum,
            PublishRecord.url,
            PublishRecord.published_at,
            PublishRecord.revision_id,
            func.row_number()
            .over(
                partition_by=(PublishRecord.article_id, PublishRecord.target),
                order_by=(PublishRecord.published_at.desc(), PublishRecord.id.desc()),
            )
            .label("newest_first"),
        )
        .where(PublishRecord.target.in_(record_names))
        .subquery()
    )
    rows = session.execute(
        select(
            ranked.c.article_id,
            ranked.c.target,
            ranked.c.checksum,
            ranked.c.url,
            ranked.c.published_at,
            Revision.author,
        )
        .outerjoin(Revision, Revision.id == ranked.c.revision_id)
        .where(ranked.c.newest_first == 1)
    )
    return {
        (row.article_id, row.target): _Record(
            checksum=row.checksum,
            url=row.url,
            published_at=row.published_at,
            by=row.author or "",
        )
        for row in rows
    }


def _current_checksums(
    session: Session, live_ids: set[int], record_names: list[str]
) -> dict[int, str]:
    """The content checksum now of each article in ``live_ids``, computed exactly as a
    publish computes it, from three queries (articles, tags, images) for all of them."""
    if not live_ids:
        return {}
    # A subquery rather than a list of ids: no bound-parameter limit, whatever the count.
    ever_live = (
        select(PublishRecord.article_id)
        .where(
            PublishRecord.target.in_(record_names),
            PublishRecord.checksum != UNPUBLISHED_CHECKSUM,
        )
        .distinct()
    )
    articles = [
        row
        for row in session.execute(
            select(
                Article.id,
                Article.uuid,
                Article.title,
                Article.slug,
                Article.dek,
                Article.body,
                Article.author,
                Article.category,
                Article.kind,
                Article.featured_asset_id,
                Article.status,
                Article.version,
                Article.created_at,
                Article.updated_at,
                Article.published_at,
                Article.scheduled_at,
                Article.view_count,
                Article.comment_count,
            ).where(Article.id.in_(ever_live))
        )
        if row.id in live_ids
    ]
    tags: dict[int, list[TagRef]] = defaultdict(list)
    for tag in session.execute(
        select(ArticleTag.article_id, Tag.name, Tag.slug)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .where(ArticleTag.article_id.in_(ever_live))
        .order_by(ArticleTag.article_id, ArticleTag.position, Tag.name)
    ):
        tags[tag.article_id].append(TagRef(tag.name, tag.slug))
    references = {row.id: asset_references(row.body) for row in articles}
    needs_images = any(references.values()) or any(
        row.featured_asset_id is not None for row in articles
    )
    images = _ImageIndex.load(session) if needs_images else _ImageIndex.empty()
    checksums = {}
    for row in articles:
        content = article_content(
            row, tags=tags.get(row.id, ()), images=images, references=references[row.id]
        )
        checksums[row.id] = content_checksum(content)
    return checksums


@dataclass(frozen=True, slots=True)
class _ImageIndex:
    """Every stored image (no bytes), findable by id and by ``asset:`` prefix.

    A prefix names an image only when exactly one image's sha256 starts with it, the
    rule ``load_content`` applies; here with a sorted list, so a site's worth of
    references costs a binary search each, not a scan of every image."""

    by_id: dict[AssetId, ImageRef]
    sorted_sha256: list[str]
    by_sha256: dict[str, ImageRef]

    @classmethod
    def empty(cls) -> _ImageIndex:
        return cls({}, [], {})

    @classmethod
    def load(cls, session: Session) -> _ImageIndex:
        images = [image_ref(row) for row in session.execute(select(*IMAGE_COLUMNS))]
        by_sha256 = {image.sha256: image for image in images}
        return cls(
            by_id={image.asset_id: image for image in images},
            sorted_sha256=sorted(by_sha256),
            by_sha256=by_sha256,
        )

    def by_prefix(self, prefix: str) -> ImageRef | None:
        start = bisect.bisect_left(self.sorted_sha256, prefix)
        matches = self.sorted_sha256[start : start + 2]
        if not matches or not matches[0].startswith(prefix):
            return None
        if len(matches) == 2 and matches[1].startswith(prefix):
            return None  # ambiguous: names more than one image
        return self.by_sha256[matches[0]]

"""What gets published: an article's content, its images and approved comments, as plain values.

An ``ArticleContent`` is read once from a session and then used on any
thread: to render the page, to build a site, to copy to another store. Its
``checksum`` covers what the writer wrote (title, slug, dek, body, byline,
category, kind, tags, the images it names by content): two stores holding the
same article compute the same checksum from their own rows, which is how a
publish to another store notices an edit made over there.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.articles.drafts import ArticleNotFound
from editor.core.models import (
    Article,
    ArticleId,
    ArticleKind,
    ArticleStatus,
    ArticleTag,
    Asset,
    AssetId,
    Comment,
    CommentStatus,
    CommentType,
    PublishRecord,
    Revision,
    Tag,
)

T = TypeVar("T")
_MANY_STEMS = 64

# Any ``asset:`` reference the renderer may resolve (figures, plain images, links).
_ASSET_REFERENCE = re.compile(r"asset:([0-9a-fA-F]{6,64})")


@dataclass(frozen=True, slots=True)
class TagRef:
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A stored image as publishing needs it: no original bytes, only what names its files."""

    asset_id: AssetId
    sha256: str
    width: int
    height: int
    mime: str
    filename: str
    alt_text: str
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class PublishedComment:
    """An approved comment; ``parent_id`` is None for a top-level one (or an orphaned reply)."""

    id: int
    parent_id: int | None
    author_name: str
    author_url: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleContent:
    id: ArticleId
    uuid: str
    title: str
    slug: str
    dek: str
    body: str
    author: str
    category: str
    kind: ArticleKind
    tags: tuple[TagRef, ...]
    featured: ImageRef | None
    # Every ``asset:`` reference in the body (lower-case, as written) → its image; a
    # reference that names no image (or more than one) is missing here.
    images: Mapping[str, ImageRef]
    status: ArticleStatus
    version: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    scheduled_at: datetime | None
    view_count: int
    comment_count: int
    comments: tuple[PublishedComment, ...] = field(default=())

    @property
    def checksum(self) -> str:
        return content_checksum(self)

    @property
    def all_images(self) -> list[ImageRef]:
        """Each image the page shows, once, in a stable order."""
        found = {image.sha256: image for image in self.images.values()}
        if self.featured is not None:
            found.setdefault(self.featured.sha256, self.featured)
        return [found[sha256] for sha256 in sorted(found)]

    @property
    def asset_ids(self) -> list[AssetId]:
        return [image.asset_id for image in self.all_images]


def asset_references(markdown_text: str) -> list[str]:
    """The ``asset:`` references in ``markdown_text``, lower-case, first occurrence order."""
    return list(dict.fromkeys(ref.lower() for ref in _ASSET_REFERENCE.findall(markdown_text)))


def content_checksum(content: ArticleContent) -> str:
    """SHA-256 (hex) of what the writer wrote, identical for the same article in any store."""
    facts = {
        "title": content.title,
        "slug": content.slug,
        "dek": content.dek,
        "body": content.body,
        "author": content.author,
        "category": content.category,
        "kind": content.kind.value,
        "tags": [tag.name for tag in content.tags],
        "featured": content.featured.sha256 if content.featured else None,
        "images": sorted({image.sha256 for image in content.images.values()}),
    }
    encoded = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def load_content(
    session: Session, *, article_id: int, with_comments: bool = True
) -> ArticleContent:
    """The article as stored now. Raises ``ArticleNotFound``."""
    article = session.scalars(
        select(Article).where(Article.id == article_id).execution_options(populate_existing=True)
    ).first()
    if article is None:
        raise ArticleNotFound(article_id)
    return load_contents(session, [article], with_comments=with_comments)[0]


def find_article_by_slug(session: Session, slug: str) -> ArticleId | None:
    found = session.scalar(select(Article.id).where(Article.slug == slug))
    return None if found is None else ArticleId(found)


def load_published(session: Session, *, with_comments: bool = True) -> list[ArticleContent]:
    """Every published article as it was published, newest first (the static site's content).

    The article row is also the draft, which may have moved on since: the text,
    title and metadata come from the revision its latest publish here points at
    (the row itself for an article that arrived published, e.g. imported);
    ``updated_at`` is that publish's time. A handful of queries whatever the
    number of articles; no image bytes are read.
    """
    articles = list(
        session.scalars(
            select(Article)
            .where(Article.status == ArticleStatus.PUBLISHED)
            .order_by(Article.published_at.desc(), Article.id.desc())
            .execution_options(populate_existing=True)
        )
    )
    published = _published_revisions(session, [article.id for article in articles])
    versions: list[Article] = []
    publish_times: dict[int, datetime] = {}
    tag_names: dict[int, list[str]] = {}
    for article in articles:
        found = published.get(article.id)
        if found is None:
            versions.append(article)
            continue
        revision, published_at = found
        meta = revision.meta or {}
        # A detached stand-in: the article's row with the published revision's words.
        versions.append(
            Article(
                id=article.id,
                uuid=article.uuid,
                title=revision.title,
                slug=str(meta.get("slug") or article.slug),
                dek=str(meta.get("dek", "")),
                body=revision.body,
                author=str(meta.get("author", "")),
                category=str(meta.get("category", "")),
                kind=article.kind,
                featured_asset_id=meta.get("featured_asset_id"),
                status=article.status,
                version=article.version,
                created_at=article.created_at,
                updated_at=published_at,
                published_at=article.published_at,
                scheduled_at=article.scheduled_at,
                view_count=article.view_count,
                comment_count=article.comment_count,
            )
        )
        publish_times[article.id] = published_at
        tag_names[article.id] = [str(name) for name in meta.get("tags", [])]
    return load_contents(session, versions, with_comments=with_comments, tag_names=tag_names)


def _published_revisions(
    session: Session, article_ids: list[int]
) -> dict[int, tuple[Revision, datetime]]:
    """Each article's latest publish in this store: its revision and when it happened."""
    from editor.core.publishing.records import UNPUBLISHED_CHECKSUM
    from editor.core.publishing.targets import THIS_STORE

    latest: dict[int, tuple[int | None, datetime]] = {}
    for chunk in _chunks(article_ids):
        rows = session.execute(
            select(PublishRecord.article_id, PublishRecord.revision_id, PublishRecord.published_at)
            .where(
                PublishRecord.article_id.in_(chunk),
                PublishRecord.target == THIS_STORE,
                PublishRecord.checksum != UNPUBLISHED_CHECKSUM,
            )
            .order_by(PublishRecord.published_at, PublishRecord.id)
        )
        for row in rows:
            latest[row.article_id] = (row.revision_id, row.published_at)
    revision_ids = [revision_id for revision_id, _at in latest.values() if revision_id is not None]
    revisions: dict[int, Revision] = {}
    for id_chunk in _chunks(revision_ids):
        for revision in session.scalars(select(Revision).where(Revision.id.in_(id_chunk))):
            revisions[revision.id] = revision
    return {
        article_id: (revisions[revision_id], at)
        for article_id, (revision_id, at) in latest.items()
        if revision_id is not None and revision_id in revisions
    }


def load_contents(
    session: Session,
    articles: Sequence[Article],
    *,
    with_comments: bool = True,
    tag_names: Mapping[int, list[str]] | None = None,
) -> list[ArticleContent]:
    """``ArticleContent`` for rows (or detached stand-ins); ``tag_names`` overrides the
    stored tags of the articles it names (a revision's tags)."""
    ids = [article.id for article in articles]
    tags = _tags_by_article(session, ids)
    if tag_names:
        tags.update(_tags_named(session, tag_names))
    comments = _approved_comments(session, ids) if with_comments else {}
    references = {article.id: asset_references(article.body) for article in articles}
    images = _images_for(
        session,
        prefixes={ref for refs in references.values() for ref in refs},
        asset_ids={a.featured_asset_id for a in articles if a.featured_asset_id is not None},
    )
    return [
        article_content(
            article,
            tags=tags.get(article.id, ()),
            images=images,
            references=references[article.id],
            comments=comments.get(article.id, ()),
        )
        for article in articles
    ]


class ArticleFields(Protocol):
    """What ``article_content`` reads of an article: an ``Article`` row, a detached stand-in,
    or a selected row of the same columns."""

    id: int
    uuid: str
    title: str
    slug: str
    dek: str
    body: str
    author: str
    category: str
    kind: ArticleKind
    featured_asset_id: int | None
    status: ArticleStatus
    version: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    scheduled_at: datetime | None
    view_count: int
    comment_count: int


class ImageIndex(Protocol):
    """Stored images by id and by ``asset:`` prefix (a prefix names an image only when
    exactly one sha256 starts with it)."""

    @property
    def by_id(self) -> Mapping[AssetId, ImageRef]: ...

    def by_prefix(self, prefix: str) -> ImageRef | None: ...


def article_content(
    article: ArticleFields,
    *,
    tags: Iterable[TagRef],
    images: ImageIndex,
    references: Iterable[str] | None = None,
    comments: Iterable[PublishedComment] = (),
) -> ArticleContent:
    """The ``ArticleContent`` of ``article`` with its ``tags``, the images of ``images`` its
    body and featured image name, and ``comments``. ``references`` are the body's
    ``asset_references`` when the caller has already found them."""
    if references is None:
        references = asset_references(article.body)
    found = {ref: images.by_prefix(ref) for ref in references}
    return ArticleContent(
        id=ArticleId(article.id),
        uuid=article.uuid,
        title=article.title,
        slug=article.slug,
        dek=article.dek,
        body=article.body,
        author=article.author,
        category=article.category,
        kind=ArticleKind(article.kind),
        tags=tuple(tags),
        featured=(
            None
            if article.featured_asset_id is None
            else images.by_id.get(AssetId(article.featured_asset_id))
        ),
        images={ref: image for ref, image in found.items() if image is not None},
        status=article.status,
        version=article.version,
        created_at=article.created_at,
        updated_at=article.updated_at,
        published_at=article.published_at,
        scheduled_at=article.scheduled_at,
        view_count=article.view_count,
        comment_count=article.comment_count,
        comments=tuple(comments),
    )


def _tags_by_article(session: Session, ids: list[int]) -> dict[int, list[TagRef]]:
    found: dict[int, list[TagRef]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows = session.execute(
            select(ArticleTag.article_id, Tag.name, Tag.slug)
            .join(Tag, Tag.id == ArticleTag.tag_id)
            .where(ArticleTag.article_id.in_(chunk))
            .order_by(ArticleTag.article_id, ArticleTag.position, Tag.name)
        )
        for row in rows:
            found[row.article_id].append(TagRef(row.name, row.slug))
    return found


def _tags_named(session: Session, names: Mapping[int, list[str]]) -> dict[int, list[TagRef]]:
    from editor.core.articles.slugs import slug_from_text

    wanted = {name.lower() for tag_list in names.values() for name in tag_list}
    slugs: dict[str, str] = {}
    if wanted:
        for row in session.execute(select(Tag.name, Tag.slug)):
            slugs.setdefault(row.name.lower(), row.slug)
    return {
        article_id: [
            TagRef(name, slugs.get(name.lower()) or slug_from_text(name) or "tag")
            for name in tag_list
        ]
        for article_id, tag_list in names.items()
    }


def _approved_comments(session: Session, ids: list[int]) -> dict[int, list[PublishedComment]]:
    found: dict[int, list[PublishedComment]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows = session.execute(
            select(
                Comment.id,
                Comment.article_id,
                Comment.parent_id,
                Comment.author_name,
                Comment.author_url,
                Comment.body,
                Comment.created_at,
            )
            .where(
                Comment.article_id.in_(chunk),
                Comment.status == CommentStatus.APPROVED,
                # Pingbacks and trackbacks are not shown under the article (as in the preview).
                Comment.comment_type == CommentType.COMMENT,
            )
            .order_by(Comment.article_id, Comment.created_at, Comment.id)
        )
        for row in rows:
            found[row.article_id].append(
                PublishedComment(
                    id=row.id,
                    parent_id=row.parent_id,
                    author_name=row.author_name,
                    author_url=row.author_url,
                    body=row.body,
                    created_at=row.created_at,
                )
            )
    return found


@dataclass
class _Images:
    rows: list[ImageRef]
    by_id: dict[AssetId, ImageRef]

    def by_prefix(self, prefix: str) -> ImageRef | None:
        matches = [row for row in self.rows if row.sha256.startswith(prefix)]
        return matches[0] if len(matches) == 1 else None


# What an ImageRef is made of: every column of an asset but its bytes.
IMAGE_COLUMNS = (
    Asset.id,
    Asset.sha256,
    Asset.width,
    Asset.height,
    Asset.mime,
    Asset.filename,
    Asset.alt_text,
    Asset.caption,
    Asset.credit,
)


def image_ref(row: Any) -> ImageRef:
    """An ``ImageRef`` from a row selected with ``IMAGE_COLUMNS``."""
    return ImageRef(
        asset_id=AssetId(row.id),
        sha256=row.sha256,
        width=row.width,
        height=row.height,
        mime=row.mime,
        filename=row.filename,
        alt_text=row.alt_text,
        caption=row.caption,
        credit=row.credit,
    )


def _images_for(session: Session, *, prefixes: set[str], asset_ids: set[int]) -> _Images:
    """Images named by sha256 prefix or id. Prefixes are matched on their first 6 hex digits
    in SQL (one indexed range per distinct stem) and exactly here."""
    columns = IMAGE_COLUMNS
    rows: dict[AssetId, ImageRef] = {}

    def keep(found: Iterable[object]) -> None:
        for row in found:
            image = image_ref(row)
            rows[image.asset_id] = image

    stems = sorted({prefix[:6] for prefix in prefixes})
    if len(stems) > _MANY_STEMS:
        # A whole site: one scan of the (byte-free) columns beats a query per image.
        keep(session.execute(select(*columns)))
    else:
        for stem in stems:
            keep(session.execute(select(*columns).where(Asset.sha256.startswith(stem))))
    for id_chunk in _chunks(sorted(asset_ids)):
        keep(session.execute(select(*columns).where(Asset.id.in_(id_chunk))))
    return _Images(rows=list(rows.values()), by_id=dict(rows))


def _chunks(items: Sequence[T], size: int = 500) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""Page data from the store: the plain dataclasses ``page`` renders, built from rows.

Functions take a ``Session`` and only read; the caller owns the unit of work.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.models import Article, ArticleId, Asset, Comment, CommentStatus, CommentType
from editor.core.rendering.checks import AssetInfo, AssetLookup
from editor.core.rendering.page import ArticlePage, HeroImage, PageComment

# How many hex digits of an asset's SHA-256 its ``asset:`` references use.
ASSET_REFERENCE_LENGTH = 12


class ImageFacts(Protocol):
    """What a hero needs of an image: a stored ``Asset`` row or publishing's snapshot of one."""

    @property
    def sha256(self) -> str: ...
    @property
    def alt_text(self) -> str: ...
    @property
    def caption(self) -> str: ...
    @property
    def credit(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...


def hero_image(asset: ImageFacts) -> HeroImage:
    return HeroImage(
        reference=asset.sha256[:ASSET_REFERENCE_LENGTH],
        alt_text=asset.alt_text,
        caption=asset.caption,
        credit=asset.credit,
        width=asset.width,
        height=asset.height,
    )


def article_page(article: Article) -> ArticlePage:
    """The page data of a stored article (its saved text, not an unsaved draft)."""
    return ArticlePage(
        title=article.title,
        body_markdown=article.body,
        dek=article.dek,
        author=article.author,
        category=article.category,
        tags=tuple(tag.name for tag in article.tags),
        slug=article.slug,
        published_at=article.published_at,
        updated_at=article.updated_at,
        view_count=article.view_count,
        comment_count=article.comment_count,
        hero=hero_image(article.featured_asset) if article.featured_asset is not None else None,
    )


def approved_comments(session: Session, *, article_id: ArticleId) -> list[PageComment]:
    """The comments a reader sees under the article: approved ones, oldest first."""
    rows = session.scalars(
        select(Comment)
        .where(
            Comment.article_id == article_id,
            Comment.status == CommentStatus.APPROVED,
            Comment.comment_type == CommentType.COMMENT,
        )
        .order_by(Comment.created_at, Comment.id)
    )
    return [
        PageComment(
            id=row.id,
            author_name=row.author_name,
            body=row.body,
            created_at=row.created_at,
            parent_id=row.parent_id,
            author_url=row.author_url,
        )
        for row in rows
    ]


def asset_lookup(session: Session) -> AssetLookup:
    """The layout checks' view of the store's images: their facts by ``asset:`` reference.
    Reads every asset's size and alt text once (not the image data); answers from memory."""
    rows = session.execute(select(Asset.sha256, Asset.width, Asset.height, Asset.alt_text))
    by_prefix = {
        sha256[:ASSET_REFERENCE_LENGTH]: (sha256, AssetInfo(width, height, alt_text))
        for sha256, width, height, alt_text in rows
    }

    def lookup(reference: str) -> AssetInfo | None:
        found = by_prefix.get(reference[:ASSET_REFERENCE_LENGTH].lower())
        if found is None or not found[0].startswith(reference.lower()):
            return None
        return found[1]

    return lookup

"""Page data from the store: the plain dataclasses ``page`` renders, built from rows.

Functions take a ``Session`` and only read; the caller owns the unit of work.
``StoredImageSizes`` is the exception: it is asked in the middle of a render, so it
opens its own short read-only sessions.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from editor.core.models import Article, ArticleId, Asset, Comment, CommentStatus, CommentType
from editor.core.rendering.checks import AssetInfo, AssetLookup
from editor.core.rendering.page import ArticlePage, HeroImage, PageComment

# How many hex digits of an asset's SHA-256 its ``asset:`` references use.
ASSET_REFERENCE_LENGTH = 12

_HEX_REFERENCE = re.compile(rf"[0-9a-f]{{{ASSET_REFERENCE_LENGTH},64}}")
_log = logging.getLogger(__name__)


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


class StoredImageSizes:
    """The pixel sizes of a store's images by ``asset:`` reference: an ``ImageSize`` for a
    locator that has no page's list of images (the preview renders a draft as it is typed).

    The first question reads every image's size (no image data) in one query; a
    reference not found there is then looked up once on its own (an image stored since,
    like the one of a figure just inserted). A reference names an image when exactly one
    sha256 starts with it, as in publishing. Each answer is kept, so a reference always
    gets the same one, as ``MediaLocator.size`` requires. Asked from the render worker:
    use it from one thread at a time."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        # sha256[:ASSET_REFERENCE_LENGTH] -> (sha256, width, height) of each image so read.
        self._images: dict[str, list[tuple[str, int, int]]] | None = None
        self._answers: dict[str, tuple[int, int] | None] = {}

    def __call__(self, reference: str) -> tuple[int, int] | None:
        reference = reference.lower()
        if reference in self._answers:
            return self._answers[reference]
        found = None
        if _HEX_REFERENCE.fullmatch(reference):
            if self._images is None:
                self._images = {}
                self._read(None)
                found = self._find(reference)
            else:
                found = self._find(reference)
                if found is None:
                    self._read(reference)
                    found = self._find(reference)
        self._answers[reference] = found
        return found

    def _find(self, reference: str) -> tuple[int, int] | None:
        assert self._images is not None
        candidates = self._images.get(reference[:ASSET_REFERENCE_LENGTH], ())
        matches = [image for image in candidates if image[0].startswith(reference)]
        if len(matches) != 1:
            return None
        _sha256, width, height = matches[0]
        return width, height

    def _read(self, reference: str | None) -> None:
        assert self._images is not None
        query = select(Asset.sha256, Asset.width, Asset.height)
        if reference is not None:
            query = query.where(Asset.sha256.startswith(reference))
        try:
            with self._session_factory() as session:
                rows = session.execute(query).all()
        except SQLAlchemyError:
            # Sizes only reserve a figure's space; a store that cannot answer leaves them out.
            _log.warning("could not read image sizes", exc_info=True)
            return
        for sha256, width, height in rows:
            image = (sha256.lower(), width, height)
            known = self._images.setdefault(image[0][:ASSET_REFERENCE_LENGTH], [])
            if image not in known:
                known.append(image)

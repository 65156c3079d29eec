"""The writes at the other store: its copy of the article, images and page.

Each runs inside the remote transaction ``remote.StoreTarget`` holds; none commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from editor.core.articles.service import start_writing
from editor.core.articles.tags import set_article_tags
from editor.core.models import Article, ArticleStatus, Asset, utc_now
from editor.core.publishing.content import ArticleContent, load_content
from editor.core.publishing.errors import PublishFailed
from editor.core.publishing.local import STORE_MEDIA_PREFIX, store_url_path
from editor.core.publishing.page import load_site_settings, media_url_for, render_article_page
from editor.core.publishing.progress import PublishStep, StepReporter
from editor.core.publishing.records import latest_record, stored_page
from editor.core.publishing.targets import THIS_STORE

if TYPE_CHECKING:
    from editor.core.store import Store


def lock_article_uuid(session: Session, uuid: str) -> None:
    """Serialise publishers of one article at this store until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(uuid.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        start_writing(session)


def copy_images(
    session: Session, source: Store, content: ArticleContent, reporter: StepReporter
) -> dict[str, int]:
    """The article's images at the target (sha256 → asset id), copying the missing ones."""
    images = content.all_images
    wanted = [image.sha256 for image in images]
    found = {
        row.sha256: row.id
        for row in session.execute(select(Asset.sha256, Asset.id).where(Asset.sha256.in_(wanted)))
    }
    missing = [image for image in images if image.sha256 not in found]
    reporter.step(PublishStep.COPYING_IMAGES, 0, len(missing))
    if not missing:
        return found
    with source.session_factory() as local:
        for done, image in enumerate(missing, start=1):
            reporter.check_cancelled()
            original = local.scalar(select(Asset.original).where(Asset.id == image.asset_id))
            if original is None:
                raise PublishFailed(
                    f"The image {image.filename or image.sha256[:12]} vanished from this store "
                    "while publishing; nothing was published."
                )
            # Another article's publish may copy the same image at the same moment:
            # whichever insert lands first is the one row both use.
            session.execute(
                insert_ignoring_duplicates(session).values(
                    sha256=image.sha256,
                    original=original,
                    mime=image.mime,
                    width=image.width,
                    height=image.height,
                    filename=image.filename,
                    alt_text=image.alt_text,
                    caption=image.caption,
                    credit=image.credit,
                    created_at=utc_now(),
                )
            )
            del original
            asset_id = session.scalar(select(Asset.id).where(Asset.sha256 == image.sha256))
            assert asset_id is not None
            found[image.sha256] = asset_id
            reporter.report(PublishStep.COPYING_IMAGES, done, len(missing))
    return found


def insert_ignoring_duplicates(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(Asset).on_conflict_do_nothing(index_elements=["sha256"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(Asset).on_conflict_do_nothing(index_elements=["sha256"])


def upsert_article(
    session: Session, content: ArticleContent, there: Article | None, asset_ids: dict[str, int]
) -> Article:
    article = there or Article(uuid=content.uuid, status=ArticleStatus.DRAFT)
    article.title = content.title
    article.slug = content.slug
    article.dek = content.dek
    article.body = content.body
    article.author = content.author
    article.category = content.category
    article.kind = content.kind
    article.featured_asset_id = (
        None if content.featured is None else asset_ids[content.featured.sha256]
    )
    if there is None:
        session.add(article)
    session.flush()
    set_article_tags(session, article_id=article.id, names=[tag.name for tag in content.tags])
    return article


def page_and_url(
    session: Session, copy: ArticleContent, published_at: datetime, updated_at: datetime
) -> tuple[bytes, str]:
    """The copy's page as this store's own publish would store it, and its URL."""
    live = replace(
        copy,
        status=ArticleStatus.PUBLISHED,
        published_at=copy.published_at or published_at,
        updated_at=updated_at,
    )
    site = load_site_settings(session)
    page = render_article_page(
        live, media_url=media_url_for(live, STORE_MEDIA_PREFIX), site=site.served_site()
    ).encode()
    return page, store_url_path(live, site)


def live_and_current(session: Session, there: Article, content: ArticleContent) -> bool:
    """Whether the copy there is already live with exactly this content and its page."""
    if there.status is not ArticleStatus.PUBLISHED:
        return False
    copy = load_content(session, article_id=there.id)
    if copy.checksum != content.checksum:
        return False
    latest = latest_record(session, article_id=there.id, target=THIS_STORE)
    if latest is None or not latest.is_live or latest.checksum != copy.checksum:
        return False
    published_at = copy.published_at or latest.published_at
    page, _url = page_and_url(session, copy, published_at, latest.published_at)
    return stored_page(session, uuid=content.uuid) == page

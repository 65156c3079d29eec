"""Publishing in this store: one transaction makes the article live; re-publishing the same
thing writes nothing; cancel and conflicts leave nothing published; two publishers, one wins."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from editor.core.articles.service import load_draft, save_draft
from editor.core.images import ImageCache
from editor.core.images.renditions import cached_renditions
from editor.core.models import (
    Article,
    ArticleStatus,
    Asset,
    PublishRecord,
    Revision,
    RevisionReason,
)
from editor.core.publishing import (
    PublicationState,
    PublishCancelled,
    PublishConflict,
    publication_status,
    publish_article,
    unpublish_article,
)
from editor.core.publishing.page import load_site_settings
from editor.core.publishing.records import stored_page
from editor.core.rendering.article_data import (
    StoredImageSizes,
    approved_comments,
    article_page,
)
from editor.core.rendering.media import sized_media_url
from editor.core.rendering.page import render_article_page
from editor.core.store import Store
from tests.core.publishing.conftest import make_article

URL_ATTRIBUTE = re.compile(r' (src|srcset|href)="[^"]*"')


def _counts(store: Store, article_id: int) -> tuple[int, int]:
    with store.session_factory() as session:
        records = session.scalar(select(func.count()).where(PublishRecord.article_id == article_id))
        revisions = session.scalar(
            select(func.count()).where(
                Revision.article_id == article_id, Revision.reason == RevisionReason.PUBLISH
            )
        )
    return int(records or 0), int(revisions or 0)


def test_publishing_makes_the_article_live_in_one_go(store: Store, image_cache: ImageCache) -> None:
    article = make_article(store, image_cache)
    steps: list[tuple[str, int, int]] = []
    outcome = publish_article(
        store,
        article_id=article.id,
        target="this-store",
        author="Sam Editor",
        cache=image_cache,
        progress=lambda step, done, total: steps.append((step, done, total)),
    )
    assert outcome.changed and outcome.images == 2
    assert outcome.url == f"/{outcome.published_at:%Y/%m}/{article.slug}/"
    assert steps[0][0] == "checking"
    assert ("images", 2, 2) in steps and steps[-1] == ("done", 1, 1)
    with store.session_factory() as session:
        stored = session.get(Article, article.id)
        assert stored is not None and stored.status is ArticleStatus.PUBLISHED
        assert stored.published_at == outcome.published_at
        assert stored.version == outcome.version  # the open editor continues from here
        record = session.scalars(select(PublishRecord)).one()
        assert (record.target, record.checksum, record.url) == (
            "this-store",
            outcome.checksum,
            outcome.url,
        )
        revision = session.get(Revision, record.revision_id)
        assert revision is not None and revision.reason is RevisionReason.PUBLISH
        assert revision.author == "Sam Editor"
        page = stored_page(session, uuid=article.uuid)
        assert page is not None
        html = page.decode()
        assert "Flood barrier trial begins" in html
        assert 'srcset="/media/' in html and ".webp 800w" in html
        for asset in session.scalars(select(Asset)):
            assert cached_renditions(
                sha256=asset.sha256, width=asset.width, height=asset.height, cache=image_cache
            )
    assert publication_status(store, article_id=article.id, target="this-store").state is (
        PublicationState.LIVE
    )


def test_the_published_page_is_the_preview_page_but_for_media_urls(
    store: Store, image_cache: ImageCache
) -> None:
    article = make_article(store, image_cache)
    publish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    with store.session_factory() as session:
        published = stored_page(session, uuid=article.uuid)
        # What the preview renders for the stored article, with its own media URLs.
        row = session.get(Article, article.id)
        assert row is not None
        preview = render_article_page(
            article_page(row),
            approved_comments(session, article_id=row.id),
            # The preview's locator: its scheme's URLs, and the sizes of the store's images.
            media_url=sized_media_url(
                lambda reference, width: f"newsdesk-media:{reference}/{width}",
                StoredImageSizes(store.session_factory),
            ),
            site=load_site_settings(session).served_site(),
        )
    assert published is not None
    assert "newsdesk-media:" in preview
    # Both figures (900 × 600 pictures) reserve their space, in the same bytes.
    assert preview.count('width="900" height="600"') == 2
    assert URL_ATTRIBUTE.sub("", published.decode()) == URL_ATTRIBUTE.sub("", preview)


def test_publishing_again_unchanged_writes_nothing_and_an_edit_is_an_update(
    store: Store, image_cache: ImageCache
) -> None:
    article = make_article(store, image_cache)
    first = publish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    with store.session_factory() as session:
        version = session.get(Article, article.id).version  # type: ignore[union-attr]
    again = publish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    assert not again.changed and again.checksum == first.checksum
    assert _counts(store, article.id) == (1, 1)
    with store.session_factory() as session:
        assert session.get(Article, article.id).version == version  # type: ignore[union-attr]

    with store.session_factory.begin() as session:
        draft = load_draft(session, article_id=article.id)
        from dataclasses import replace

        save_draft(
            session,
            draft=replace(draft, body=draft.body + "\nA late paragraph.\n"),
            expected_version=draft.version,
        )
    status = publication_status(store, article_id=article.id, target="this-store")
    assert status.state is PublicationState.OUTDATED
    update = publish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    assert update.changed and update.checksum != first.checksum
    assert update.published_at == first.published_at  # the first publication date is kept
    assert _counts(store, article.id) == (2, 2)
    with store.session_factory() as session:
        assert b"A late paragraph." in (stored_page(session, uuid=article.uuid) or b"")


def test_cancelling_before_the_commit_publishes_nothing(
    store: Store, image_cache: ImageCache
) -> None:
    article = make_article(store, image_cache)
    seen: list[str] = []
    with pytest.raises(PublishCancelled):
        publish_article(
            store,
            article_id=article.id,
            target="this-store",
            author="Ed",
            cache=image_cache,
            progress=lambda step, done, total: seen.append(step),
            cancelled=lambda: "writing" in seen,
        )
    with store.session_factory() as session:
        assert session.get(Article, article.id).status is ArticleStatus.DRAFT  # type: ignore[union-attr]
        assert stored_page(session, uuid=article.uuid) is None
    assert _counts(store, article.id) == (0, 0)


def test_a_stale_editor_version_is_refused(store: Store, image_cache: ImageCache) -> None:
    article = make_article(store, image_cache)
    with store.session_factory() as session:
        version = session.get(Article, article.id).version  # type: ignore[union-attr]
    with pytest.raises(PublishConflict, match="saved elsewhere"):
        publish_article(
            store,
            article_id=article.id,
            target="this-store",
            author="Ed",
            cache=image_cache,
            expected_version=version - 1,
        )
    assert _counts(store, article.id) == (0, 0)


def test_unpublish_takes_it_down_and_keeps_the_history(
    store: Store, image_cache: ImageCache
) -> None:
    article = make_article(store, image_cache)
    publish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    outcome = unpublish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    assert outcome.changed
    with store.session_factory() as session:
        row = session.get(Article, article.id)
        assert row is not None and row.status is ArticleStatus.DRAFT
        assert row.version == outcome.version
        assert stored_page(session, uuid=article.uuid) is None
        checksums = list(session.scalars(select(PublishRecord.checksum).order_by(PublishRecord.id)))
    assert len(checksums) == 2 and checksums[1] == ""  # the unpublish is logged
    assert publication_status(store, article_id=article.id, target="this-store").state is (
        PublicationState.NOT_PUBLISHED
    )
    again = unpublish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    assert not again.changed


def test_two_publishers_at_once_one_wins_the_other_is_told(
    store: Store, image_cache: ImageCache
) -> None:
    article = make_article(store, image_cache)
    both_checked = threading.Barrier(2, timeout=30)
    results: dict[str, object] = {}

    def publish(name: str) -> None:
        def progress(step: str, done: int, total: int) -> None:
            if step == "writing":
                both_checked.wait()  # both have read and checked the same version

        try:
            results[name] = publish_article(
                store,
                article_id=article.id,
                target="this-store",
                author=name,
                cache=image_cache,
                progress=progress,
                now=datetime.now(UTC),
            )
        except Exception as error:
            results[name] = error

    threads = [threading.Thread(target=publish, args=(name,)) for name in ("Ann", "Bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [value for value in results.values() if isinstance(value, Exception)]
    assert len(results) == 2 and len(errors) == 1, results
    assert isinstance(errors[0], PublishConflict)
    assert "while you were publishing" in str(errors[0])
    assert _counts(store, article.id) == (1, 1)

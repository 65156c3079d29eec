"""Scheduled publishing: due articles go out to their chosen target, a failure does not hold up
the rest, and two Newsdesks running ``publish_due`` at once publish an article once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from editor.core.articles.service import create_draft
from editor.core.images import ImageCache
from editor.core.models import Article, ArticleStatus, PublishRecord
from editor.core.publishing import (
    PublishRefused,
    UnknownTarget,
    cancel_schedule,
    publish_article,
    publish_due,
    schedule_publication,
)
from editor.core.publishing.scheduling import DueResult
from editor.core.store import Store
from tests.core.publishing.conftest import make_article

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _schedule(store: Store, article_id: int, at: datetime, target: str = "this-store") -> None:
    with store.session_factory.begin() as session:
        schedule_publication(session, article_id=article_id, at=at, target=target)


def _article(store: Store, article_id: int) -> Article:
    with store.session_factory() as session:
        article = session.get(Article, article_id)
        assert article is not None
        return article


def test_due_articles_go_out_at_their_time_to_their_target(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    local = make_article(store, image_cache, title="Goes live here", seed=1)
    to_site = make_article(store, image_cache, title="Goes to the site", seed=2)
    _schedule(store, local.id, NOON)
    _schedule(store, to_site.id, NOON + timedelta(hours=1), target=f"folder:{tmp_path / 'site'}")
    assert _article(store, local.id).status is ArticleStatus.SCHEDULED

    assert publish_due(store, now=NOON - timedelta(seconds=1), cache=image_cache) == []
    first = publish_due(store, now=NOON, cache=image_cache)
    assert [(result.article_id, result.ok) for result in first] == [(local.id, True)]
    published = _article(store, local.id)
    assert published.status is ArticleStatus.PUBLISHED and published.scheduled_at is None
    assert published.published_at == NOON

    later = publish_due(store, now=NOON + timedelta(hours=2), cache=image_cache)
    assert [result.article_id for result in later] == [to_site.id]
    assert later[0].outcome is not None and later[0].outcome.url.startswith("file://")
    assert (tmp_path / "site" / "index.html").read_text().count("Goes") == 2
    assert publish_due(store, now=NOON + timedelta(days=1), cache=image_cache) == []


def test_a_failing_article_is_reported_and_the_rest_still_go_out(
    store: Store, image_cache: ImageCache
) -> None:
    good = make_article(store, image_cache)
    with store.session_factory.begin() as session:
        broken = create_draft(session, title="", body="No title.")
    _schedule(store, broken.id, NOON - timedelta(minutes=5))
    _schedule(store, good.id, NOON)
    results = publish_due(store, now=NOON, cache=image_cache)
    assert [result.article_id for result in results] == [broken.id, good.id]
    failed, done = results
    assert not failed.ok and "no title" in failed.error
    assert done.ok
    assert _article(store, broken.id).status is ArticleStatus.SCHEDULED  # tried again next time


def test_scheduling_refuses_bad_targets_and_published_articles_and_can_be_cancelled(
    store: Store, image_cache: ImageCache
) -> None:
    article = make_article(store, image_cache)
    with pytest.raises(UnknownTarget), store.session_factory.begin() as session:
        schedule_publication(session, article_id=article.id, at=NOON, target="ftp:somewhere")
    _schedule(store, article.id, NOON)
    with store.session_factory.begin() as session:
        version = cancel_schedule(session, article_id=article.id)
    cancelled = _article(store, article.id)
    assert cancelled.status is ArticleStatus.DRAFT and cancelled.scheduled_at is None
    assert cancelled.version == version and "publish_target" not in cancelled.extra
    publish_article(
        store, article_id=article.id, target="this-store", author="Ed", cache=image_cache
    )
    with (
        pytest.raises(PublishRefused, match="already published"),
        store.session_factory.begin() as session,
    ):
        schedule_publication(session, article_id=article.id, at=NOON)


def test_two_newsdesks_publishing_due_articles_at_once_publish_each_once(
    store: Store, image_cache: ImageCache
) -> None:
    article = make_article(store, image_cache)
    _schedule(store, article.id, NOON)
    both_writing = threading.Barrier(2, timeout=30)
    results: list[list[DueResult]] = []

    def run() -> None:
        def progress(step: str, done: int, total: int) -> None:
            if step == "writing":
                both_writing.wait()

        results.append(publish_due(store, now=NOON, cache=image_cache, progress=progress))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    flat = [result for batch in results for result in batch]
    assert len(flat) == 2 and all(result.ok for result in flat)
    assert sorted(result.skipped for result in flat) == [False, True]
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PublishRecord)) == 1

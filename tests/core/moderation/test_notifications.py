"""PostgreSQL tells listeners about new comments as soon as they are committed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from editor.core.models import Article, Comment
from editor.core.moderation.notifications import listen_for_new_comments
from editor.core.store import Store, open_store


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[Store]:
    opened = open_store(postgres_url)
    try:
        yield opened
    finally:
        opened.close()


def _add_comments(store: Store, article_id: int, count: int) -> list[int]:
    with store.session_factory.begin() as session:
        comments = [Comment(article_id=article_id, body=f"comment {n}") for n in range(count)]
        session.add_all(comments)
        session.flush()
        return [comment.id for comment in comments]


def _article(store: Store) -> int:
    with store.session_factory.begin() as session:
        article = Article(title="A", slug="a")
        session.add(article)
        session.flush()
        return article.id


@pytest.mark.postgres
def test_listener_yields_ids_of_each_committed_insert(postgres_store: Store) -> None:
    article_id = _article(postgres_store)
    stop = threading.Event()
    listening = threading.Event()
    received: list[list[int]] = []

    def listen() -> None:
        stream = listen_for_new_comments(
            postgres_store.url, stop=stop, poll_seconds=0.1, listening=listening
        )
        for ids in stream:
            received.append(list(ids))
            stop.set()

    worker = threading.Thread(target=listen)
    worker.start()
    assert listening.wait(10), "the listener never said it was listening"
    expected = _add_comments(postgres_store, article_id, 3)
    worker.join(timeout=10)
    stop.set()
    assert not worker.is_alive()
    assert received == [expected]


@pytest.mark.postgres
def test_comments_committed_before_listening_are_caught_up(postgres_store: Store) -> None:
    article_id = _article(postgres_store)
    seen = _add_comments(postgres_store, article_id, 2)
    # Committed after the caller's last look and before LISTEN: no notification will name them.
    missed = _add_comments(postgres_store, article_id, 2)
    stop = threading.Event()
    stream = listen_for_new_comments(
        postgres_store.url, stop=stop, poll_seconds=0.1, after_id=max(seen)
    )
    assert next(stream) == missed
    stop.set()
    stream.close()


def test_listening_refuses_an_sqlite_store(sqlite_url: str) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        next(listen_for_new_comments(sqlite_url, stop=threading.Event()))

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


@pytest.mark.postgres
def test_listener_yields_ids_of_each_committed_insert(postgres_store: Store) -> None:
    with postgres_store.session_factory.begin() as session:
        article = Article(title="A", slug="a")
        session.add(article)
        session.flush()
        article_id = article.id
    stop = threading.Event()
    received: list[list[int]] = []
    listening = threading.Event()

    def listen() -> None:
        stream = listen_for_new_comments(postgres_store.url, stop=stop, poll_seconds=0.1)
        listening.set()
        for ids in stream:
            received.append(list(ids))
            if sum(len(batch) for batch in received) >= 3:
                stop.set()

    worker = threading.Thread(target=listen)
    worker.start()
    assert listening.wait(5)
    # The generator connects on first iteration; give it a statement's worth of time by
    # inserting until it has heard (bounded, no sleeps).
    expected: set[int] = set()
    for _ in range(200):
        with postgres_store.session_factory.begin() as session:
            comments = [
                Comment(article_id=article_id, body=f"c{len(expected) + n}") for n in range(3)
            ]
            session.add_all(comments)
            session.flush()
            expected.update(comment.id for comment in comments)
        worker.join(timeout=0.05)
        if not worker.is_alive():
            break
    stop.set()
    worker.join(timeout=5)
    assert not worker.is_alive()
    heard = {comment_id for batch in received for comment_id in batch}
    assert heard and heard <= expected


def test_listening_refuses_an_sqlite_store(sqlite_url: str) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        next(listen_for_new_comments(sqlite_url, stop=threading.Event()))

"""Each tab's search finds exactly its comments, while moderated comments' words wait to
move to their new status's index and after they have moved (migration 0003)."""

from __future__ import annotations

import random

from sqlalchemy import delete, select, update

from editor.core.models import Comment, CommentStatus
from editor.core.moderation import queue
from editor.core.moderation.queue import QueueQuery, QueueTab
from editor.core.moderation.search_index import index_moved_comments, moved_comments_waiting
from editor.core.store import Store

WORDS = ("sluice", "weir", "casino", "storm")


def _expected(store: Store, tab: QueueTab, word: str) -> list[int]:
    with store.session_factory() as session:
        comments = session.execute(select(Comment.id, Comment.status, Comment.body)).all()
    return sorted(
        (
            int(found.id)
            for found in comments
            if (tab.status is None or found.status is tab.status)
            and word in found.body.lower().split()
        ),
        reverse=True,
    )


def _assert_every_search_right(store: Store) -> None:
    for tab in QueueTab:
        for word in WORDS:
            expected = _expected(store, tab, word)
            with store.session_factory() as session:
                query = QueueQuery(tab, search=word)
                assert queue.queue_ids(query, session=session) == expected, (tab, word)
                first = [int(key.id) for key in queue.page(query, session=session, limit=2)]
                assert first == expected[:2], (tab, word)
                if expected:
                    later = queue.page(
                        query,
                        session=session,
                        after=queue.page(query, session=session, limit=1)[0],
                        limit=100,
                    )
                    assert [int(key.id) for key in later] == expected[1:], (tab, word)
                assert queue.count(query, session=session, cap=3) == min(3, len(expected))


def test_searches_stay_right_through_moves_edits_deletes_and_index_batches(
    store: Store, articles: tuple[int, int]
) -> None:
    rng = random.Random(3)
    with store.session_factory.begin() as session:
        for n in range(16):
            body = " ".join(rng.sample(WORDS, 2)) + f" note {n}"
            session.add(
                Comment(
                    article_id=articles[n % 2], body=body, status=rng.choice(list(CommentStatus))
                )
            )
    _assert_every_search_right(store)
    for step in range(30):
        with store.session_factory.begin() as session:
            ids = list(session.scalars(select(Comment.id)))
            chosen = rng.choice(ids)
            roll = rng.random()
            if roll < 0.6:
                session.execute(
                    update(Comment)
                    .where(Comment.id.in_(rng.sample(ids, 3)))
                    .values(status=rng.choice(list(CommentStatus)))
                )
            elif roll < 0.75:
                session.execute(
                    update(Comment)
                    .where(Comment.id == chosen)
                    .values(body=f"{rng.choice(WORDS)} rewritten {step}")
                )
            elif roll < 0.85:
                session.execute(delete(Comment).where(Comment.id == chosen))
            else:
                index_moved_comments(session, batch=3)
        _assert_every_search_right(store)
    with store.session_factory.begin() as session:
        while index_moved_comments(session, batch=4):
            pass
        assert moved_comments_waiting(session) == 0
    _assert_every_search_right(store)


def test_a_status_change_waits_to_be_indexed_and_a_batch_moves_it(
    store: Store, articles: tuple[int, int]
) -> None:
    with store.session_factory.begin() as session:
        comment = Comment(article_id=articles[0], body="casino bonus", status=CommentStatus.SPAM)
        session.add(comment)
        session.flush()
        comment_id = comment.id
    with store.session_factory.begin() as session:
        session.execute(
            update(Comment).where(Comment.id == comment_id).values(status=CommentStatus.PENDING)
        )
        assert moved_comments_waiting(session) == 1
    pending = QueueQuery(QueueTab.PENDING, search="casino")
    with store.session_factory() as session:
        assert queue.queue_ids(pending, session=session) == [comment_id]
    with store.session_factory.begin() as session:
        assert index_moved_comments(session) == 0
    with store.session_factory() as session:
        assert queue.queue_ids(pending, session=session) == [comment_id]
        assert queue.queue_ids(QueueQuery(QueueTab.SPAM, search="casino"), session=session) == []

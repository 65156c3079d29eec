"""Hostile and odd comments are stored exactly as received and only ever handled as text."""

from __future__ import annotations

from editor.core.models import Comment, CommentStatus
from editor.core.moderation import queue
from editor.core.moderation.intake import receive_comments
from editor.core.moderation.learning import SharedSpamFilter
from editor.core.moderation.rules import ModerationRules
from editor.core.moderation.service import ModerationAction, moderate
from editor.core.store import Store
from tests.core.moderation.conftest import incoming

BODIES = {
    "html and script": '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">hi</a>',
    "control characters": "bell\x07 backspace\x08 escape\x1b[31m red \x7f del\x0bvt\x0cff\x1cfs",
    "right-to-left override": "invoice\u202egnp.exe and \u2067isolate\u2069 \u200fmark",
    "zero-width": "fr\u200bee mo\u200cn\u200dey\ufeff\u2060",
    "emoji": "Great 👍🏽 👨‍👩‍👧 🇬🇧 ❤️",
    "mixed scripts": "مرحبا שלום 你好 Привет ｆｕｌｌｗｉｄｔｈ",
    "line separators": "one\u2028two\u2029three\r\nfour\rfive",
}


def test_odd_bodies_are_stored_and_read_back_exactly(
    store: Store, articles: tuple[int, int]
) -> None:
    spam_filter = SharedSpamFilter()
    with store.session_factory.begin() as session:
        results = receive_comments(
            [
                incoming(articles[0], body, minutes=index, author_name=body[:50])
                for index, body in enumerate(BODIES.values())
            ],
            session=session,
            spam_filter=spam_filter,
            rules=ModerationRules(require_previous_approval=False, hold_at_links=0),
        )
    ids = [result.comment_id or 0 for result in results]
    with store.session_factory.begin() as session:
        moderate(ids, ModerationAction.SPAM, session=session, actor="Sam", spam_filter=spam_filter)
    with store.session_factory() as session:
        for comment_id, (name, body) in zip(ids, BODIES.items(), strict=True):
            stored = session.get(Comment, comment_id)
            assert stored is not None, name
            assert stored.body == body, name
            assert stored.author_name == body[:50], name
            shown = queue.detail(comment_id, session=session)
            assert shown is not None and shown.body == body, name
            assert shown.status is CommentStatus.SPAM


def test_a_one_megabyte_body_is_stored_whole_scored_and_searchable(
    store: Store, articles: tuple[int, int]
) -> None:
    body = ("Lorem ipsum dolor sit amet. " * 40_000)[:1_000_000] + " needleword"
    assert len(body) > 1_000_000
    with store.session_factory.begin() as session:
        [result] = receive_comments(
            [incoming(articles[0], body)], session=session, spam_filter=SharedSpamFilter()
        )
    with store.session_factory() as session:
        stored = session.get(Comment, result.comment_id)
        assert stored is not None and stored.body == body
        [row] = queue.rows([stored.id], session=session)
        assert row.excerpt.startswith("Lorem ipsum") and len(row.excerpt) <= queue.EXCERPT_CHARS
        # The head of a huge comment is searchable (PostgreSQL indexes the first 100,000 characters).
        assert queue.queue_ids(
            queue.QueueQuery(tab=queue.QueueTab.ALL, search="dolor"), session=session
        ) == [stored.id]

"""Two moderators on one PostgreSQL store: a late decision is reported, never written over,
and comments committed by anyone appear in an open queue (LISTEN/NOTIFY)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from editor.core.models import Article, Comment, CommentStatus, ModerationEvent
from editor.core.moderation.service import ModerationAction, moderate
from editor.core.store import Store, open_store
from editor.ui.background import BackgroundRunner
from tests.ui.moderation.conftest import settle, shown_ids, status_of

pytestmark = pytest.mark.postgres
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def shared_store(postgres_url: str) -> Iterator[Store]:
    store = open_store(postgres_url)
    with store.session_factory.begin() as session:
        article = Article(title="Flood barrier holds", slug="flood-barrier")
        session.add(article)
        session.flush()
        session.add_all(
            Comment(
                article_id=article.id,
                body=f"Comment number {n} about the barrier",
                author_name=f"Reader {n}",
                author_email=f"reader{n}@example.org",
                status=CommentStatus.PENDING,
                created_at=START + timedelta(minutes=n),
                spam_score=0.3,
                reasons=["first comment from this author"],
            )
            for n in range(12)
        )
    try:
        yield store
    finally:
        store.close()


def test_a_second_moderators_change_is_reported_not_overwritten(
    qtbot, open_queue, shared_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(shared_store)
    try:
        assert pane.watcher.is_listening
        view = pane.queue_view
        assert view.tab_bar.tabText(0) == "Pending (12)"
        target = view.current_comment()
        # The second moderator works from their own connection and commits first.
        with shared_store.session_factory.begin() as session:
            moderate(
                [target.id],
                ModerationAction.SPAM,
                session=session,
                actor="Second Moderator",
                spam_filter=None,
            )
        with qtbot.waitSignal(pane.action_refused, timeout=10_000) as refused:
            qtbot.keyClick(pane.table, "a")
        assert refused.args[0].startswith(f"Comment #{target.id} is now spam")
        assert pane.banner.isVisible() and "Nothing was changed" in pane.banner.text()
        assert status_of(shared_store, target.id) == (CommentStatus.SPAM, "Second Moderator")
        with shared_store.session_factory() as session:
            actors = list(
                session.scalars(
                    select(ModerationEvent.actor).where(ModerationEvent.comment_id == target.id)
                )
            )
        assert actors == ["Second Moderator"]
        settle(qtbot, runner)
        assert target.id not in shown_ids(pane)
        assert view.tab_bar.tabText(0) == "Pending (11)" and view.tab_bar.tabText(2) == "Spam (1)"

        # A comment committed by another connection appears without a restart.
        before = shown_ids(pane)
        heard: list[int] = []
        for attempt in range(40):
            # LISTEN starts on the listener's own connection a moment after the queue
            # opens; keep committing until it has heard one (bounded, no sleeps).
            with shared_store.session_factory.begin() as session:
                comment = Comment(
                    article_id=session.scalar(select(Article.id)),
                    body=f"Arrived while the queue was open ({attempt})",
                    author_name="Late Reader",
                    status=CommentStatus.PENDING,
                    created_at=START + timedelta(hours=1, minutes=attempt),
                )
                session.add(comment)
                session.flush()
                heard.append(int(comment.id))
            try:
                qtbot.waitUntil(lambda: shown_ids(pane)[0] in heard, timeout=500)
                break
            except qtbot.TimeoutError:
                continue
        qtbot.waitUntil(
            lambda: shown_ids(pane)[: len(heard)] == list(reversed(heard)), timeout=5_000
        )
        assert shown_ids(pane)[len(heard) :] == before
        assert view.tab_bar.tabText(0) == f"Pending ({11 + len(heard)})"
    finally:
        pane.set_store(None)
    assert not pane.watcher.is_listening

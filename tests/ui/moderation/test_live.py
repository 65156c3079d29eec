"""New comments reach an open queue (SQLite: polling) without a restart."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from sqlalchemy import select

from editor.core.demo import DEMO_NOW
from editor.core.models import Article, CommentStatus
from editor.core.moderation.intake import IncomingComment, receive_comments
from editor.core.store import Store
from editor.ui.background import BackgroundRunner
from tests.ui.moderation.conftest import settle, shown_ids


def receive(store: Store, *bodies: str, minutes: int = 120, **fields: object) -> list[int]:
    """Comments arriving through intake, as a live site would write them."""
    with store.session_factory.begin() as session:
        article_id = session.scalar(select(Article.id).order_by(Article.id).limit(1))
        assert article_id is not None
        fields.setdefault("author_name", "New Reader")
        fields.setdefault("author_email", "new.reader@example.org")
        received = receive_comments(
            [
                IncomingComment(
                    article_id=article_id,
                    body=body,
                    created_at=DEMO_NOW + timedelta(minutes=minutes + n),
                    **fields,  # type: ignore[arg-type]
                )
                for n, body in enumerate(bodies)
            ],
            session=session,
            spam_filter=None,
        )
    assert all(item.status is CommentStatus.PENDING for item in received)
    return [int(item.comment_id) for item in received if item.comment_id is not None]


def test_new_comments_slide_in_at_the_top(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    settle(qtbot, runner)
    before = shown_ids(pane)
    current = pane.queue_view.current_comment()
    [new_id] = receive(demo_store, "Is the footbridge open again tomorrow morning?")
    # The pane's own poll (every 2 s) finds it; nothing is restarted or reloaded by hand.
    with qtbot.waitSignal(pane.model.rowsInserted, timeout=10_000):
        pass
    assert shown_ids(pane) == [new_id, *before]
    assert pane.queue_view.tab_bar.tabText(0) == "Pending (20)"
    assert pane.queue_view.current_comment().id == current.id  # the moderator's place is kept
    assert not pane.banner.isVisible()


def test_new_comments_wait_behind_a_notice_when_the_moderator_is_further_down(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    qtbot.keyClick(pane.table, Qt.Key.Key_End)
    settle(qtbot, runner)
    assert not pane.queue_view.is_at_top()
    before = shown_ids(pane)
    new_ids = receive(
        demo_store, "First new one about the gate.", "Second new one about the pumps."
    )
    with qtbot.waitSignal(pane.queue_view.new_comments_waiting, timeout=5_000):
        pane.watcher.poll_now()
    settle(qtbot, runner)
    assert shown_ids(pane) == before  # nothing moves under the moderator's eyes
    assert pane.banner.isVisible() and pane.banner.text().startswith("2 new comments")
    assert pane.queue_view.tab_bar.tabText(0) == "Pending (21)"
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        qtbot.keyClick(pane.table, "r")
    settle(qtbot, runner)
    assert shown_ids(pane)[:2] == list(reversed(new_ids))
    assert not pane.banner.isVisible()


def test_a_new_comment_in_another_tab_only_moves_the_counts(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        qtbot.keyClick(pane.table, "2")  # Approved
    settle(qtbot, runner)
    before = shown_ids(pane)
    receive(demo_store, "A pending one, not for this tab.")
    pane.watcher.poll_now()
    qtbot.waitUntil(lambda: pane.queue_view.tab_bar.tabText(0) == "Pending (20)", timeout=5_000)
    settle(qtbot, runner)
    assert shown_ids(pane) == before and not pane.banner.isVisible()

"""Search and filters narrow the queue; emptying old spam and trash always asks first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from editor.core.models import Article, Comment, CommentStatus
from editor.core.moderation.queue import QueueTab
from editor.core.store import Store
from editor.ui.background import BackgroundRunner
from tests.ui.moderation.conftest import settle, shown_ids


def add(store: Store, *, status: CommentStatus, age: timedelta, body: str, **fields: object) -> int:
    with store.session_factory.begin() as session:
        article_id = session.scalar(select(Article.id).order_by(Article.id).limit(1))
        comment = Comment(
            article_id=article_id,
            status=status,
            body=body,
            created_at=datetime.now(UTC) - age,
            author_name=str(fields.get("author_name", "Someone")),
            author_email=str(fields.get("author_email", "someone@example.org")),
        )
        session.add(comment)
        session.flush()
        return int(comment.id)


def rows_of(pane) -> list:  # type: ignore[no-untyped-def]
    return [pane.model.row_at(row) for row in range(pane.model.rowCount())]


def test_search_article_author_and_date_filters(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    recent = add(
        demo_store, status=CommentStatus.PENDING, age=timedelta(hours=1), body="Fresh note"
    )
    old = add(demo_store, status=CommentStatus.PENDING, age=timedelta(days=60), body="Old note")
    pane = open_queue(demo_store)
    assert pane.model.rowCount() == 21

    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000) as loaded:
        pane.search_field.setText("FloodWatcher99")  # author names are searched too
    assert loaded.args == [8]
    assert {row.author_name for row in rows_of(pane)} == {"FloodWatcher99"}
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000) as loaded:
        pane.search_field.setText("no such words anywhere")
    assert loaded.args == [0]
    assert pane.detail.empty_label.text() == "No comments match."
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.search_field.clear()

    qtbot.waitUntil(lambda: pane.article_filter.count() == 5, timeout=5_000)
    library = pane.article_filter.findText("Library", Qt.MatchFlag.MatchStartsWith)
    assert library > 0
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000) as loaded:
        pane.article_filter.setCurrentIndex(library)
    article_id = pane.article_filter.currentData()
    with demo_store.session_factory() as session:
        expected = session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(Comment.article_id == article_id, Comment.status == CommentStatus.PENDING)
        )
    assert loaded.args == [expected] and expected > 0
    assert {row.article_id for row in rows_of(pane)} == {article_id}
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.article_filter.setCurrentIndex(0)

    flood = next(row for row in rows_of(pane) if row.author_name == "FloodWatcher99")
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000) as loaded:
        pane.author_field.setText(flood.author_email)
    assert loaded.args == [8]
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.author_field.clear()

    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.date_filter.setCurrentIndex(pane.date_filter.findText("Last 30 days"))
    ids = shown_ids(pane)
    assert recent in ids and old not in ids
    cutoff = datetime.now(UTC) - timedelta(days=30)
    assert all(row.created_at >= cutoff for row in rows_of(pane))
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.date_filter.setCurrentIndex(0)
    assert old in shown_ids(pane)
    settle(qtbot, runner)


def test_show_only_this_author_from_the_detail_pane(qtbot, open_queue, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    row = next(r for r, value in enumerate(rows_of(pane)) if value.author_name == "FloodWatcher99")
    with qtbot.waitSignal(pane.detail_shown, timeout=5_000):
        pane.queue_view.select_row(row)
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000) as loaded:
        pane.detail.show_author_button.click()
    assert loaded.args == [8]
    assert pane.author_field.text() == pane.model.row_at(0).author_email


def test_emptying_old_spam_and_trash_asks_with_the_count(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.queue_view.set_tab(QueueTab.SPAM)
    assert pane.empty_old_button.isVisible()
    assert pane.empty_old_button.text() == "Empty Spam and Trash Older Than 30 Days…"
    pane.empty_old_button.click()
    qtbot.waitUntil(lambda: pane.retention_box is not None and pane.retention_box.isVisible())
    assert pane.retention_box.text() == "No spam or trash is older than 30 days."
    pane.retention_box.accept()

    old_spam = [
        add(demo_store, status=CommentStatus.SPAM, age=timedelta(days=40 + n), body=f"spam {n}")
        for n in range(2)
    ]
    old_trash = add(demo_store, status=CommentStatus.TRASH, age=timedelta(days=90), body="trash")
    pane.emptying.box = None
    pane.empty_old_button.click()
    qtbot.waitUntil(lambda: pane.retention_box is not None and pane.retention_box.isVisible())
    box = pane.retention_box
    assert box.text() == "Delete 2 spam and 1 trashed comments older than 30 days for good?"
    assert box.icon() == QMessageBox.Icon.Warning
    box.button(QMessageBox.StandardButton.Cancel).click()
    settle(qtbot, runner)
    with demo_store.session_factory() as session:
        assert (
            session.scalar(select(func.count()).where(Comment.id.in_([*old_spam, old_trash]))) == 3
        )

    pane.emptying.box = None
    pane.empty_old_button.click()
    qtbot.waitUntil(lambda: pane.retention_box is not None and pane.retention_box.isVisible())
    delete = next(
        button
        for button in pane.retention_box.buttons()
        if pane.retention_box.buttonRole(button) == QMessageBox.ButtonRole.DestructiveRole
    )
    with qtbot.waitSignal(pane.purged, timeout=5_000) as purged:
        delete.click()
    assert (purged.args[0].spam, purged.args[0].trash) == (2, 1)
    settle(qtbot, runner)
    with demo_store.session_factory() as session:
        assert (
            session.scalar(select(func.count()).where(Comment.id.in_([*old_spam, old_trash]))) == 0
        )
    assert pane.queue_view.tab_bar.tabText(2) == "Spam (8)"
    assert pane.queue_view.tab_bar.tabText(3) == "Trash (3)"


def test_the_retention_period_is_a_preference(
    qtbot, open_queue, demo_store: Store, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.preferences.retention_days = 7
    pane = open_queue(demo_store)
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.queue_view.set_tab(QueueTab.TRASH)
    assert pane.empty_old_button.text() == "Empty Spam and Trash Older Than 7 Days…"

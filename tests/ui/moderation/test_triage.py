"""Keyboard triage on the demo store: move, decide, mark, undo — and what the store records."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from editor.core.models import Comment, CommentStatus, ModerationEvent
from editor.core.moderation import queue
from editor.core.moderation.queue import QueueQuery, QueueTab
from editor.core.moderation.search_index import moved_comments_waiting
from editor.core.moderation.service import ModerationAction, moderate
from editor.core.store import Store
from editor.ui.background import BackgroundRunner
from tests.ui.moderation.conftest import MODERATOR, settle, shown_ids, status_of


def test_keys_move_decide_and_undo(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    view = pane.queue_view
    assert view.tab is QueueTab.PENDING
    assert view.tab_bar.tabText(0) == "Pending (19)"
    assert view.tab_bar.tabText(1) == "Approved (30)"
    assert pane.model.rowCount() == 19
    ids = shown_ids(pane)
    assert view.current_row() == 0 and pane.detail.comment_id == ids[0]

    with qtbot.waitSignal(pane.detail_shown, timeout=5_000) as shown:
        qtbot.keyClick(pane.table, "j")
    assert view.current_row() == 1 and shown.args == [ids[1]]
    qtbot.keyClick(pane.table, "j")
    qtbot.keyClick(pane.table, "k")
    assert view.current_row() == 1

    # a: the row leaves Pending at once and the next comment is current, before the store answers.
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000) as moderated:
        qtbot.keyClick(pane.table, "a")
        assert shown_ids(pane) == ids[:1] + ids[2:]
        assert view.current_row() == 1 and view.current_comment().id == ids[2]
        assert view.tab_bar.tabText(0) == "Pending (18)"
        assert view.tab_bar.tabText(1) == "Approved (31)"
    result = moderated.args[0]
    assert result.comment_ids == [ids[1]] and result.lessons == 1  # approve teaches "ham"
    assert status_of(demo_store, ids[1]) == (CommentStatus.APPROVED, MODERATOR)
    with demo_store.session_factory() as session:
        event = session.scalars(
            select(ModerationEvent).where(ModerationEvent.comment_id == ids[1])
        ).one()
    assert (event.actor, event.from_status, event.to_status) == (
        MODERATOR,
        CommentStatus.PENDING,
        CommentStatus.APPROVED,
    )

    # s and d the same way; z takes back the last one, then the one before.
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000):
        qtbot.keyClick(pane.table, "s")
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000):
        qtbot.keyClick(pane.table, "d")
    assert status_of(demo_store, ids[2])[0] is CommentStatus.SPAM
    assert status_of(demo_store, ids[3])[0] is CommentStatus.TRASH
    assert view.tab_bar.tabText(0) == "Pending (16)"
    assert view.tab_bar.tabText(3) == "Trash (4)"
    with qtbot.waitSignal(pane.undone, timeout=5_000):
        qtbot.keyClick(pane.table, "z")
    qtbot.waitUntil(
        lambda: view.current_comment() is not None and view.current_comment().id == ids[3]
    )
    assert status_of(demo_store, ids[3]) == (CommentStatus.PENDING, None)
    with qtbot.waitSignal(pane.undone, timeout=5_000):
        qtbot.keyClick(pane.table, "z")
    settle(qtbot, runner)
    assert status_of(demo_store, ids[2])[0] is CommentStatus.PENDING
    assert view.tab_bar.tabText(0) == "Pending (18)"
    assert view.tab_bar.tabText(2) == "Spam (8)"
    assert shown_ids(pane) == ids[:1] + ids[2:]
    assert "Undone" in pane.message_label.text()


def test_marked_comments_go_together_and_come_back_together(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    ids = shown_ids(pane)
    qtbot.keyClick(pane.table, "x")  # marks row 0 and moves on
    qtbot.keyClick(pane.table, "j")
    qtbot.keyClick(pane.table, "x")  # marks row 2
    assert set(pane.model.marked) == {ids[0], ids[2]}
    assert pane.marked_label.text() == "2 marked"
    assert pane.model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000) as moderated:
        qtbot.keyClick(pane.table, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)
    assert sorted(moderated.args[0].comment_ids) == sorted([ids[0], ids[2]])
    assert shown_ids(pane) == [ids[1], *ids[3:]]
    assert pane.model.marked == {} and pane.marked_label.text() == ""
    # Behind the action in the store lane, their words move to the Trash search index.
    settle(qtbot, runner)
    with demo_store.session_factory() as session:
        assert moved_comments_waiting(session) == 0
        for comment_id in (ids[0], ids[2]):
            word = max(_words(demo_store, comment_id), key=len)
            trash = QueueQuery(QueueTab.TRASH, search=word)
            assert comment_id in queue.queue_ids(trash, session=session)
    with qtbot.waitSignal(pane.undone, timeout=5_000) as undone:
        qtbot.keyClick(pane.table, "z")
    assert sorted(undone.args[0].comment_ids) == sorted([ids[0], ids[2]])
    settle(qtbot, runner)
    assert shown_ids(pane) == ids
    assert {status_of(demo_store, i)[0] for i in (ids[0], ids[2])} == {CommentStatus.PENDING}


def test_shift_action_without_marks_says_so(qtbot, open_queue, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    qtbot.keyClick(pane.table, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert "Mark comments with x" in pane.message_label.text()
    assert pane.model.rowCount() == 19


def test_back_to_pending_from_the_spam_tab_and_the_all_tab_keeps_rows(
    qtbot, open_queue, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    view = pane.queue_view
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        qtbot.keyClick(pane.table, "3")
    assert view.tab is QueueTab.SPAM and pane.model.rowCount() == 8
    assert pane.empty_old_button.isVisible()
    first = view.current_comment()
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000):
        qtbot.keyClick(pane.table, "u")
    assert status_of(demo_store, first.id)[0] is CommentStatus.PENDING
    assert view.tab_bar.tabText(0) == "Pending (20)" and view.tab_bar.tabText(2) == "Spam (7)"

    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        qtbot.keyClick(pane.table, "5")
    assert view.tab is QueueTab.ALL and pane.model.rowCount() == 60
    assert not pane.empty_old_button.isVisible()
    view.select_row(0)
    target = view.current_comment()
    already = target.status is CommentStatus.APPROVED
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000):
        qtbot.keyClick(pane.table, "s" if already else "a")
    # In "All" a decided comment stays, with its new status, and the next one is current.
    assert pane.model.rowCount() == 60
    assert pane.model.row_at(0).id == target.id
    assert pane.model.row_at(0).status is (
        CommentStatus.SPAM if already else CommentStatus.APPROVED
    )
    assert view.current_row() == 1


def test_all_by_this_author_from_the_detail_pane(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    view = pane.queue_view
    flood_row = next(
        row
        for row in range(pane.model.rowCount())
        if pane.model.row_at(row).author_name == "FloodWatcher99"
    )
    with qtbot.waitSignal(pane.detail_shown, timeout=5_000):
        view.select_row(flood_row)
    assert pane.detail.author_label.text() == "FloodWatcher99"
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000) as moderated:
        pane.detail.author_buttons[ModerationAction.SPAM].click()
    flood = moderated.args[0].comment_ids
    assert len(flood) == 8
    settle(qtbot, runner)
    assert pane.model.rowCount() == 11
    assert all(pane.model.row_at(row).author_name != "FloodWatcher99" for row in range(11))
    assert view.tab_bar.tabText(2) == "Spam (16)"
    with qtbot.waitSignal(pane.undone, timeout=5_000) as undone:
        qtbot.keyClick(pane.table, "z")
    assert sorted(undone.args[0].comment_ids) == sorted(flood)
    settle(qtbot, runner)
    assert pane.model.rowCount() == 19


def test_someone_elses_decision_is_reported_not_overwritten(
    qtbot, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    view = pane.queue_view
    target = view.current_comment()
    with demo_store.session_factory.begin() as session:
        moderate(
            [target.id],
            ModerationAction.APPROVE,
            session=session,
            actor="Other Moderator",
            spam_filter=None,
        )
    with qtbot.waitSignal(pane.action_refused, timeout=5_000) as refused:
        qtbot.keyClick(pane.table, "s")
    assert f"Comment #{target.id} is now approved" in refused.args[0]
    assert pane.banner.isVisible() and "someone else moderated it" in pane.banner.text()
    assert status_of(demo_store, target.id) == (CommentStatus.APPROVED, "Other Moderator")
    settle(qtbot, runner)
    # The queue reloaded: the comment is gone from Pending (approved by the other), counts true.
    assert target.id not in shown_ids(pane)
    assert view.tab_bar.tabText(0) == "Pending (18)" and view.tab_bar.tabText(2) == "Spam (8)"
    assert pane.undo_stack == []
    qtbot.keyClick(pane.table, "z")
    assert pane.message_label.text() == "Nothing to undo."


def test_question_mark_lists_the_shortcuts_and_slash_searches(
    qtbot, open_queue, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    qtbot.keyClick(pane.table, "?")
    box = pane.shortcuts_box
    assert box is not None and box.isVisible()
    for expected in ("Approve", "Spam", "Trash", "Undo", "Search", "Shift+A / S / D"):
        assert expected in box.text()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    box.accept()
    pane.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pane)
    qtbot.keyClick(pane.table, "/")
    assert pane.search_field.hasFocus()
    # Letters typed into the search box are text, not decisions.
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000) as loaded:
        qtbot.keyClicks(pane.search_field, "pumps")
    assert loaded.args == [1]
    assert pane.undo_stack == []
    qtbot.keyClick(pane.search_field, Qt.Key.Key_Escape)
    assert pane.table.hasFocus()


def _words(store: Store, comment_id: int) -> list[str]:
    with store.session_factory() as session:
        body = session.get_one(Comment, comment_id).body
    return [word for word in body.split() if word.isalpha()]

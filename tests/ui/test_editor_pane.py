"""Drafting in the Editor area: autosave, conflicts with another editor, formatting, find/replace, pastes."""

from __future__ import annotations

import time

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from editor.core.models import Article
from editor.core.store import Store
from editor.ui.editor.pane import EditorPane
from editor.ui.main_window import Area, MainWindow

LEAD_SLUG = "flood-barrier-first-full-test"


def _lead_id(store: Store) -> int:
    with store.session_factory() as session:
        return int(session.scalar(select(Article.id).where(Article.slug == LEAD_SLUG)))  # type: ignore[arg-type]


def open_lead(qtbot, window: MainWindow, store: Store) -> EditorPane:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.articles_pane.articles_listed, timeout=20_000):
        window.open_store(store.url)
    pane = window.editor_pane
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        window.open_article(_lead_id(store))
    assert window.current_area is Area.EDITOR
    return pane


def test_typing_is_autosaved_within_two_seconds(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    assert pane.title_field.text().startswith("Flood Barrier Holds")
    assert "481 words" in pane.stats_label.text() or "words" in pane.stats_label.text()
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    started = time.monotonic()
    with qtbot.waitSignal(pane.draft_saved, timeout=4_000):
        qtbot.keyClicks(pane.text, " Late update: the night trial is confirmed.")
    assert time.monotonic() - started <= 2.5
    with demo_store.session_factory() as session:
        body = session.scalar(select(Article.body).where(Article.slug == LEAD_SLUG))
    assert body is not None and body.endswith("Late update: the night trial is confirmed.")
    assert pane.save_label.text().startswith("Saved")
    assert pane.undo_stack.isClean()


def test_new_article_gets_a_slug_from_its_headline(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(main_window.articles_pane.articles_listed, timeout=20_000):
        main_window.open_store(demo_store.url)
    pane = main_window.editor_pane
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(pane.draft_saved, timeout=4_000):
        qtbot.keyClicks(pane.title_field, "Bridge Reopens After Repairs")
    assert pane.metadata.slug_field.text() == "bridge-reopens-after-repairs"
    with demo_store.session_factory() as session:
        stored = session.scalar(
            select(Article).where(Article.slug == "bridge-reopens-after-repairs")
        )
        assert stored is not None and stored.title == "Bridge Reopens After Repairs"


def test_second_editor_is_told_and_can_keep_a_copy(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    # Another editor saves the same article meanwhile.
    with demo_store.session_factory.begin() as session:
        theirs = session.scalar(select(Article).where(Article.slug == LEAD_SLUG))
        assert theirs is not None
        theirs.body = "Their rewrite of the whole story."
        theirs.author = "Tomasz Wrona"
    with qtbot.waitSignal(pane.conflict_detected, timeout=4_000):
        pane.text.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(pane.text, " My addition.")
        pane.save_now()
    box = pane.saving.conflict_box
    assert box is not None and box.isVisible()
    assert "Tomasz Wrona" in box.text()
    copy_button = next(b for b in box.buttons() if b.text() == "Keep Mine as a Copy")
    with qtbot.waitSignal(pane.article_opened, timeout=5_000) as opened:
        copy_button.click()
    copy = opened.args[0]
    assert copy.slug != LEAD_SLUG and copy.body.endswith("My addition.")
    with demo_store.session_factory() as session:
        original = session.scalar(select(Article.body).where(Article.slug == LEAD_SLUG))
    assert original == "Their rewrite of the whole story."


def test_formatting_toggles_and_undoes_in_one_step(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    pane.text.setFocus()
    before = pane.text.toPlainText()
    pane.text.moveCursor(QTextCursor.MoveOperation.Start)
    pane.actions_by_name["h2"].trigger()
    first_line = pane.text.document().firstBlock().text()
    assert first_line.startswith("## Riverside's new flood barrier")
    pane.actions_by_name["h2"].trigger()
    assert pane.text.document().firstBlock().text().startswith("Riverside's")
    pane.actions_by_name["bold"].trigger()
    assert pane.text.document().firstBlock().text().startswith("**Riverside")
    pane.undo_stack.undo()
    pane.undo_stack.undo()
    pane.undo_stack.undo()
    assert pane.text.toPlainText() == before


def test_replace_all_is_one_undo_step(qtbot, main_window: MainWindow, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    before = pane.text.toPlainText()
    pane.find_bar.open_find(with_replace=True)
    pane.find_bar.find_field.setText("barrier")
    pane.find_bar.replace_field.setText("gate")
    replaced = pane.find_bar.replace_all()
    assert replaced == before.lower().count("barrier")
    assert "barrier" not in pane.text.toPlainText().lower()
    pane.undo_stack.undo()
    assert pane.text.toPlainText() == before


def test_huge_paste_is_refused_and_nothing_changes(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    before = pane.text.toPlainText()
    huge = QMimeData()
    huge.setText("x" * (6 * 1024 * 1024))
    with qtbot.waitSignal(pane.text.paste_refused, timeout=1_000) as refused:
        pane.text.insertFromMimeData(huge)
    assert "refused" in refused.args[0]
    assert pane.text.toPlainText() == before


def test_non_utf8_paste_is_kept_with_a_warning(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    latin1 = QMimeData()
    latin1.setData("text/plain", "Café crème".encode("latin-1"))
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(pane.text.paste_refused, timeout=1_000) as warned:
        pane.text.insertFromMimeData(latin1)
    assert "not UTF-8" in warned.args[0]
    assert pane.text.toPlainText().endswith("Caf\ufffd cr\ufffdme")


def test_window_shows_the_modified_marker_until_saved(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    assert not main_window.isWindowModified()
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.text, "!")
    assert main_window.isWindowModified()
    with qtbot.waitSignal(pane.draft_saved, timeout=4_000):
        pane.save_now()
    assert not main_window.isWindowModified()


def test_conflict_dialog_is_a_warning_not_a_crash(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    with demo_store.session_factory.begin() as session:
        theirs = session.scalar(select(Article).where(Article.slug == LEAD_SLUG))
        assert theirs is not None
        theirs.title = "Their headline"
    with qtbot.waitSignal(pane.conflict_detected, timeout=4_000):
        qtbot.keyClicks(pane.title_field, "!")
        pane.save_now()
    box = pane.saving.conflict_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    reload_button = next(b for b in box.buttons() if b.text() == "Reload Theirs")
    with qtbot.waitSignal(pane.article_opened, timeout=5_000):
        reload_button.click()
    assert pane.title_field.text() == "Their headline"


def test_misspellings_are_underlined_and_can_join_the_dictionary(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextCharFormat

    from editor.core.articles.spelling import custom_words

    pane = open_lead(qtbot, main_window, demo_store)
    qtbot.waitUntil(lambda: pane.spelling.checker is not None, timeout=10_000)
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(pane.text, Qt.Key.Key_Return)
    qtbot.keyClick(pane.text, Qt.Key.Key_Return)
    qtbot.keyClicks(pane.text, "The barier held and Quarrington smiled.")
    block = pane.text.document().lastBlock()
    underlined = {
        block.text()[r.start : r.start + r.length]
        for r in block.layout().formats()
        if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    }
    assert underlined == {"barier", "Quarrington"}
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + block.text().index("barier") + 2)
    word, start, end = pane.spelling.misspelled_word_at(cursor)  # type: ignore[misc]
    assert word == "barier"
    assert "barrier" in pane.spelling.checker.suggestions(word)  # type: ignore[union-attr]
    pane.spelling.replace_word(start, end, "barrier")
    with qtbot.waitSignal(main_window.runner.operation_finished, timeout=5_000):
        pane.spelling.add_to_dictionary("Quarrington")
    block = pane.text.document().lastBlock()
    assert block.text() == "The barrier held and Quarrington smiled."
    assert not [
        r
        for r in block.layout().formats()
        if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    ]
    with demo_store.session_factory() as session:
        assert "Quarrington" in custom_words(session)


def test_toolbar_tips_name_each_command_s_own_shortcut(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    actions = main_window.editor_pane.actions_by_name
    assert actions["find"].toolTip() == "Find (Ctrl+F)"
    assert actions["save"].toolTip().endswith("(Ctrl+S)")
    for name in ("revisions", "unpublish"):
        assert "Ctrl" not in actions[name].toolTip()

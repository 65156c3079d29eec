"""Never lose a draft: revisions with restore, and unsaved text back after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from sqlalchemy import select

from editor.core.models import Article, Revision, RevisionReason
from editor.core.store import Store
from editor.ui.main_window import MainWindow
from tests.ui.test_editor_pane import LEAD_SLUG, _lead_id, open_lead

SCRIPTS = Path(__file__).parent / "scripts"


def test_manual_save_keeps_a_revision_that_can_be_restored(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    original = pane.text.toPlainText()
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.text, " A sentence we will regret.")
    with qtbot.waitSignal(pane.draft_saved, timeout=5_000):
        qtbot.keyClick(pane.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with demo_store.session_factory() as session:
        manual = session.scalars(
            select(Revision)
            .where(Revision.reason == RevisionReason.MANUAL)
            .order_by(Revision.id.desc())
        ).first()
        assert manual is not None and manual.body.endswith("A sentence we will regret.")
    pane.show_revisions()
    dialog = pane.revisions.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.revision_list.count() >= 3, timeout=5_000)
    # The oldest revision holds the article as first written.
    with qtbot.waitSignal(dialog.diff_shown, timeout=5_000):
        dialog.revision_list.setCurrentRow(dialog.revision_list.count() - 1)
    assert "regret" in dialog.diff_view.toPlainText()
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(pane.article_opened, timeout=5_000):
        dialog.restore_button.click()
    assert pane.text.toPlainText() == original
    with demo_store.session_factory() as session:
        assert session.scalar(select(Article.body).where(Article.slug == LEAD_SLUG)) == original


@pytest.mark.slow
def test_text_typed_before_a_kill_9_is_offered_back(
    qtbot,
    main_window: MainWindow,
    demo_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    env = dict(os.environ, XDG_STATE_HOME=str(state), XDG_CONFIG_HOME=str(tmp_path / "config"))
    typist = subprocess.Popen(
        [
            sys.executable,
            str(SCRIPTS / "type_until_killed.py"),
            demo_store.url,
            str(_lead_id(demo_store)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    typed: list[tuple[int, float]] = []
    try:
        assert typist.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = typist.stdout.readline()
            if not line:
                break
            _, count, moment = line.split()
            typed.append((int(count), float(moment)))
            if len(typed) >= 25:  # about four seconds of typing
                break
        killed_at = time.monotonic()
        os.kill(typist.pid, signal.SIGKILL)
    finally:
        typist.wait(timeout=30)
    assert len(typed) >= 25, typist.stderr.read() if typist.stderr else ""
    # Nothing reached the store: the typing never paused long enough to autosave.
    with demo_store.session_factory() as session:
        stored_body = session.scalar(select(Article.body).where(Article.slug == LEAD_SLUG))
    assert stored_body is not None and " w1" not in stored_body

    pane = main_window.editor_pane
    with qtbot.waitSignal(pane.recovery.recovery_offered, timeout=20_000):
        main_window.open_store(demo_store.url)
    box = pane.recovery.offer_box
    assert box is not None and box.isVisible()
    restore = next(button for button in box.buttons() if button.text() == "Restore")
    with qtbot.waitSignal(pane.article_opened, timeout=5_000):
        restore.click()
    recovered = pane.text.toPlainText()
    # Everything typed more than two seconds before the kill is back.
    must_have = max(count for count, moment in typed if moment <= killed_at - 2.0)
    assert f" w{must_have}" in recovered
    with qtbot.waitSignal(pane.draft_saved, timeout=5_000):
        pane.save_now()
    with demo_store.session_factory() as session:
        stored_body = session.scalar(select(Article.body).where(Article.slug == LEAD_SLUG))
    assert stored_body is not None and f" w{must_have}" in stored_body

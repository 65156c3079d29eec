"""Crash recovery in the editor: the open draft is journaled to local disk every second while
it has unsaved changes, and unsaved text found at start is offered back.

Journal writes run in the compute lane (they fsync); the journal is thread-safe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from editor.ui.background import Lane

if TYPE_CHECKING:
    from editor.core.articles.drafts import DraftData
    from editor.core.articles.recovery import Recovery, RecoveryJournal
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

JOURNAL_INTERVAL_MS = 1000


class RecoverySupport(QObject):
    recovery_offered = Signal(object)  # Recovery
    recovery_accepted = Signal(object)  # Recovery
    # The stored draft to show, then the recovered draft whose text goes into it (None: the
    # stored draft is the recovered text, kept as a new copy).
    text_recovered = Signal(object, object)
    recovery_failed = Signal(object)  # the error
    journal_failed = Signal(str)

    def __init__(self, runner: BackgroundRunner, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._runner = runner
        self._parent_widget = parent_widget
        self._store: Store | None = None
        self.journal: RecoveryJournal | None = None
        self._snapshot_source: object = None
        self.offer_box: QMessageBox | None = None
        # Not restarted by each keystroke: while typing goes on, a journal write every second,
        # so a crash loses at most about a second of text.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(JOURNAL_INTERVAL_MS)
        self._timer.timeout.connect(self.write_now)
        self._snapshot: Callable[[], DraftData | None] | None = None
        self._pending: list[Recovery] = []
        self.recovery_accepted.connect(self._restore)

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.journal = None
        if store is None:
            return

        def look() -> tuple[RecoveryJournal, list[Recovery]]:
            from editor.core.articles.recovery import (
                RecoveryJournal,
                pending_recoveries,
                store_key_for,
            )

            key = store_key_for(store.url)
            with store.session_factory() as session:
                found = pending_recoveries(key, session=session)
            return RecoveryJournal(key), found

        self._runner.run("look for unsaved text", look, on_success=self._found)

    def _found(self, result: tuple[RecoveryJournal, list[Recovery]]) -> None:
        self.journal, self._pending = result
        self._offer_next()

    def _offer_next(self) -> None:
        if not self._pending:
            return
        recovery = self._pending.pop(0)
        title = recovery.draft.title or "Untitled"
        when = recovery.written_at.astimezone().strftime("%d %b at %H:%M")
        box = QMessageBox(self._parent_widget)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Recover Unsaved Text")
        box.setText(f"Newsdesk closed before saving your latest changes to “{title}” ({when}).")
        if not recovery.article_exists:
            detail = "The article has since been deleted; the text would come back as a new draft."
        elif recovery.store_moved_on:
            detail = (
                "Someone has saved the article since; restoring opens your text and asks "
                "how to combine it with theirs."
            )
        else:
            detail = "Restore it to continue where you left off."
        box.setInformativeText(detail)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)

        def answered(_result: int) -> None:
            if box.clickedButton() is restore:
                self.recovery_accepted.emit(recovery)
            elif self.journal is not None:
                self.journal.discard(recovery.draft.uuid)
            self._offer_next()

        box.finished.connect(answered)
        self.offer_box = box
        self.recovery_offered.emit(recovery)
        box.open()

    def _restore(self, recovery: Recovery) -> None:
        store = self._store
        if store is None:
            return
        recovered = recovery.draft

        def stored_or_copy() -> tuple[DraftData, bool]:
            from editor.core.articles.service import load_draft, save_as_copy

            with store.session_factory.begin() as session:
                if recovery.article_exists:
                    return load_draft(session, article_id=recovered.id), True
                return save_as_copy(session, draft=recovered), False

        def show(result: tuple[DraftData, bool]) -> None:
            stored, exists = result
            if not exists:
                self.text_recovered.emit(stored, None)
                return
            # The recovered text goes into the editor against the version it was typed on,
            # so a save after someone else's meets the conflict dialog instead of overwriting.
            self.text_recovered.emit(replace(stored, version=recovered.version), recovered)

        self._runner.run(
            "recover text", stored_or_copy, on_success=show, on_failure=self.recovery_failed.emit
        )

    # --- journaling ----------------------------------------------------------

    def changed(self, snapshot: Callable[[], DraftData | None]) -> None:
        """The editor's content changed; journal ``snapshot()`` within a second.

        Taking the snapshot only when the timer fires keeps keystrokes cheap.
        """
        self._snapshot = snapshot
        if not self._timer.isActive():
            self._timer.start()

    def write_now(self) -> None:
        journal = self.journal
        draft = self._snapshot() if self._snapshot is not None else None
        if journal is None or draft is None:
            return

        def write() -> bool:
            return journal.write(draft)

        self._runner.run(
            "journal draft",
            write,
            lane=Lane.COMPUTE,
            on_failure=lambda error: self.journal_failed.emit(
                f"Unsaved text could not be kept on this computer: {error}"
            ),
        )

    def saved(self, draft: DraftData, taken_at: float) -> None:
        journal = self.journal
        if journal is not None:
            self._runner.run(
                "journal saved",
                lambda: journal.saved(draft, taken_at=taken_at),
                lane=Lane.COMPUTE,
                on_failure=lambda _error: None,
            )

    def closed(self, draft: DraftData | None, *, saved_everything: bool) -> None:
        self._timer.stop()
        self._snapshot = None
        if draft is not None and saved_everything and self.journal is not None:
            self.journal.discard(draft.uuid)


def now() -> float:
    return time.monotonic()

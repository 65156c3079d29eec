"""Emptying old spam and trash: counted first, asked, and only then deleted (never silently)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from editor.core.moderation.retention import PurgeCount
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner


class EmptyOldComments(QObject):
    purged = Signal(object)  # PurgeCount: what was deleted

    def __init__(self, runner: BackgroundRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._runner = runner
        self._window = parent
        self.box: QMessageBox | None = None

    def ask(self, store: Store, *, days: int) -> None:
        """Count what would go in the store lane, then show the question with that count."""

        def work() -> PurgeCount:
            from editor.core.moderation.retention import count_purgeable

            with store.session_factory() as session:
                return count_purgeable(session=session, older_than_days=days)

        self._runner.run(
            "count old spam and trash",
            work,
            on_success=lambda counted: self._confirm(store, counted, days),
        )

    def _confirm(self, store: Store, counted: PurgeCount, days: int) -> None:
        if counted.total == 0:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Nothing to Empty",
                f"No spam or trash is older than {days} days.",
                QMessageBox.StandardButton.Ok,
                self._window,
            )
            self.box = box
            box.open()
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Empty Spam and Trash",
            f"Delete {counted.spam:,} spam and {counted.trash:,} trashed comments older than "
            f"{days} days for good?",
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setInformativeText("This cannot be undone.")
        delete_button = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            if box.clickedButton() is delete_button:
                self._empty(store, days)

        box.finished.connect(answered)
        self.box = box
        box.open()

    def _empty(self, store: Store, days: int) -> None:
        def work() -> PurgeCount:
            from editor.core.moderation.retention import purge

            with store.session_factory.begin() as session:
                return purge(session=session, older_than_days=days)

        self._runner.run("empty old spam and trash", work, on_success=self.purged.emit)

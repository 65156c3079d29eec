"""File → Import from WordPress: the import runs in the store lane with a progress dialog that
can cancel it; cancelling or a refused file leaves the store exactly as it was."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.core.wxr import ImportProgress, ImportReport
    from editor.ui.background import BackgroundRunner


class _ProgressRelay(QObject):
    """Carries progress from the importing thread to the dialog on the UI thread."""

    progressed = Signal(object)


class WordPressImport(QObject):
    finished = Signal(object)  # ImportReport, or None when refused or cancelled
    message_shown = Signal(str)

    def __init__(self, runner: BackgroundRunner, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._runner = runner
        self._parent_widget = parent_widget
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._show_progress)
        self._cancel = threading.Event()
        self.progress_dialog: QProgressDialog | None = None
        self.result_box: QMessageBox | None = None

    def choose_and_import(self, store: Store | None) -> None:
        if store is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self._parent_widget,
            "Import from WordPress",
            "",
            "WordPress exports (*.xml);;All files (*)",
        )
        if path:
            self.import_file(store, Path(path))

    def import_file(self, store: Store, path: Path) -> None:
        self._cancel.clear()
        dialog = QProgressDialog(f"Importing {path.name}…", "Cancel", 0, 1000, self._parent_widget)
        dialog.setWindowTitle("Import from WordPress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._cancel.set)
        dialog.setValue(0)
        self.progress_dialog = dialog
        relay, cancel = self._relay, self._cancel

        def progress(update: ImportProgress) -> bool:
            relay.progressed.emit(update)
            return not cancel.is_set()

        def work() -> ImportReport:
            from editor.core.wxr import import_wxr

            with store.session_factory.begin() as session:
                return import_wxr(session, path, progress=progress)

        self._runner.run(
            "import from WordPress", work, on_success=self._done, on_failure=self._failed
        )

    def _show_progress(self, update: ImportProgress) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setValue(int(update.fraction * 1000))
        dialog.setLabelText(
            f"Importing… {update.articles:,} articles and {update.comments:,} comments so far"
        )

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.hide()
            self.progress_dialog = None

    def _done(self, report: ImportReport) -> None:
        self._close_progress()
        lines = report.summary_lines()
        self._show(QMessageBox.Icon.Information, "Import Finished", lines[0], "\n".join(lines[1:]))
        self.finished.emit(report)

    def _failed(self, error: BaseException) -> None:
        from editor.core.wxr import ImportCancelled, WxrRefused

        self._close_progress()
        if isinstance(error, ImportCancelled):
            self._show(
                QMessageBox.Icon.Information,
                "Import Cancelled",
                "The import was cancelled.",
                "Nothing was imported.",
            )
        elif isinstance(error, WxrRefused):
            self._show(
                QMessageBox.Icon.Warning,
                "Import Refused",
                f"The file was refused at {error}",
                "Nothing was imported.",
            )
        else:
            self._show(
                QMessageBox.Icon.Critical,
                "Import Failed",
                f"The import failed: {error}",
                "Nothing was imported.",
            )
        self.finished.emit(None)

    def _show(self, icon: QMessageBox.Icon, title: str, text: str, detail: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._parent_widget)
        box.setInformativeText(detail)
        self.result_box = box
        self.message_shown.emit(text)
        box.open()

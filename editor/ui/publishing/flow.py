"""One-click publishing from the editor: save, check, publish with progress, show the result.

Everything that touches a store or makes renditions runs off the UI thread (the compute
lane: renditions use both cores, and publishing opens its own units of work). A refusal
or a fault is a message with Retry; the draft is never touched by a failed publish.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Signal, SignalInstance
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from editor.ui.background import Lane

if TYPE_CHECKING:
    from editor.core.publishing import PreflightIssue, PublishOutcome, UnpublishOutcome

    Progress = Callable[[object, int, int], None]
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner


class _ProgressRelay(QObject):
    progressed = Signal(str, int, int)


class PreflightDialog(QDialog):
    """The problems found before publishing; double-click one to go to it."""

    issue_chosen = Signal(object)  # PreflightIssue

    def __init__(
        self, issues: list[PreflightIssue], *, can_publish: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before Publishing")
        self.resize(560, 360)
        errors = [issue for issue in issues if issue.blocks_publishing]
        heading = QLabel(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} must be fixed before this "
            "article can be published."
            if errors
            else "Publishing is possible, but check these first."
        )
        heading.setWordWrap(True)
        self.list = QListWidget()
        for issue in issues:
            where = f"line {issue.line + 1}" if issue.line is not None else issue.field.value
            icon = self.style().standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if issue.blocks_publishing
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item = QListWidgetItem(icon, f"{issue.message}  ({where})")
            item.setData(Qt.ItemDataRole.UserRole, issue)
            self.list.addItem(item)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemDoubleClicked.connect(self._chosen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.publish_anyway = None
        if can_publish:
            self.publish_anyway = buttons.addButton(
                "Publish Anyway", QDialogButtonBox.ButtonRole.AcceptRole
            )
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        hint = QLabel("Double-click a problem to go to it.")
        hint.setObjectName("muted")
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.issue_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        self.reject()


class PublishFlow(QObject):
    published = Signal(object)  # PublishOutcome
    unpublished = Signal(object)  # UnpublishOutcome
    failed = Signal(str)
    issue_chosen = Signal(object)  # PreflightIssue: the editor jumps to it
    preflight_shown = Signal(object)  # PreflightDialog

    def __init__(self, runner: BackgroundRunner, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._runner = runner
        self._parent_widget = parent_widget
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._show_progress)
        self._cancel = threading.Event()
        self.progress_dialog: QProgressDialog | None = None
        self.preflight_dialog: PreflightDialog | None = None
        self.result_box: QMessageBox | None = None
        self.busy = False

    # --- publish -----------------------------------------------------------

    def publish(
        self, store: Store, *, article_id: int, target: str, author: str, expected_version: int
    ) -> None:
        """Check first; publish when nothing blocks it (warnings are shown and can be overridden)."""
        if self.busy:
            return
        self.busy = True

        def check() -> list[PreflightIssue]:
            from editor.core.publishing import preflight

            return preflight(store, article_id=article_id, target=target)

        def checked(issues: list[PreflightIssue]) -> None:
            if not issues:
                self._publish(
                    store,
                    article_id=article_id,
                    target=target,
                    author=author,
                    expected_version=expected_version,
                )
                return
            errors = [issue for issue in issues if issue.blocks_publishing]
            dialog = PreflightDialog(issues, can_publish=not errors, parent=self._parent_widget)
            dialog.issue_chosen.connect(self.issue_chosen)

            def answered(code: int) -> None:
                if code == QDialog.DialogCode.Accepted and not errors:
                    self._publish(
                        store,
                        article_id=article_id,
                        target=target,
                        author=author,
                        expected_version=expected_version,
                    )
                else:
                    self.busy = False

            dialog.finished.connect(answered)
            self.preflight_dialog = dialog
            self.preflight_shown.emit(dialog)
            dialog.open()

        self._runner.run(
            "check before publishing",
            check,
            lane=Lane.COMPUTE,
            on_success=checked,
            on_failure=self._failed,
        )

    def _publish(
        self, store: Store, *, article_id: int, target: str, author: str, expected_version: int
    ) -> None:
        def work(progress: Progress, cancelled: Callable[[], bool]) -> PublishOutcome:
            from editor.core.publishing import publish_article

            return publish_article(
                store,
                article_id=article_id,
                target=target,
                author=author,
                expected_version=expected_version,
                progress=progress,
                cancelled=cancelled,
            )

        def retry() -> None:
            self._publish(
                store,
                article_id=article_id,
                target=target,
                author=author,
                expected_version=expected_version,
            )

        self._run_with_progress("Publishing", "Published", work, self.published, retry)

    def unpublish(self, store: Store, *, article_id: int, target: str, author: str) -> None:
        if self.busy:
            return
        self.busy = True

        def work(progress: Progress, cancelled: Callable[[], bool]) -> UnpublishOutcome:
            from editor.core.publishing import unpublish_article

            return unpublish_article(
                store,
                article_id=article_id,
                target=target,
                author=author,
                progress=progress,
                cancelled=cancelled,
            )

        self._run_with_progress("Unpublishing", "Unpublished", work, self.unpublished, None)

    def _run_with_progress(
        self,
        doing: str,
        done_title: str,
        work: Callable[[Progress, Callable[[], bool]], PublishOutcome | UnpublishOutcome],
        finished: SignalInstance,
        retry: Callable[[], None] | None,
    ) -> None:
        """Run ``work`` in the compute lane behind a cancellable progress dialog; end with a
        result box (a link to the page when there is one) or a failure box with Retry."""
        self._cancel.clear()
        self._open_progress(f"{doing}…")
        relay, cancel = self._relay, self._cancel

        def progress(step: object, done: int, total: int) -> None:
            relay.progressed.emit(_step_label(step), done, total)

        def succeeded(outcome: PublishOutcome | UnpublishOutcome) -> None:
            self._close_progress()
            self.busy = False
            box = QMessageBox(
                QMessageBox.Icon.Information,
                done_title,
                outcome.summary,
                QMessageBox.StandardButton.Ok,
                self._parent_widget,
            )
            warnings = getattr(outcome, "warnings", ())
            if warnings:
                box.setInformativeText("\n".join(issue.message for issue in warnings[:8]))
            url = str(getattr(outcome, "url", ""))
            if url.startswith(("file:", "http:", "https:", "/")):
                open_button = box.addButton("Open in Browser", QMessageBox.ButtonRole.ActionRole)
                open_button.clicked.connect(
                    lambda: QDesktopServices.openUrl(
                        QUrl.fromLocalFile(url) if url.startswith("/") else QUrl(url)
                    )
                )
            self.result_box = box
            box.open()
            finished.emit(outcome)

        self._runner.run(
            doing.lower(),
            lambda: work(progress, cancel.is_set),
            lane=Lane.COMPUTE,
            on_success=succeeded,
            on_failure=lambda error: self._failed(error, retry=retry),
        )

    # --- progress and failures ---------------------------------------------

    def _open_progress(self, text: str) -> None:
        dialog = QProgressDialog(text, "Cancel", 0, 0, self._parent_widget)
        dialog.setWindowTitle("Publishing")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._cancel.set)
        self.progress_dialog = dialog

    def _show_progress(self, label: str, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        dialog.setLabelText(f"{label}…" + (f" ({done} of {total})" if total > 1 else ""))
        window = self._parent_widget.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"{label}…", 3_000)

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.hide()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _failed(self, error: BaseException, retry: object = None) -> None:
        from editor.core.publishing import PublishCancelled, PublishError

        self._close_progress()
        self.busy = False
        if isinstance(error, PublishCancelled):
            message, detail = (
                "Publishing was cancelled.",
                "Nothing was published; the draft is as it was.",
            )
        elif isinstance(error, PublishError):
            message, detail = str(error), "Nothing was published; the draft is as it was."
        else:
            message, detail = (
                f"Publishing failed: {error}",
                "Nothing was published; the draft is as it was.",
            )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Not Published",
            message,
            QMessageBox.StandardButton.Close,
            self._parent_widget,
        )
        box.setInformativeText(detail)
        if callable(retry) and not isinstance(error, PublishCancelled):
            retry_button = box.addButton("Retry", QMessageBox.ButtonRole.AcceptRole)

            def retried() -> None:
                self.busy = True
                retry()

            retry_button.clicked.connect(retried)
        self.result_box = box
        box.open()
        self.failed.emit(message)


def _step_label(step: object) -> str:
    from editor.core.publishing import PublishStep

    try:
        return PublishStep(str(step)).label
    except ValueError:
        return str(step).capitalize()

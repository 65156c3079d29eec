"""The revision list of the open article: what changed, and restore."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from editor.core.articles.drafts import DraftData
    from editor.core.articles.revisions import RevisionSummary
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

REASON_LABELS = {"autosave": "Autosaved", "manual": "Saved", "publish": "Published"}


class RevisionsDialog(QDialog):
    restore_requested = Signal(int)  # revision id
    revisions_listed = Signal(int)
    diff_shown = Signal()

    def __init__(
        self,
        *,
        store: Store,
        runner: BackgroundRunner,
        draft: DraftData,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Revisions — {draft.title or 'Untitled'}")
        self.resize(980, 640)
        self._store = store
        self._runner = runner
        self._draft = draft
        self.revision_list = QListWidget()
        self.diff_view = QTextBrowser()
        self.diff_view.setOpenLinks(False)
        self.summary = QLabel("Choose a revision to see what changed since.")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.restore_button = QPushButton("Restore This Version")
        self.restore_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.diff_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.revision_list)
        splitter.addWidget(right)
        splitter.setSizes([280, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.revision_list.currentItemChanged.connect(self._show_diff)
        self.restore_button.clicked.connect(self._restore)
        self._load()

    def _load(self) -> None:
        store, article_id = self._store, self._draft.id

        def work() -> list[RevisionSummary]:
            from editor.core.articles.revisions import list_revisions

            with store.session_factory() as session:
                return list_revisions(session, article_id=article_id)

        self._runner.run("list revisions", work, on_success=self._listed)

    def _listed(self, revisions: list[RevisionSummary]) -> None:
        self.revision_list.clear()
        for revision in revisions:
            when = revision.created_at.astimezone().strftime("%d %b %Y, %H:%M")
            label = REASON_LABELS.get(revision.reason.value, revision.reason.value)
            text = f"{when}\n{label}{' by ' + revision.author if revision.author else ''}"
            if revision.note:
                text += f"\n{revision.note}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, int(revision.id))
            self.revision_list.addItem(item)
        if not revisions:
            self.summary.setText(
                "No revisions yet: one is kept on each save and every few minutes of writing."
            )
        self.revisions_listed.emit(len(revisions))

    def _show_diff(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            self.restore_button.setEnabled(False)
            return
        revision_id = int(item.data(Qt.ItemDataRole.UserRole))
        store, draft = self._store, self._draft

        def work() -> tuple[str, bool]:
            from editor.core.articles.revisions import diff_revision_with_draft

            with store.session_factory() as session:
                diff = diff_revision_with_draft(session, revision_id=revision_id, draft=draft)
            return diff.html(), diff.unchanged

        def shown(result: tuple[str, bool]) -> None:
            html, unchanged = result
            self.diff_view.setHtml(html)
            self.summary.setText(
                "This revision is the same as the text in the editor."
                if unchanged
                else "Red was in this revision and is gone now; green is new since."
            )
            self.restore_button.setEnabled(not unchanged)
            self.diff_shown.emit()

        self._runner.run("diff revision", work, on_success=shown)

    def _restore(self) -> None:
        item = self.revision_list.currentItem()
        if item is not None:
            self.restore_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()

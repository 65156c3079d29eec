"""Revisions in the editor: the list of the open article's revisions, and restoring one.

A restore is checked against the version the editor holds, like a save, so restoring over
someone else's newer save is a conflict rather than a silent overwrite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from editor.ui.editor.revisions_dialog import RevisionsDialog

if TYPE_CHECKING:
    from editor.core.articles.drafts import SavedDraft
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.editor.saving_support import SavingSupport


class RevisionsSupport(QObject):
    revision_restored = Signal(object)  # DraftData as stored after the restore

    def __init__(
        self, *, saving: SavingSupport, runner: BackgroundRunner, parent_widget: QWidget
    ) -> None:
        super().__init__(parent_widget)
        self._saving = saving
        self._runner = runner
        self._parent_widget = parent_widget
        self._store: Store | None = None
        self.dialog: RevisionsDialog | None = None

    def set_store(self, store: Store | None) -> None:
        self._store = store

    def show(self) -> None:
        store, saving = self._store, self._saving
        if store is None or saving.draft is None:
            return
        saving.save_now()
        dialog = RevisionsDialog(
            store=store,
            runner=self._runner,
            draft=saving.current_draft() or saving.draft,
            parent=self._parent_widget,
        )
        dialog.restore_requested.connect(self.restore)
        self.dialog = dialog
        dialog.open()

    def restore(self, revision_id: int) -> None:
        store, draft = self._store, self._saving.draft
        if store is None or draft is None or self._saving.is_saving:
            return
        expected_version = draft.version
        author = draft.author

        def restore() -> SavedDraft:
            from editor.core.articles.revisions import restore_revision

            with store.session_factory.begin() as session:
                return restore_revision(
                    session,
                    revision_id=revision_id,
                    author=author,
                    expected_version=expected_version,
                )

        self._runner.run(
            "restore revision",
            restore,
            on_success=lambda saved: self.revision_restored.emit(saved.draft),
            on_failure=self._saving.failed,
        )

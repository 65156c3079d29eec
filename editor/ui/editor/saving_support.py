"""Saving in the editor: autosave, Ctrl+S, and a choice when someone else saved first.

Every change restarts a short timer; when it fires (≤ 2 s after the
last keystroke), on focus leaving the editor, and on close, the draft is saved
in the store lane with the version it was loaded at. A newer version in the
store is a conflict the editor is told about, never a silent overwrite. Only
one save runs at a time; changes made meanwhile are saved right after.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from editor.core.articles.drafts import DraftData, SaveConflict, SavedDraft
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.editor.markdown_edit import MarkdownEdit
    from editor.ui.editor.metadata import MetadataPanel
    from editor.ui.editor.recovery_support import RecoverySupport

AUTOSAVE_DELAY_MS = 1500


class SavingSupport(QObject):
    """Holds the open article as last loaded or saved (``draft``): the version a save is
    checked against, and what the editor's fields are compared with to know they changed."""

    draft_saved = Signal(object)  # DraftData
    save_failed = Signal(str)
    conflict_detected = Signal(object)  # SaveConflict
    draft_replaced = Signal(object)  # DraftData to show instead: theirs, or my copy
    status_message = Signal(str)

    def __init__(
        self,
        *,
        title_field: QLineEdit,
        text: MarkdownEdit,
        metadata: MetadataPanel,
        undo_stack: QUndoStack,
        recovery: RecoverySupport,
        runner: BackgroundRunner,
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._title_field = title_field
        self._text = text
        self._metadata = metadata
        self._undo_stack = undo_stack
        self._recovery = recovery
        self._runner = runner
        self._parent_widget = parent_widget
        self.store: Store | None = None
        self.draft: DraftData | None = None
        self._saving = False
        self._save_again = False
        self._clean_index_at_save = 0
        self._save_taken_at = 0.0
        self.conflict_box: QMessageBox | None = None
        self.label = QLabel("No article open")
        self.label.setObjectName("muted")
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_now)

    def set_store(self, store: Store | None) -> None:
        self.store = store

    def opened(self, draft: DraftData) -> None:
        self.draft = draft
        self.label.setText(f"Saved {_clock(draft.updated_at)}")

    def closed(self) -> None:
        self.draft = None
        self.label.setText("No article open")

    def changed(self) -> None:
        self.label.setText("Edited")
        self._autosave.start()

    @property
    def is_saving(self) -> bool:
        return self._saving

    def current_draft(self) -> DraftData | None:
        if self.draft is None:
            return None
        return replace(
            self.draft,
            title=self._title_field.text(),
            body=self._text.toPlainText(),
            slug=self._metadata.slug_field.text().strip(),
            dek=self._metadata.dek_field.toPlainText(),
            author=self._metadata.author_field.text(),
            category=self._metadata.category_field.text(),
            tags=self._metadata.tags(),
            featured_asset_id=self._metadata.featured_asset_id(),
        )

    @property
    def has_unsaved_changes(self) -> bool:
        current = self.current_draft()
        return (
            current is not None and self.draft is not None and not current.same_content(self.draft)
        )

    def save_now(self, *, manual: bool = False) -> None:
        """Save if anything changed; safe to call any time (merges with a save already running).

        ``manual`` (Ctrl+S) also keeps a revision; autosaves keep one every few minutes.
        """
        self._autosave.stop()
        store, current = self.store, self.current_draft()
        if store is None or current is None or self.draft is None:
            return
        if self._saving:
            self._save_again = True
            return
        if current.same_content(self.draft) and not manual:
            self._undo_stack.setClean()
            return
        self._saving = True
        self._clean_index_at_save = self._undo_stack.index()
        self._save_taken_at = time.monotonic()
        expected_version = self.draft.version
        self.label.setText("Saving…")

        def save() -> SavedDraft:
            from editor.core.articles.revisions import (
                record_autosave_revision_if_due,
                record_revision,
            )
            from editor.core.articles.service import save_draft
            from editor.core.models import RevisionReason

            with store.session_factory.begin() as session:
                saved = save_draft(session, draft=current, expected_version=expected_version)
                if manual:
                    record_revision(
                        session,
                        article_id=current.id,
                        reason=RevisionReason.MANUAL,
                        author=current.author,
                    )
                else:
                    record_autosave_revision_if_due(
                        session, article_id=current.id, author=current.author
                    )
                return saved

        self._runner.run("save draft", save, on_success=self._saved, on_failure=self.failed)

    def _saved(self, saved: SavedDraft) -> None:
        self._saving = False
        if self.draft is None or saved.draft.id != self.draft.id:
            return
        self.draft = saved.draft
        self._recovery.saved(saved.draft, self._save_taken_at)
        self._metadata.show_slug_problems(saved.slug_problems)
        if saved.slug_problems and self._metadata.slug_field.text().strip() != saved.draft.slug:
            self.status_message.emit("Slug not changed: " + " ".join(saved.slug_problems))
        self._metadata.status_label.setText(saved.draft.status.value.capitalize())
        if self._undo_stack.index() == self._clean_index_at_save:
            self._undo_stack.setClean()
        self.label.setText(f"Saved {_clock(saved.draft.updated_at)}")
        self.draft_saved.emit(saved.draft)
        if self._save_again or self.has_unsaved_changes:
            self._save_again = False
            self._autosave.start()

    def failed(self, error: BaseException) -> None:
        """Storing the editor's text failed: a conflict is asked about, anything else told."""
        from editor.core.articles.drafts import InvalidDraft, SaveConflict

        self._saving = False
        self._save_again = False
        if isinstance(error, SaveConflict):
            self.label.setText("Not saved: changed elsewhere")
            self.conflict_detected.emit(error)
            self._ask_about_conflict(error)
            return
        if isinstance(error, InvalidDraft):
            message = " ".join(error.problems)
        else:
            message = str(error) or type(error).__name__
        # The text stays in the editor (and the recovery journal); the next change retries.
        self.label.setText("Not saved")
        self.status_message.emit(f"Could not save: {message}")
        self.save_failed.emit(message)

    # --- conflicts -----------------------------------------------------------

    def _ask_about_conflict(self, conflict: SaveConflict) -> None:
        theirs = conflict.theirs
        box = QMessageBox(self._parent_widget)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Article Changed Elsewhere")
        box.setText(
            f"“{theirs.title or 'Untitled'}” was saved by {theirs.author or 'someone else'} at "
            f"{_clock(theirs.updated_at)} while you were editing it."
        )
        box.setInformativeText(
            "Reload their version, keep yours as a separate copy, or overwrite theirs "
            "(their version stays in the revision list)."
        )
        reload_button = box.addButton("Reload Theirs", QMessageBox.ButtonRole.DestructiveRole)
        copy_button = box.addButton("Keep Mine as a Copy", QMessageBox.ButtonRole.AcceptRole)
        overwrite_button = box.addButton("Overwrite Theirs", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(copy_button)

        def chosen() -> None:
            clicked = box.clickedButton()
            if clicked is reload_button:
                self._resolve_conflict("reload", conflict)
            elif clicked is copy_button:
                self._resolve_conflict("copy", conflict)
            elif clicked is overwrite_button:
                self._resolve_conflict("overwrite", conflict)

        box.finished.connect(lambda _result: chosen())
        self.conflict_box = box
        box.open()

    def _resolve_conflict(self, choice: str, conflict: SaveConflict) -> None:
        store = self.store
        if store is None:
            return
        if choice == "reload":
            self.draft_replaced.emit(conflict.theirs)
            return
        if choice == "copy":

            def keep_copy() -> DraftData:
                from editor.core.articles.service import save_as_copy

                with store.session_factory.begin() as session:
                    return save_as_copy(session, draft=conflict.mine)

            self._runner.run(
                "keep my copy",
                keep_copy,
                on_success=self.draft_replaced.emit,
                on_failure=self.failed,
            )
            return

        def overwrite() -> SavedDraft:
            from editor.core.articles.service import overwrite_draft

            with store.session_factory.begin() as session:
                return overwrite_draft(session, conflict=conflict)

        self._saving = True
        self._runner.run("overwrite", overwrite, on_success=self._saved, on_failure=self.failed)


def _clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M:%S")

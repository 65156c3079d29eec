"""Publishing from the editor: what is saved goes out, checks point back into the text, and
the editor continues from the version publishing left in the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from editor.ui.publishing.flow import PublishFlow

if TYPE_CHECKING:
    from editor.core.articles.drafts import DraftData
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.editor.markdown_edit import MarkdownEdit
    from editor.ui.editor.metadata import MetadataPanel
    from editor.ui.editor.saving_support import SavingSupport


class PublishingSupport(QObject):
    publication_changed = Signal(object)  # DraftData after a publish or unpublish

    def __init__(
        self,
        *,
        saving: SavingSupport,
        text: MarkdownEdit,
        title_field: QLineEdit,
        metadata: MetadataPanel,
        target: Callable[[], str],
        publisher_name: Callable[[], str],
        runner: BackgroundRunner,
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._saving = saving
        self._text = text
        self._title_field = title_field
        self._metadata = metadata
        self._target = target
        self._publisher_name = publisher_name
        self._runner = runner
        self._store: Store | None = None
        self.flow = PublishFlow(runner, parent_widget)
        self.flow.published.connect(self._published)
        self.flow.unpublished.connect(self._published)
        self.flow.issue_chosen.connect(self._go_to_issue)

    def set_store(self, store: Store | None) -> None:
        self._store = store

    def publish(self) -> None:
        """Save, then check and publish to the chosen target (off the UI thread)."""
        store, saving = self._store, self._saving
        if store is None or saving.draft is None:
            return
        saving.save_now()
        if saving.is_saving or saving.has_unsaved_changes:
            # Publish what is saved: wait for this save to land first.
            def after_save(_draft: object) -> None:
                saving.draft_saved.disconnect(after_save)
                self.publish()

            saving.draft_saved.connect(after_save)
            return
        self.flow.publish(
            store,
            article_id=saving.draft.id,
            target=self._target(),
            author=self._publisher_name() or saving.draft.author,
            expected_version=saving.draft.version,
        )

    def unpublish(self) -> None:
        store, draft = self._store, self._saving.draft
        if store is None or draft is None:
            return
        self._saving.save_now()
        self.flow.unpublish(
            store,
            article_id=draft.id,
            target=self._target(),
            author=self._publisher_name() or draft.author,
        )

    def _published(self, outcome: object) -> None:
        from editor.core.articles.service import load_draft

        store, draft = self._store, self._saving.draft
        if store is None or draft is None or getattr(outcome, "article_id", None) != draft.id:
            return
        # Publishing moved the stored version on (status, published time): continue from it.

        def reload() -> DraftData:
            with store.session_factory() as session:
                return load_draft(session, article_id=draft.id)

        def adopt(stored: DraftData) -> None:
            held = self._saving.draft
            if held is not None and held.id == stored.id:
                self._saving.draft = replace(held, version=stored.version, status=stored.status)
                self._metadata.status_label.setText(stored.status.value.capitalize())
                self.publication_changed.emit(self._saving.draft)

        self._runner.run("reload after publishing", reload, on_success=adopt)

    def _go_to_issue(self, issue: object) -> None:
        from editor.core.publishing import ArticleField

        line = getattr(issue, "line", None)
        field = getattr(issue, "field", None)
        if line is not None:
            self._text.go_to_block(int(line))
        elif field is ArticleField.TITLE:
            self._title_field.setFocus()
        elif field is ArticleField.SLUG:
            self._metadata.slug_field.setFocus()
        elif field is ArticleField.FEATURED_IMAGE:
            self._metadata.featured_image.setFocus()
        else:
            self._text.setFocus()

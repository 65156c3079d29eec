"""The layout preview beside the text: made when first shown, fed the text and details as they
change, and following the cursor; a click on a figure or a check selects it in the text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLineEdit, QSplitter

    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.editor.markdown_edit import MarkdownEdit
    from editor.ui.editor.metadata import MetadataPanel
    from editor.ui.editor.saving_support import SavingSupport
    from editor.ui.preview.pane import PreviewPane


class PreviewSupport:
    def __init__(
        self,
        *,
        text: MarkdownEdit,
        title_field: QLineEdit,
        metadata: MetadataPanel,
        writing_area: QSplitter,
        toggle: QAction,
        saving: SavingSupport,
        loading: Callable[[], bool],
        runner: BackgroundRunner,
    ) -> None:
        self._text = text
        self._title_field = title_field
        self._metadata = metadata
        self._writing_area = writing_area
        self._toggle = toggle
        self._saving = saving
        # While the editor fills its fields from a draft it shows the whole article at once.
        self._loading = loading
        self._runner = runner
        self._store: Store | None = None
        self.preview: PreviewPane | None = None

    def set_store(self, store: Store | None) -> None:
        self._store = store
        if self.preview is not None:
            self.preview.set_store(store)

    def toggled(self) -> None:
        self.show(self._toggle.isChecked())

    def show(self, visible: bool = True) -> None:
        self._toggle.setChecked(visible)
        if visible and self.preview is None:
            from editor.ui.preview.pane import PreviewPane

            self.preview = PreviewPane(self._runner)
            self.preview.set_store(self._store)
            self.preview.figure_clicked.connect(self._select_figure_at)
            self.preview.check_chosen.connect(self._text.go_to_block)
            self._writing_area.addWidget(self.preview)
            total = max(800, self._writing_area.width())
            self._writing_area.setSizes([int(total * 0.45), int(total * 0.55)])
            self._text.textChanged.connect(self._source_changed)
            self._text.cursorPositionChanged.connect(self._follow_cursor)
            self._title_field.textChanged.connect(self._meta_changed)
            self._metadata.changed.connect(self._meta_changed)
        if self.preview is None:
            return
        self.preview.setVisible(visible)
        if visible and self._saving.draft is not None:
            self.preview.show_article(self.meta(), self._text.toPlainText())

    def article_shown(self, body: str) -> None:
        if self.preview is not None and self.preview.isVisible():
            self.preview.show_article(self.meta(), body)

    def meta(self) -> dict[str, object]:
        draft = self._saving.current_draft()
        if draft is None:
            return {}
        return {
            "id": int(draft.id),
            "slug": draft.slug,
            "updated_at": draft.updated_at,
            "title": draft.title,
            "dek": draft.dek,
            "author": draft.author,
            "category": draft.category,
            "tags": list(draft.tags),
            "featured_asset_id": draft.featured_asset_id,
        }

    def _source_changed(self) -> None:
        if self.preview is not None and self.preview.isVisible() and not self._loading():
            self.preview.set_source(self._text.toPlainText)

    def _meta_changed(self) -> None:
        if self.preview is not None and self.preview.isVisible() and not self._loading():
            self.preview.set_meta(self.meta())

    def _follow_cursor(self) -> None:
        if self.preview is not None and self.preview.isVisible():
            self.preview.scroll_to_line(self._text.textCursor().blockNumber())

    def _select_figure_at(self, line: int) -> None:
        block = self._text.document().findBlockByNumber(line)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self._text.setTextCursor(cursor)
        self._text.setFocus()

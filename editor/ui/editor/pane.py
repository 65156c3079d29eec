"""The Editor area: one open article, its text, metadata, outline and media, saved as you type.

The pane holds the fields an article is edited in and lays them out; the work is done by the
parts it composes, each in its own module: saving (autosave, conflicts), recovery, revisions,
figures, spelling, the layout preview, publishing and the toolbar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from editor.ui.editor.figure_support import FigureSupport
from editor.ui.editor.find_replace import FindReplaceBar
from editor.ui.editor.markdown_edit import MarkdownEdit
from editor.ui.editor.metadata import MetadataPanel
from editor.ui.editor.outline_dock import OutlinePanel
from editor.ui.editor.preview_support import PreviewSupport
from editor.ui.editor.publishing_support import PublishingSupport
from editor.ui.editor.recovery_support import RecoverySupport
from editor.ui.editor.revisions_support import RevisionsSupport
from editor.ui.editor.saving_support import SavingSupport
from editor.ui.editor.spelling_support import SpellingSupport
from editor.ui.editor.toolbar import EditorToolbar
from editor.ui.editor.undo import attach_document

if TYPE_CHECKING:
    from editor.core.articles.drafts import DraftData, WordCounter
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.preview.pane import PreviewPane
    from editor.ui.publishing.flow import PublishFlow

STATS_DELAY_MS = 250
OUTLINE_DELAY_MS = 120


class EditorPane(QMainWindow):
    """Embedded as a widget in the main window's stack; a QMainWindow for its own docks and toolbar."""

    article_opened = Signal(object)  # DraftData
    draft_saved = Signal(object)  # DraftData
    save_failed = Signal(str)
    conflict_detected = Signal(object)  # SaveConflict
    status_message = Signal(str)
    publication_changed = Signal(object)  # DraftData after a publish or unpublish

    def __init__(self, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.runner = runner
        self.store: Store | None = None
        self.undo_stack = QUndoStack(self)
        self._loading = False
        self._slug_follows_title = False
        self._word_counter: WordCounter | None = (
            None  # made on first use: keeps SQLAlchemy off start-up
        )
        # The main window says where Publish goes (a preference), so the parts read these late.
        self.publish_target: Callable[[], str] = lambda: "this-store"
        self.publisher_name: Callable[[], str] = lambda: ""

        self.title_field = _headline_field()
        self.text = MarkdownEdit()
        self.text.undo_stack = self.undo_stack
        attach_document(self.undo_stack, self.text.document())
        self.metadata = MetadataPanel()
        self.find_bar = FindReplaceBar(self.text)
        self.find_bar.hide()
        self._build_parts(runner)
        self._lay_out()
        self._build_toolbar()
        self.previewing = PreviewSupport(
            text=self.text,
            title_field=self.title_field,
            metadata=self.metadata,
            writing_area=self.writing_area,
            toggle=self.actions_by_name["preview"],
            saving=self.saving,
            loading=lambda: self._loading,
            runner=runner,
        )
        self._follow_edits()
        self._show_article_widgets(False)

    # --- construction --------------------------------------------------------

    def _build_parts(self, runner: BackgroundRunner) -> None:
        self.spelling = SpellingSupport(self.text, runner)
        self.recovery = RecoverySupport(runner, self)
        self.recovery.text_recovered.connect(self._show_recovered)
        self.recovery.recovery_failed.connect(self._open_failed)
        self.recovery.journal_failed.connect(self._tell)
        self.saving = SavingSupport(
            title_field=self.title_field,
            text=self.text,
            metadata=self.metadata,
            undo_stack=self.undo_stack,
            recovery=self.recovery,
            runner=runner,
            parent_widget=self,
        )
        self.saving.draft_saved.connect(self.draft_saved)
        self.saving.save_failed.connect(self.save_failed)
        self.saving.conflict_detected.connect(self.conflict_detected)
        self.saving.draft_replaced.connect(self._show_draft)
        self.saving.status_message.connect(self._tell)
        self.save_label = self.saving.label
        self.revisions = RevisionsSupport(saving=self.saving, runner=runner, parent_widget=self)
        self.revisions.revision_restored.connect(self._show_draft)
        self.publishing = PublishingSupport(
            saving=self.saving,
            text=self.text,
            title_field=self.title_field,
            metadata=self.metadata,
            target=lambda: self.publish_target(),
            publisher_name=lambda: self.publisher_name(),
            runner=runner,
            parent_widget=self,
        )
        self.publishing.publication_changed.connect(self.publication_changed)
        self.publish_flow: PublishFlow = self.publishing.flow
        self.figures = FigureSupport(
            text=self.text, undo_stack=self.undo_stack, runner=runner, parent_widget=self
        )
        self.figures.assets_found.connect(self._offer_featured_choices)

    def _lay_out(self) -> None:
        self.stats_label = QLabel()
        self.stats_label.setObjectName("muted")
        self.empty_label = QLabel(
            "Open an article from the Articles list (Enter or double-click), or press Ctrl+N "
            "to start a new one."
        )
        self.empty_label.setObjectName("muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        writing_column = QWidget()
        writing = QVBoxLayout(writing_column)
        writing.setContentsMargins(12, 8, 12, 4)
        writing.addWidget(self.title_field)
        writing.addWidget(self.text, 1)
        writing.addWidget(self.find_bar)
        # Text on the left, the layout preview (made when first shown) on the right.
        # Never squeezed below a readable line, whatever the preview and the docks take.
        writing_column.setMinimumWidth(self.text.fontMetrics().averageCharWidth() * 34 + 24)
        self.writing_area = QSplitter(Qt.Orientation.Horizontal)
        self.writing_area.addWidget(writing_column)
        self.writing_area.setChildrenCollapsible(False)

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self.writing_area, 1)
        central_layout.addWidget(self.empty_label, 1)
        self.setCentralWidget(central)
        self.statusBar().addWidget(self.stats_label)
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().setSizeGripEnabled(False)

        right, left = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
        self.metadata_dock = self._dock("Details", self.metadata, right)
        self.media_dock = self._dock("Media", self.figures.panel, right)
        self.outline = OutlinePanel()
        self.outline_dock = self._dock("Outline", self.outline, left)
        self.outline.heading_chosen.connect(self.text.go_to_block)
        self.resizeDocks([self.outline_dock], [200], Qt.Orientation.Horizontal)
        self.resizeDocks([self.metadata_dock], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.metadata_dock, self.media_dock], [330, 420], Qt.Orientation.Vertical)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_toolbar(self) -> None:
        toolbar = EditorToolbar(self)
        toolbar.add_formatting(self.text)
        toolbar.add_commands(
            insert_figure=lambda: self.figures.choose_and_insert(),
            find=lambda: self.find_bar.open_find(),
            replace=lambda: self.find_bar.open_find(with_replace=True),
            save=lambda: self.save_now(manual=True),
            show_revisions=self.revisions.show,
            publish=self.publish,
            unpublish=self.unpublish,
            toggle_preview=lambda: self.previewing.toggled(),
        )
        toolbar.add_undo_redo(self.undo_stack)
        self.actions_by_name = toolbar.actions_by_name

    def _follow_edits(self) -> None:
        self._stats_timer = QTimer(self)
        self._stats_timer.setSingleShot(True)
        self._stats_timer.setInterval(STATS_DELAY_MS)
        self._stats_timer.timeout.connect(self._update_stats)

        self.text.textChanged.connect(self._content_changed)
        # The outline follows typing after a short pause, keeping the parse off each keystroke.
        self._outline_timer = QTimer(self)
        self._outline_timer.setSingleShot(True)
        self._outline_timer.setInterval(OUTLINE_DELAY_MS)
        self._outline_timer.timeout.connect(self._update_outline)
        self.text.textChanged.connect(self._outline_timer.start)
        self.title_field.textEdited.connect(self._title_edited)
        self.metadata.changed.connect(self._content_changed)
        self.metadata.slug_regenerate_requested.connect(self._slug_from_title)
        self.metadata.slug_field.textEdited.connect(self._slug_edited_by_hand)
        self.undo_stack.cleanChanged.connect(self._show_modified)
        self.text.paste_refused.connect(self._tell)
        # Leaving any editing field saves; an event filter rather than QApplication.focusChanged
        # so nothing outlives the pane.
        for field in (
            self.text,
            self.title_field,
            self.metadata.slug_field,
            self.metadata.dek_field,
            self.metadata.author_field,
            self.metadata.category_field,
            self.metadata.tags_field,
        ):
            field.installEventFilter(self)

    # --- opening -------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        if store is not self.store:
            self.save_now()
            self.store = store
            self._close_article()
            self.saving.set_store(store)
            self.spelling.set_store(store)
            self.recovery.set_store(store)
            self.revisions.set_store(store)
            self.figures.set_store(store)
            self.publishing.set_store(store)
            self.previewing.set_store(store)

    def open_article(self, article_id: int) -> None:
        store = self.store
        if store is None:
            return
        self.save_now()

        def load() -> DraftData:
            from editor.core.articles.service import load_draft

            with store.session_factory() as session:
                return load_draft(session, article_id=article_id)

        self.runner.run(
            "open article", load, on_success=self._show_draft, on_failure=self._open_failed
        )

    def new_article(self, *, author: str = "") -> None:
        store = self.store
        if store is None:
            return
        self.save_now()

        def create() -> DraftData:
            from editor.core.articles.service import create_draft

            with store.session_factory.begin() as session:
                return create_draft(session, title="", author=author)

        self.runner.run(
            "new article", create, on_success=self._show_draft, on_failure=self._open_failed
        )

    def _show_draft(self, draft: DraftData) -> None:
        from editor.core.articles.slugs import slug_from_title
        from editor.core.models import ArticleStatus

        # A never-published draft whose slug is still the headline's keeps following the
        # headline; once someone edits the slug by hand, or it was published, it stays put.
        self._slug_follows_title = draft.status is ArticleStatus.DRAFT and draft.slug in (
            slug_from_title(draft.title),
            "",
        )
        self._loading = True
        try:
            self.saving.opened(draft)
            self._fill_fields(draft)
            self.title_field.setCursorPosition(0)
            self.metadata.set_featured_choices([], draft.featured_asset_id)
            self.undo_stack.clear()
            self.undo_stack.setClean()
        finally:
            self._loading = False
        self._show_article_widgets(True)
        self._update_stats()
        self._update_outline()
        self.figures.refresh_media()
        self.previewing.article_shown(draft.body)
        (self.title_field if not draft.title else self.text).setFocus()
        self.article_opened.emit(draft)

    def _show_recovered(self, draft: DraftData, text_from: DraftData | None) -> None:
        self._show_draft(draft)
        if text_from is not None:
            self._fill_fields(text_from)
            self._content_changed()

    def _fill_fields(self, draft: DraftData) -> None:
        self.title_field.setText(draft.title)
        self.text.setPlainText(draft.body)
        self.metadata.load(
            slug=draft.slug,
            dek=draft.dek,
            author=draft.author,
            category=draft.category,
            tags=list(draft.tags),
            status=draft.status.value,
        )

    def _open_failed(self, error: BaseException) -> None:
        self._tell(f"Could not open the article: {error}")

    def _close_article(self) -> None:
        self.recovery.closed(self.draft, saved_everything=not self.has_unsaved_changes)
        self.saving.closed()
        self._loading = True
        try:
            self.title_field.clear()
            self.text.clear()
            self.undo_stack.clear()
        finally:
            self._loading = False
        self._show_article_widgets(False)

    def _show_article_widgets(self, visible: bool) -> None:
        self.writing_area.setVisible(visible)
        self.empty_label.setVisible(not visible)
        self.metadata_dock.setVisible(visible)
        self.outline_dock.setVisible(visible)
        self.media_dock.setVisible(visible)
        for action in self.actions_by_name.values():
            action.setEnabled(visible)
        if not visible:
            self.stats_label.clear()

    # --- editing -------------------------------------------------------------

    def _title_edited(self, title: str) -> None:
        if self.draft is None:
            return
        from editor.core.articles.slugs import slug_from_title

        if self._slug_follows_title:
            self.metadata.slug_field.setText(slug_from_title(title))
        self._content_changed()

    def _slug_edited_by_hand(self, _text: str) -> None:
        self._slug_follows_title = False

    def _slug_from_title(self) -> None:
        from editor.core.articles.slugs import slug_from_title

        self.metadata.slug_field.setText(slug_from_title(self.title_field.text()))
        self._slug_follows_title = self.draft is not None and self.draft.status.value == "draft"
        self._content_changed()

    def _content_changed(self) -> None:
        if self._loading or self.draft is None:
            return
        self.saving.changed()
        self.recovery.changed(self.current_draft)
        self._stats_timer.start()

    def _update_stats(self) -> None:
        if self._word_counter is None:
            from editor.core.articles.drafts import WordCounter

            self._word_counter = WordCounter()
        stats = self._word_counter.stats(self.text.toPlainText())
        self.stats_label.setText(
            f"{stats.words:,} word{'s' if stats.words != 1 else ''} · {stats.minutes} min read"
        )

    def _offer_featured_choices(self, assets: dict[str, object]) -> None:
        if self.draft is None:
            return
        choices = []
        for figure in self.figures.panel.figures:
            asset = assets.get(figure.asset_prefix or "")
            if asset is not None:
                label = (figure.caption or figure.alt_text or asset.filename)[:50]  # type: ignore[attr-defined]
                choices.append((int(asset.asset_id), label))  # type: ignore[attr-defined]
        self.metadata.set_featured_choices(choices, self.metadata.featured_asset_id())

    # --- the parts, as the rest of the window uses them --------------------

    @property
    def draft(self) -> DraftData | None:
        return self.saving.draft

    def current_draft(self) -> DraftData | None:
        return self.saving.current_draft()

    @property
    def has_unsaved_changes(self) -> bool:
        return self.saving.has_unsaved_changes

    def save_now(self, *, manual: bool = False) -> None:
        self.saving.save_now(manual=manual)

    def show_revisions(self) -> None:
        self.revisions.show()

    def publish(self) -> None:
        self.publishing.publish()

    def unpublish(self) -> None:
        self.publishing.unpublish()

    @property
    def preview(self) -> PreviewPane | None:
        return self.previewing.preview

    def show_preview(self, visible: bool = True) -> None:
        self.previewing.show(visible)

    # --- outline, marker, focus ---------------------------------------------

    def _update_outline(self) -> None:
        # A full parse is ~0.3 ms for a 14,000-word post; the dock redraws only on heading changes.
        from editor.core.articles.outline import parse_outline

        if self.draft is not None:
            self.outline.show_outline(parse_outline(self.text.toPlainText()))

    def _show_modified(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self.draft is not None:
            reason = event.reason() if isinstance(event, QFocusEvent) else None
            # Popups (a context menu, the completer) take focus briefly; that is not leaving.
            if reason is not Qt.FocusReason.PopupFocusReason:
                self.save_now()
        return super().eventFilter(watched, event)

    def _tell(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)
        self.status_message.emit(message)


def _headline_field() -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText("Headline")
    font = QFont(field.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setWeight(QFont.Weight.DemiBold)
    field.setFont(font)
    field.setFrame(False)
    return field

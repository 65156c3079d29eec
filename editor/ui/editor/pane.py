"""The Editor area: one open article, its text, metadata, outline and media, saved as you type.

Saving (autosave, conflicts), the layout preview and publishing are parts with their own
modules; the pane composes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QFont, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from editor.ui.editor import formatting
from editor.ui.editor.figure_support import FigureSupport
from editor.ui.editor.find_replace import FindReplaceBar
from editor.ui.editor.markdown_edit import MarkdownEdit
from editor.ui.editor.metadata import MetadataPanel
from editor.ui.editor.outline_dock import OutlinePanel
from editor.ui.editor.preview_support import PreviewSupport
from editor.ui.editor.publishing_support import PublishingSupport
from editor.ui.editor.recovery_support import RecoverySupport
from editor.ui.editor.revisions_dialog import RevisionsDialog
from editor.ui.editor.saving_support import SavingSupport
from editor.ui.editor.spelling_support import SpellingSupport
from editor.ui.editor.undo import attach_document

if TYPE_CHECKING:
    from editor.core.articles.drafts import DraftData, SavedDraft, WordCounter
    from editor.core.articles.recovery import Recovery
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

        self.title_field = QLineEdit()
        self.title_field.setPlaceholderText("Headline")
        title_font = QFont(self.title_field.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title_field.setFont(title_font)
        self.title_field.setFrame(False)

        self.text = MarkdownEdit()
        self.text.undo_stack = self.undo_stack
        attach_document(self.undo_stack, self.text.document())
        self.metadata = MetadataPanel()
        self.spelling = SpellingSupport(self.text, runner)
        self.recovery = RecoverySupport(runner, self)
        self.recovery.recovery_accepted.connect(self._restore_recovery)
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
        self.revisions_dialog: RevisionsDialog | None = None
        # The main window says where Publish goes (a preference), so the parts read these late.
        self.publish_target: Callable[[], str] = lambda: "this-store"
        self.publisher_name: Callable[[], str] = lambda: ""
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
        self.find_bar = FindReplaceBar(self.text)
        self.find_bar.hide()

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

        self.metadata_dock = self._dock(
            "Details", self.metadata, Qt.DockWidgetArea.RightDockWidgetArea
        )

        self.figures = FigureSupport(
            text=self.text, undo_stack=self.undo_stack, runner=runner, parent_widget=self
        )
        self.media_dock = self._dock(
            "Media", self.figures.panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.outline = OutlinePanel()
        self.outline_dock = self._dock(
            "Outline", self.outline, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.outline.heading_chosen.connect(self.text.go_to_block)
        self.resizeDocks([self.outline_dock], [200], Qt.Orientation.Horizontal)
        self.resizeDocks([self.metadata_dock], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.metadata_dock, self.media_dock], [330, 420], Qt.Orientation.Vertical)
        self.figures.assets_found.connect(self._offer_featured_choices)

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
        self._show_article_widgets(False)

    # --- construction --------------------------------------------------------

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
        toolbar = QToolBar("Formatting")
        toolbar.setObjectName("formattingToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.actions_by_name: dict[str, QAction] = {}

        def add(name: str, text: str, shortcut: str, slot: object, tip: str) -> QAction:
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{tip} ({shortcut or 'Ctrl+F'})")
            action.triggered.connect(lambda _checked=False, slot=slot: slot())  # type: ignore[operator]
            toolbar.addAction(action)
            self.addAction(action)
            self.actions_by_name[name] = action
            return action

        cursor = self.text.textCursor
        add(
            "h2",
            "H2",
            "Ctrl+Alt+2",
            lambda: formatting.toggle_heading(cursor(), 2),
            "Section heading",
        )
        add("h3", "H3", "Ctrl+Alt+3", lambda: formatting.toggle_heading(cursor(), 3), "Subheading")
        add("bold", "Bold", "Ctrl+B", lambda: self._wrap("**"), "Bold")
        add("italic", "Italic", "Ctrl+I", lambda: self._wrap("*"), "Italic")
        add("link", "Link", "Ctrl+K", self._insert_link, "Link")
        add("quote", "Quote", "Ctrl+Shift+.", lambda: formatting.toggle_quote(cursor()), "Quote")
        add(
            "list",
            "List",
            "Ctrl+Shift+8",
            lambda: formatting.toggle_bullet_list(cursor()),
            "Bulleted list",
        )
        add(
            "figure",
            "Figure",
            "Ctrl+Shift+I",
            lambda: self.figures.choose_and_insert(),
            "Insert an image as a figure",
        )
        toolbar.addSeparator()
        # Ctrl+F belongs to the main window's Find, which routes here when the Editor is shown.
        add("find", "Find", "", lambda: self.find_bar.open_find(), "Find")
        add(
            "replace",
            "Replace",
            "Ctrl+H",
            lambda: self.find_bar.open_find(with_replace=True),
            "Find and replace",
        )
        add(
            "save",
            "Save",
            "Ctrl+S",
            lambda: self.save_now(manual=True),
            "Save now, keeping a revision",
        )
        add("revisions", "Revisions", "", self.show_revisions, "Revisions of this article")
        add(
            "publish",
            "Publish",
            "Ctrl+Shift+Return",
            self.publish,
            "Publish (or update) this article",
        )
        add("unpublish", "Unpublish", "", self.unpublish, "Take this article down")
        preview_action = add(
            "preview",
            "Preview",
            "Ctrl+Shift+P",
            lambda: self.previewing.toggled(),
            "Show the layout preview",
        )
        preview_action.setCheckable(True)
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        toolbar.addSeparator()
        toolbar.addAction(undo)
        toolbar.addAction(redo)
        self.actions_by_name["undo"] = undo
        self.actions_by_name["redo"] = redo

    # --- opening -------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        if store is not self.store:
            self.save_now()
            self.store = store
            self._close_article()
            self.saving.set_store(store)
            self.spelling.set_store(store)
            self.recovery.set_store(store)
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
            self.title_field.setText(draft.title)
            self.title_field.setCursorPosition(0)
            self.text.setPlainText(draft.body)
            self.metadata.load(
                slug=draft.slug,
                dek=draft.dek,
                author=draft.author,
                category=draft.category,
                tags=list(draft.tags),
                status=draft.status.value,
            )
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

    def _wrap(self, marker: str) -> None:
        cursor = self.text.textCursor()
        formatting.toggle_wrap(cursor, marker)
        self.text.setTextCursor(cursor)

    def _insert_link(self) -> None:
        url, accepted = QInputDialog.getText(self, "Insert Link", "Address (https://…)")
        if accepted and url.strip():
            cursor = self.text.textCursor()
            formatting.insert_link(cursor, url.strip())
            self.text.setTextCursor(cursor)

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

    # --- publishing and the layout preview ------------------------------------

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

    # --- saving --------------------------------------------------------------

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

    # --- revisions and recovery ---------------------------------------------

    def show_revisions(self) -> None:
        if self.store is None or self.draft is None:
            return
        self.save_now()
        dialog = RevisionsDialog(
            store=self.store,
            runner=self.runner,
            draft=self.current_draft() or self.draft,
            parent=self,
        )
        dialog.restore_requested.connect(self.restore_revision)
        self.revisions_dialog = dialog
        dialog.open()

    def restore_revision(self, revision_id: int) -> None:
        store, draft = self.store, self.draft
        if store is None or draft is None or self.saving.is_saving:
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

        self.runner.run(
            "restore revision",
            restore,
            on_success=lambda saved: self._show_draft(saved.draft),
            on_failure=self.saving.failed,
        )

    def _restore_recovery(self, recovery: Recovery) -> None:
        store = self.store
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
                self._show_draft(stored)
                return
            # The recovered text goes into the editor against the version it was typed on,
            # so a save after someone else's meets the conflict dialog instead of overwriting.
            self._show_draft(replace(stored, version=recovered.version))
            self._apply_content(recovered)

        self.runner.run(
            "recover text", stored_or_copy, on_success=show, on_failure=self._open_failed
        )

    def _apply_content(self, draft: DraftData) -> None:
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
        self._content_changed()

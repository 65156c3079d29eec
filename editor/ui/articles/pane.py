"""The Articles area: every draft and published piece, filtered by status, searched by title."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.ui.articles.models import ArticleColumn, ArticleListModel

if TYPE_CHECKING:
    from editor.core.articles.service import ArticleRow
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

STATUS_FILTERS = (
    ("All statuses", None),
    ("Drafts", "draft"),
    ("Scheduled", "scheduled"),
    ("Published", "published"),
    ("Archived", "archived"),
)


class ArticlesPane(QWidget):
    article_activated = Signal(int)
    articles_listed = Signal(int)
    new_article_requested = Signal()
    article_changed = Signal(int)  # duplicated, archived, restored or deleted

    def __init__(self, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store: Store | None = None
        self._pending_refresh = False
        self._refreshing = False

        heading = QLabel("Articles")
        heading.setObjectName("paneHeading")
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search titles…")
        self.search_field.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        for label, value in STATUS_FILTERS:
            self.status_filter.addItem(label, value)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")

        self.new_button = QPushButton("New Article")
        self.new_button.clicked.connect(self.new_article_requested)

        toolbar = QHBoxLayout()
        toolbar.addWidget(heading)
        toolbar.addWidget(self.new_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)
        toolbar.addWidget(self.status_filter)
        toolbar.addWidget(self.search_field, 1)

        self.model = ArticleListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ArticleColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        for column in ArticleColumn:
            if column is not ArticleColumn.TITLE:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.table.activated.connect(
            lambda index: self.article_activated.emit(int(self.model.row_at(index.row()).id))
        )

        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.duplicate_action = self._table_action("Duplicate", "Ctrl+D", self.duplicate_selected)
        self.archive_action = self._table_action("Archive", "", self.archive_selected)
        self.restore_action = self._table_action("Restore as Draft", "", self.restore_selected)
        self.delete_action = self._table_action("Delete…", "Del", self.delete_selected)
        self.delete_box: QMessageBox | None = None

        self.empty_label = QLabel("No store is open yet.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("muted")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(toolbar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

        # Typing in search waits for a pause so each keystroke is not a query.
        self._search_delay = QTimer(self)
        self._search_delay.setSingleShot(True)
        self._search_delay.setInterval(200)
        self._search_delay.timeout.connect(self.refresh)
        self.search_field.textChanged.connect(self._search_delay.start)
        self.status_filter.currentIndexChanged.connect(self.refresh)

    def _table_action(self, text: str, shortcut: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.table)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.table.addAction(action)
        return action

    def selected_row(self) -> ArticleRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row())

    def _show_context_menu(self, position: QPoint) -> None:
        row = self.selected_row()
        if row is None:
            return
        archived = row.status.value == "archived"
        self.archive_action.setVisible(not archived)
        self.restore_action.setVisible(archived)
        menu = QMenu(self)
        open_action = menu.addAction("Open")
        open_action.triggered.connect(lambda: self.article_activated.emit(int(row.id)))
        for action in (self.duplicate_action, self.archive_action, self.restore_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _change(self, name: str, work: Callable[[object], object], article_id: int) -> None:
        store = self._store
        if store is None:
            return

        def run() -> object:
            with store.session_factory.begin() as session:
                return work(session)

        def done(_result: object) -> None:
            self.article_changed.emit(article_id)
            self.refresh()

        self._runner.run(name, run, on_success=done, on_failure=self._show_action_failure)

    def _show_action_failure(self, error: BaseException) -> None:
        QMessageBox.warning(self, "Articles", str(error))

    def duplicate_selected(self) -> None:
        from editor.core.articles import service

        row = self.selected_row()
        if row is not None:
            self._change(
                "duplicate article",
                lambda session: service.duplicate_article(session, article_id=row.id),  # type: ignore[arg-type]
                int(row.id),
            )

    def archive_selected(self) -> None:
        from editor.core.articles import service

        row = self.selected_row()
        if row is not None:
            self._change(
                "archive article",
                lambda session: service.archive(session, article_id=row.id),  # type: ignore[arg-type]
                int(row.id),
            )

    def restore_selected(self) -> None:
        from editor.core.articles import service

        row = self.selected_row()
        if row is not None and row.status.value == "archived":
            self._change(
                "restore article",
                lambda session: service.restore_from_archive(session, article_id=row.id),  # type: ignore[arg-type]
                int(row.id),
            )

    def delete_selected(self) -> None:
        """Delete goes to the archive first (undoable there); only archived articles are deleted, after asking."""
        from editor.core.articles import service

        row = self.selected_row()
        if row is None:
            return
        if row.status.value != "archived":
            self.archive_selected()
            self.window().statusBar().showMessage(  # type: ignore[attr-defined]
                f"“{row.title or 'Untitled'}” moved to the archive. Restore it from there, "
                "or delete it for good from the archive.",
                10_000,
            )
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete Article",
            f"Delete “{row.title or 'Untitled'}” for good, with its revisions and comments?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        delete_button = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            if box.clickedButton() is delete_button:
                self._change(
                    "delete article",
                    lambda session: service.delete_archived(session, article_id=row.id),  # type: ignore[arg-type]
                    int(row.id),
                )

        box.finished.connect(answered)
        self.delete_box = box
        box.open()

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.refresh()

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def refresh(self) -> None:
        """Re-query in the store lane; a refresh asked for while one runs is merged into one more."""
        if self._store is None:
            self.model.set_rows([])
            self._show_empty("No store is open yet.")
            return
        if self._refreshing:
            self._pending_refresh = True
            return
        self._refreshing = True
        store = self._store
        search = self.search_field.text()
        status_value = self.status_filter.currentData()

        def query() -> list[ArticleRow]:
            from editor.core.articles.service import list_articles
            from editor.core.models import ArticleStatus

            status = ArticleStatus(status_value) if status_value else None
            with store.session_factory() as session:
                return list_articles(session, status=status, search=search)

        self._runner.run(
            "list articles",
            query,
            on_success=self._show_rows,
            on_failure=self._show_failure,
        )

    def _show_rows(self, rows: list[ArticleRow]) -> None:
        self._refreshing = False
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows)} article{'s' if len(rows) != 1 else ''}")
        if rows:
            self.table.show()
            self.empty_label.hide()
        else:
            filtered = self.search_field.text() or self.status_filter.currentData()
            self._show_empty(
                "No articles match." if filtered else "No articles yet. Press Ctrl+N to start one."
            )
        self.articles_listed.emit(len(rows))
        if self._pending_refresh:
            self._pending_refresh = False
            self.refresh()

    def _show_failure(self, error: BaseException) -> None:
        self._refreshing = False
        self._show_empty(f"Could not list articles: {error}")

    def _show_empty(self, message: str) -> None:
        self.empty_label.setText(message)
        self.empty_label.show()
        self.table.setVisible(self.model.rowCount() > 0)

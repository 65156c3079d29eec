"""The Articles area: every draft and published piece, filtered by status, searched by title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
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

        toolbar = QHBoxLayout()
        toolbar.addWidget(heading)
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

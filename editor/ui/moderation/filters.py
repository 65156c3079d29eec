"""The queue's search box and filters: article, author, age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from editor.core.moderation.queue import QueueQuery
from editor.ui.background import Lane

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

DATE_FILTERS = (
    ("Any time", None),
    ("Last 24 hours", timedelta(hours=24)),
    ("Last 7 days", timedelta(days=7)),
    ("Last 30 days", timedelta(days=30)),
)
# Typing waits for a pause so each keystroke is not a query.
TYPING_PAUSE_MS = 200


class FilterBar(QWidget):
    changed = Signal()  # after a pause in typing, or at once for the lists
    search_left = Signal()  # Esc or Enter in a text field: back to the queue

    def __init__(self, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store: Store | None = None
        self.search_field = QLineEdit()
        self.search_field.setObjectName("moderationSearch")
        self.search_field.setPlaceholderText("Search comments and authors…  ( / )")
        self.search_field.setClearButtonEnabled(True)
        self.article_filter = QComboBox()
        self.article_filter.addItem("All articles", None)
        self.article_filter.setMinimumContentsLength(18)
        self.article_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.author_field = QLineEdit()
        self.author_field.setPlaceholderText("Author or email")
        self.author_field.setClearButtonEnabled(True)
        self.author_field.setMaximumWidth(220)
        self.date_filter = QComboBox()
        for label, _ in DATE_FILTERS:
            self.date_filter.addItem(label)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_field, 2)
        layout.addWidget(self.article_filter, 1)
        layout.addWidget(self.author_field, 1)
        layout.addWidget(self.date_filter)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self.search_field.textChanged.connect(self._pause.start)
        self.author_field.textChanged.connect(self._pause.start)
        self.article_filter.currentIndexChanged.connect(self._changed_now)
        self.date_filter.currentIndexChanged.connect(self._changed_now)
        self.search_field.returnPressed.connect(self._leave)
        self.author_field.returnPressed.connect(self._leave)
        for field in (self.search_field, self.author_field):
            leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), field)
            leave.setContext(Qt.ShortcutContext.WidgetShortcut)
            leave.activated.connect(self._leave)

    def filters(self) -> QueueQuery:
        """Everything but the tab (the queue's tab bar says that)."""
        delta = DATE_FILTERS[max(0, self.date_filter.currentIndex())][1]
        return QueueQuery(
            search=self.search_field.text().strip(),
            article_id=self.article_filter.currentData(),
            author=self.author_field.text().strip(),
            since=None if delta is None else datetime.now(UTC) - delta,
        )

    def is_filtering(self) -> bool:
        return self.filters() != QueueQuery()

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def show_only_author(self, author: str) -> None:
        self.author_field.setText(author)
        self._changed_now()

    def _changed_now(self) -> None:
        self._pause.stop()
        self.changed.emit()

    def _leave(self) -> None:
        if self._pause.isActive():
            self._changed_now()
        self.search_left.emit()

    def load_articles(self, store: Store | None) -> None:
        """The article list for the filter, read in the store lane; "All articles" meanwhile."""
        self._store = store
        self.article_filter.blockSignals(True)
        while self.article_filter.count() > 1:
            self.article_filter.removeItem(1)
        self.article_filter.setCurrentIndex(0)
        self.article_filter.blockSignals(False)
        if store is None:
            return

        def work() -> list[tuple[int, str]]:
            from editor.core.articles.service import list_articles

            with store.session_factory() as session:
                return [(int(row.id), row.title or row.slug) for row in list_articles(session)]

        def done(articles: list[tuple[int, str]]) -> None:
            if store is not self._store:
                return
            for article_id, title in articles:
                self.article_filter.addItem(" ".join(title.split())[:80], article_id)

        self._runner.run("list articles for moderation", work, on_success=done, lane=Lane.STORE)

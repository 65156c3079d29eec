"""The article list as a Qt table model over rows fetched by the core."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

if TYPE_CHECKING:
    from editor.core.articles.service import ArticleRow

Index = QModelIndex | QPersistentModelIndex


class ArticleColumn(enum.IntEnum):
    TITLE = 0
    STATUS = 1
    AUTHOR = 2
    UPDATED = 3
    WORDS = 4
    COMMENTS = 5


HEADERS = {
    ArticleColumn.TITLE: "Title",
    ArticleColumn.STATUS: "Status",
    ArticleColumn.AUTHOR: "Author",
    ArticleColumn.UPDATED: "Updated",
    ArticleColumn.WORDS: "Words",
    ArticleColumn.COMMENTS: "Comments",
}

STATUS_COLOURS = {
    "draft": QColor("#8a6d00"),
    "scheduled": QColor("#1f5fa8"),
    "published": QColor("#1c7c3c"),
    "archived": QColor("#6b6b6b"),
}

ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def format_when(moment: datetime, now: datetime | None = None) -> str:
    """Recent times relative ("5 min ago"), older ones as a date, in local time."""
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if 0 <= seconds < 60:
        return "just now"
    if 0 <= seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if 0 <= seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    local = moment.astimezone()
    if local.year == now.astimezone().year:
        return local.strftime("%d %b, %H:%M")
    return local.strftime("%d %b %Y")


class ArticleListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ArticleRow] = []

    def set_rows(self, rows: list[ArticleRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ArticleRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ArticleColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            try:
                return HEADERS[ArticleColumn(section)]
            except ValueError:
                return None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        article = self._rows[index.row()]
        column = ArticleColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is ArticleColumn.TITLE:
                return article.title or "(untitled)"
            if column is ArticleColumn.STATUS:
                return article.status.value.capitalize()
            if column is ArticleColumn.AUTHOR:
                return article.author
            if column is ArticleColumn.UPDATED:
                return format_when(article.updated_at)
            if column is ArticleColumn.WORDS:
                return f"{article.word_count:,}"
            if column is ArticleColumn.COMMENTS:
                return f"{article.comment_count:,}"
        if role == Qt.ItemDataRole.ForegroundRole and column is ArticleColumn.STATUS:
            return STATUS_COLOURS.get(article.status.value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ArticleColumn.WORDS,
            ArticleColumn.COMMENTS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column is ArticleColumn.TITLE:
            return f"{article.title}\n/{article.slug}"
        if role == Qt.ItemDataRole.ToolTipRole and column is ArticleColumn.UPDATED:
            return article.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if role == ARTICLE_ID_ROLE:
            return article.id
        return None

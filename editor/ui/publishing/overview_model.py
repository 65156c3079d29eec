"""What is published where, as a Qt table: a row per article, a column per publishing target.

The rows come whole from ``publication_overview`` (read off the UI thread);
the model only formats them. A cell says the state in words with its time
("Live · 25 Nov 14:02"), a coloured dot for scanning a long list, and the
whole story in its tooltip.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from editor.core.publication_state import TargetState
from editor.ui.articles.models import format_when
from editor.ui.publishing.target_names import describe_target, short_target_label

if TYPE_CHECKING:
    from editor.core.publishing.overview import ArticlePublication, TargetPublication

Index = QModelIndex | QPersistentModelIndex

ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class FixedColumn(enum.IntEnum):
    ARTICLE = 0
    EDITED = 1


FIXED_HEADERS = {FixedColumn.ARTICLE: "Article", FixedColumn.EDITED: "Edited"}
FIXED_COLUMNS = len(FixedColumn)

STATE_COLOURS = {
    TargetState.LIVE: QColor("#1c7c3c"),
    TargetState.CHANGED_SINCE: QColor("#b25d00"),
    TargetState.SCHEDULED: QColor("#1f5fa8"),
    TargetState.UNPUBLISHED: QColor("#a33a3a"),
    TargetState.NEVER_PUBLISHED: QColor("#7b858f"),
    TargetState.MARKED_PUBLISHED: QColor("#4f7a5e"),
}

# Ascending sort puts what needs attention first: edits waiting to go out, then what is
# about to go out, then what is live, and what is not out at all last.
STATE_SORT_ORDER = {
    TargetState.CHANGED_SINCE: 0,
    TargetState.SCHEDULED: 1,
    TargetState.LIVE: 2,
    TargetState.MARKED_PUBLISHED: 3,
    TargetState.UNPUBLISHED: 4,
    TargetState.NEVER_PUBLISHED: 5,
}


def format_moment(moment: datetime, now: datetime | None = None) -> str:
    """A point in time as a newsroom says it, in local time: "25 Nov 14:02" (this year)."""
    local = moment.astimezone()
    this_year = (now or datetime.now(UTC)).astimezone().year
    if local.year == this_year:
        return local.strftime("%d %b %H:%M")
    return local.strftime("%d %b %Y %H:%M")


def state_text(publication: TargetPublication) -> str:
    """The words a cell shows."""
    when = f" · {format_moment(publication.at)}" if publication.at is not None else ""
    state = publication.state
    if state is TargetState.LIVE:
        return f"Live{when}"
    if state is TargetState.CHANGED_SINCE:
        return "Changed since publish"
    if state is TargetState.SCHEDULED:
        return f"Scheduled{when}"
    if state is TargetState.UNPUBLISHED:
        return f"Unpublished{when}"
    if state is TargetState.MARKED_PUBLISHED:
        return "Marked published"  # its date is the article's, in the tooltip
    return "Never"


def state_explanation(publication: TargetPublication) -> str:
    """A sentence or two for a cell's tooltip and the selection's details (the target is
    named beside it)."""
    at = format_moment(publication.at) if publication.at is not None else ""
    by = f" by {publication.by}" if publication.by else ""
    state = publication.state
    if state is TargetState.LIVE:
        text = f"Live and up to date; last published {at}{by}."
    elif state is TargetState.CHANGED_SINCE:
        text = f"Live as published {at}{by}, but edited since: Update publishes the edits."
    elif state is TargetState.SCHEDULED:
        text = f"Scheduled to go out {at}."
    elif state is TargetState.UNPUBLISHED:
        text = "Taken down" + (f" {at}." if at else ".")
    elif state is TargetState.MARKED_PUBLISHED:
        # The core's note says the same at more length.
        return f"Came into the store marked published ({at}); Publish gives it a page here."
    else:
        text = "Never published here."
    if publication.note and state is not TargetState.CHANGED_SINCE:
        text += f" {publication.note}"
    return text


def _dot(colour: QColor, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class PublicationTableModel(QAbstractTableModel):
    """Rows of ``ArticlePublication``; columns Article, Edited, then one per target.

    Sorting and the title search happen here, on the Python list, rather than in a
    ``QSortFilterProxyModel``: a proxy asks ``data()`` for every comparison, which for a
    few thousand articles is a second of the UI thread per sort or reload."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[ArticlePublication] = []
        self._rows: list[ArticlePublication] = []
        self._targets: list[str] = []
        self._labels: list[str] = []
        self._search = ""
        self._sort_column = int(FixedColumn.EDITED)
        self._sort_order = Qt.SortOrder.DescendingOrder
        # Made on first use: a pixmap needs the GUI application, a model does not.
        self._dots: dict[TargetState, QIcon] = {}

    # --- contents ------------------------------------------------------------

    def set_rows(self, rows: Sequence[ArticlePublication], targets: Sequence[str]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._targets = list(targets)
        self._labels = [short_target_label(target) for target in self._targets]
        self._rows = self._sorted(self._matching(self._all))
        self.endResetModel()

    def set_search(self, text: str) -> None:
        """Show only articles whose title or slug contains ``text`` (any case)."""
        self.beginResetModel()
        self._search = text.strip().casefold()
        self._rows = self._sorted(self._matching(self._all))
        self.endResetModel()

    @property
    def targets(self) -> list[str]:
        return list(self._targets)

    @property
    def rows(self) -> list[ArticlePublication]:
        """Every article loaded, shown or not."""
        return list(self._all)

    def row_at(self, row: int) -> ArticlePublication:
        return self._rows[row]

    def row_of(self, article_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.article_id == article_id:
                return number
        return None

    def target_at(self, column: int) -> str | None:
        """The target a column shows, or None for the article's own columns."""
        position = column - FIXED_COLUMNS
        return self._targets[position] if 0 <= position < len(self._targets) else None

    def column_of(self, target: str) -> int | None:
        return FIXED_COLUMNS + self._targets.index(target) if target in self._targets else None

    def _matching(self, rows: list[ArticlePublication]) -> list[ArticlePublication]:
        if not self._search:
            return list(rows)
        needle = self._search
        return [row for row in rows if needle in row.title.casefold() or needle in row.slug]

    def _sorted(self, rows: list[ArticlePublication]) -> list[ArticlePublication]:
        column = self._sort_column
        target = self.target_at(column)
        if target is not None:

            def by_state(row: ArticlePublication) -> tuple[int, float]:
                publication = row.at(target)
                moment = publication.at.timestamp() if publication.at is not None else 0.0
                return STATE_SORT_ORDER[publication.state], moment

            key: Any = by_state
        elif column == FixedColumn.ARTICLE:
            key = _title_key
        else:
            key = _edited_key
        return sorted(rows, key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    # --- Qt ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self._targets)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[index.row()].article_id for index in before]
        self._sort_column, self._sort_order = column, order
        self._rows = self._sorted(self._rows)
        where = {row.article_id: number for number, row in enumerate(self._rows)}
        after = [
            self.index(where[article_id], index.column())
            for article_id, index in zip(ids, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        target = self.target_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if target is None:
                return FIXED_HEADERS[FixedColumn(section)]
            return self._labels[section - FIXED_COLUMNS]
        if role == Qt.ItemDataRole.ToolTipRole and target is not None:
            return describe_target(target)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        article = self._rows[row]
        if role == ARTICLE_ID_ROLE:
            return int(article.article_id)
        position = column - FIXED_COLUMNS
        if position < 0:
            return self._article_data(article, FixedColumn(column), role)
        if position >= len(self._targets):
            return None
        return self._target_data(article.at(self._targets[position]), self._labels[position], role)

    def _article_data(self, article: ArticlePublication, column: FixedColumn, role: int) -> Any:
        if column is FixedColumn.ARTICLE:
            if role == Qt.ItemDataRole.DisplayRole:
                return article.title or "(untitled)"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{article.title or '(untitled)'}\n/{article.slug} · {article.status.value}"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return format_when(article.updated_at)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Last saved {article.updated_at.astimezone():%Y-%m-%d %H:%M}"
        return None

    def _target_data(self, publication: TargetPublication, label: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return state_text(publication)
        if role == Qt.ItemDataRole.DecorationRole:
            if publication.state not in self._dots:
                self._dots[publication.state] = _dot(STATE_COLOURS[publication.state])
            return self._dots[publication.state]
        if role == Qt.ItemDataRole.ForegroundRole:
            return STATE_COLOURS[publication.state]
        if role == Qt.ItemDataRole.ToolTipRole:
            explanation = f"{label}: {state_explanation(publication)}"
            return f"{explanation}\n{publication.location}" if publication.location else explanation
        return None


def _title_key(row: ArticlePublication) -> tuple[str, int]:
    return (row.title or "").casefold(), row.article_id


def _edited_key(row: ArticlePublication) -> tuple[float, int]:
    return row.updated_at.timestamp(), row.article_id

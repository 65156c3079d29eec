"""The queue table's model: a million rows long, holding only the windows that were looked at.

The model knows the view's total and fetches rows in windows of ``WINDOW``
through the background runner's store lane when the view first asks for one
(a light placeholder shows meanwhile, and ``dataChanged`` follows). At most
``CACHE_ROWS`` rows are held (see ``RowCache``); ids are never listed whole.

Local edits (a comment moved out of this tab, a status changed in the All tab)
are applied at once and logged: a window fetched before such an edit reached
the store is brought up to date before it is cached, so rows never shift
under the moderator's eyes. The store lane runs jobs in order, which is what
makes that log sufficient.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from editor.core.models import CommentStatus
from editor.core.moderation.queue import QueueQuery, QueueRow
from editor.ui.articles.models import format_when
from editor.ui.background import Lane
from editor.ui.moderation.display import (
    COMMENT_ID_ROLE,
    LOADED_ROLE,
    SCORE_ROLE,
    STATUS_COLOURS,
    STATUS_ROLE,
    one_line,
    rich_text_tooltip,
    score_percent,
    short_reasons,
)
from editor.ui.moderation.row_cache import RowCache

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

Index = QModelIndex | QPersistentModelIndex

WINDOW = 100
CACHE_ROWS = 40 * WINDOW
MAX_FETCHES_IN_FLIGHT = 2
# Windows asked for while scrolling fast; older ones are forgotten (no longer on screen).
MAX_WANTED_WINDOWS = 4


class QueueColumn(enum.IntEnum):
    AUTHOR = 0
    COMMENT = 1
    ARTICLE = 2
    RECEIVED = 3
    SCORE = 4
    REASONS = 5
    STATUS = 6


HEADERS = {
    QueueColumn.AUTHOR: "Author",
    QueueColumn.COMMENT: "Comment",
    QueueColumn.ARTICLE: "Article",
    QueueColumn.RECEIVED: "Received",
    QueueColumn.SCORE: "Spam score",
    QueueColumn.REASONS: "Reasons",
    QueueColumn.STATUS: "Status",
}

PLACEHOLDER_TEXT = "Loading…"
_PLACEHOLDER_COLOUR = QColor("#a0a8b0")
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CHECK_STATE = int(Qt.ItemDataRole.CheckStateRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)
_CHECKED = Qt.CheckState.Checked
_UNCHECKED = Qt.CheckState.Unchecked
_AUTHOR = int(QueueColumn.AUTHOR)
_COMMENT = int(QueueColumn.COMMENT)
_RECEIVED = int(QueueColumn.RECEIVED)
_SCORE = int(QueueColumn.SCORE)
_STATUS = int(QueueColumn.STATUS)
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_AUTHOR_FLAGS = _CELL_FLAGS | Qt.ItemFlag.ItemIsUserCheckable


class _Shown:
    """A cached row and, once it has been painted, its cell texts."""

    __slots__ = ("_texts", "row")

    def __init__(self, row: QueueRow) -> None:
        self.row = row
        self._texts: tuple[str, ...] | None = None

    def texts(self) -> tuple[str, ...]:
        if self._texts is None:
            row = self.row
            self._texts = (
                one_line(row.author_name) or "(anonymous)",
                ("↳ " if row.parent_id is not None else "") + one_line(row.excerpt),
                one_line(row.article_title),
                "",  # received: relative to now, worked out at each paint
                score_percent(row.spam_score),
                short_reasons(row.reasons),
                row.status.value.capitalize(),
            )
        return self._texts


@dataclass(frozen=True, slots=True)
class _Removed:
    row: int
    comment_id: int


@dataclass(frozen=True, slots=True)
class _StatusSet:
    statuses: dict[int, CommentStatus]


@dataclass(frozen=True, slots=True)
class _WindowFetch:
    generation: int
    serial: int
    offset: int
    limit: int
    window_key: int
    total: int


class CommentQueueModel(QAbstractTableModel):
    """Rows of one queue view (a ``QueueQuery``), fetched on demand.

    ``reset_view`` installs a new view with its total and first rows (loaded by
    the pane in one store-lane job, so the first paint has data).
    """

    # A window came back shorter than the total promised: someone else changed the queue.
    stale_detected = Signal()
    rows_fetched = Signal(int, int)  # first, last

    def __init__(self, runner: BackgroundRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store: Store | None = None
        self.query = QueueQuery()
        self._total = 0
        self._cache: RowCache[_Shown] = RowCache(CACHE_ROWS)
        self._marked: dict[int, CommentStatus] = {}
        self._generation = 0
        self._serial = 0
        self._edits: list[tuple[int, _Removed | _StatusSet]] = []
        self._in_flight: dict[int, _WindowFetch] = {}
        self._wanted: OrderedDict[int, int] = OrderedDict()  # window key -> row asked for
        self._focus_row = 0
        self._fetch_ids = itertools.count(1)
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- the view ------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        self._store = store

    def reset_view(self, query: QueueQuery, total: int, offset: int, rows: list[QueueRow]) -> None:
        """Show ``query`` with ``total`` rows, ``rows`` known from ``offset``."""
        self.beginResetModel()
        self.query = query
        self._total = max(total, offset + len(rows))
        self._generation += 1
        self._cache.clear()
        self._edits.clear()
        self._in_flight.clear()
        self._wanted.clear()
        if rows:
            self._cache.put(offset, [_Shown(row) for row in rows])
        self.endResetModel()

    def grow_total(self, total: int) -> None:
        """A search's full count arrived after its capped first count: rows appear at the end."""
        if total <= self._total:
            return
        self.beginInsertRows(QModelIndex(), self._total, total - 1)
        self._total = total
        self.endInsertRows()

    @property
    def total(self) -> int:
        return self._total

    @property
    def cached_rows(self) -> int:
        return len(self._cache)

    @property
    def cached_segments(self) -> int:
        return self._cache.segment_count

    @property
    def fetches_in_flight(self) -> int:
        return len(self._in_flight)

    def first_rows(self, count: int) -> list[QueueRow]:
        """The cached rows from the top, stopping at the first gap."""
        found = []
        for row in range(min(count, self._total)):
            shown = self._cache.get(row)
            if shown is None:
                break
            found.append(shown.row)
        return found

    def row_at(self, row: int) -> QueueRow | None:
        shown = self._cache.get(row) if 0 <= row < self._total else None
        return None if shown is None else shown.row

    def find_row(self, comment_id: int) -> int | None:
        return self._cache.find(lambda shown: shown.row.id == comment_id)

    # --- marking (x) -----------------------------------------------------------

    @property
    def marked(self) -> dict[int, CommentStatus]:
        """Marked comments and the status each had when marked (what the moderator saw)."""
        return dict(self._marked)

    def toggle_mark(self, row: int) -> bool:
        value = self.row_at(row)
        if value is None:
            return False
        if value.id in self._marked:
            del self._marked[value.id]
        else:
            self._marked[value.id] = value.status
        self._row_changed(row)
        return True

    def clear_marks(self, comment_ids: Iterable[int] | None = None) -> None:
        ids = list(self._marked) if comment_ids is None else list(comment_ids)
        for comment_id in ids:
            if self._marked.pop(comment_id, None) is not None:
                row = self.find_row(comment_id)
                if row is not None:
                    self._row_changed(row)

    # --- local edits -----------------------------------------------------------

    def remove_comments(self, comment_ids: Iterable[int]) -> list[int]:
        """Take these comments out of the view now; returns the rows they were at (before
        removal), for the cached ones. Uncached ones are left for the next reload."""
        rows = sorted(
            (
                row
                for comment_id in set(comment_ids)
                if (row := self.find_row(comment_id)) is not None
            ),
            reverse=True,
        )
        for row in rows:
            shown = self._cache.get(row)
            assert shown is not None
            self.beginRemoveRows(QModelIndex(), row, row)
            self._cache.remove(row)
            self._total -= 1
            self._serial += 1
            self._edits.append((self._serial, _Removed(row, shown.row.id)))
            self.endRemoveRows()
        return rows

    def set_statuses(self, statuses: dict[int, CommentStatus]) -> None:
        """Comments that stay in this view with a new status (the All tab)."""
        self._serial += 1
        self._edits.append((self._serial, _StatusSet(dict(statuses))))
        for comment_id, status in statuses.items():
            row = self.find_row(comment_id)
            if row is None:
                continue
            shown = self._cache.get(row)
            assert shown is not None
            self._cache.replace(row, _Shown(dataclasses.replace(shown.row, status=status)))
            self._row_changed(row)

    def insert_at_top(self, rows: list[QueueRow], *, total: int) -> None:
        """New comments above the first row; windows fetched before them are dropped."""
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
        self._generation += 1
        self._in_flight.clear()
        self._edits.clear()
        first = self.first_rows(WINDOW)
        self._cache.clear()
        self._cache.put(0, [_Shown(row) for row in [*rows, *first]])
        self._total = max(total, len(rows) + len(first))
        self.endInsertRows()

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(QueueColumn) - 1))

    # --- fetching --------------------------------------------------------------

    def _want(self, row: int) -> None:
        self._focus_row = row
        key = row // WINDOW
        if key in self._wanted:
            self._wanted.move_to_end(key)
        self._wanted[key] = row
        while len(self._wanted) > MAX_WANTED_WINDOWS:
            self._wanted.popitem(last=False)
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _fetch_wanted(self) -> None:
        store = self._store
        if store is None:
            self._wanted.clear()
            return
        busy_keys = {fetch.window_key for fetch in self._in_flight.values()}
        for key in reversed(list(self._wanted)):
            if len(self._in_flight) >= MAX_FETCHES_IN_FLIGHT:
                return
            row = self._wanted.pop(key)
            if key in busy_keys or row >= self._total or self._cache.get(row) is not None:
                continue
            gap_start, gap_end = self._cache.gap(row, self._total)
            start = max(gap_start, key * WINDOW)
            end = min(gap_end, start + WINDOW)
            if end <= start:
                continue
            self._start_fetch(store, key, start, end - start)

    def _start_fetch(self, store: Store, key: int, offset: int, limit: int) -> None:
        fetch = _WindowFetch(self._generation, self._serial, offset, limit, key, self._total)
        fetch_id = next(self._fetch_ids)
        self._in_flight[fetch_id] = fetch
        query, total = self.query, self._total

        def work() -> list[QueueRow]:
            from editor.core.moderation import queue

            with store.session_factory() as session:
                ids = queue.window(query, session=session, offset=offset, limit=limit, total=total)
                return queue.rows(ids, session=session)

        self._runner.run(
            "fetch comments",
            work,
            on_success=lambda rows: self._window_arrived(fetch_id, fetch, rows),
            on_failure=lambda _error: self._window_failed(fetch_id),
            lane=Lane.STORE,
        )

    def _window_failed(self, fetch_id: int) -> None:
        self._in_flight.pop(fetch_id, None)

    def _window_arrived(self, fetch_id: int, fetch: _WindowFetch, rows: list[QueueRow]) -> None:
        if self._in_flight.pop(fetch_id, None) is None or fetch.generation != self._generation:
            return
        expected = min(fetch.limit, fetch.total - fetch.offset)
        if len(rows) < expected:
            self.stale_detected.emit()
        offset, rows = self._catch_up(fetch, list(rows))
        if not self._in_flight:
            self._edits.clear()
        offset = max(0, offset)
        rows = rows[: max(0, self._total - offset)]
        added = self._cache.put(offset, [_Shown(row) for row in rows])
        for first, last in added:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(QueueColumn) - 1))
            self.rows_fetched.emit(first, last)
        self._cache.evict(self._focus_row)
        if self._wanted and not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _catch_up(self, fetch: _WindowFetch, rows: list[QueueRow]) -> tuple[int, list[QueueRow]]:
        """Apply the local edits made after this window was asked for (the store saw them after
        it read the window, because the store lane runs jobs in order)."""
        offset = fetch.offset
        for serial, edit in self._edits:
            if serial <= fetch.serial:
                continue
            if isinstance(edit, _Removed):
                position = next(
                    (i for i, value in enumerate(rows) if value.id == edit.comment_id), None
                )
                if position is not None:
                    del rows[position]
                elif edit.row < offset:
                    offset -= 1
            else:
                rows = [
                    dataclasses.replace(value, status=edit.statuses[value.id])
                    if value.id in edit.statuses
                    else value
                    for value in rows
                ]
        return offset, rows

    # --- Qt model API ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(QueueColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            try:
                return HEADERS[QueueColumn(section)]
            except ValueError:
                return None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _AUTHOR_FLAGS if index.column() == _AUTHOR else _CELL_FLAGS

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            index.isValid()
            and role == Qt.ItemDataRole.CheckStateRole
            and index.column() == QueueColumn.AUTHOR
        ):
            row = self.row_at(index.row())
            if row is None:
                return False
            wanted = Qt.CheckState(value) == Qt.CheckState.Checked
            if wanted != (row.id in self._marked):
                self.toggle_mark(index.row())
            return True
        return False

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each paint: ints, not enums, here.
        row = index.row()
        shown = self._cache.get(row)
        if shown is None:
            if not index.isValid() or not 0 <= row < self._total:
                return None
            return self._placeholder(row, index.column(), role)
        column = index.column()
        if role == _DISPLAY:
            if column == _RECEIVED:
                return format_when(shown.row.created_at)
            return shown.texts()[column]
        if role == _CHECK_STATE:
            if column != _AUTHOR:
                return None
            return _CHECKED if shown.row.id in self._marked else _UNCHECKED
        if role == _FONT:
            return self._bold if column == _AUTHOR else None
        if role == _FOREGROUND:
            return STATUS_COLOURS.get(shown.row.status) if column == _STATUS else None
        if role == _ALIGNMENT:
            return _CENTRED if column == _SCORE else None
        if role == LOADED_ROLE:
            return True
        if role == SCORE_ROLE:
            return shown.row.spam_score
        if role == COMMENT_ID_ROLE:
            return int(shown.row.id)
        if role == STATUS_ROLE:
            return shown.row.status.value
        if role == _TOOLTIP:
            return self._tooltip(shown.row, QueueColumn(column))
        return None

    def _placeholder(self, row: int, column: int, role: int) -> Any:
        if role == LOADED_ROLE:
            return False
        if role in (_DISPLAY, _TOOLTIP):
            self._want(row)
            return PLACEHOLDER_TEXT if column == _COMMENT else ""
        if role == _FOREGROUND:
            return _PLACEHOLDER_COLOUR
        return None

    @staticmethod
    def _tooltip(value: QueueRow, column: QueueColumn) -> str | None:
        if column is QueueColumn.AUTHOR:
            return rich_text_tooltip(f"{value.author_name}\n{value.author_email}")
        if column is QueueColumn.COMMENT:
            return rich_text_tooltip(value.excerpt)
        if column is QueueColumn.REASONS:
            return rich_text_tooltip("\n".join(value.reasons))
        if column is QueueColumn.RECEIVED:
            return value.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return None

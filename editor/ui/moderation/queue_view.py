"""The queue itself: status tabs with live counts over one windowed table.

Loads run in the store lane, one at a time (a load asked for meanwhile waits,
merged with any others). A moderator's action is shown here before the store
has it (``apply_moves``): rows leave the tab, counts move, the next comment is
focused. Each such edit is logged with a serial number so a load or count
that was read before the store saw the edit is brought up to date on arrival.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.core.models import CommentStatus
from editor.core.moderation.queue import QueueQuery, QueueRow, QueueTab
from editor.ui.background import Lane
from editor.ui.moderation.display import ScoreBadgeDelegate
from editor.ui.moderation.loading import (
    Arrivals,
    LoadedView,
    LoadRequest,
    read_arrivals,
    read_counts,
    read_total,
    read_view,
    reads_counts,
)
from editor.ui.moderation.models import (
    WINDOW,
    CommentQueueModel,
    QueueColumn,
)

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

TAB_LABELS = {
    QueueTab.PENDING: "Pending",
    QueueTab.APPROVED: "Approved",
    QueueTab.SPAM: "Spam",
    QueueTab.TRASH: "Trash",
    QueueTab.ALL: "All",
}
ROW_HEIGHT = 30


@dataclass
class _LocalEdit:
    serial: int
    removed: set[int]
    statuses: dict[int, CommentStatus]
    deltas: dict[CommentStatus, int]
    void: bool = False


class QueueView(QWidget):
    """Tabs and the table; the pane says which filters apply and what the moderator does."""

    loaded = Signal(int)  # the view's total
    tab_changed = Signal(object)  # QueueTab
    current_comment_changed = Signal(int)  # comment id, or -1
    counts_changed = Signal(dict)
    new_comments_waiting = Signal(int)  # not shown yet: the moderator is not at the top

    def __init__(self, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store: Store | None = None
        self._filters = QueueQuery()
        self.counts: dict[QueueTab, int] = dict.fromkeys(QueueTab, 0)
        self.latest_id = 0
        self._serial = 0
        self._edits: list[_LocalEdit] = []
        self._outstanding: list[int] = []  # serials of loads and count reads in flight
        self._loading: LoadRequest | None = None
        self._next_load: LoadRequest | None = None
        self._last_current = -1

        self.tab_bar = QTabBar()
        self.tab_bar.setObjectName("queueTabs")
        self.tab_bar.setDrawBase(False)
        self.tab_bar.setExpanding(False)
        self.tab_bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for tab in QueueTab:
            self.tab_bar.addTab(TAB_LABELS[tab])
            self.tab_bar.setTabData(self.tab_bar.count() - 1, tab.value)
        self._update_tab_labels()
        self.tab_bar.currentChanged.connect(self._tab_switched)

        self.model = CommentQueueModel(runner, self)
        self.model.stale_detected.connect(self._stale)
        self.model.rows_fetched.connect(self._rows_fetched)
        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(QueueColumn.COMMENT, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (QueueColumn.AUTHOR, 170),
            (QueueColumn.ARTICLE, 190),
            (QueueColumn.RECEIVED, 105),
            (QueueColumn.SCORE, 80),
            (QueueColumn.REASONS, 170),
            (QueueColumn.STATUS, 80),
        ):
            header.resizeSection(column, width)
        self.table.setItemDelegateForColumn(QueueColumn.SCORE, ScoreBadgeDelegate(self.table))
        self.table.selectionModel().currentRowChanged.connect(self._current_moved)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tab_bar)
        layout.addWidget(self.table, 1)
        self._show_status_column()

    # --- what is shown -----------------------------------------------------------

    @property
    def tab(self) -> QueueTab:
        return QueueTab(self.tab_bar.tabData(max(0, self.tab_bar.currentIndex())))

    def set_tab(self, tab: QueueTab) -> None:
        self.tab_bar.setCurrentIndex(list(QueueTab).index(tab))

    def query(self) -> QueueQuery:
        return dataclasses.replace(self._filters, tab=self.tab)

    def set_filters(self, filters: QueueQuery) -> None:
        """Search and filters (the tab is the tab bar's); reloads from the top."""
        if filters == dataclasses.replace(self._filters, tab=filters.tab):
            return
        self._filters = filters
        self._show_status_column()
        self.load()

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.model.set_store(store)
        self._edits.clear()
        self._outstanding.clear()
        self._next_load = None
        self.model.clear_marks()
        if store is None:
            self.counts = dict.fromkeys(QueueTab, 0)
            self._update_tab_labels()
            self.model.reset_view(self.query(), 0, 0, [])
            return
        self.load(with_counts=True)

    @property
    def is_loading(self) -> bool:
        return self._loading is not None

    # --- current row ---------------------------------------------------------------

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def current_comment(self) -> QueueRow | None:
        row = self.current_row()
        return None if row < 0 else self.model.row_at(row)

    def select_row(self, row: int) -> None:
        total = self.model.rowCount()
        if total == 0:
            self._current_moved(QModelIndex(), QModelIndex())
            return
        row = max(0, min(row, total - 1))
        index = self.model.index(row, QueueColumn.COMMENT)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def move_current(self, step: int) -> None:
        row = self.current_row()
        self.select_row(0 if row < 0 else row + step)

    def jump_to_end(self) -> None:
        self.select_row(self.model.rowCount() - 1)

    def jump_to_start(self) -> None:
        self.select_row(0)

    def is_at_top(self) -> bool:
        return self.table.verticalScrollBar().value() == 0

    def _current_moved(self, current: QModelIndex, _previous: QModelIndex) -> None:
        value = self.model.row_at(current.row()) if current.isValid() else None
        comment_id = -1 if value is None else int(value.id)
        if comment_id != self._last_current:
            self._last_current = comment_id
            self.current_comment_changed.emit(comment_id)

    def _rows_fetched(self, first: int, last: int) -> None:
        row = self.current_row()
        if first <= row <= last:
            self._current_moved(self.table.currentIndex(), QModelIndex())

    # --- loading -------------------------------------------------------------------

    def reload(self, *, keep_current: bool = True, with_counts: bool = True) -> None:
        """Read the view again where the moderator is (after undo, a conflict, R)."""
        current = self.current_comment() if keep_current else None
        self.load(
            keep_comment=None if current is None else int(current.id),
            around_row=max(0, self.current_row()) if keep_current else 0,
            with_counts=with_counts,
        )

    def load(
        self, *, keep_comment: int | None = None, around_row: int = 0, with_counts: bool = False
    ) -> None:
        request = LoadRequest(self.query(), self._serial, keep_comment, around_row, with_counts)
        if self._store is None:
            return
        if self._loading is not None:
            if self._next_load is not None:
                request.with_counts |= self._next_load.with_counts
            self._next_load = request
            return
        self._start_load(request)

    def _start_load(self, request: LoadRequest) -> None:
        store = self._store
        assert store is not None
        self._loading = request
        self._outstanding.append(request.serial)

        def work() -> LoadedView:
            return read_view(store, request, window=WINDOW)

        self._runner.run(
            "load comments",
            work,
            on_success=self._loaded,
            on_failure=self._load_failed,
            lane=Lane.STORE,
        )
        if request.with_counts and not reads_counts(store, request.query):
            self.refresh_counts()

    def refresh_counts(self) -> None:
        """Read every tab's count in the store lane (edits made meanwhile are added on top)."""
        store = self._store
        if store is None:
            return
        serial = self._serial
        self._outstanding.append(serial)

        def work() -> dict[QueueTab, int]:
            return read_counts(store)

        def done(counts: dict[QueueTab, int]) -> None:
            if store is self._store:
                self._set_counts(counts, since=serial)
            self._finish_request(serial)

        self._runner.run(
            "count comments",
            work,
            on_success=done,
            on_failure=lambda _error: self._finish_request(serial),
            lane=Lane.STORE,
        )

    def _finish_request(self, serial: int) -> None:
        if serial in self._outstanding:
            self._outstanding.remove(serial)
        oldest = min(self._outstanding, default=self._serial)
        self._edits = [edit for edit in self._edits if edit.serial > oldest]

    def _load_failed(self, _error: BaseException) -> None:
        request = self._loading
        self._loading = None
        if request is not None:
            self._finish_request(request.serial)
        self._start_next_load()

    def _start_next_load(self) -> None:
        if self._next_load is not None and self._store is not None:
            request, self._next_load = self._next_load, None
            request.serial = self._serial
            self._start_load(request)

    def _loaded(self, result: LoadedView) -> None:
        request = result.request
        self._loading = None
        if result.counts is not None:
            self._set_counts(result.counts, since=request.serial)
        if result.latest_id is not None:
            self.latest_id = max(self.latest_id, result.latest_id)
        later_edits = [e for e in self._edits if e.serial > request.serial and not e.void]
        if request.query == self.query() and self._next_load is None:
            self.model.reset_view(request.query, result.total, result.offset, result.rows)
            for edit in later_edits:
                self._replay(edit)
            row = (
                None if request.keep_comment is None else self.model.find_row(request.keep_comment)
            )
            self.select_row(request.around_row if row is None else row)
            if result.capped:
                self._count_all(request.query)
            if later_edits:
                # What was read predates those actions; read again once the store has them.
                self._next_load = dataclasses.replace(request, with_counts=True)
            self.loaded.emit(self.model.rowCount())
        self._finish_request(request.serial)
        self._start_next_load()

    def _replay(self, edit: _LocalEdit) -> None:
        if edit.removed:
            self.model.remove_comments(edit.removed)
        if edit.statuses:
            self.model.set_statuses(edit.statuses)

    def _count_all(self, query: QueueQuery) -> None:
        store = self._store
        assert store is not None

        def work() -> int:
            return read_total(store, query)

        def done(total: int) -> None:
            if query == self.model.query and self._loading is None:
                self.model.grow_total(total)

        self._runner.run("count matches", work, on_success=done, lane=Lane.STORE)

    def _stale(self) -> None:
        if self._loading is None and self._next_load is None:
            self.reload(with_counts=True)

    def _tab_switched(self, _index: int) -> None:
        self._show_status_column()
        self.tab_changed.emit(self.tab)
        self.load()

    def _show_status_column(self) -> None:
        show = self.tab is QueueTab.ALL
        self.table.setColumnHidden(QueueColumn.STATUS, not show)

    # --- counts ----------------------------------------------------------------------

    def _set_counts(self, counts: dict[QueueTab, int], *, since: int) -> None:
        adjusted = dict(counts)
        for edit in self._edits:
            if edit.serial > since and not edit.void:
                for status, delta in edit.deltas.items():
                    adjusted[QueueTab(status.value)] += delta
        adjusted[QueueTab.ALL] = sum(adjusted[QueueTab(status.value)] for status in CommentStatus)
        self.counts = adjusted
        self._update_tab_labels()

    def _update_tab_labels(self) -> None:
        for position, tab in enumerate(QueueTab):
            self.tab_bar.setTabText(position, f"{TAB_LABELS[tab]} ({self.counts.get(tab, 0):,})")
        self.counts_changed.emit(dict(self.counts))

    # --- the moderator's actions, shown at once ------------------------------------------

    def apply_moves(self, seen: dict[int, CommentStatus], target: CommentStatus) -> int:
        """Show comments moved to ``target`` (from the statuses the moderator saw) before the
        store has them; returns the edit's serial (``forget_edit`` it if the store refuses)."""
        self._serial += 1
        row = self.current_row()
        current = self.model.row_at(row) if row >= 0 else None
        tab_status = self.query().tab.status
        edit = _LocalEdit(self._serial, set(), {}, {})
        for status in seen.values():
            edit.deltas[status] = edit.deltas.get(status, 0) - 1
            edit.deltas[target] = edit.deltas.get(target, 0) + 1
        if tab_status is None or tab_status is target:
            edit.statuses = dict.fromkeys(seen, target)
        else:
            edit.removed = set(seen)
        self._edits.append(edit)
        self.model.clear_marks(seen)
        self._replay(edit)
        for status, delta in edit.deltas.items():
            self.counts[QueueTab(status.value)] += delta
        self._update_tab_labels()
        if current is not None and current.id in seen:
            self.select_row(row if edit.removed else row + 1)
        elif not self.table.currentIndex().isValid():
            self.select_row(row)
        return edit.serial

    def forget_edit(self, serial: int) -> None:
        for edit in self._edits:
            if edit.serial == serial:
                edit.void = True

    # --- new comments --------------------------------------------------------------------

    def take_new_comments(self, ids: list[int]) -> None:
        """New comments arrived: counts move; at the top of a plain tab they slide in,
        elsewhere ``new_comments_waiting`` says how many there are."""
        store = self._store
        if store is None or not ids:
            return
        query = self.query()
        serial = self._serial
        self._outstanding.append(serial)

        def work() -> Arrivals:
            return read_arrivals(store, ids, query, serial, window=WINDOW)

        def failed(_error: BaseException) -> None:
            self._finish_request(serial)

        self._runner.run(
            "read new comments",
            work,
            on_success=self._new_arrived,
            on_failure=failed,
            lane=Lane.STORE,
        )

    def _new_arrived(self, arrivals: Arrivals) -> None:
        self._set_counts(arrivals.counts, since=arrivals.serial)
        self.latest_id = max([self.latest_id, *(int(row.id) for row in arrivals.matching)])
        self._finish_request(arrivals.serial)
        if not arrivals.matching or arrivals.query != self.query():
            return
        later_edits = any(e.serial > arrivals.serial and not e.void for e in self._edits)
        if (
            arrivals.total is not None
            and self.is_at_top()
            and not self.is_loading
            and not later_edits
            and self._slide_in(arrivals.first_window, arrivals.total)
        ):
            return
        self.new_comments_waiting.emit(len(arrivals.matching))

    def _slide_in(self, first_window: list[QueueRow], total: int) -> bool:
        """Insert the new rows above the ones shown, if what is shown still follows them."""
        shown = [int(row.id) for row in self.model.first_rows(WINDOW)]
        new_count = total - self.model.rowCount()
        if new_count <= 0 or new_count > len(first_window):
            return False
        following = [int(row.id) for row in first_window[new_count:]]
        overlap = min(len(shown), len(following))
        if shown[:overlap] != following[:overlap]:
            return False
        current = self.current_comment()
        self.model.insert_at_top(first_window[:new_count], total=total)
        row = None if current is None else self.model.find_row(int(current.id))
        if row is not None:
            self.select_row(row)
        self.table.scrollToTop()
        return True

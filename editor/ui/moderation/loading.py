"""What the queue reads from the store, run in the store lane (no Qt here).

A view is read in one unit: its total and the window of rows around where the
moderator is, so the first paint already has data. The tab counts follow in a
job of their own (on SQLite, counting four statuses costs more than the rows).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from editor.core.moderation import queue
from editor.core.moderation.queue import QueueQuery, QueueRow, QueueTab

if TYPE_CHECKING:
    from editor.core.store import Store

# A search counts its matches up to here first, so its first page shows at once;
# the full count follows and the table grows.
SEARCH_COUNT_CAP = 200
_BEGINNING = datetime(1, 1, 1, tzinfo=UTC)


def is_plain(query: QueueQuery) -> bool:
    """A whole tab: no search and no filter."""
    return query == QueueQuery(tab=query.tab)


def reads_counts(store: Store, query: QueueQuery) -> bool:
    """Whether reading ``query`` reads every tab's count too: PostgreSQL keeps the counts
    in a table (reading them costs nothing); on SQLite the All tab needs all four."""
    return is_plain(query) and (query.tab is QueueTab.ALL or not store.is_sqlite)


@dataclass
class LoadRequest:
    query: QueueQuery
    # Local edits up to this serial were queued before the read, so the store has them.
    serial: int
    keep_comment: int | None = None
    around_row: int = 0
    with_counts: bool = False


@dataclass
class LoadedView:
    request: LoadRequest
    counts: dict[QueueTab, int] | None
    latest_id: int | None
    total: int
    capped: bool
    offset: int
    rows: list[QueueRow] = field(default_factory=list)


@dataclass
class Arrivals:
    """New comments, as the open view needs them."""

    serial: int
    query: QueueQuery
    counts: dict[QueueTab, int]
    matching: list[QueueRow]  # those that belong in this view's tab
    total: int | None  # the tab's total now, for a plain tab
    first_window: list[QueueRow]  # its first rows now, to slide the new ones in


def read_view(store: Store, request: LoadRequest, *, window: int) -> LoadedView:
    query = request.query
    with store.session_factory() as session:
        counts = latest = None
        first: list[int] = []
        if request.with_counts:
            latest = queue.latest_comment_id(session=session)
        capped = False
        if reads_counts(store, query):
            counts = queue.status_counts(session=session)
            total = counts[query.tab]
        elif is_plain(query):
            # SQLite counts each status on its index: count this tab's alone (a "since the
            # beginning" filter keeps ``count`` on that index); the others follow in a job
            # of their own, after the first rows are on screen.
            total = queue.count(dataclasses.replace(query, since=_BEGINNING), session=session)
        elif query.is_search:
            # One pass over the matches gives the first page and a capped count.
            first = [
                int(key.id) for key in queue.page(query, session=session, limit=SEARCH_COUNT_CAP)
            ]
            total = len(first)
            capped = total >= SEARCH_COUNT_CAP
        else:
            total = queue.count(query, session=session)
        offset = max(0, min(request.around_row - window // 2, total - window))
        ids: list[int] = first[offset : offset + window]
        if not (query.is_search and offset + window <= total):
            ids = list(
                queue.window(query, session=session, offset=offset, limit=window, total=total)
            )
        rows = queue.rows(ids, session=session)
    return LoadedView(request, counts, latest, total, capped, offset, rows)


def read_counts(store: Store) -> dict[QueueTab, int]:
    with store.session_factory() as session:
        return queue.status_counts(session=session)


def read_total(store: Store, query: QueueQuery) -> int:
    with store.session_factory() as session:
        return queue.count(query, session=session)


def read_arrivals(
    store: Store, ids: list[int], query: QueueQuery, serial: int, *, window: int
) -> Arrivals:
    with store.session_factory() as session:
        counts = queue.status_counts(session=session)
        matching = [
            row
            for row in queue.rows(ids, session=session)
            if query.tab.status is None or row.status is query.tab.status
        ]
        total: int | None = None
        first_window: list[QueueRow] = []
        if is_plain(query) and matching:
            total = counts[query.tab]
            window_ids = queue.window(query, session=session, offset=0, limit=window, total=total)
            first_window = queue.rows(window_ids, session=session)
    return Arrivals(serial, query, counts, matching, total, first_window)

"""Queue queries for a table that may hold a million comments, on SQLite and PostgreSQL.

Made for a Qt model that holds ids and fetches rows in windows:

- ``status_counts`` for the tab labels;
- ``page`` (keyset: newest first, or from the oldest end for "jump to end") and
  ``window`` (by offset, read from whichever end is nearer) give ordered ids;
- ``queue_ids`` gives a whole tab's ids at once, for a model that holds them all;
- ``rows`` fetches what the table shows for a window of ids; ``detail`` (in
  ``detail.py``, re-exported here) the rest.

Order: newest first by ``(created_at, id)``. Searches order by id (newest
received first) because the full-text index hands matches over in id order,
which keeps the first page of a common word instant.

The "All" tab has no index of its own: its pages are merged from one indexed
query per status, which is as fast as one status tab.
"""

from __future__ import annotations

import enum
import heapq
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from editor.core.models import Article, Comment, CommentId, CommentStatus

# The detail pane's queries live in detail.py; these names stay importable from here.
from editor.core.moderation.detail import (
    EXCERPT_CHARS,
    CommentDetail,
    ThreadEntry,
    author_history,
    detail,
    excerpt,
    thread,
)
from editor.core.moderation.search_index import sqlite_search_table

_CHUNK = 900
_SEARCH_TERM = re.compile(r"\w+", re.UNICODE)
_AnySelect: TypeAlias = Select[*tuple[Any, ...]]
# Made by migrations 0002 and 0003 (no models: alembic leaves them alone).
_SEARCH_DOCUMENT = table(
    "comment_search_document",
    column("comment_id"),
    column("document"),
    column("indexed_status"),
)
_MOVED = table("comment_search_moved", column("comment_id"), column("indexed_status"))
_STATUS_COUNT = table("comment_status_count", column("status"), column("comments"))


class QueueTab(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"
    ALL = "all"

    @property
    def status(self) -> CommentStatus | None:
        return None if self is QueueTab.ALL else CommentStatus(self.value)


@dataclass(frozen=True)
class QueueQuery:
    """One view of the queue: a tab plus optional search and filters."""

    tab: QueueTab = QueueTab.PENDING
    search: str = ""
    article_id: int | None = None
    # An email address (exact) or an author name (exact) when it has no "@".
    author: str = ""
    since: datetime | None = None
    until: datetime | None = None

    @property
    def search_terms(self) -> list[str]:
        return _SEARCH_TERM.findall(self.search)

    @property
    def is_search(self) -> bool:
        return bool(self.search_terms)


@dataclass(frozen=True, slots=True, order=True)
class QueueKey:
    """A comment's place in the newest-first order; pass the last one back as ``after``."""

    created_at: datetime
    id: CommentId


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: CommentId
    status: CommentStatus
    author_name: str
    author_email: str
    excerpt: str
    article_id: int
    article_title: str
    created_at: datetime
    spam_score: float | None
    reasons: tuple[str, ...]
    parent_id: int | None


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _fts5_query(terms: Sequence[str]) -> str:
    # Every term quoted (so no input is FTS syntax); the last one a prefix, for search-as-you-type.
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(terms: Sequence[str]) -> str:
    quoted = ["'" + term.replace("'", "''").replace("\\", "") + "'" for term in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def _conditions(
    query: QueueQuery, session: Session, status: CommentStatus | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if status is not None:
        conditions.append(Comment.status == status)
    if query.article_id is not None:
        conditions.append(Comment.article_id == query.article_id)
    author = query.author.strip()
    if author:
        if "@" in author:
            conditions.append(Comment.author_email == author)
        else:
            conditions.append(Comment.author_name == author)
    if query.since is not None:
        conditions.append(Comment.created_at >= query.since)
    if query.until is not None:
        conditions.append(Comment.created_at < query.until)
    return conditions


def _postgres_tsquery(query: QueueQuery) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), _tsquery(query.search_terms))


def _tab_statuses(tab: QueueTab) -> list[CommentStatus]:
    return list(CommentStatus) if tab.status is None else [tab.status]


def _search_keys(
    query: QueueQuery,
    session: Session,
    *,
    before_id: int | None,
    limit: int | None,
    oldest_first: bool,
) -> list[QueueKey]:
    """A search's next ``limit`` matches (all with None) past ``before_id``, newest first.

    Searches order by id, the order the full-text indexes hand matches over in.
    """
    if _is_postgres(session):
        return _postgres_search_keys(
            query, session, before_id=before_id, limit=limit, oldest_first=oldest_first
        )
    return _sqlite_search_keys(
        query, session, before_id=before_id, limit=limit, oldest_first=oldest_first
    )


def _sqlite_search_keys(
    query: QueueQuery,
    session: Session,
    *,
    before_id: int | None,
    limit: int | None,
    oldest_first: bool,
) -> list[QueueKey]:
    """On SQLite a tab reads its own status's FTS5 index, in rowid order, so a first page
    costs microseconds whether the word is common in the tab, nowhere, or only in
    another tab; plus the comments that moved into the tab and whose words are still
    indexed under their old status (a few, checked one by one). "All" merges the four."""
    matching = _fts5_query(query.search_terms)
    statuses = _tab_statuses(query.tab)
    one_tab = len(statuses) == 1
    conditions = _conditions(query, session, None)

    def beyond(key: Any) -> ColumnElement[bool]:
        assert before_id is not None
        past: ColumnElement[bool] = key > before_id if oldest_first else key < before_id
        return past

    found: list[QueueKey] = []
    for status in statuses:
        index, statement = _sqlite_index_matches(
            status, matching, conditions, one_tab, Comment.created_at, Comment.id
        )
        if before_id is not None:
            statement = statement.where(beyond(index.c.rowid))
        statement = statement.order_by(
            index.c.rowid.asc() if oldest_first else index.c.rowid.desc()
        )
        if limit is not None:
            statement = statement.limit(limit)
        found.extend(QueueKey(moment, CommentId(key)) for moment, key in session.execute(statement))
    if one_tab:
        moved_here = sorted(
            _sqlite_moved_matches(session, matching, statuses[0], before_id, oldest_first),
            reverse=not oldest_first,
        )
        kept = 0
        for start in range(0, len(moved_here), _CHUNK):
            # The status is checked here, not in SQL: there SQLite would read the tab's
            # whole index rather than look the ids up.
            noted = select(Comment.created_at, Comment.id, Comment.status).where(
                Comment.id.in_(moved_here[start : start + _CHUNK]), *conditions
            )
            for moment, key, status in session.execute(noted):
                if status == statuses[0]:
                    found.append(QueueKey(moment, CommentId(key)))
                    kept += 1
            if limit is not None and kept >= limit:
                break  # the ids come in order: the rest are past this page
    found.sort(key=lambda key: key.id, reverse=not oldest_first)
    return found if limit is None else found[:limit]


def _sqlite_index_matches(
    status: CommentStatus,
    matching: str,
    conditions: Sequence[ColumnElement[bool]],
    in_tab_only: bool,
    *columns: Any,
) -> tuple[Any, _AnySelect]:
    """The comments whose words ``status``'s FTS5 index holds and match, and that index.

    ``in_tab_only`` drops those that have left the status since their words were indexed.
    """
    index = table(sqlite_search_table(status), column("rowid"))
    statement = (
        select(*columns)
        .select_from(index)
        .join(Comment, Comment.id == index.c.rowid)
        .where(literal_column(index.name).op("MATCH")(matching), *conditions)
    )
    if in_tab_only:
        statement = statement.where(Comment.status == status)
    return index, statement


def _sqlite_moved_matches(
    session: Session,
    matching: str,
    status: CommentStatus,
    before_id: int | None,
    oldest_first: bool,
) -> list[int]:
    """Noted comments whose words match, indexed under a status other than ``status``.

    One pass over the word's matches in each index that noted comments' words are in,
    probing the (small) noted table: 10-20 ms for a word in half the comments, and
    nothing at all while no comment waits. Looking each noted comment up in the index
    instead costs ~1 ms apiece for a prefix (FTS5 merges the prefix's terms each time).
    """
    waiting = set(session.scalars(select(_MOVED.c.indexed_status).distinct()))
    found: list[int] = []
    for indexed_status in CommentStatus:
        if indexed_status is status or indexed_status.value not in waiting:
            continue
        index = table(sqlite_search_table(indexed_status), column("rowid"))
        statement = (
            select(_MOVED.c.comment_id)
            .select_from(index)
            .join(_MOVED, _MOVED.c.comment_id == index.c.rowid)
            .where(
                literal_column(index.name).op("MATCH")(matching),
                _MOVED.c.indexed_status == indexed_status.value,
            )
        )
        if before_id is not None:
            noted = _MOVED.c.comment_id
            statement = statement.where(noted > before_id if oldest_first else noted < before_id)
        found.extend(int(key) for key in session.scalars(statement))
    return found


# How many of a view's nearest comments a PostgreSQL search tests one by one before
# asking the full-text index for every older match instead (see _postgres_search_keys).
RECENT_SEARCH_ROWS = 10_000


def _postgres_search_keys(
    query: QueueQuery,
    session: Session,
    *,
    before_id: int | None,
    limit: int | None,
    oldest_first: bool,
) -> list[QueueKey]:
    """A search's next ``limit`` matches on PostgreSQL, newest first (or oldest first).

    The planner cannot tell a rare word from a common one here (tsquery selectivity
    is a guess), and each plan alone is slow for one of them: walking the view's
    comments in order and testing each document is instant for a common word but
    reads every row for a word that is nowhere; collecting every match from the GIN
    index is instant for a rare word but fetches hundreds of thousands of rows for a
    common one. So: test the view's nearest ``RECENT_SEARCH_ROWS`` comments in order
    (the view's, not the table's: a tab whose newest comments were all moderated
    away still finds its matches at once), and only when they hold fewer than
    ``limit`` matches collect the older matches from the index and sort them.
    """
    if limit is None:
        return _postgres_all_matches(query, session, before_id=before_id, oldest_first=oldest_first)
    # Starting parallel workers costs ~10 ms, more than a whole first page takes alone.
    session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    conditions = _conditions(query, session, query.tab.status)
    if before_id is not None:
        conditions.append(Comment.id > before_id if oldest_first else Comment.id < before_id)
    order = Comment.id.asc() if oldest_first else Comment.id.desc()
    walked = (
        select(Comment.id.label("id"), Comment.created_at.label("created_at"))
        .where(*conditions)
        .order_by(order)
        .limit(RECENT_SEARCH_ROWS)
        .subquery("walked")
    )
    matching = _SEARCH_DOCUMENT.c.document.op("@@")(_postgres_tsquery(query))
    recent = (
        select(walked.c.created_at, walked.c.id)
        .join(_SEARCH_DOCUMENT, _SEARCH_DOCUMENT.c.comment_id == walked.c.id)
        .where(matching)
        .order_by(walked.c.id.asc() if oldest_first else walked.c.id.desc())
        .limit(limit)
    )
    # One document lookup per walked row: a merge join would read the documents in id
    # order until the first match, i.e. all million of them for a word that is nowhere.
    session.execute(text("SET LOCAL enable_mergejoin = off"))
    session.execute(text("SET LOCAL enable_hashjoin = off"))
    found = [QueueKey(moment, CommentId(key)) for moment, key in session.execute(recent)]
    session.execute(text("RESET enable_mergejoin"))
    session.execute(text("RESET enable_hashjoin"))
    if len(found) >= limit:
        return found
    # Everything past the walked rows (none if the walk reached the end of the view). The
    # boundary is read first: as a parameter the planner would guess its selectivity.
    boundary = session.scalar(
        select(func.max(walked.c.id) if oldest_first else func.min(walked.c.id))
    )
    if boundary is None:
        return found
    older_matches = _postgres_index_matches(
        query, lambda key: key > boundary if oldest_first else key < boundary
    )
    older = (
        select(Comment.created_at, Comment.id)
        .select_from(older_matches)
        .join(Comment, Comment.id == older_matches.c.comment_id)
        .where(*conditions)
        .order_by(order)
        .limit(limit - len(found))
    )
    found.extend(QueueKey(moment, CommentId(key)) for moment, key in session.execute(older))
    return found


def _postgres_all_matches(
    query: QueueQuery, session: Session, *, before_id: int | None, oldest_first: bool
) -> list[QueueKey]:
    beyond = None
    if before_id is not None:
        beyond = lambda key: key > before_id if oldest_first else key < before_id  # noqa: E731
    statement = _postgres_matching_comments(
        query, session, beyond, Comment.created_at, Comment.id
    ).order_by(Comment.id.asc() if oldest_first else Comment.id.desc())
    return [QueueKey(moment, CommentId(key)) for moment, key in session.execute(statement)]


def _postgres_matching_comments(
    query: QueueQuery,
    session: Session,
    beyond: Callable[[Any], ColumnElement[bool]] | None,
    *columns: Any,
) -> _AnySelect:
    matches = _postgres_index_matches(query, beyond)
    return (
        select(*columns)
        .select_from(matches)
        .join(Comment, Comment.id == matches.c.comment_id)
        .where(*_conditions(query, session, query.tab.status))
    )


def _postgres_index_matches(
    query: QueueQuery, beyond: Callable[[Any], ColumnElement[bool]] | None
) -> Any:
    """Ids of the comments whose documents match, from the tab's statuses' GIN indexes, plus
    the comments noted as moved whose words are still indexed under another status.

    Some of these have left the tab since: the caller's status condition drops them.
    """
    search_id = _SEARCH_DOCUMENT.c.comment_id
    matching = _SEARCH_DOCUMENT.c.document.op("@@")(_postgres_tsquery(query))
    statuses = _tab_statuses(query.tab)
    parts: list[_AnySelect] = []
    for status in statuses:
        # A literal, not a parameter: the planner matches it to the partial index.
        indexed_here = _SEARCH_DOCUMENT.c.indexed_status == literal_column(f"'{status.value}'")
        part = select(search_id).where(matching, indexed_here)
        if beyond is not None:
            part = part.where(beyond(search_id))
        parts.append(part)
    if len(statuses) == 1:
        # One document lookup per noted comment (a correlated subquery cannot become a
        # scan of every document).
        indexed_elsewhere = _SEARCH_DOCUMENT.c.indexed_status != literal_column(
            f"'{statuses[0].value}'"
        )
        document_matches = (
            select(matching)
            .where(search_id == _MOVED.c.comment_id, indexed_elsewhere)
            .scalar_subquery()
        )
        moved = select(_MOVED.c.comment_id).where(document_matches)
        if beyond is not None:
            moved = moved.where(beyond(_MOVED.c.comment_id))
        parts.append(moved)
    # MATERIALIZED keeps the planner from turning this back into an ordered walk.
    return union_all(*parts).cte("index_matches").prefix_with("MATERIALIZED")


def status_counts(*, session: Session) -> dict[QueueTab, int]:
    """Comments per tab (the "All" tab is their sum).

    PostgreSQL reads the counts its triggers keep; SQLite counts each status on
    its index (tens of milliseconds at a million comments).
    """
    counts: dict[QueueTab, int] = {}
    if _is_postgres(session):
        kept = dict(session.execute(select(_STATUS_COUNT.c.status, _STATUS_COUNT.c.comments)).all())
        for status in CommentStatus:
            counts[QueueTab(status.value)] = int(kept.get(status.value, 0))
        counts[QueueTab.ALL] = sum(counts.values())
        return counts
    for status in CommentStatus:
        counts[QueueTab(status.value)] = int(
            session.scalar(
                select(func.count()).select_from(Comment).where(Comment.status == status)
            )
            or 0
        )
    counts[QueueTab.ALL] = sum(counts.values())
    return counts


def count(query: QueueQuery, *, session: Session, cap: int | None = None) -> int:
    """Comments in a view; with ``cap``, counting stops there (a common search word)."""
    if not query.is_search and query == QueueQuery(tab=query.tab):
        return status_counts(session=session)[query.tab]
    if query.is_search:
        return _search_count(query, session, cap)
    inner = select(Comment.id).where(*_conditions(query, session, query.tab.status))
    if cap is not None:
        inner = inner.limit(cap)
    return int(session.scalar(select(func.count()).select_from(inner.subquery())) or 0)


def _search_count(query: QueueQuery, session: Session, cap: int | None) -> int:
    """Counted in SQL: a common word matches hundreds of thousands of comments."""

    def counted(matches: _AnySelect) -> int:
        if cap is not None:
            matches = matches.limit(cap)
        return int(session.scalar(select(func.count()).select_from(matches.subquery())) or 0)

    if _is_postgres(session):
        return counted(_postgres_matching_comments(query, session, None, Comment.id))
    matching = _fts5_query(query.search_terms)
    statuses = _tab_statuses(query.tab)
    conditions = _conditions(query, session, None)
    if len(statuses) == 1 and _waiting_elsewhere(session, statuses[0]):
        # Only until the moved comments' words are moved (a moment after an action).
        keys = _sqlite_search_keys(query, session, before_id=None, limit=cap, oldest_first=False)
        return len(keys)
    total = 0
    for status in statuses:
        _, matches = _sqlite_index_matches(
            status, matching, conditions, len(statuses) == 1, Comment.id
        )
        total += counted(matches)
        if cap is not None and total >= cap:
            return cap
    return total


def _waiting_elsewhere(session: Session, status: CommentStatus) -> bool:
    return (
        session.scalar(
            select(_MOVED.c.comment_id).where(_MOVED.c.indexed_status != status.value).limit(1)
        )
        is not None
    )


def _ordered(statement: _AnySelect, *, oldest_first: bool) -> _AnySelect:
    if oldest_first:
        return statement.order_by(Comment.created_at.asc(), Comment.id.asc())
    return statement.order_by(Comment.created_at.desc(), Comment.id.desc())


def _after(key: QueueKey, *, oldest_first: bool) -> ColumnElement[bool]:
    # "created_at <= c" is what an index range can use; the rest filters the ties.
    if oldest_first:
        return and_(
            Comment.created_at >= key.created_at,
            or_(Comment.created_at > key.created_at, Comment.id > key.id),
        )
    return and_(
        Comment.created_at <= key.created_at,
        or_(Comment.created_at < key.created_at, Comment.id < key.id),
    )


def page(
    query: QueueQuery,
    *,
    session: Session,
    after: QueueKey | None = None,
    limit: int = 100,
    oldest_first: bool = False,
) -> list[QueueKey]:
    """The next ``limit`` comments after ``after`` (keyset), newest first unless ``oldest_first``.

    ``oldest_first=True`` from ``after=None`` is "jump to the end" (reverse it to show).
    """
    if query.is_search:
        return _search_keys(
            query,
            session,
            before_id=None if after is None else int(after.id),
            limit=limit,
            oldest_first=oldest_first,
        )
    statuses = _tab_statuses(query.tab)
    merged: list[QueueKey] = []
    for status in statuses:
        status_statement: _AnySelect = select(Comment.created_at, Comment.id)
        status_statement = status_statement.where(*_conditions(query, session, status))
        if after is not None:
            status_statement = status_statement.where(_after(after, oldest_first=oldest_first))
        status_statement = _ordered(status_statement, oldest_first=oldest_first).limit(limit)
        merged.extend(
            QueueKey(moment, CommentId(found))
            for moment, found in session.execute(status_statement)
        )
    if len(statuses) == 1:
        return merged
    if oldest_first:
        return heapq.nsmallest(limit, merged)
    return heapq.nlargest(limit, merged)


def window(
    query: QueueQuery,
    *,
    session: Session,
    offset: int,
    limit: int,
    total: int | None = None,
) -> list[CommentId]:
    """Ids at rows ``offset .. offset+limit`` of the newest-first order.

    With ``total`` (from ``count``) a window past the middle is read from the
    oldest end, so jumping to the end costs what the first page costs.
    """
    if offset < 0 or limit <= 0:
        return []
    from_end = total is not None and offset + limit / 2 > total / 2
    if from_end:
        assert total is not None
        end_offset = max(0, total - offset - limit)
        end_limit = min(limit, total - offset)
        if end_limit <= 0:
            return []
        if end_offset == 0 and not query.is_search:
            keys = page(query, session=session, limit=end_limit, oldest_first=True)
            return [key.id for key in reversed(keys)]
        ids = _offset_ids(query, session, end_offset, end_limit, oldest_first=True)
        return list(reversed(ids))
    if offset == 0 and not query.is_search:
        return [key.id for key in page(query, session=session, limit=limit)]
    return _offset_ids(query, session, offset, limit, oldest_first=False)


def _offset_ids(
    query: QueueQuery, session: Session, offset: int, limit: int, *, oldest_first: bool
) -> list[CommentId]:
    if query.is_search:
        keys = _search_keys(
            query, session, before_id=None, limit=offset + limit, oldest_first=oldest_first
        )
        return [key.id for key in keys[offset:]]
    statement = _ordered(
        select(Comment.id).where(*_conditions(query, session, query.tab.status)),
        oldest_first=oldest_first,
    )
    return [CommentId(found) for found in session.scalars(statement.offset(offset).limit(limit))]


def queue_ids(query: QueueQuery, *, session: Session, limit: int | None = None) -> list[CommentId]:
    """Every id of a view in order, for a model that holds them all (~8 bytes each)."""
    if query.is_search:
        keys = _search_keys(query, session, before_id=None, limit=limit, oldest_first=False)
        return [key.id for key in keys]
    statement = _ordered(
        select(Comment.id).where(*_conditions(query, session, query.tab.status)),
        oldest_first=False,
    )
    if limit is not None:
        statement = statement.limit(limit)
    return [CommentId(found) for found in session.scalars(statement)]


def rows(ids: Sequence[int], *, session: Session) -> list[QueueRow]:
    """What the table shows for these ids, in the order given; unknown ids are left out."""
    found: dict[int, QueueRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        statement = (
            select(
                Comment.id,
                Comment.status,
                Comment.author_name,
                Comment.author_email,
                # Never load a 1 MB body for one table row.
                func.substr(Comment.body, 1, EXCERPT_CHARS * 2).label("excerpt"),
                Comment.article_id,
                Article.title,
                Comment.created_at,
                Comment.spam_score,
                Comment.reasons,
                Comment.parent_id,
            )
            .join(Article, Article.id == Comment.article_id)
            .where(Comment.id.in_(chunk))
        )
        for row in session.execute(statement):
            found[row.id] = QueueRow(
                id=CommentId(row.id),
                status=row.status,
                author_name=row.author_name,
                author_email=row.author_email,
                excerpt=excerpt(row.excerpt or ""),
                article_id=row.article_id,
                article_title=row.title,
                created_at=row.created_at,
                spam_score=row.spam_score,
                reasons=tuple(row.reasons or ()),
                parent_id=row.parent_id,
            )
    return [found[comment_id] for comment_id in ids if comment_id in found]


def latest_comment_id(*, session: Session) -> int:
    """Where polling starts: the newest id now (0 for an empty store)."""
    return int(session.scalar(select(func.max(Comment.id))) or 0)


def comments_since(after_id: int, *, session: Session, limit: int = 10_000) -> list[CommentId]:
    """Ids of comments received after ``after_id``, oldest first: polling on SQLite.

    SQLite has one writer at a time, so ids become visible in order and a
    watermark misses nothing. (PostgreSQL uses ``notifications.listen_for_new_comments``.)
    """
    return [
        CommentId(found)
        for found in session.scalars(
            select(Comment.id).where(Comment.id > after_id).order_by(Comment.id).limit(limit)
        )
    ]


__all__ = [
    "EXCERPT_CHARS",
    "CommentDetail",
    "QueueKey",
    "QueueQuery",
    "QueueRow",
    "QueueTab",
    "ThreadEntry",
    "author_history",
    "comments_since",
    "count",
    "detail",
    "excerpt",
    "latest_comment_id",
    "page",
    "queue_ids",
    "rows",
    "status_counts",
    "thread",
    "window",
]

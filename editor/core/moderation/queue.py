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
from collections.abc import Sequence
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

_CHUNK = 900
_SEARCH_TERM = re.compile(r"\w+", re.UNICODE)
_AnySelect: TypeAlias = Select[*tuple[Any, ...]]
# Made by migration 0002 (no models: alembic leaves them alone).
_COMMENT_SEARCH = table("comment_search", column("rowid"))
_SEARCH_DOCUMENT = table("comment_search_document", column("comment_id"), column("document"))
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


def _search_select(query: QueueQuery, session: Session, *columns: Any) -> _AnySelect:
    """Matches of a search. On SQLite the FTS index drives the join (it yields rowids in
    order), so a first page of a word found in half the table costs microseconds."""
    statement: _AnySelect = select(*columns)
    if _is_postgres(session):
        statement = (
            statement.select_from(_SEARCH_DOCUMENT)
            .join(Comment, Comment.id == _SEARCH_DOCUMENT.c.comment_id)
            .where(_SEARCH_DOCUMENT.c.document.op("@@")(_postgres_tsquery(query)))
        )
    else:
        statement = (
            statement.select_from(_COMMENT_SEARCH)
            .join(Comment, Comment.id == _COMMENT_SEARCH.c.rowid)
            .where(literal_column("comment_search").op("MATCH")(_fts5_query(query.search_terms)))
        )
    return statement.where(*_conditions(query, session, query.tab.status))


def _search_id(session: Session) -> Any:
    # The column to order and page a search by: the search table's own key keeps the
    # plan driven by the full-text index.
    if _is_postgres(session):
        return _SEARCH_DOCUMENT.c.comment_id
    return _COMMENT_SEARCH.c.rowid


# How many of a view's nearest comments a PostgreSQL search tests one by one before
# asking the full-text index for every older match instead (see _postgres_search_keys).
RECENT_SEARCH_ROWS = 10_000


def _postgres_search_keys(
    query: QueueQuery,
    session: Session,
    *,
    before_id: int | None,
    limit: int,
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
    search_id = _SEARCH_DOCUMENT.c.comment_id
    beyond = search_id > boundary if oldest_first else search_id < boundary
    # MATERIALIZED keeps the planner from turning this back into an ordered walk.
    older_matches = (
        select(search_id).where(matching, beyond).cte("older_matches").prefix_with("MATERIALIZED")
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
        inner = _search_select(query, session, Comment.id)
    else:
        inner = select(Comment.id).where(*_conditions(query, session, query.tab.status))
    if cap is not None:
        inner = inner.limit(cap)
    return int(session.scalar(select(func.count()).select_from(inner.subquery())) or 0)


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
    columns = (Comment.created_at, Comment.id)
    if query.is_search and _is_postgres(session):
        return _postgres_search_keys(
            query,
            session,
            before_id=None if after is None else int(after.id),
            limit=limit,
            oldest_first=oldest_first,
        )
    if query.is_search:
        search_id = _search_id(session)
        statement = _search_select(query, session, *columns)
        if after is not None:
            statement = statement.where(
                search_id > after.id if oldest_first else search_id < after.id
            )
        statement = statement.order_by(search_id.asc() if oldest_first else search_id.desc()).limit(
            limit
        )
        return [QueueKey(moment, CommentId(found)) for moment, found in session.execute(statement)]
    statuses = [query.tab.status] if query.tab.status is not None else list(CommentStatus)
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
    if query.is_search and _is_postgres(session):
        keys = _postgres_search_keys(
            query, session, before_id=None, limit=offset + limit, oldest_first=oldest_first
        )
        return [key.id for key in keys[offset:]]
    if query.is_search:
        search_id = _search_id(session)
        statement = _search_select(query, session, Comment.id).order_by(
            search_id.asc() if oldest_first else search_id.desc()
        )
    else:
        statement = _ordered(
            select(Comment.id).where(*_conditions(query, session, query.tab.status)),
            oldest_first=oldest_first,
        )
    return [CommentId(found) for found in session.scalars(statement.offset(offset).limit(limit))]


def queue_ids(query: QueueQuery, *, session: Session, limit: int | None = None) -> list[CommentId]:
    """Every id of a view in order, for a model that holds them all (~8 bytes each)."""
    if query.is_search:
        statement = _search_select(query, session, Comment.id).order_by(_search_id(session).desc())
    else:
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

"""The comment search index: its tables, moving moderated comments' words, bulk filling.

Each comment's words are indexed under a status (migration 0003): on SQLite one
FTS5 index per status, on PostgreSQL one partial GIN index per status. A status
change only notes the comment in ``comment_search_moved``; ``index_moved_comments``
moves its words to the new status's index later, in batches, off the moderator's
path. Queries read the noted comments beside the index, so they are right meanwhile.

Inside one long SQLite transaction each row indexed by trigger costs more than
the one before: 40,000 imported comments took 22 s by trigger and 0.2 s as one
indexing statement at the end, hence ``comments_indexed_at_the_end`` for imports.
PostgreSQL's trigger already works per statement, so there is nothing to do there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from editor.core.articles.service import start_writing
from editor.core.models import CommentStatus

_INSERT_TRIGGER = "comment_search_after_insert"


def sqlite_search_table(status: CommentStatus) -> str:
    """The FTS5 index of the comments that have this status."""
    return f"comment_search_{status.value}"


# Moving the words of 2,000 comments takes ~30 ms: short enough that a view's load
# queued behind one batch in the store lane is not held up.
MOVED_BATCH = 2_000


def moved_comments_waiting(session: Session) -> int:
    """Comments whose words still sit under a status they have left."""
    return int(session.execute(text("SELECT count(*) FROM comment_search_moved")).scalar_one())


def index_moved_comments(session: Session, *, batch: int = MOVED_BATCH) -> int:
    """Moves the words of up to ``batch`` moderated comments to their status's index, in
    the caller's transaction; returns how many comments are still waiting."""
    if session.get_bind().dialect.name == "postgresql":
        # SKIP LOCKED: two moderators' apps may move batches at once, never the same rows.
        session.execute(
            text(
                """
                WITH batch AS (
                    DELETE FROM comment_search_moved WHERE comment_id IN (
                        SELECT comment_id FROM comment_search_moved
                        ORDER BY comment_id LIMIT :batch FOR UPDATE SKIP LOCKED
                    )
                    RETURNING comment_id
                )
                UPDATE comment_search_document SET indexed_status = comment.status
                FROM batch JOIN comment ON comment.id = batch.comment_id
                WHERE comment_search_document.comment_id = batch.comment_id
                  AND comment_search_document.indexed_status <> comment.status
                """
            ),
            {"batch": batch},
        )
        return moved_comments_waiting(session)
    start_writing(session)  # the batch's bounds hold while SQLite's write lock is ours
    last = session.execute(
        text(
            "SELECT max(comment_id) FROM (SELECT comment_id FROM comment_search_moved "
            "ORDER BY comment_id LIMIT :batch)"
        ),
        {"batch": batch},
    ).scalar_one()
    if last is None:
        return 0
    # CROSS JOIN and "+" make SQLite look the noted ids up: left to itself it walks every
    # comment below the batch's last id, or every comment with the status.
    for status in CommentStatus:
        index = sqlite_search_table(status)
        session.execute(
            text(
                f"INSERT INTO {index} ({index}, rowid, author_name, body) "
                "SELECT 'delete', comment.id, comment.author_name, comment.body "
                "FROM comment_search_moved CROSS JOIN comment ON comment.id = comment_id "
                "WHERE comment_id <= :last AND indexed_status = :status "
                "AND comment.status <> :status"
            ),
            {"last": last, "status": status.value},
        )
    for status in CommentStatus:
        session.execute(
            text(
                f"INSERT INTO {sqlite_search_table(status)} (rowid, author_name, body) "
                "SELECT comment.id, comment.author_name, comment.body "
                "FROM comment_search_moved CROSS JOIN comment ON comment.id = comment_id "
                "WHERE comment_id <= :last AND +comment.status = :status "
                "AND indexed_status <> :status"
            ),
            {"last": last, "status": status.value},
        )
    session.execute(
        text("DELETE FROM comment_search_moved WHERE comment_id <= :last"), {"last": last}
    )
    return moved_comments_waiting(session)


def sqlite_indexing_statements(newer_than: int = 0) -> list[str]:
    """SQL that indexes every comment with an id above ``newer_than``, one pass per status.

    For comments the triggers did not index (set aside for a bulk load); plain SQL so a
    raw DB-API cursor can run it as well as a session.
    """
    return [
        f"INSERT INTO {sqlite_search_table(status)} (rowid, author_name, body) "
        f"SELECT id, author_name, body FROM comment "
        f"WHERE id > {int(newer_than)} AND status = '{status.value}'"
        for status in CommentStatus
    ]


@contextmanager
def comments_indexed_at_the_end(session: Session) -> Iterator[None]:
    """Comments inserted in the block become searchable in one pass when it ends.

    The insert trigger is set aside inside the caller's transaction (holding SQLite's
    write lock, so no other writer adds a comment meanwhile) and put back with its own
    SQL. On an exception nothing is put back: the caller rolls the transaction back,
    and the trigger with it. Their status may change within the block, but not their
    text, nor may they be deleted (the triggers would unindex words never indexed).
    """
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    start_writing(session)  # DDL outside a transaction would commit at once
    trigger_sql = session.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": _INSERT_TRIGGER},
    ).scalar_one_or_none()
    if trigger_sql is None:  # already set aside by an enclosing block
        yield
        return
    newest_before = session.execute(text("SELECT coalesce(max(id), 0) FROM comment")).scalar_one()
    session.execute(text(f"DROP TRIGGER {_INSERT_TRIGGER}"))
    yield
    session.flush()
    for statement in sqlite_indexing_statements(newest_before):
        session.execute(text(statement))
    # Their words are now under their current status, whatever a status change in the
    # block noted.
    session.execute(
        text("DELETE FROM comment_search_moved WHERE comment_id > :newest_before"),
        {"newest_before": newest_before},
    )
    session.execute(text(trigger_sql))

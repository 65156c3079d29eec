"""The comment search index while many comments are inserted at once (an import).

SQLite's FTS5 index is kept by a row trigger, and inside one long transaction each
indexed row costs more than the one before: 40,000 imported comments took 22 s by
trigger and 0.2 s as one indexing statement at the end. PostgreSQL's trigger already
works per statement, so there is nothing to do there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from editor.core.articles.service import start_writing

_INSERT_TRIGGER = "comment_search_after_insert"


@contextmanager
def comments_indexed_at_the_end(session: Session) -> Iterator[None]:
    """Comments inserted in the block become searchable in one pass when it ends.

    The insert trigger is set aside inside the caller's transaction (holding SQLite's
    write lock, so no other writer adds a comment meanwhile) and put back with its own
    SQL. On an exception nothing is put back: the caller rolls the transaction back,
    and the trigger with it. Do not delete comments inserted in the block within it.
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
    session.execute(
        text(
            "INSERT INTO comment_search (rowid, author_name, body) "
            "SELECT id, author_name, body FROM comment WHERE id > :newest_before"
        ),
        {"newest_before": newest_before},
    )
    session.execute(text(trigger_sql))

"""comment search that knows each comment's status

A search in one tab for a word common in another (a spam word searched in
Pending) read every match of the word to prove that none was in the tab: 85 ms on
SQLite and 300 ms on PostgreSQL at a million comments. The index now keeps each
comment's words under the status it had when they were indexed:

- SQLite: one contentless FTS5 index per status, ``comment_search_<status>``,
  replacing ``comment_search``.
- PostgreSQL: ``comment_search_document.indexed_status`` and one partial GIN
  index per status, replacing the single GIN index.

Moving words from one status's index to another costs about 14 ms per thousand
comments, which would push a 10,000-comment bulk action past its 0.5 s. So a
status change only notes the comment in ``comment_search_moved`` (SQLite with the
status its words are indexed under; PostgreSQL reads that from the document), and
``editor.core.moderation.search_index.index_moved_comments`` moves the words later,
in batches, off the moderator's path. Searches read the moved comments beside the
tab's index, so they are right before and after.

Editing a comment's text re-indexes it under its current status at once. A new
comment status needs an index here.

Revision ID: 0003
Revises: 0002
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The statuses of migration 0001's comment_status enum; frozen here, as migrations are.
_STATUSES = ("pending", "approved", "spam", "trash")
_TEXT_CHANGED = "(old.author_name IS NOT new.author_name OR old.body IS NOT new.body)"
# Where a comment's words are: the status noted when it moved, else its status.
_INDEXED_STATUS = (
    "coalesce((SELECT indexed_status FROM comment_search_moved "
    "WHERE comment_id = old.id), old.status)"
)


def _index(status: str) -> str:
    return f"comment_search_{status}"


def _add_new_words() -> str:
    return "\n".join(
        f"INSERT INTO {_index(status)} (rowid, author_name, body) "
        f"SELECT new.id, new.author_name, new.body WHERE new.status = '{status}';"
        for status in _STATUSES
    )


def _remove_old_words() -> str:
    # A contentless index forgets a row only when given the very words it indexed.
    return "\n".join(
        f"INSERT INTO {_index(status)} ({_index(status)}, rowid, author_name, body) "
        f"SELECT 'delete', old.id, old.author_name, old.body "
        f"WHERE {_INDEXED_STATUS} = '{status}';"
        for status in _STATUSES
    )


SQLITE_UPGRADE = (
    "DROP TRIGGER IF EXISTS comment_search_after_update",
    "DROP TRIGGER IF EXISTS comment_search_after_delete",
    "DROP TRIGGER IF EXISTS comment_search_after_insert",
    "DROP TABLE IF EXISTS comment_search",
    # unicode61 with diacritics folded: "cafe" finds "café"; works for any script.
    *(
        f"""
        CREATE VIRTUAL TABLE {_index(status)} USING fts5(
            author_name, body, content='', tokenize='unicode61 remove_diacritics 2'
        )
        """
        for status in _STATUSES
    ),
    """
    CREATE TABLE comment_search_moved (
        comment_id INTEGER PRIMARY KEY,
        indexed_status VARCHAR(16) NOT NULL
    )
    """,
    f"CREATE TRIGGER comment_search_after_insert AFTER INSERT ON comment BEGIN\n"
    f"{_add_new_words()}\nEND",
    f"""
    CREATE TRIGGER comment_search_after_delete AFTER DELETE ON comment BEGIN
    {_remove_old_words()}
    DELETE FROM comment_search_moved WHERE comment_id = old.id;
    END
    """,
    # Two update triggers that never both fire, so their order cannot matter.
    f"""
    CREATE TRIGGER comment_search_after_text_update
    AFTER UPDATE OF status, author_name, body ON comment WHEN {_TEXT_CHANGED}
    BEGIN
    {_remove_old_words()}
    DELETE FROM comment_search_moved WHERE comment_id = old.id;
    {_add_new_words()}
    END
    """,
    # OR IGNORE: a comment moved twice keeps the status its words are still under.
    f"""
    CREATE TRIGGER comment_search_after_status_update AFTER UPDATE OF status ON comment
    WHEN old.status IS NOT new.status AND NOT {_TEXT_CHANGED}
    BEGIN
    INSERT OR IGNORE INTO comment_search_moved (comment_id, indexed_status)
    VALUES (old.id, old.status);
    END
    """,
    *(
        f"INSERT INTO {_index(status)} (rowid, author_name, body) "
        f"SELECT id, author_name, body FROM comment WHERE status = '{status}'"
        for status in _STATUSES
    ),
)

SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS comment_search_after_status_update",
    "DROP TRIGGER IF EXISTS comment_search_after_text_update",
    "DROP TRIGGER IF EXISTS comment_search_after_delete",
    "DROP TRIGGER IF EXISTS comment_search_after_insert",
    "DROP TABLE IF EXISTS comment_search_moved",
    *(f"DROP TABLE IF EXISTS {_index(status)}" for status in _STATUSES),
)

_POSTGRESQL_DOCUMENT = (
    # As in migration 0002: a tsvector is limited to 1 MB.
    "to_tsvector('simple'::regconfig, left({row}.author_name || ' ' || {row}.body, 100000))"
)

POSTGRESQL_UPGRADE = (
    "DROP INDEX comment_search_document_gin",
    "ALTER TABLE comment_search_document ADD COLUMN indexed_status varchar(16)",
    """
    UPDATE comment_search_document SET indexed_status = comment.status
    FROM comment WHERE comment.id = comment_search_document.comment_id
    """,
    "ALTER TABLE comment_search_document ALTER COLUMN indexed_status SET NOT NULL",
    *(
        f"CREATE INDEX {_index(status)}_gin ON comment_search_document "
        f"USING gin (document) WHERE indexed_status = '{status}'"
        for status in _STATUSES
    ),
    # No foreign key: its check would cost a lookup per moved comment; the batches
    # that move the words drop the notes of deleted comments.
    "CREATE TABLE comment_search_moved (comment_id integer PRIMARY KEY)",
    f"""
    CREATE OR REPLACE FUNCTION comment_search_document_after_insert()
    RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO comment_search_document (comment_id, indexed_status, document)
        SELECT inserted_rows.id, inserted_rows.status,
               {_POSTGRESQL_DOCUMENT.format(row="inserted_rows")}
        FROM inserted_rows;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION comment_search_document_after_update()
    RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE comment_search_document
        SET document = {_POSTGRESQL_DOCUMENT.format(row="NEW")}, indexed_status = NEW.status
        WHERE comment_id = NEW.id;
        DELETE FROM comment_search_moved WHERE comment_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION comment_search_moved_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- EXCEPT hashes both sides; a join of transition tables (no statistics, no
        -- index) was planned as a nested loop: 3.8 s for 10,000 rows.
        INSERT INTO comment_search_moved (comment_id)
        SELECT changed.id FROM (
            SELECT id, status FROM new_rows EXCEPT SELECT id, status FROM old_rows
        ) AS changed
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER comment_search_moved_after_update AFTER UPDATE ON comment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comment_search_moved_after_update()
    """,
)

POSTGRESQL_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS comment_search_moved_after_update ON comment",
    "DROP FUNCTION IF EXISTS comment_search_moved_after_update()",
    "DROP TABLE IF EXISTS comment_search_moved",
    *(f"DROP INDEX IF EXISTS {_index(status)}_gin" for status in _STATUSES),
    "ALTER TABLE comment_search_document DROP COLUMN indexed_status",
    "CREATE INDEX comment_search_document_gin ON comment_search_document USING gin (document)",
)


def _migration_0002() -> ModuleType:
    path = Path(__file__).with_name("0002_comment_search.py")
    spec = importlib.util.spec_from_file_location("newsdesk_migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UPGRADE)


def downgrade() -> None:
    previous = _migration_0002()
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWNGRADE)
        # Back to migration 0002's single index, made by 0002's own SQL.
        _run(previous.SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DOWNGRADE)
        # 0002's trigger functions, which know nothing of indexed_status.
        _run(
            [
                statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
                for statement in previous.POSTGRESQL_UPGRADE
                if "CREATE FUNCTION comment_search_document_after_" in statement
            ]
        )

"""comment search and new-comment notifications

Objects the models cannot describe, made here only (their names start with a
prefix in ``MIGRATION_ONLY_PREFIXES`` so ``alembic check`` leaves them alone):

- SQLite: ``comment_search``, an FTS5 index over ``comment`` (external content,
  so bodies are stored once) kept in step by three triggers. A later migration
  that rebuilds ``comment`` with ``batch_alter_table`` drops these triggers and
  must create them again.
- PostgreSQL: ``comment_search_gin``, a GIN index over the same tsvector
  expression ``editor.core.moderation.search`` queries (they must match
  character for character for the planner to use it), and a statement-level
  trigger that NOTIFYs ``newsdesk_comment_inserted`` with ``"<min id>-<max id>"``
  of each INSERT, so other moderators' queues learn of new comments at once.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = (
    # unicode61 with diacritics folded: "cafe" finds "café"; works for any script.
    """
    CREATE VIRTUAL TABLE comment_search USING fts5(
        author_name, body,
        content='comment', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER comment_search_after_insert AFTER INSERT ON comment BEGIN
        INSERT INTO comment_search(rowid, author_name, body)
        VALUES (new.id, new.author_name, new.body);
    END
    """,
    """
    CREATE TRIGGER comment_search_after_delete AFTER DELETE ON comment BEGIN
        INSERT INTO comment_search(comment_search, rowid, author_name, body)
        VALUES ('delete', old.id, old.author_name, old.body);
    END
    """,
    # Only when searchable text changes: status changes (moderation) skip the index.
    """
    CREATE TRIGGER comment_search_after_update AFTER UPDATE OF author_name, body ON comment BEGIN
        INSERT INTO comment_search(comment_search, rowid, author_name, body)
        VALUES ('delete', old.id, old.author_name, old.body);
        INSERT INTO comment_search(rowid, author_name, body)
        VALUES (new.id, new.author_name, new.body);
    END
    """,
    "INSERT INTO comment_search(comment_search) VALUES ('rebuild')",
)

SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS comment_search_after_update",
    "DROP TRIGGER IF EXISTS comment_search_after_delete",
    "DROP TRIGGER IF EXISTS comment_search_after_insert",
    "DROP TABLE IF EXISTS comment_search",
)

POSTGRESQL_UPGRADE = (
    # left(): a tsvector is limited to 1 MB, and a 1 MB comment must still be stored.
    """
    CREATE INDEX comment_search_gin ON comment USING gin (
        to_tsvector('simple'::regconfig, left(author_name || ' ' || body, 100000))
    )
    """,
    """
    CREATE FUNCTION comment_notify_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        id_range text;
    BEGIN
        SELECT min(id)::text || '-' || max(id)::text INTO id_range FROM inserted_rows;
        IF id_range IS NOT NULL THEN
            PERFORM pg_notify('newsdesk_comment_inserted', id_range);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER comment_notify_inserted AFTER INSERT ON comment
    REFERENCING NEW TABLE AS inserted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comment_notify_inserted()
    """,
)

POSTGRESQL_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS comment_notify_inserted ON comment",
    "DROP FUNCTION IF EXISTS comment_notify_inserted()",
    "DROP INDEX IF EXISTS comment_search_gin",
)


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
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWNGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DOWNGRADE)

"""comment search and new-comment notifications

Objects the models cannot describe, made here only (their names start with a
prefix in ``MIGRATION_ONLY_PREFIXES`` so ``alembic check`` leaves them alone):

- SQLite: ``comment_search``, an FTS5 index over ``comment`` (external content,
  so bodies are stored once) kept in step by three triggers. A later migration
  that rebuilds ``comment`` with ``batch_alter_table`` drops these triggers and
  must create them again.
- PostgreSQL: ``comment_search_document`` (a tsvector per comment, GIN-indexed,
  kept by triggers); ``comment_status_count`` (comments per status, kept by
  statement-level triggers, because COUNT(*) over a million rows is slow there);
  and a statement-level trigger that NOTIFYs ``newsdesk_comment_inserted`` with
  ``"<min id>-<max id>"`` of each INSERT, so other moderators' queues learn of
  new comments at once. A new comment status needs a row in
  ``comment_status_count``.

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

_POSTGRESQL_DOCUMENT = (
    # left(): a tsvector is limited to 1 MB, and a 1 MB comment must still be stored.
    "to_tsvector('simple'::regconfig, left({row}.author_name || ' ' || {row}.body, 100000))"
)

POSTGRESQL_UPGRADE = (
    # Search documents live beside the comment, not in an index on it: a status change
    # then rewrites no tsvector (an expression index would be rebuilt for every
    # moderated row, as status is indexed and such updates are never HOT).
    """
    CREATE TABLE comment_search_document (
        comment_id integer PRIMARY KEY REFERENCES comment (id) ON DELETE CASCADE,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX comment_search_document_gin ON comment_search_document USING gin (document)",
    f"""
    CREATE FUNCTION comment_search_document_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO comment_search_document (comment_id, document)
        SELECT inserted_rows.id, {_POSTGRESQL_DOCUMENT.format(row="inserted_rows")}
        FROM inserted_rows;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER comment_search_document_after_insert AFTER INSERT ON comment
    REFERENCING NEW TABLE AS inserted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comment_search_document_after_insert()
    """,
    f"""
    CREATE FUNCTION comment_search_document_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE comment_search_document SET document = {_POSTGRESQL_DOCUMENT.format(row="NEW")}
        WHERE comment_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER comment_search_document_after_update AFTER UPDATE OF author_name, body
    ON comment FOR EACH ROW
    WHEN (OLD.author_name IS DISTINCT FROM NEW.author_name OR OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION comment_search_document_after_update()
    """,
    f"""
    INSERT INTO comment_search_document (comment_id, document)
    SELECT comment.id, {_POSTGRESQL_DOCUMENT.format(row="comment")} FROM comment
    """,
    # Counts per status, kept by the statements that change them: COUNT(*) over a
    # million rows takes ~200 ms on PostgreSQL. Every counting statement locks all
    # four rows in one order, so concurrent writers queue instead of deadlocking.
    """
    CREATE TABLE comment_status_count (
        status varchar(16) PRIMARY KEY,
        comments bigint NOT NULL
    )
    """,
    """
    INSERT INTO comment_status_count (status, comments)
    SELECT statuses.status, count(comment.id)
    FROM (VALUES ('pending'), ('approved'), ('spam'), ('trash')) AS statuses (status)
    LEFT JOIN comment ON comment.status = statuses.status
    GROUP BY statuses.status
    """,
    """
    CREATE FUNCTION comment_status_count_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM comment_status_count ORDER BY status FOR UPDATE;
        UPDATE comment_status_count AS counted SET comments = counted.comments + delta.n
        FROM (SELECT status, count(*) AS n FROM changed_rows GROUP BY status) AS delta
        WHERE counted.status = delta.status;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION comment_status_count_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM comment_status_count ORDER BY status FOR UPDATE;
        UPDATE comment_status_count AS counted SET comments = counted.comments - delta.n
        FROM (SELECT status, count(*) AS n FROM changed_rows GROUP BY status) AS delta
        WHERE counted.status = delta.status;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION comment_status_count_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id
            WHERE new_rows.status <> old_rows.status
        ) THEN
            RETURN NULL;
        END IF;
        PERFORM 1 FROM comment_status_count ORDER BY status FOR UPDATE;
        UPDATE comment_status_count AS counted SET comments = counted.comments + delta.n
        FROM (
            SELECT status, sum(n) AS n FROM (
                SELECT status, 1 AS n FROM new_rows
                UNION ALL
                SELECT status, -1 AS n FROM old_rows
            ) AS moves
            GROUP BY status
            HAVING sum(n) <> 0
        ) AS delta
        WHERE counted.status = delta.status;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER comment_status_count_after_insert AFTER INSERT ON comment
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comment_status_count_after_insert()
    """,
    """
    CREATE TRIGGER comment_status_count_after_delete AFTER DELETE ON comment
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comment_status_count_after_delete()
    """,
    """
    CREATE TRIGGER comment_status_count_after_update AFTER UPDATE ON comment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comment_status_count_after_update()
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
    "DROP TRIGGER IF EXISTS comment_status_count_after_update ON comment",
    "DROP TRIGGER IF EXISTS comment_status_count_after_delete ON comment",
    "DROP TRIGGER IF EXISTS comment_status_count_after_insert ON comment",
    "DROP FUNCTION IF EXISTS comment_status_count_after_update()",
    "DROP FUNCTION IF EXISTS comment_status_count_after_delete()",
    "DROP FUNCTION IF EXISTS comment_status_count_after_insert()",
    "DROP TABLE IF EXISTS comment_status_count",
    "DROP TRIGGER IF EXISTS comment_search_document_after_update ON comment",
    "DROP TRIGGER IF EXISTS comment_search_document_after_insert ON comment",
    "DROP FUNCTION IF EXISTS comment_search_document_after_update()",
    "DROP FUNCTION IF EXISTS comment_search_document_after_insert()",
    "DROP TABLE IF EXISTS comment_search_document",
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

"""Alembic migrations: the only way a store's schema is made or changed.

``SCHEMA_HEAD`` lets an up-to-date store open without importing Alembic;
``tests/core/test_migrations.py`` checks it names the newest migration.
"""

SCHEMA_HEAD = "0004"

# Tables, indexes and triggers that only a migration can describe (an SQLite
# FTS5 index and its shadow tables, PostgreSQL expression indexes): ``alembic
# check`` skips names with these prefixes instead of asking to drop them.
MIGRATION_ONLY_PREFIXES = ("comment_search", "comment_status_count")

"""Alembic migrations: the only way a store's schema is made or changed.

``SCHEMA_HEAD`` lets an up-to-date store open without importing Alembic;
``tests/core/test_migrations.py`` checks it names the newest migration.
"""

SCHEMA_HEAD = "0001"

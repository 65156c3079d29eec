"""Models and migrations never drift; the fast-path head constant names the newest migration."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory

from editor.core.migrations import SCHEMA_HEAD
from editor.core.store import MIGRATIONS_DIR, Store, alembic_config


def test_schema_head_constant_is_the_single_alembic_head() -> None:
    heads = ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()
    assert heads == [SCHEMA_HEAD]


def test_alembic_check_finds_no_difference_between_models_and_migrations(store: Store) -> None:
    with store.engine.begin() as connection:
        command.check(alembic_config(connection=connection))


def test_migrations_go_down_and_up_again(store: Store) -> None:
    with store.engine.begin() as connection:
        config = alembic_config(connection=connection)
        command.downgrade(config, "base")
        command.upgrade(config, "head")
    assert store.schema_revision() == SCHEMA_HEAD

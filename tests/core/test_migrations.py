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


def test_the_parent_index_holds_replies_only(store: Store) -> None:
    # A million NULL parents made every status change write into this index.
    from sqlalchemy import text

    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            definition = connection.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = 'ix_comment_parent_id'")
            )
        else:
            definition = connection.scalar(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_comment_parent_id'")
            )
    assert "parent_id IS NOT NULL" in " ".join(str(definition).split()).replace("(", "").replace(
        ")", ""
    )

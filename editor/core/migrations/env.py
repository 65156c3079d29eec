"""Alembic environment: runs against the connection the store hands over."""

from alembic import context
from sqlalchemy import Connection, create_engine

from editor.core.migrations import MIGRATION_ONLY_PREFIXES
from editor.core.models import Base

config = context.config
target_metadata = Base.metadata


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # Objects made only by migrations have no model to compare against.
    return not (name or "").startswith(MIGRATION_ONLY_PREFIXES)


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("No store given: set sqlalchemy.url or pass a connection.")
    engine = create_engine(url)
    with engine.begin() as connection:
        _configure_and_run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Newsdesk migrations run online only, against a store.")
run_migrations_online()

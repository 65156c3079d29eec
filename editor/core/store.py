"""Opening a store: the embedded SQLite file or a shared PostgreSQL server.

A store is refused, with a message a person can act on and nothing written,
when it is unreachable, refuses the credentials, is not a Newsdesk store, is a
corrupt SQLite file, or was migrated by a newer Newsdesk. Otherwise it is
migrated to the schema this build knows, so callers always get the schema the
models describe.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.core.migrations import SCHEMA_HEAD

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session, sessionmaker

STORE_ENV = "NEWSDESK_STORE"
# pg_advisory_xact_lock key held while a store is migrated ("ndsk" in ASCII).
MIGRATION_LOCK_KEY = 0x6E64736B
SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """A store that cannot be used; ``str(error)`` is the one line shown to the user."""


class StoreUnreachable(StoreError):
    pass


class StoreAuthFailed(StoreError):
    pass


class NotANewsdeskStore(StoreError):
    pass


class StoreCorrupt(StoreError):
    pass


class StoreTooNew(StoreError):
    pass


def default_store_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("newsdesk", appauthor=False)) / "newsdesk.sqlite3"


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).expanduser().absolute()}"


def resolve_store_url(cli_value: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``--store`` wins over ``NEWSDESK_STORE``, which wins over the default SQLite file.

    A bare path is accepted as an SQLite store so ``--store ~/desk.sqlite3`` works.
    """
    environ = os.environ if environ is None else environ
    value = cli_value or environ.get(STORE_ENV) or ""
    if not value:
        return sqlite_url(default_store_path())
    if "://" not in value:
        return sqlite_url(value)
    return value


def display_url(url: str | URL) -> str:
    """The URL as it may be shown or logged: never with its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Store:
    """An open, migrated store. ``session_factory.begin()`` is one unit of work."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]

    @property
    def display_url(self) -> str:
        return display_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        if not self.is_sqlite or not database or database == ":memory:":
            return None
        return Path(database)

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return _current_revision(connection)

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, create: bool = True) -> Store:
    """Open (and migrate) the store at ``url``.

    Raises a ``StoreError`` subclass for every store the user cannot work on.
    With ``create=False`` a missing SQLite file is refused instead of created.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"Not a store address: {url!r} ({error})") from None

    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed.database, create=create)
    elif parsed.get_backend_name() == "postgresql":
        parsed = _with_default_driver_and_password(parsed)
    else:
        raise StoreError(
            f"Unsupported store {display_url(parsed)}: use an SQLite file or postgresql+psycopg://"
        )

    engine = _create_engine(parsed)
    try:
        _migrate(engine)
        _refresh_planner_statistics(engine)
    except StoreError:
        engine.dispose()
        raise
    except Exception as error:
        engine.dispose()
        raise _translate_connect_error(error, parsed) from None

    from sqlalchemy.orm import sessionmaker

    return Store(
        url=parsed.render_as_string(hide_password=False),
        engine=engine,
        session_factory=sessionmaker(engine, expire_on_commit=False),
    )


@contextmanager
def opened_store(url: str, *, create: bool = True) -> Iterator[Store]:
    store = open_store(url, create=create)
    try:
        yield store
    finally:
        store.close()


def _check_sqlite_file(database: str | None, *, create: bool) -> None:
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not path.exists():
        if not create:
            raise StoreError(f"No store at {path}")
        if not path.parent.exists():
            if path.parent == default_store_path().parent:
                path.parent.mkdir(parents=True, exist_ok=True)
            else:
                raise StoreError(
                    f"Cannot create a store at {path}: folder {path.parent} is missing"
                )
        return
    if path.is_dir():
        raise NotANewsdeskStore(f"{path} is a folder, not a Newsdesk store")
    if path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreCorrupt(f"{path} is not an SQLite database (corrupt or another kind of file)")
    # Inspect read-only so a store we refuse is never written to.
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreCorrupt(f"{path} cannot be opened: {error}") from None
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if tables and "alembic_version" not in tables:
            raise NotANewsdeskStore(f"{path} is an SQLite database but not a Newsdesk store")
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is not None and row[0] != SCHEMA_HEAD and row[0] not in _known_revisions():
                raise StoreTooNew(_too_new_message(str(path), row[0]))
        status = connection.execute("PRAGMA quick_check(1)").fetchone()
        if status is None or status[0] != "ok":
            raise StoreCorrupt(f"{path} is damaged: {status[0] if status else 'no answer'}")
    except sqlite3.DatabaseError as error:
        raise StoreCorrupt(f"{path} is damaged: {error}") from None
    finally:
        connection.close()


def _with_default_driver_and_password(parsed: URL) -> URL:
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.password is None and parsed.username:
        from editor.core.credentials import stored_password

        password = stored_password(parsed)
        if password is not None:
            parsed = parsed.set(password=password)
    return parsed


def _create_engine(parsed: URL) -> Engine:
    from sqlalchemy import create_engine, event

    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            # The background runner hands connections between threads; the
            # pool never lets two threads use one connection at once.
            connect_args={"check_same_thread": False, "timeout": 15},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            if parsed.database and parsed.database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "newsdesk"},
    )


def _current_revision(connection: Any) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).fetchone()
    return None if row is None else str(row[0])


def _known_revisions() -> set[str]:

    return {script.revision for script in _script_directory().walk_revisions()}


def _script_directory() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR))


def _too_new_message(where: str, revision: str) -> str:
    return (
        f"{where} was migrated by a newer Newsdesk (schema {revision}); "
        "update Newsdesk to open it. It was not changed."
    )


def _migrate(engine: Engine) -> None:
    from sqlalchemy import inspect

    with engine.connect() as connection:
        revision = _current_revision(connection)
        if revision == SCHEMA_HEAD:
            return  # The common case costs one query and no Alembic import.
        if revision is None:
            foreign_tables = [
                name for name in inspect(connection).get_table_names() if name != "alembic_version"
            ]
            if foreign_tables:
                raise NotANewsdeskStore(
                    f"{display_url(engine.url)} holds other tables ({', '.join(foreign_tables[:3])}"
                    f"{', …' if len(foreign_tables) > 3 else ''}) and is not a Newsdesk store"
                )
        elif revision not in _known_revisions():
            raise StoreTooNew(_too_new_message(display_url(engine.url), revision))

    from alembic import command
    from sqlalchemy import text

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two Newsdesks opening a new shared store at once: one migrates, the other waits
            # here and then finds the schema made (instead of both creating the same tables).
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
            if _current_revision(connection) == SCHEMA_HEAD:
                return
        config = alembic_config(connection=connection)
        command.upgrade(config, "head")


def _refresh_planner_statistics(engine: Engine) -> None:
    """SQLite plans queries well only with statistics; a store that never had ANALYZE makes a
    comment search probe the full-text index once per comment (minutes at a million). A
    bounded ``PRAGMA optimize`` on open keeps them current at little cost."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import text

    with engine.connect() as connection:
        has_statistics = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).first()
        # analysis_limit samples each index instead of reading it whole: milliseconds.
        connection.execute(text("PRAGMA analysis_limit=1000"))
        connection.execute(text("PRAGMA optimize" if has_statistics else "ANALYZE"))
        connection.commit()


def alembic_config(*, connection: Any = None, url: str | None = None) -> Any:
    """An Alembic ``Config`` for the shipped migrations, bound to a connection or a URL."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _translate_connect_error(error: Exception, parsed: URL) -> StoreError:
    from sqlalchemy.exc import DBAPIError, OperationalError

    where = display_url(parsed)
    text = str(getattr(error, "orig", None) or error)
    lowered = text.lower()
    if isinstance(error, OperationalError | DBAPIError) or "connection" in lowered:
        if "password authentication failed" in lowered or "no password supplied" in lowered:
            return StoreAuthFailed(
                f"{where} refused the credentials for user {parsed.username!r}"
                " (check the password saved with `newsdesk store-login`)"
            )
        if "does not exist" in lowered and "database" in lowered:
            return StoreUnreachable(f"{where}: the database does not exist on that server")
        if "unable to open database file" in lowered or "readonly" in lowered:
            return StoreError(f"{where} cannot be written: {text.splitlines()[0]}")
        if "file is not a database" in lowered or "malformed" in lowered:
            return StoreCorrupt(f"{where} is damaged: {text.splitlines()[0]}")
        first_line = text.strip().splitlines()[0] if text.strip() else type(error).__name__
        return StoreUnreachable(f"Cannot reach the store {where}: {first_line}")
    return StoreError(f"Cannot open the store {where}: {type(error).__name__}: {text}")

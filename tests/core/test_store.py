"""Opening stores: migrated on open, and every store a user cannot work on is refused clearly, untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from editor.core.migrations import SCHEMA_HEAD
from editor.core.models import Article, ArticleStatus, Comment, CommentStatus
from editor.core.store import (
    NotANewsdeskStore,
    Store,
    StoreAuthFailed,
    StoreCorrupt,
    StoreError,
    StoreTooNew,
    StoreUnreachable,
    open_store,
    resolve_store_url,
    sqlite_url,
)
from editor.testing.postgres_cluster import PostgresCluster


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_store_opens_migrated_and_round_trips_an_article(store: Store) -> None:
    assert store.schema_revision() == SCHEMA_HEAD
    with store.session_factory.begin() as session:
        session.add(Article(title="Flood Barrier Holds", slug="flood-barrier", body="Text"))
    with store.session_factory() as session:
        article = session.query(Article).one()
        assert article.status is ArticleStatus.DRAFT
        assert article.version == 1
        assert article.created_at.tzinfo is not None
        assert len(article.uuid) == 36


def test_second_editor_saving_a_stale_copy_is_refused(store: Store) -> None:
    with store.session_factory.begin() as session:
        session.add(Article(title="Original", slug="original"))
    first = store.session_factory()
    second = store.session_factory()
    try:
        mine = first.query(Article).one()
        theirs = second.query(Article).one()
        mine.title = "First editor's headline"
        first.commit()
        theirs.title = "Second editor's headline"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    with store.session_factory() as session:
        assert session.query(Article).one().title == "First editor's headline"


def test_unique_slug_and_status_values_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError, StatementError

    with store.session_factory.begin() as session:
        session.add(Article(title="One", slug="same"))
    with pytest.raises(IntegrityError), store.session_factory.begin() as session:
        session.add(Article(title="Two", slug="same"))
    with pytest.raises((IntegrityError, StatementError)), store.session_factory.begin() as session:
        session.execute(text("UPDATE article SET status = 'bogus'"))


def test_comments_keep_threads_and_statuses(store: Store) -> None:
    with store.session_factory.begin() as session:
        article = Article(title="Thread", slug="thread")
        session.add(article)
        session.flush()
        parent = Comment(article_id=article.id, author_name="Helen", body="First")
        session.add(parent)
        session.flush()
        session.add(
            Comment(
                article_id=article.id,
                parent_id=parent.id,
                author_name="Raj",
                body="<script>alert(1)</script> reply \u202e\u200b 🎉",
                status=CommentStatus.SPAM,
                reasons=["2 links"],
            )
        )
    with store.session_factory() as session:
        reply = session.query(Comment).filter(Comment.parent_id.is_not(None)).one()
        assert reply.parent is not None and reply.parent.author_name == "Helen"
        assert reply.body == "<script>alert(1)</script> reply \u202e\u200b 🎉"
        assert reply.status is CommentStatus.SPAM
        assert reply.reasons == ["2 links"]


def test_sqlite_store_uses_wal_and_foreign_keys(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        store.close()


def test_reopening_an_up_to_date_store_keeps_its_data(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.session_factory.begin() as session:
        session.add(Article(title="Kept", slug="kept"))
    store.close()
    store = open_store(sqlite_url)
    try:
        with store.session_factory() as session:
            assert session.query(Article.title).scalar() == "Kept"
    finally:
        store.close()


def test_store_url_precedence() -> None:
    assert resolve_store_url("postgresql+psycopg://a@b/c", {"NEWSDESK_STORE": "x"}).startswith(
        "postgresql"
    )
    assert resolve_store_url(None, {"NEWSDESK_STORE": "/tmp/desk.sqlite3"}) == sqlite_url(
        "/tmp/desk.sqlite3"
    )
    default = resolve_store_url(None, {})
    assert default.startswith("sqlite:///") and default.endswith("newsdesk.sqlite3")


def test_default_store_lives_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    store = open_store(resolve_store_url(None, {}))
    try:
        assert store.sqlite_path == tmp_path / "xdg" / "newsdesk" / "newsdesk.sqlite3"
        assert store.sqlite_path.exists()
    finally:
        store.close()


# --- refused stores ----------------------------------------------------------------------


def test_corrupt_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database at all\n" * 100)
    before = _digest(path)
    with pytest.raises(StoreCorrupt, match=r"broken\.sqlite3"):
        open_store(sqlite_url(path))
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.sqlite3"]


def test_sqlite_with_damaged_pages_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    store = open_store(sqlite_url(path))
    with store.session_factory.begin() as session:
        for index in range(300):
            session.add(Article(title=f"Article {index}" * 20, slug=f"a-{index}", body="x" * 2000))
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 40), page):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StoreCorrupt):
        open_store(sqlite_url(path))
    assert _digest(path) == before


def test_foreign_sqlite_database_is_not_a_newsdesk_store(tmp_path: Path) -> None:
    path = tmp_path / "photos.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    before = _digest(path)
    with pytest.raises(NotANewsdeskStore, match="not a Newsdesk store"):
        open_store(sqlite_url(path))
    assert _digest(path) == before


def test_store_from_a_newer_newsdesk_is_refused_not_downgraded(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    path = store.sqlite_path
    store.close()
    assert path is not None
    before = _digest(path)
    with pytest.raises(StoreTooNew, match="newer Newsdesk"):
        open_store(sqlite_url)
    assert _digest(path) == before


def test_missing_folder_is_refused_without_creating_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="missing"):
        open_store(sqlite_url(tmp_path / "nowhere" / "store.sqlite3"))
    assert not (tmp_path / "nowhere").exists()


def test_unsupported_url_is_refused() -> None:
    with pytest.raises(StoreError, match="Unsupported store"):
        open_store("mysql://someone@somewhere/db")


@pytest.mark.postgres
def test_wrong_password_is_refused(postgres_cluster: PostgresCluster, postgres_url: str) -> None:
    database = postgres_url.rsplit("/", 1)[1]
    with pytest.raises(StoreAuthFailed, match="refused the credentials") as refused:
        open_store(postgres_cluster.url(database, password="wrong"))
    assert "wrong" not in str(refused.value)


@pytest.mark.postgres
def test_unreachable_server_is_refused_quickly(postgres_cluster: PostgresCluster) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"postgresql+psycopg://newsdesk:secret@127.0.0.1:{closed_port}/newsdesk"
    with pytest.raises(StoreUnreachable, match="Cannot reach") as refused:
        open_store(url)
    assert "secret" not in str(refused.value)


@pytest.mark.postgres
def test_foreign_postgres_database_is_refused_untouched(
    postgres_cluster: PostgresCluster, postgres_url: str
) -> None:
    database = postgres_url.rsplit("/", 1)[1]
    postgres_cluster.psql("CREATE TABLE invoices (id int primary key)", database=database)
    postgres_cluster.psql("ALTER TABLE invoices OWNER TO newsdesk", database=database)
    with pytest.raises(NotANewsdeskStore, match="invoices"):
        open_store(postgres_url)
    tables = postgres_cluster.psql(
        "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'",
        database=database,
    ).strip()
    assert tables == "invoices"


@pytest.mark.postgres
def test_postgres_password_comes_from_the_keyring(
    postgres_cluster: PostgresCluster, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        passwords: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.passwords.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.passwords[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.passwords.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        from sqlalchemy.engine import make_url

        from editor.core.credentials import remember_password

        database = postgres_url.rsplit("/", 1)[1]
        without_password = postgres_cluster.url(database, password=None)
        with pytest.raises(StoreAuthFailed):
            open_store(without_password)
        remember_password(make_url(without_password), "newsdesk-test-password")
        store = open_store(without_password)
        try:
            assert store.schema_revision() == SCHEMA_HEAD
            assert "newsdesk-test-password" not in store.display_url
        finally:
            store.close()
    finally:
        keyring.set_keyring(previous)


@pytest.mark.postgres
def test_two_apps_opening_a_new_shared_store_at_once_both_succeed(postgres_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def open_and_report(_index: int) -> str | None:
        opened = open_store(postgres_url)
        try:
            return opened.schema_revision()
        finally:
            opened.close()

    with ThreadPoolExecutor(max_workers=3) as pool:
        revisions = list(pool.map(open_and_report, range(3), timeout=60))
    assert revisions == [SCHEMA_HEAD] * 3

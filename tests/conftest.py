"""Test setup: headless Qt, every data folder in a temp dir, stores on SQLite and a real PostgreSQL."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Set before anything imports Qt or platformdirs.
_SCRATCH = Path(tempfile.mkdtemp(prefix="newsdesk-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = "--disable-gpu"
os.environ["XDG_CONFIG_HOME"] = str(_SCRATCH / "config")
os.environ["XDG_DATA_HOME"] = str(_SCRATCH / "data")
os.environ["XDG_CACHE_HOME"] = str(_SCRATCH / "cache")
os.environ["XDG_STATE_HOME"] = str(_SCRATCH / "state")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.pop("NEWSDESK_STORE", None)

from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402

# QtWebEngine (the preview) needs this before the application object exists, as app.py does.
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from editor.testing.postgres_cluster import PostgresCluster, find_postgres_bindir  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real files written by others (see its SOURCES.md)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    from editor.core.store import sqlite_url

    return sqlite_url(tmp_path / "store.sqlite3")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    bindir = find_postgres_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries are missing on CI; .ci/run must install them")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = PostgresCluster.start(bindir)
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """A fresh, empty database on the throwaway cluster, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = postgres_cluster.create_database(name)
    try:
        yield url
    finally:
        postgres_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """Each store test runs on the embedded SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    from editor.core.store import open_store

    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def demo_store(sqlite_url: str) -> Iterator[object]:
    """An SQLite store holding the sample newsroom (``newsdesk --demo``'s content)."""
    from editor.core.demo import fill_demo_store
    from editor.core.store import open_store

    opened = open_store(sqlite_url)
    with opened.session_factory.begin() as session:
        fill_demo_store(session)
    try:
        yield opened
    finally:
        opened.close()

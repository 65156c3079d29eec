"""The queue model: a correct Qt model, windowed over a large store, and steady under removals."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from editor.core.models import Article, CommentStatus
from editor.core.moderation import queue
from editor.core.moderation.queue import QueueQuery, QueueTab
from editor.core.store import Store, open_store, sqlite_url
from editor.ui.background import BackgroundRunner, Lane
from editor.ui.moderation import loading, models, queue_view
from editor.ui.moderation.models import PLACEHOLDER_TEXT, WINDOW, QueueColumn
from tests.ui.moderation.conftest import settle, shown_ids

LARGE = 200_000
LARGE_STATUSES = (
    CommentStatus.PENDING,
    CommentStatus.APPROVED,
    CommentStatus.APPROVED,
    CommentStatus.SPAM,
)
LARGE_START = datetime(2025, 1, 1, tzinfo=UTC)


def expected_ids(store: Store, query: QueueQuery) -> list[int]:
    with store.session_factory() as session:
        return [int(found) for found in queue.queue_ids(query, session=session)]


def test_the_model_passes_the_model_tester(
    qtbot, qtmodeltester, open_queue, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    qtmodeltester.check(pane.model)
    with qtbot.waitSignal(pane.queue_loaded, timeout=5_000):
        pane.queue_view.set_tab(QueueTab.ALL)
    qtmodeltester.check(pane.model)
    assert shown_ids(pane) == expected_ids(demo_store, QueueQuery(tab=QueueTab.ALL))
    assert pane.model.headerData(QueueColumn.SCORE, Qt.Orientation.Horizontal) == "Spam score"


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> int:
    """Windows of 4 rows, so the demo store's queue spans several."""
    monkeypatch.setattr(models, "WINDOW", 4)
    monkeypatch.setattr(queue_view, "WINDOW", 4)
    return 4


def test_rows_arrive_in_windows_with_placeholders_meanwhile(
    qtbot,
    qtmodeltester,
    small_windows: int,
    open_queue,
    demo_store: Store,
    runner: BackgroundRunner,
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    model = pane.model
    settle(qtbot, runner)
    assert model.rowCount() == 19
    last_visible = pane.table.rowAt(pane.table.viewport().height() - 1)
    assert 0 < last_visible < 17
    # What the view showed was fetched; the rest was not.
    assert None not in shown_ids(pane)[: last_visible + 1]
    assert model.row_at(18) is None
    assert model.cached_rows < 19
    index = model.index(18, QueueColumn.COMMENT)
    assert index.data() == PLACEHOLDER_TEXT
    qtbot.waitUntil(lambda: model.row_at(18) is not None, timeout=5_000)
    assert index.data() != PLACEHOLDER_TEXT
    qtmodeltester.check(model)

    def all_fetched() -> bool:
        # Like a view scrolled over every row: windows asked for and forgotten are asked again.
        for row in range(model.rowCount()):
            model.index(row, QueueColumn.COMMENT).data()
        return None not in shown_ids(pane)

    qtbot.waitUntil(all_fetched, timeout=5_000)
    assert shown_ids(pane) == expected_ids(demo_store, QueueQuery())


def test_a_window_read_before_a_removal_lands_where_it_belongs(
    qtbot, small_windows: int, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    model = pane.model
    settle(qtbot, runner)
    before = expected_ids(demo_store, QueueQuery())
    gate = threading.Event()
    runner.run("hold the store lane", lambda: gate.wait(10), lane=Lane.STORE)
    settle_rows = model.row_at(17)
    assert settle_rows is None  # below the fold: never shown, never fetched
    model.index(17, QueueColumn.COMMENT).data()  # rows 16..18 asked for, read after the gate
    qtbot.waitUntil(lambda: model.fetches_in_flight == 1)
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000):
        qtbot.keyClick(pane.table, "a")  # row 0 leaves before that window is read
        gate.set()
    settle(qtbot, runner)
    after = expected_ids(demo_store, QueueQuery())
    assert after == before[1:]
    cached = {row: value for row, value in enumerate(shown_ids(pane)) if value is not None}
    assert set(range(15, 18)) <= set(cached)
    assert all(after[row] == comment_id for row, comment_id in cached.items())


def test_removing_a_row_shifts_cached_rows_without_fetching_them_again(
    qtbot, small_windows: int, open_queue, demo_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(demo_store)
    model = pane.model
    for row in range(model.rowCount()):
        model.index(row, QueueColumn.COMMENT).data()
    qtbot.waitUntil(lambda: None not in shown_ids(pane), timeout=5_000)
    ids = shown_ids(pane)
    operations: list[str] = []
    runner.operation_finished.connect(operations.append)
    pane.queue_view.select_row(5)
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000):
        qtbot.keyClick(pane.table, "d")
    settle(qtbot, runner)
    assert shown_ids(pane) == ids[:5] + ids[6:]
    assert "fetch comments" not in operations and "load comments" not in operations


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """200,000 comments written with one executemany: a quarter pending, half approved."""
    store = open_store(sqlite_url(Path(tmp_path_factory.mktemp("large")) / "large.sqlite3"))
    with store.session_factory.begin() as session:
        session.add_all([Article(title=f"Article {n}", slug=f"article-{n}") for n in range(20)])
        session.flush()
        article_ids = list(session.scalars(select(Article.id)))
    rows = [
        (
            article_ids[n % 20],
            f"Reader {n % 5000}",
            f"reader{n % 5000}@example.org",
            f"comment {n} about the river gate",
            LARGE_STATUSES[n % 4].value,
            (LARGE_START + timedelta(seconds=n)).strftime("%Y-%m-%d %H:%M:%S.%f"),
        )
        for n in range(LARGE)
    ]
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO comment (article_id, comment_type, author_name, author_email, author_url,"
            " author_ip, user_agent, body, status, spam_score, reasons, created_at)"
            " VALUES (?, 'comment', ?, ?, '', '', '', ?, ?, 0.25, '[]', ?)",
            rows,
        )
        # Statistics as a maintained store has them. Without them SQLite drives a search
        # from the status index and probes the full-text index once per comment (minutes
        # for a common word at this size): a core query-plan problem, reported.
        connection.exec_driver_sql("ANALYZE")
    try:
        yield store
    finally:
        store.close()


def test_a_large_queue_stays_windowed_and_jumps_to_the_end(
    qtbot, open_queue, large_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(large_store)
    model = pane.model
    assert model.rowCount() == LARGE // 4
    with qtbot.waitSignal(pane.queue_loaded, timeout=10_000):
        pane.queue_view.set_tab(QueueTab.ALL)
    settle(qtbot, runner)
    assert model.rowCount() == LARGE
    assert pane.queue_view.tab_bar.tabText(4) == "All (200,000)"
    assert model.cached_rows <= 2 * WINDOW and model.cached_segments <= 2
    with qtbot.waitSignal(model.rows_fetched, timeout=10_000):
        qtbot.keyClick(pane.table, Qt.Key.Key_End)
    settle(qtbot, runner)
    assert pane.queue_view.current_row() == LARGE - 1
    oldest = pane.queue_view.current_comment()
    assert oldest is not None
    assert oldest.created_at == LARGE_START and oldest.excerpt.startswith("comment 0 ")
    assert model.cached_rows <= 4 * WINDOW and model.cached_segments <= 4
    # Deciding at the far end works like at the top.
    with qtbot.waitSignal(pane.comment_moderated, timeout=5_000):
        qtbot.keyClick(pane.table, "s")
    assert model.row_at(LARGE - 1).status is CommentStatus.SPAM
    qtbot.keyClick(pane.table, Qt.Key.Key_Home)
    settle(qtbot, runner)
    assert model.row_at(0).excerpt.startswith(f"comment {LARGE - 1} ")
    assert model.cached_rows <= models.CACHE_ROWS


def test_a_common_search_word_shows_its_first_page_then_the_full_count(
    qtbot, open_queue, large_store: Store, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    pane = open_queue(large_store)
    query = QueueQuery(search="river")
    with large_store.session_factory() as session:
        matches = queue.count(query, session=session)
    assert matches > loading.SEARCH_COUNT_CAP
    with qtbot.waitSignal(pane.queue_loaded, timeout=10_000) as loaded:
        pane.search_field.setText("river")
    assert loaded.args == [loading.SEARCH_COUNT_CAP]  # shown before every match is counted
    qtbot.waitUntil(lambda: pane.model.rowCount() == matches, timeout=10_000)
    settle(qtbot, runner)
    with large_store.session_factory() as session:
        first_page = [int(key.id) for key in queue.page(query, session=session, limit=20)]
    assert shown_ids(pane)[:20] == first_page

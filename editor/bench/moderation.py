"""Moderation at scale: a generated store of 1,000,000 comments, the core half of the figures.

Measured on a throwaway SQLite store, and on a throwaway PostgreSQL cluster when
the server binaries and the test helper that starts one are available. The UI
figures (the real pane, offscreen, in a process of its own) are ``measure_ui``'s.
"""

from __future__ import annotations

import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from editor.bench import BenchContext, Figure

COMMENTS = 1_000_000
ARTICLES = 2_000
STATUS_WEIGHTS = (("approved", 60), ("pending", 20), ("spam", 15), ("trash", 5))
BULK = 10_000
APPROVALS = 100
SCORED = 5_000
START = datetime(2025, 1, 1, tzinfo=UTC)

_WORDS = [
    "the",
    "river",
    "barrier",
    "council",
    "flood",
    "gate",
    "closed",
    "water",
    "residents",
    "meeting",
    "night",
    "trial",
    "crew",
    "pumps",
    "street",
    "school",
    "bus",
    "vote",
    "budget",
    "road",
    "park",
    "library",
    "police",
    "fire",
    "weather",
    "rain",
    "storm",
    "thanks",
    "great",
    "article",
    "question",
    "answer",
    "when",
    "why",
    "how",
    "long",
    "engineers",
    "minutes",
    "closure",
    "footpath",
]
_SPAM_WORDS = [
    "cheap",
    "pills",
    "discount",
    "casino",
    "bonus",
    "free",
    "spins",
    "replica",
    "watches",
    "loans",
    "crypto",
    "earn",
    "money",
    "click",
    "offer",
    "guaranteed",
    "winner",
    "prize",
]


def _body(rng: random.Random, spam: bool) -> str:
    words = rng.choices(_SPAM_WORDS if spam else _WORDS, k=rng.randint(8, 30))
    if spam:
        words.append(f"http://deal{rng.randrange(50)}.example/{rng.randrange(1000)}")
    return " ".join(words)


def _comment_rows(count: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    statuses = [status for status, weight in STATUS_WEIGHTS for _ in range(weight)]
    step = (365 * 24 * 3600) / count
    for index in range(count):
        status = statuses[rng.randrange(len(statuses))]
        author = rng.randrange(60_000)
        moment = START + timedelta(seconds=index * step)
        yield (
            index + 1,
            1 + rng.randrange(ARTICLES),
            "comment",
            f"Reader {author}",
            f"reader{author}@example.org",
            "",
            f"10.{author % 250}.{author % 200}.{author % 100}",
            "",
            _body(rng, status == "spam"),
            status,
            rng.random(),
            '["first comment from this author"]',
            moment,
        )


_COLUMNS = (
    "id, article_id, comment_type, author_name, author_email, author_url, author_ip, "
    "user_agent, body, status, spam_score, reasons, created_at"
)


def _fill_sqlite(store: Any) -> None:
    from editor.core.moderation.search_index import sqlite_indexing_statements

    rng = random.Random(5)
    connection = store.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-200000")
        # Indexing a million rows for search in one pass is 3x faster than row by row:
        # set the search triggers aside, load, rebuild, and put back the very same SQL.
        triggers = cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'comment'"
        ).fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.executemany(
            "INSERT INTO article (id, uuid, title, slug, dek, body, status, author, category, "
            "created_at, updated_at, version, view_count, comment_count, kind, extra) "
            "VALUES (?, ?, ?, ?, '', '', 'published', '', '', ?, ?, 1, 0, 0, 'post', '{}')",
            [
                (
                    n,
                    f"bench-{n}",
                    f"Article {n}",
                    f"article-{n}",
                    "2025-01-01 00:00:00.000000",
                    "2025-01-01 00:00:00.000000",
                )
                for n in range(1, ARTICLES + 1)
            ],
        )
        rows = (
            (*row[:-1], row[-1].strftime("%Y-%m-%d %H:%M:%S.%f"))
            for row in _comment_rows(COMMENTS, rng)
        )
        cursor.executemany(f"INSERT INTO comment ({_COLUMNS}) VALUES ({', '.join('?' * 13)})", rows)
        connection.commit()
        # Rebuild the search index from the comments in one pass, then put the triggers back.
        for statement in sqlite_indexing_statements():
            cursor.execute(statement)
        for _, sql in triggers:
            cursor.execute(sql)
        connection.commit()
        cursor.execute("ANALYZE")
        connection.commit()
    finally:
        connection.close()


def _fill_postgresql(store: Any) -> None:
    rng = random.Random(5)
    connection = store.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.executemany(
            "INSERT INTO article (id, uuid, title, slug, dek, body, status, author, category, "
            "created_at, updated_at, version, view_count, comment_count, kind, extra) "
            "VALUES (%s, %s, %s, %s, '', '', 'published', '', '', %s, %s, 1, 0, 0, 'post', '{}')",
            [
                (n, f"bench-{n}", f"Article {n}", f"article-{n}", START, START)
                for n in range(1, ARTICLES + 1)
            ],
        )
        with cursor.copy(f"COPY comment ({_COLUMNS}) FROM STDIN") as copy:
            for row in _comment_rows(COMMENTS, rng):
                copy.write_row(row)
        cursor.execute("SELECT setval('comment_id_seq', (SELECT max(id) FROM comment))")
        cursor.execute("SELECT setval('article_id_seq', (SELECT max(id) FROM article))")
        connection.commit()
    finally:
        connection.close()
    from sqlalchemy import text

    # Fresh visibility map and statistics, as autovacuum would leave a real store.
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        autocommit.execute(text("VACUUM ANALYZE comment"))


def _best_ms(action: Callable[[], object], runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings) * 1000


def _measure_store(store: Any, prefix: str) -> list[Figure]:
    from sqlalchemy import select

    from editor.core.models import Comment, CommentStatus
    from editor.core.moderation import queue
    from editor.core.moderation.intake import IncomingComment, judge_comments
    from editor.core.moderation.learning import SharedSpamFilter, lesson_for_comment
    from editor.core.moderation.queue import QueueQuery, QueueTab
    from editor.core.moderation.search_index import index_moved_comments
    from editor.core.moderation.service import ModerationAction, moderate

    figures: list[Figure] = []
    rng = random.Random(11)
    spam_filter = SharedSpamFilter()
    with store.session_factory.begin() as session:
        spam_filter.learn(
            [
                lesson_for_comment(
                    body=_body(rng, spam),
                    author_name=f"Reader {n}",
                    author_email=f"r{n}@example.org",
                    author_url="",
                    author_ip="",
                    is_spam=spam,
                )
                for n in range(2_000)
                for spam in (n % 4 == 0,)
            ],
            session=session,
        )
    pending = QueueQuery(tab=QueueTab.PENDING)

    def open_queue() -> None:
        with store.session_factory() as session:
            queue.status_counts(session=session)
            keys = queue.page(pending, session=session, limit=100)
            queue.rows([key.id for key in keys], session=session)

    def counts_only() -> None:
        with store.session_factory() as session:
            queue.status_counts(session=session)

    with store.session_factory() as session:
        totals = queue.status_counts(session=session)

    def jump_to_end(tab: QueueTab) -> Callable[[], None]:
        def run() -> None:
            with store.session_factory() as session:
                total = totals[tab]
                ids = queue.window(
                    QueueQuery(tab=tab), session=session, offset=total - 100, limit=100, total=total
                )
                queue.rows(ids, session=session)

        return run

    def search_first_page(words: str = "storm", tab: QueueTab = QueueTab.PENDING) -> None:
        with store.session_factory() as session:
            keys = queue.page(QueueQuery(tab=tab, search=words), session=session, limit=50)
            queue.rows([key.id for key in keys], session=session)

    figures.append(Figure(f"{prefix}.queue_open", _best_ms(open_queue), "ms", 100))
    figures.append(Figure(f"{prefix}.status_counts", _best_ms(counts_only), "ms", None))
    figures.append(
        Figure(f"{prefix}.jump_to_end", _best_ms(jump_to_end(QueueTab.PENDING)), "ms", 100)
    )
    figures.append(
        Figure(f"{prefix}.jump_to_end_all_tab", _best_ms(jump_to_end(QueueTab.ALL)), "ms", 100)
    )
    figures.append(Figure(f"{prefix}.search_first_page", _best_ms(search_first_page), "ms", 50))
    # The plans a search can go wrong on: two common words, a word found nowhere, and a
    # common word found only in another tab (spam words, searched for in Pending).
    for label, words, tab in (
        ("two_words", "storm gate", QueueTab.PENDING),
        ("word_found_nowhere", "zeppelin", QueueTab.ALL),
        ("word_only_in_another_tab", "casino", QueueTab.PENDING),
    ):
        figures.append(
            Figure(
                f"{prefix}.search_first_page_{label}",
                _best_ms(lambda words=words, tab=tab: search_first_page(words, tab)),
                "ms",
                50,
            )
        )

    with store.session_factory() as session:
        candidates = list(
            session.scalars(
                select(Comment.id)
                .where(Comment.status == CommentStatus.PENDING)
                .order_by(Comment.id.desc())
                .limit(APPROVALS + BULK)
            )
        )
    timings = []
    for comment_id in candidates[:APPROVALS]:
        started = time.perf_counter()
        with store.session_factory.begin() as session:
            moderate(
                [comment_id],
                ModerationAction.APPROVE,
                session=session,
                actor="bench",
                spam_filter=spam_filter,
                expected_status=CommentStatus.PENDING,
            )
        timings.append(time.perf_counter() - started)
    p95 = statistics.quantiles(timings, n=20)[-1] * 1000
    figures.append(Figure(f"{prefix}.approve_one_p95", p95, "ms", 5))

    bulk_ids = candidates[APPROVALS : APPROVALS + BULK]
    started = time.perf_counter()
    with store.session_factory.begin() as session:
        moderate(
            bulk_ids,
            ModerationAction.SPAM,
            session=session,
            actor="bench",
            spam_filter=spam_filter,
            expected_status=CommentStatus.PENDING,
        )
    figures.append(Figure(f"{prefix}.bulk_10000", time.perf_counter() - started, "s", 0.5))

    # The bulk action's comments now wait for their words to move to the Spam index: a
    # search meanwhile reads them beside it; then the batches the pane queues move them.
    figures.append(
        Figure(
            f"{prefix}.search_first_page_with_10000_waiting",
            _best_ms(lambda: search_first_page("storm", QueueTab.SPAM)),
            "ms",
            None,
        )
    )
    started = time.perf_counter()
    waiting = 1
    while waiting:
        with store.session_factory.begin() as session:
            waiting = index_moved_comments(session)
    figures.append(Figure(f"{prefix}.index_moved_10000", time.perf_counter() - started, "s", None))

    arrivals = [
        IncomingComment(
            article_id=1 + n % ARTICLES,
            body=_body(rng, n % 5 == 0),
            author_name=f"Newcomer {n}",
            author_email=f"new{n % 3000}@example.org",
            author_ip=f"192.0.2.{n % 250}",
            created_at=START + timedelta(days=400, seconds=n * 20),
        )
        for n in range(SCORED)
    ]
    with store.session_factory() as session:
        started = time.perf_counter()
        judge_comments(arrivals, session=session, spam_filter=spam_filter)
        rate = SCORED / (time.perf_counter() - started)
    figures.append(
        Figure(f"{prefix}.intake_scoring", rate, "comments/s", 2000, higher_is_better=True)
    )
    return figures


@contextmanager
def _postgres_url() -> Iterator[str | None]:
    from editor.testing.postgres_cluster import PostgresCluster, find_postgres_bindir

    bindir = find_postgres_bindir()
    if bindir is None:
        yield None
        return
    cluster = PostgresCluster.start(bindir)
    try:
        yield cluster.create_database("bench_moderation")
    finally:
        cluster.remove()


def measure(context: BenchContext) -> list[Figure]:
    from editor.core.store import open_store, sqlite_url

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-moderation-") as scratch:
        store = open_store(sqlite_url(Path(scratch) / "moderation.sqlite3"))
        try:
            started = time.perf_counter()
            _fill_sqlite(store)
            figures.append(
                Figure("moderation.sqlite.generate_1m", time.perf_counter() - started, "s", None)
            )
            figures.extend(_measure_store(store, "moderation.sqlite"))
            figures.extend(measure_ui(store.url, "moderation.ui.sqlite"))
        finally:
            store.close()
    with _postgres_url() as url:
        if url is None:
            figures.append(Figure("moderation.postgresql.queue_open", math.nan, "ms", 100))
            return figures
        store = open_store(url)
        try:
            started = time.perf_counter()
            _fill_postgresql(store)
            figures.append(
                Figure(
                    "moderation.postgresql.generate_1m", time.perf_counter() - started, "s", None
                )
            )
            figures.extend(_measure_store(store, "moderation.postgresql"))
            figures.extend(measure_ui(store.url, "moderation.ui.postgresql"))
        finally:
            store.close()
    return figures


# --- UI figures: the real moderation pane, offscreen, in a process of its own -----------

UI_APPROVALS = 100
UI_OPENS = 3
UI_SEARCH_WORDS = ("storm", "river", "budget")


def measure_ui(store_url: str, prefix: str) -> list[Figure]:
    """The pane's figures on a generated store, measured in a fresh process so its memory
    (the peak resident size of that process) is the app's alone."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    code = (
        "import json, sys\n"
        "from editor.bench.moderation import ui_probe\n"
        "print(json.dumps(ui_probe(sys.argv[1])))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, store_url],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        check=False,
    )
    if result.returncode != 0 or not result.stdout.strip():
        tail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [Figure(f"{prefix}.failed ({tail[:120]})", math.nan, "", None)]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return [
        Figure(f"{prefix}.{name}", float(value), unit, target)
        for name, value, unit, target in measured
    ]


def ui_probe(store_url: str) -> list[tuple[str, float, str, float | None]]:
    """Runs in the child: open the queue, jump to the end, approve, search, in the real pane.

    Times are UI-thread times from the action to the rows on screen: every wait ends
    with a synchronous repaint of the table, so drawing is included.
    """
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from editor.core.moderation.queue import QueueTab
    from editor.core.store import open_store
    from editor.ui.background import BackgroundRunner
    from editor.ui.moderation.pane import ModerationPane
    from editor.ui.settings import Settings

    app = QApplication.instance() or QApplication(["newsdesk-bench"])
    figures: list[tuple[str, float, str, float | None]] = []
    baseline_mb = _peak_memory_mb()
    store = open_store(store_url)
    scratch = tempfile.mkdtemp(prefix="newsdesk-bench-ui-")
    settings = Settings(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
    settings.preferences.moderator_name = "Bench"
    runner = BackgroundRunner()
    pane = ModerationPane(runner, settings)
    pane.resize(1280, 800)
    pane.build()  # as in the app, where the pane exists before the moderator opens a queue
    pane.show()
    app.processEvents()

    def wait_for(done: Callable[[], bool], timeout_s: float = 60) -> None:
        deadline = time.perf_counter() + timeout_s
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the pane did not finish in time")
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)

    def wait_signal(signal: Any, timeout_ms: int = 60_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)

    def idle() -> None:
        runner.wait_for_done()
        wait_for(lambda: not runner.busy)
        app.processEvents()

    def shown(row: int) -> bool:
        return pane.model.row_at(row) is not None

    # Open: from set_store to the first window drawn; the median of three opens, each on
    # a freshly opened store (opening and migrating it is not the queue's time).
    opens = []
    for attempt in range(UI_OPENS):
        if attempt:
            pane.set_store(None)
            idle()
            store.close()
            store = open_store(store_url)
        started = time.perf_counter()
        pane.set_store(store)
        wait_for(lambda: pane.model.rowCount() > 0 and shown(0))
        pane.table.viewport().repaint()
        opens.append((time.perf_counter() - started) * 1000)
        idle()
    figures.append(("open_queue", statistics.median(opens), "ms", 100))
    pane.table.setFocus()

    # Jump to the end of a tab never scrolled before (its last window is not cached).
    for tab, name in ((QueueTab.PENDING, "jump_to_end"), (QueueTab.ALL, "jump_to_end_all_tab")):
        if pane.queue_view.tab is not tab:
            pane.queue_view.set_tab(tab)
            wait_signal(pane.queue_loaded)
            idle()
        last = pane.model.rowCount() - 1
        started = time.perf_counter()
        QTest.keyClick(pane.table, Qt.Key.Key_End)
        wait_for(lambda last=last: shown(last))
        pane.table.viewport().repaint()
        figures.append((name, (time.perf_counter() - started) * 1000, "ms", 100))
        idle()
        QTest.keyClick(pane.table, Qt.Key.Key_Home)
        idle()

    # Approve: key press to the row gone and the next comment current (the store write
    # follows in the store lane), then the same with the table redrawn.
    pane.queue_view.set_tab(QueueTab.PENDING)
    wait_signal(pane.queue_loaded)
    idle()
    handled, drawn, stored = [], [], []
    for _ in range(UI_APPROVALS):
        before = pane.model.rowCount()
        next_id = pane.model.row_at(1).id  # type: ignore[union-attr]
        moderated: list[object] = []
        pane.comment_moderated.connect(moderated.append)
        started = time.perf_counter()
        QTest.keyClick(pane.table, Qt.Key.Key_A)
        handled.append(time.perf_counter() - started)
        pane.table.viewport().repaint()
        drawn.append(time.perf_counter() - started)
        assert pane.model.rowCount() == before - 1
        assert pane.queue_view.current_comment().id == next_id  # type: ignore[union-attr]
        wait_for(lambda moderated=moderated: bool(moderated))
        stored.append(time.perf_counter() - started)
        pane.comment_moderated.disconnect(moderated.append)
        idle()
    figures.append(("approve_one_p95", statistics.quantiles(handled, n=20)[-1] * 1000, "ms", 5))
    figures.append(
        ("approve_one_drawn_p95", statistics.quantiles(drawn, n=20)[-1] * 1000, "ms", None)
    )
    figures.append(
        ("approve_one_stored_p95", statistics.quantiles(stored, n=20)[-1] * 1000, "ms", None)
    )
    figures.append(("cached_rows", pane.model.cached_rows, "rows", None))

    # Search: from the query applied (the 200 ms typing pause left out) to its first rows drawn.
    timings, matches = [], []
    for word in UI_SEARCH_WORDS:
        pane.search_field.blockSignals(True)
        pane.search_field.setText(word)
        pane.search_field.blockSignals(False)
        started = time.perf_counter()
        pane.apply_filters()
        wait_signal(pane.queue_loaded)
        pane.table.viewport().repaint()
        timings.append((time.perf_counter() - started) * 1000)
        matches.append(pane.model.rowCount())
        idle()
    figures.append(("search_first_page", max(timings), "ms", 50))
    figures.append(("search_first_page_matches", min(matches), "rows", None))

    figures.append(("memory_baseline", baseline_mb, "MB", None))
    figures.append(("memory_peak", _peak_memory_mb(), "MB", 150))
    pane.shutdown()
    runner.wait_for_done()
    store.close()
    return figures


def _peak_memory_mb() -> float:
    """Peak resident memory of this process: VmHWM on Linux (ru_maxrss would also count
    what the parent held when it started us), ru_maxrss elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024

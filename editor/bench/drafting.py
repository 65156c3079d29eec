"""``newsdesk bench drafting``: the core per-keystroke work, image ingest, and one keystroke
handled by the real editor (highlighting, spelling, outline, autosave and journal timers)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from editor.bench import BenchContext, Figure

KEYSTROKES = 300


def measure(context: BenchContext) -> list[Figure]:
    from editor.core.articles.bench import measure as measure_core
    from editor.core.images.bench import measure_ingest

    figures = list(measure_core(context))
    figures.extend(measure_ingest(context))
    figures.extend(measure_keystrokes())
    return figures


def measure_keystrokes() -> list[Figure]:
    """UI-thread time to handle one typed character in the longest shared post, in the real pane."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from editor.core.articles.bench import longest_article
    from editor.core.articles.service import create_draft
    from editor.core.store import open_store, sqlite_url
    from editor.ui.background import BackgroundRunner
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Settings

    app = QApplication.instance() or QApplication(["newsdesk-bench"])
    name, body = longest_article()
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-drafting-") as scratch:
        store = open_store(sqlite_url(Path(scratch) / "bench.sqlite3"))
        with store.session_factory.begin() as session:
            article_id = create_draft(session, title="Benchmark", body=body, author="Bench").id
        settings = Settings(
            QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        )
        runner = BackgroundRunner()
        window = MainWindow(settings, runner)
        window.show()

        def wait(signal: object, timeout_ms: int = 30_000) -> None:
            loop = QEventLoop()
            signal.connect(loop.quit)  # type: ignore[attr-defined]
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()

        window.open_store(store.url)
        wait(window.articles_pane.articles_listed)
        pane = window.editor_pane
        window.open_article(article_id)
        wait(pane.article_opened)
        # Let the dictionary load so spelling is part of every keystroke measured.
        deadline = time.monotonic() + 20
        while pane.spelling.checker is None and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        document = pane.text.document()
        blocks = document.blockCount()
        samples = []
        for index in range(KEYSTROKES):
            block = document.findBlockByNumber((index * 7919) % blocks)
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            pane.text.setTextCursor(cursor)
            started = time.perf_counter()
            QTest.keyClick(pane.text, "e")
            app.processEvents()
            samples.append((time.perf_counter() - started) * 1000)
        pane.undo_stack.clear()
        window.close()
        runner.wait_for_done(10_000)
        store.close()
    samples.sort()
    print(f"drafting: keystrokes measured in {name} ({len(body.split()):,} words)", file=sys.stderr)
    return [
        Figure(
            "drafting.keystroke_p50",
            statistics.median(samples),
            "ms",
            None,
        ),
        Figure(
            "drafting.keystroke_p95",
            samples[int(len(samples) * 0.95) - 1],
            "ms",
            8.0,
        ),
    ]

"""Live-preview figures in the real editor and QtWebEngine: keystroke → page patched and laid out.

The time runs from the key press to the moment the page has applied the patch and laid it
out (``offsetHeight`` read back), by the page's own wall clock; debounce, rendering and the
trip to the page are included, the wait for the next paint frame and the reply are not.
Keys are typed as a person types (see ``KEYS_PER_PLACE``, ``KEY_INTERVAL_MS``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from editor.bench import Figure

KEYSTROKES = 120
# Typed as a person types: a run of keys in one place, then the cursor moves elsewhere.
KEYS_PER_PLACE = 6
# 75 ms between key presses is a fast typist (~160 words a minute); the next key never
# comes before the previous one's update, so each is timed alone.
KEY_INTERVAL_MS = 75
# After the cursor moves the preview scrolls to follow it; a person takes longer than this
# to start typing, so the scroll is not charged to the first key.
SETTLE_MS = 150


def _generated(words: int) -> str:
    # Every paragraph differs, as in a real article (identical paragraphs would share ids).
    paragraph = (
        "Council engineers closed the river for {n} hours on Monday to test the new flood "
        "barrier, and the sensor readings will decide whether gate {n} is in service by "
        "December. Residents watched from footbridge {n} as the gate came down. "
    )
    per = len(paragraph.split())
    parts = []
    for index in range(words // per + 1):
        if index % 10 == 0:
            parts.append(f"## Section {index // 10 + 1}")
        parts.append(paragraph.format(n=index))
    return "\n\n".join(parts)


def measure_live_preview() -> list[Figure]:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(["newsdesk-bench"])
    from editor.core.articles.bench import longest_article
    from editor.core.articles.service import create_draft
    from editor.core.store import open_store, sqlite_url
    from editor.ui.background import BackgroundRunner
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Settings

    name, long_post = longest_article()
    cases = [("10k", long_post), ("100k", _generated(100_000))]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-preview-") as scratch:
        store = open_store(sqlite_url(Path(scratch) / "bench.sqlite3"))
        ids = {}
        with store.session_factory.begin() as session:
            for label, body in cases:
                ids[label] = create_draft(session, title=f"Bench {label}", body=body).id
        settings = Settings(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat))
        runner = BackgroundRunner()
        window = MainWindow(settings, runner)
        window.resize(1600, 1000)
        window.show()

        def wait(signal: object, timeout_ms: int = 60_000) -> None:
            loop = QEventLoop()
            signal.connect(loop.quit)  # type: ignore[attr-defined]
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()

        def pause(ms: float) -> None:
            until = time.perf_counter() + ms / 1000
            while time.perf_counter() < until:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)

        key_at = time.perf_counter()
        key_pressed = [0.0]  # wall clock of the last key press, read by the update handler
        window.open_store(store.url)
        wait(window.articles_pane.articles_listed)
        pane = window.editor_pane
        for label, _body in cases:
            window.open_article(ids[label])
            wait(pane.article_opened)
            pane.show_preview(True)
            preview = pane.preview
            assert preview is not None
            wait(preview.preview_updated)
            latencies: list[float] = []
            ui_times: list[float] = []

            in_page: list[float] = []

            def record(
                ms: float,
                _full: bool,
                latencies: list[float] = latencies,
                in_page: list[float] = in_page,
                preview: object = preview,
            ) -> None:
                # From the key press to the page laid out (the page's own clock).
                latencies.append((preview.last_laid_out_at - key_pressed[0]) * 1000)  # type: ignore[attr-defined]
                in_page.append(preview.last_page_ms)  # type: ignore[attr-defined]

            preview.preview_updated.connect(record)
            document = pane.text.document()
            blocks = document.blockCount()
            full_started = time.perf_counter()
            preview.show_article(pane.previewing.meta(), pane.text.toPlainText())
            wait(preview.preview_updated)
            full_ms = (time.perf_counter() - full_started) * 1000
            latencies.clear()
            for index in range(KEYSTROKES):
                if index % KEYS_PER_PLACE == 0:
                    place = index // KEYS_PER_PLACE
                    block = document.findBlockByNumber((place * 7919) % blocks)
                    cursor = QTextCursor(block)
                    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
                    pane.text.setTextCursor(cursor)
                    pause(SETTLE_MS)
                else:
                    pause(KEY_INTERVAL_MS - (time.perf_counter() - key_at) * 1000)
                before = len(latencies)
                key_at = started = time.perf_counter()
                key_pressed[0] = time.time()
                preview_ui_before = preview.ui_thread_ms
                QTest.keyClick(pane.text, "e")
                key_ms = (time.perf_counter() - started) * 1000
                deadline = time.monotonic() + 5
                while len(latencies) == before and time.monotonic() < deadline:
                    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
                # The key event itself plus the preview's own UI-thread work for it.
                ui_times.append(key_ms + preview.ui_thread_ms - preview_ui_before)
            latencies.sort()
            ui_times.sort()
            p50 = statistics.median(latencies)
            p95 = latencies[int(len(latencies) * 0.95) - 1]
            targets = {"10k": (16, 33), "100k": (33, 50)}[label]
            figures += [
                Figure(f"preview.ui.keystroke_to_layout_p50_{label}", p50, "ms", targets[0]),
                Figure(f"preview.ui.keystroke_to_layout_p95_{label}", p95, "ms", targets[1]),
                Figure(
                    f"preview.ui.thread_per_keystroke_p95_{label}",
                    ui_times[int(len(ui_times) * 0.95) - 1],
                    "ms",
                    5,
                ),
                Figure(f"preview.ui.full_render_and_swap_{label}", full_ms, "ms", None),
                Figure(
                    f"preview.ui.page_patch_and_layout_p50_{label}",
                    statistics.median(in_page) if in_page else float("nan"),
                    "ms",
                    None,
                ),
            ]
            pane.undo_stack.clear()
        print(f"preview: the 10k case is {name}", file=sys.stderr)
        window.close()
        runner.wait_for_done(10_000)
        store.close()
    return figures

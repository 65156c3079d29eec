"""The runner's ``after_paint``: store writes wait for the frame the keypress changed."""

from __future__ import annotations

import threading
import time

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget

from editor.ui.background import PAINT_WAIT_LIMIT_S, BackgroundRunner, Lane


class _PaintClock(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.painted_at: list[float] = []

    def paintEvent(self, event: QPaintEvent) -> None:
        self.painted_at.append(time.perf_counter())


def test_work_after_paint_starts_only_once_the_ui_thread_has_painted(
    qtbot, runner: BackgroundRunner
) -> None:
    widget = _PaintClock()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: bool(widget.painted_at))
    widget.painted_at.clear()
    started_at: list[float] = []
    finished = threading.Event()

    def work() -> None:
        started_at.append(time.perf_counter())
        finished.set()

    widget.update()  # what a keypress does to the table
    runner.run("write", work, lane=Lane.STORE, after_paint=True)
    # The UI thread is busy (still handling the key): the work must not have begun.
    time.sleep(PAINT_WAIT_LIMIT_S / 2)
    assert not started_at
    qtbot.waitUntil(finished.is_set, timeout=5_000)
    assert widget.painted_at, "the widget was never repainted"
    assert widget.painted_at[0] < started_at[0]


def test_work_without_after_paint_starts_at_once(runner: BackgroundRunner) -> None:
    started = threading.Event()
    runner.run("write", started.set, lane=Lane.STORE)
    assert started.wait(5)


def test_after_paint_work_keeps_its_place_in_the_store_lane(
    qtbot, runner: BackgroundRunner
) -> None:
    order: list[str] = []
    runner.run("moderate", lambda: order.append("moderate"), after_paint=True)
    runner.run("index", lambda: order.append("index"))
    qtbot.waitUntil(lambda: len(order) == 2, timeout=5_000)
    assert order == ["moderate", "index"]


def test_a_blocking_wait_on_the_ui_thread_does_not_deadlock(runner: BackgroundRunner) -> None:
    done = threading.Event()
    runner.run("write", done.set, after_paint=True)
    started = time.perf_counter()
    assert runner.wait_for_done(5_000)  # the UI thread never returns to its loop here
    assert done.is_set()
    assert time.perf_counter() - started < 2

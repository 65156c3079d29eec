"""The one place work leaves the UI thread.

Every long operation is a plain callable run on a ``QThreadPool``; database
work goes through one lane of its own (one thread) so a store never sees two
of our writers at once. Workers never touch widgets: results and errors come
back to the UI thread through queued signals and are handed to the
operation's ``on_success`` / ``on_failure`` callbacks.
"""

from __future__ import annotations

import collections
import enum
import itertools
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)


class Lane(enum.Enum):
    STORE = "store"  # one thread: every unit of work against the store, in order
    COMPUTE = "compute"  # the shared pool: rendering, images, anything CPU-bound


# The longest a job started with ``after_paint`` waits for the UI thread: only reached
# when the UI thread blocks on the pool itself (``wait_for_done`` at shutdown, in tests).
PAINT_WAIT_LIMIT_S = 0.1

_FRAME_PAINTED = QEvent.Type(QEvent.registerEventType())


class _Relay(QObject):
    """Lives on the UI thread; workers emit, Qt queues the call back. One per runner, so no
    per-operation QObject is created on a worker's behalf or deleted under it."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._paint_gates: collections.deque[threading.Event] = collections.deque()

    def open_after_paint(self, gate: threading.Event) -> None:
        # Qt posts a window's repaint at low priority, so an event posted after it at the
        # same priority is delivered after the repaint.
        self._paint_gates.append(gate)
        QCoreApplication.postEvent(
            self, QEvent(_FRAME_PAINTED), Qt.EventPriority.LowEventPriority.value
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == _FRAME_PAINTED:
            if self._paint_gates:
                self._paint_gates.popleft().set()
            return True
        return super().event(event)


class _Job(QRunnable):
    def __init__(
        self,
        operation_id: int,
        work: Callable[[], Any],
        relay: _Relay,
        gate: threading.Event | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._operation_id = operation_id
        self._work = work
        self._relay = relay
        self._gate = gate

    def run(self) -> None:
        if self._gate is not None:
            self._gate.wait(PAINT_WAIT_LIMIT_S)
        work, self._work = self._work, _finished_work
        try:
            result = work()
        except BaseException as error:
            error.__newsdesk_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.failed.emit(self._operation_id, error)
        else:
            self._relay.succeeded.emit(self._operation_id, result)


def _finished_work() -> None:
    return None


@dataclass
class _Operation:
    name: str
    on_success: Callable[[Any], None] | None
    on_failure: Callable[[BaseException], None] | None


class BackgroundRunner(QObject):
    """Runs work off the UI thread; ``operation_finished`` fires once per operation, on the UI thread."""

    operation_finished = Signal(str)
    operation_failed = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store_pool = QThreadPool(self)
        self._store_pool.setMaxThreadCount(1)
        self._compute_pool = QThreadPool(self)
        self._compute_pool.setMaxThreadCount(max(1, QThreadPool.globalInstance().maxThreadCount()))
        self._relay = _Relay(self)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        self._operations: dict[int, _Operation] = {}
        self._next_id = itertools.count(1)

    def run(
        self,
        name: str,
        work: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        lane: Lane = Lane.STORE,
        after_paint: bool = False,
    ) -> None:
        """Run ``work`` in ``lane``; exactly one of the callbacks is then called on the UI thread.

        Without ``on_failure`` the error goes to ``operation_failed`` for the window to show.
        With ``after_paint`` the work keeps its place in the lane but starts only once the UI
        thread has painted what the caller just changed: a worker running Python takes the
        interpreter lock from the paint's model calls, and made a keypress's repaint take
        twice as long.
        """
        operation_id = next(self._next_id)
        self._operations[operation_id] = _Operation(name, on_success, on_failure)
        pool = self._store_pool if lane is Lane.STORE else self._compute_pool
        gate = None
        if after_paint:
            gate = threading.Event()
            self._relay.open_after_paint(gate)
        pool.start(_Job(operation_id, work, self._relay, gate))

    @Slot(int, object)
    def _succeeded(self, operation_id: int, result: object) -> None:
        operation = self._operations.pop(operation_id, None)
        if operation is None:
            return
        if operation.on_success is not None:
            _call_unless_widget_gone(operation.on_success, result)
        self.operation_finished.emit(operation.name)

    @Slot(int, object)
    def _failed(self, operation_id: int, error: BaseException) -> None:
        operation = self._operations.pop(operation_id, None)
        if operation is None:
            return
        if operation.on_failure is not None:
            _call_unless_widget_gone(operation.on_failure, error)
        else:
            self.operation_failed.emit(operation.name, error)
        self.operation_finished.emit(operation.name)

    @property
    def busy(self) -> bool:
        return bool(self._operations)

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until queued work has run (for shutdown and tests); callbacks still need the event loop."""
        return self._store_pool.waitForDone(msecs) and self._compute_pool.waitForDone(msecs)


def _call_unless_widget_gone(callback: Callable[[Any], None], value: object) -> None:
    """Deliver a result; if the widget that asked was closed and deleted meanwhile (work
    finishing after a window closed), there is no one to tell, and that is not an error."""
    try:
        callback(value)
    except RuntimeError as error:
        message = str(error)
        if "already deleted" in message or "has been deleted" in message:
            return
        raise

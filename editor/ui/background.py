"""The one place work leaves the UI thread.

Every long operation is a plain callable run on a ``QThreadPool``; database
work goes through one lane of its own (one thread) so a store never sees two
of our writers at once. Workers never touch widgets: results and errors come
back to the UI thread through queued signals and are handed to the
operation's ``on_success`` / ``on_failure`` callbacks.
"""

from __future__ import annotations

import enum
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Lane(enum.Enum):
    STORE = "store"  # one thread: every unit of work against the store, in order
    COMPUTE = "compute"  # the shared pool: rendering, images, anything CPU-bound


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, Qt queues the call back."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:
            error.__newsdesk_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


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
        self._in_flight: set[_Relay] = set()

    def run(
        self,
        name: str,
        work: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        lane: Lane = Lane.STORE,
    ) -> None:
        """Run ``work`` in ``lane``; exactly one of the callbacks is then called on the UI thread.

        Without ``on_failure`` the error goes to ``operation_failed`` for the window to show.
        """
        relay = _Relay(self)
        self._in_flight.add(relay)

        @Slot(object)
        def succeeded(result: object) -> None:
            self._finish(relay)
            if on_success is not None:
                on_success(result)
            self.operation_finished.emit(name)

        @Slot(object)
        def failed(error: BaseException) -> None:
            self._finish(relay)
            if on_failure is not None:
                on_failure(error)
            else:
                self.operation_failed.emit(name, error)
            self.operation_finished.emit(name)

        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        pool = self._store_pool if lane is Lane.STORE else self._compute_pool
        pool.start(_Job(work, relay))

    @property
    def busy(self) -> bool:
        return bool(self._in_flight)

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until queued work has run (for shutdown and tests); callbacks still need the event loop."""
        return self._store_pool.waitForDone(msecs) and self._compute_pool.waitForDone(msecs)

    def _finish(self, relay: _Relay) -> None:
        self._in_flight.discard(relay)
        relay.deleteLater()

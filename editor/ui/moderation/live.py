"""New comments arriving while the queue is open: polled on SQLite, heard on PostgreSQL.

SQLite: every ``POLL_MS`` the store lane asks for ids past the newest one
seen (one writer at a time makes a watermark enough). PostgreSQL: a Python
thread runs ``listen_for_new_comments`` on its own connection and hands each
batch of ids to the UI thread through a queued signal; it is stopped when the
store changes or the pane goes away.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from editor.ui.background import Lane

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

POLL_MS = 2_000
LISTEN_POLL_SECONDS = 0.25


class NewCommentWatcher(QObject):
    comments_arrived = Signal(list)  # comment ids, oldest first
    # Emitted from the listening thread; queued to the UI thread like every cross-thread signal.
    _heard = Signal(list)
    listening_failed = Signal(str)
    _failed = Signal(str)

    def __init__(self, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store: Store | None = None
        self._watermark = 0
        self._polling = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll_now)
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._heard.connect(self._forward)
        self._failed.connect(self.listening_failed)
        application = QCoreApplication.instance()
        if application is not None:
            # The listening connection is closed before the app goes, not left to exit.
            application.aboutToQuit.connect(self.stop)

    @property
    def is_listening(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, store: Store, *, after_id: int) -> None:
        """Watch ``store`` for comments newer than ``after_id`` (the newest the queue has seen)."""
        self.stop()
        self._store = store
        self._watermark = after_id
        if store.is_sqlite:
            self._timer.start()
            return
        stop = threading.Event()
        self._stop = stop
        self._thread = threading.Thread(
            target=_listen,
            args=(store.url, after_id, stop, self._heard, self._failed),
            name="newsdesk-comment-listener",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        self._timer.stop()
        self._store = None
        if self._stop is not None:
            self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=LISTEN_POLL_SECONDS * 8)
        self._stop = None
        self._thread = None

    def poll_now(self) -> None:
        """One SQLite poll in the store lane (skipped while the previous one runs)."""
        store = self._store
        if store is None or self._polling:
            return
        self._polling = True
        after = self._watermark

        def work() -> list[int]:
            from editor.core.moderation.queue import comments_since

            with store.session_factory() as session:
                return [int(found) for found in comments_since(after, session=session)]

        def done(ids: list[int]) -> None:
            self._polling = False
            if store is not self._store or not ids:
                return
            self._watermark = max(self._watermark, max(ids))
            self.comments_arrived.emit(ids)

        def failed(_error: BaseException) -> None:
            self._polling = False

        self._runner.run(
            "poll new comments", work, on_success=done, on_failure=failed, lane=Lane.STORE
        )

    def _forward(self, ids: list[int]) -> None:
        if self._store is not None and ids:
            self._watermark = max(self._watermark, max(ids))
            self.comments_arrived.emit(ids)


def _listen(url: str, after_id: int, stop: threading.Event, heard: object, failed: object) -> None:
    from editor.core.moderation.notifications import listen_for_new_comments

    try:
        # after_id: comments committed between the queue's load and LISTEN come first.
        for ids in listen_for_new_comments(
            url, stop=stop, poll_seconds=LISTEN_POLL_SECONDS, after_id=after_id
        ):
            if stop.is_set():
                return
            heard.emit([int(found) for found in ids])  # type: ignore[attr-defined]
    except Exception as error:  # the connection dropped, the database or the pane went away
        if stop.is_set():
            return
        # The watcher may be gone too (its C++ object deleted): then there is no one to tell.
        with contextlib.suppress(RuntimeError):
            failed.emit(f"Live updates stopped: {error}")  # type: ignore[attr-defined]

"""Composition root: settings, background runner, main window, store.

The window is shown before the store is opened: SQLAlchemy and the store
(a file, or a server that may be slow or down) load off the UI thread, so the
app appears at once and a refused store is a dialog, not a hang.
"""

from __future__ import annotations

import os
import sys
import time

STARTUP_PROBE_ENV = "NEWSDESK_STARTUP_PROBE"


def allow_web_engine_as_root() -> None:
    """Chromium refuses to start its sandbox as root (containers, CI); the preview loads only
    our own sanitised page with its scripts off, so run it unsandboxed there rather than not at all."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def run_app(*, store_url: str | None, demo: bool) -> int:
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from editor import __version__
    from editor.core.store import resolve_store_url
    from editor.ui.background import BackgroundRunner
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Settings

    allow_web_engine_as_root()
    # QtWebEngine (the preview) needs this set before the application exists.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Newsdesk")
    app.setOrganizationName("Newsdesk")
    app.setApplicationVersion(__version__)

    settings = Settings()
    runner = BackgroundRunner()
    window = MainWindow(settings, runner)
    if os.environ.get(STARTUP_PROBE_ENV):
        _attach_startup_probe(window)
    window.show()
    url = None if demo else resolve_store_url(store_url or settings.preferences.store_url or None)
    QTimer.singleShot(0, lambda: window.open_store(url, demo=demo))
    exit_code = app.exec()
    runner.wait_for_done(10_000)
    store = window.store
    # Destroy the window (and any preview page) while the application still exists: a web
    # engine page must go before its profile.
    import shiboken6

    shiboken6.delete(window)
    if store is not None:
        store.close()
    return int(exit_code)


def _attach_startup_probe(window: object) -> None:
    """For ``newsdesk bench startup``: report when the window is on screen and when it lists articles."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)

    def report(event: str) -> None:
        print(f"{event} {time.perf_counter():.6f}", flush=True)

    QTimer.singleShot(0, lambda: report("shown"))

    def listed(_count: int) -> None:
        report("ready")
        QTimer.singleShot(0, QApplication.quit)

    window.articles_pane.articles_listed.connect(listed)
    window.store_refused.connect(lambda message: (report("refused"), QApplication.quit()))

"""File → Import from WordPress: progress, the article list refreshed, refusals and cancel change nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from editor.core.models import Article, Comment
from editor.core.store import open_store
from editor.ui.main_window import MainWindow


def _counts(url: str) -> tuple[int, int]:
    store = open_store(url)
    try:
        with store.session_factory() as session:
            return (
                int(session.scalar(select(func.count()).select_from(Article)) or 0),
                int(session.scalar(select(func.count()).select_from(Comment)) or 0),
            )
    finally:
        store.close()


def _open(qtbot, window: MainWindow, url: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.articles_pane.articles_listed, timeout=20_000):
        window.open_store(url)


def test_theme_unit_test_data_imports_with_progress(
    qtbot, main_window: MainWindow, sqlite_url: str, shared_data: Path
) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, main_window, sqlite_url)
    flow = main_window.wordpress_import
    with qtbot.waitSignal(flow.finished, timeout=120_000) as finished:
        flow.import_file(main_window.store, shared_data / "wxr" / "themeunittestdata.wordpress.xml")  # type: ignore[arg-type]
    report = finished.args[0]
    assert report is not None and report.posts == 58 and report.pages == 21
    assert flow.result_box is not None and "Imported" in flow.result_box.text()
    qtbot.waitUntil(lambda: main_window.articles_pane.model.rowCount() == 79, timeout=10_000)
    titles = {main_window.articles_pane.model.row_at(r).title for r in range(79)}
    assert "Template: Comments" in titles
    assert _counts(sqlite_url) == (79, 33)


def test_refused_file_imports_nothing(
    qtbot, main_window: MainWindow, sqlite_url: str, tmp_path: Path, shared_data: Path
) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, main_window, sqlite_url)
    broken = tmp_path / "broken.xml"
    text = (shared_data / "wxr" / "themeunittestdata.wordpress.xml").read_text(encoding="utf-8")
    broken.write_text(text[: len(text) // 2], encoding="utf-8")
    flow = main_window.wordpress_import
    with qtbot.waitSignal(flow.finished, timeout=60_000) as finished:
        flow.import_file(main_window.store, broken)  # type: ignore[arg-type]
    assert finished.args[0] is None
    assert flow.result_box is not None and "line" in flow.result_box.text()
    assert _counts(sqlite_url) == (0, 0)


def test_cancelled_import_leaves_the_store_as_it_was(
    qtbot, main_window: MainWindow, sqlite_url: str, shared_data: Path
) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, main_window, sqlite_url)
    flow = main_window.wordpress_import
    with qtbot.waitSignal(flow.finished, timeout=60_000) as finished:
        flow.import_file(main_window.store, shared_data / "wxr" / "themeunittestdata.wordpress.xml")  # type: ignore[arg-type]
        assert flow.progress_dialog is not None
        cancel_button = flow.progress_dialog.findChild(QPushButton)
        assert cancel_button is not None and cancel_button.text() == "Cancel"
        cancel_button.click()
    assert finished.args[0] is None
    assert flow.result_box is not None and flow.result_box.windowTitle() == "Import Cancelled"
    assert _counts(sqlite_url) == (0, 0)

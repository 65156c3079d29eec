"""The app shell: areas, the article list over a real store, refused stores, shortcuts, window state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from editor import __version__
from editor.core.store import Store
from editor.ui.background import BackgroundRunner
from editor.ui.main_window import Area, MainWindow
from editor.ui.settings import Settings


def open_and_wait(qtbot, window: MainWindow, url: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.articles_pane.articles_listed, timeout=20_000):
        window.open_store(url)


def test_article_list_shows_the_demo_store(
    qtbot, qtmodeltester, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    open_and_wait(qtbot, main_window, demo_store.url)
    model = main_window.articles_pane.model
    qtmodeltester.check(model)
    titles = {model.row_at(row).title for row in range(model.rowCount())}
    assert len(titles) == 4
    assert any(title.startswith("Flood Barrier Holds") for title in titles)
    assert main_window.articles_pane.count_label.text() == "4 articles"
    assert "sqlite" in main_window.store_label.text()


def test_search_and_status_filter_narrow_the_list(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    open_and_wait(qtbot, main_window, demo_store.url)
    pane = main_window.articles_pane
    with qtbot.waitSignal(pane.articles_listed, timeout=5_000) as listed:
        qtbot.keyClicks(pane.search_field, "flood")
    assert listed.args == [1]
    assert pane.model.row_at(0).slug == "flood-barrier-first-full-test"
    with qtbot.waitSignal(pane.articles_listed, timeout=5_000):
        pane.search_field.clear()
    with qtbot.waitSignal(pane.articles_listed, timeout=5_000) as listed:
        pane.status_filter.setCurrentIndex(pane.status_filter.findData("draft"))
    assert listed.args == [1]
    with qtbot.waitSignal(pane.articles_listed, timeout=5_000) as listed:
        qtbot.keyClicks(pane.search_field, "no such headline")
    assert listed.args == [0]
    assert pane.empty_label.isVisible() and "No articles match" in pane.empty_label.text()


def test_refused_store_shows_a_dialog_and_the_window_stays_usable(
    qtbot, main_window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"not a database" * 200)
    before = corrupt.read_bytes()
    with qtbot.waitSignal(main_window.store_refused, timeout=10_000) as refused:
        main_window.open_store(f"sqlite:///{corrupt}")
    assert "corrupt.sqlite3" in refused.args[0]
    box = main_window.store_error_box
    assert box is not None and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Critical and "corrupt.sqlite3" in box.text()
    assert "Traceback" not in box.text()
    box.accept()
    assert corrupt.read_bytes() == before
    assert main_window.store_label.text() == "No store open"
    main_window.show_area(Area.MODERATION)
    assert main_window.current_area is Area.MODERATION


def test_area_shortcuts_and_find(qtbot, main_window: MainWindow, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    open_and_wait(qtbot, main_window, demo_store.url)
    qtbot.keyClick(main_window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_area is Area.MODERATION
    qtbot.keyClick(main_window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_area is Area.PUBLISHING
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_area is Area.ARTICLES
    assert main_window.articles_pane.search_field.hasFocus()
    shortcuts = dict(main_window.shortcut_summary())
    assert shortcuts["Editor"] == "Ctrl+2"
    assert "Quit" in shortcuts and "Open Store" in shortcuts


def test_about_names_the_version_and_store(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    open_and_wait(qtbot, main_window, demo_store.url)
    text = main_window.about_text()
    assert __version__ in text and demo_store.display_url in text


def test_window_geometry_and_area_are_restored(
    qtbot, settings_file: Path, runner: BackgroundRunner
) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(Settings(QSettings(str(settings_file), QSettings.Format.IniFormat)), runner)
    qtbot.addWidget(first)
    first.show()
    first.resize(770, 610)
    first.show_area(Area.PUBLISHING)
    first.close()
    second = MainWindow(Settings(QSettings(str(settings_file), QSettings.Format.IniFormat)), runner)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (770, 610)
    assert second.current_area is Area.PUBLISHING


def test_settings_write_only_what_differs_from_the_defaults(settings_file: Path) -> None:
    settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    settings.preferences.moderator_name = "Sam Okafor"
    settings.save()
    stored = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert stored.allKeys() == ["Preferences/moderator_name"]
    reread = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    assert reread.preferences.moderator_name == "Sam Okafor"
    assert reread.preferences.autosave_seconds == 2


def test_settings_ignore_a_hand_edited_bad_value(settings_file: Path) -> None:
    settings_file.write_text("[Preferences]\nautosave_seconds=soon\n")
    settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    assert settings.preferences.autosave_seconds == 2


@pytest.mark.parametrize("fail", [False, True])
def test_background_runner_reports_back_on_the_ui_thread(
    qtbot, runner: BackgroundRunner, fail: bool
) -> None:  # type: ignore[no-untyped-def]
    import threading

    seen: dict[str, object] = {}
    ui_thread = threading.get_ident()

    def work() -> str:
        seen["worker_thread"] = threading.get_ident()
        if fail:
            raise ValueError("store went away")
        return "done"

    def success(result: object) -> None:
        seen["result"] = result
        seen["callback_thread"] = threading.get_ident()

    def failure(error: BaseException) -> None:
        seen["error"] = str(error)
        seen["callback_thread"] = threading.get_ident()

    with qtbot.waitSignal(runner.operation_finished, timeout=5_000):
        runner.run("probe", work, on_success=success, on_failure=failure)
    assert seen["worker_thread"] != ui_thread
    assert seen["callback_thread"] == ui_thread
    assert seen.get("error" if fail else "result") == ("store went away" if fail else "done")
    assert not runner.busy


def _select_slug(window: MainWindow, slug: str) -> None:
    pane = window.articles_pane
    for row in range(pane.model.rowCount()):
        if pane.model.row_at(row).slug == slug:
            pane.table.selectRow(row)
            pane.table.setCurrentIndex(pane.model.index(row, 0))
            return
    raise AssertionError(f"{slug} not listed")


def test_duplicate_archive_restore_and_delete_from_the_list(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from editor.core.models import Article, ArticleStatus

    open_and_wait(qtbot, main_window, demo_store.url)
    pane = main_window.articles_pane
    _select_slug(main_window, "market-square-roadworks")
    with qtbot.waitSignal(pane.articles_listed, timeout=5_000) as listed:
        pane.duplicate_selected()
    assert listed.args == [5]
    # Delete on a live article only archives it; nothing is lost.
    _select_slug(main_window, "market-square-roadworks")
    with qtbot.waitSignal(pane.articles_listed, timeout=5_000):
        pane.delete_selected()
    with demo_store.session_factory() as session:
        status = session.scalar(
            select(Article.status).where(Article.slug == "market-square-roadworks")
        )
    assert status is ArticleStatus.ARCHIVED
    # From the archive, delete asks first; cancelling keeps it.
    _select_slug(main_window, "market-square-roadworks")
    pane.delete_selected()
    assert pane.delete_box is not None and pane.delete_box.isVisible()
    pane.delete_box.button(QMessageBox.StandardButton.Cancel).click()
    _select_slug(main_window, "market-square-roadworks")
    pane.delete_selected()
    delete_button = next(b for b in pane.delete_box.buttons() if b.text() == "Delete")
    with qtbot.waitSignal(pane.articles_listed, timeout=5_000) as listed:
        delete_button.click()
    assert listed.args == [4]
    with demo_store.session_factory() as session:
        gone = session.scalar(select(Article.id).where(Article.slug == "market-square-roadworks"))
    assert gone is None

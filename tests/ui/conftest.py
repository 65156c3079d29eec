from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from editor.ui.background import BackgroundRunner
from editor.ui.main_window import MainWindow
from editor.ui.settings import Settings


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def settings(settings_file: Path) -> Settings:
    return Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))


@pytest.fixture
def runner(qtbot: object) -> Iterator[BackgroundRunner]:
    background = BackgroundRunner()
    yield background
    background.wait_for_done(10_000)


@pytest.fixture
def main_window(qtbot, settings: Settings, runner: BackgroundRunner) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = MainWindow(settings, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    runner.wait_for_done(10_000)
    if window.store is not None:
        window.store.close()

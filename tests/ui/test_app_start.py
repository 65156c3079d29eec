"""The real entry point: ``newsdesk --demo`` starts, shows the window, lists the sample articles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_app_starts_and_lists_articles(tmp_path: Path) -> None:
    env = dict(os.environ, NEWSDESK_STARTUP_PROBE="1", XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "editor", "--demo"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    events = [line.split()[0] for line in result.stdout.splitlines()]
    assert events == ["shown", "ready"]
    assert "Traceback" not in result.stderr


def test_refused_store_at_start_reports_and_exits_cleanly(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"definitely not sqlite" * 64)
    env = dict(os.environ, NEWSDESK_STARTUP_PROBE="1", XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "editor", "--store", str(corrupt)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["shown", "refused"]
    assert corrupt.read_bytes() == b"definitely not sqlite" * 64


def test_building_the_window_does_not_import_the_store_layer() -> None:
    """Start-up shows the window before SQLAlchemy loads (it alone costs ~0.26 s here)."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from editor.ui.background import BackgroundRunner\n"
        "from editor.ui.main_window import MainWindow\n"
        "from editor.ui.settings import Settings\n"
        "window = MainWindow(Settings(), BackgroundRunner())\n"
        "window.show()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'PIL', 'markdown')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"

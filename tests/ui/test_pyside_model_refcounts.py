"""Regression guard for the pinned PySide6: item-model calls from Python must not corrupt refcounts.

PySide6 6.12.0 on CPython 3.11 drops a reference to None/True on every
beginInsertRows/endInsertRows/beginResetModel/fetchMore/dataChanged.emit and
the interpreter aborts after a few thousand updates. The moderation queue does
far more than that in a session, so 100,000 updates must survive. Runs in a
subprocess because the failure is an abort, not an exception.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

UPDATES = 100_000

SCRIPT = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt

    app = QCoreApplication([])

    class Window(QAbstractTableModel):
        def __init__(self):
            super().__init__()
            self.rows = 0
            self.total = 10**9

        def rowCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else self.rows

        def columnCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else 3

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return index.row() if role == Qt.ItemDataRole.DisplayRole else None

        def canFetchMore(self, parent):
            return not parent.isValid() and self.rows < self.total

        def fetchMore(self, parent):
            self.beginInsertRows(QModelIndex(), self.rows, self.rows)
            self.rows += 1
            self.endInsertRows()

    model = Window()
    updates = 0
    while updates < {UPDATES}:
        model.fetchMore(QModelIndex())
        top = model.index(0, 0)
        model.dataChanged.emit(top, top, [Qt.ItemDataRole.DisplayRole])
        updates += 2
        if updates % 1000 == 0:
            model.beginResetModel()
            model.rows = 0
            model.endResetModel()
            updates += 1
    print("survived", updates, sys.getrefcount(None) > 0, flush=True)
    """
)


def test_many_model_updates_do_not_abort_the_interpreter() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert result.returncode == 0, (
        f"interpreter died (exit {result.returncode}) during model updates: {result.stderr[-2000:]}"
    )
    assert result.stdout.startswith("survived")
    assert int(result.stdout.split()[1]) >= UPDATES


def test_installed_pyside6_is_not_the_known_bad_release() -> None:
    import PySide6

    assert PySide6.__version__ != "6.12.0"

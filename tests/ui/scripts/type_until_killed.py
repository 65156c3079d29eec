"""Run the real editor on a store and keep typing until killed (for the kill -9 recovery test).

Prints ``typed <count> <monotonic time>`` after each burst; never stops typing long enough
for an autosave, so only the crash-recovery journal can bring the text back.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from editor.ui.background import BackgroundRunner
from editor.ui.main_window import MainWindow
from editor.ui.settings import Settings


def main(store_url: str, article_id: int) -> None:
    app = QApplication([])
    window = MainWindow(Settings(), BackgroundRunner())
    window.show()
    loop = QEventLoop()
    window.articles_pane.articles_listed.connect(lambda _n: loop.quit())
    window.open_store(store_url)
    loop.exec()
    pane = window.editor_pane
    opened = QEventLoop()
    pane.article_opened.connect(lambda _d: opened.quit())
    window.open_article(article_id)
    opened.exec()
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    count = 0
    while True:
        count += 1
        QTest.keyClicks(pane.text, f" w{count}")
        print(f"typed {count} {time.monotonic():.3f}", flush=True)
        pause = QEventLoop()
        QTimer.singleShot(150, pause.quit)
        pause.exec()
        app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

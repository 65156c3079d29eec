"""The find/replace bar under the editor (Ctrl+F, Ctrl+H, F3, Escape)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)


class FindReplaceBar(QWidget):
    closed = Signal()

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText("Find")
        self.replace_field = QLineEdit()
        self.replace_field.setPlaceholderText("Replace with")
        self.match_case = QCheckBox("Match case")
        self.status = QLabel()
        self.status.setObjectName("muted")
        previous_button = QPushButton("Previous")
        next_button = QPushButton("Next")
        replace_button = QPushButton("Replace")
        replace_all_button = QPushButton("Replace All")
        close_button = QPushButton("Close")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        for widget in (
            self.find_field,
            previous_button,
            next_button,
            self.replace_field,
            replace_button,
            replace_all_button,
            self.match_case,
            self.status,
            close_button,
        ):
            layout.addWidget(widget)
        layout.setStretch(0, 2)
        layout.setStretch(3, 2)

        self.find_field.returnPressed.connect(self.find_next)
        self.find_field.textChanged.connect(self._search_from_selection_start)
        self.replace_field.returnPressed.connect(self.replace_current)
        previous_button.clicked.connect(self.find_previous)
        next_button.clicked.connect(self.find_next)
        replace_button.clicked.connect(self.replace_current)
        replace_all_button.clicked.connect(self.replace_all)
        close_button.clicked.connect(self.close_bar)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar)

    def open_find(self, *, with_replace: bool = False) -> None:
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        self.replace_field.setVisible(True)
        self.show()
        (
            self.replace_field if with_replace and self.find_field.text() else self.find_field
        ).setFocus()
        self.find_field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._editor.setFocus()
        self.closed.emit()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.match_case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _find(self, *, backward: bool, from_cursor: QTextCursor | None = None) -> bool:
        needle = self.find_field.text()
        if not needle:
            self.status.clear()
            return False
        document = self._editor.document()
        start = from_cursor or self._editor.textCursor()
        found = document.find(needle, start, self._flags(backward))
        if found.isNull():
            wrap = QTextCursor(document)
            if backward:
                wrap.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(needle, wrap, self._flags(backward))
        if found.isNull():
            self.status.setText("Not found")
            return False
        self.status.setText("")
        self._editor.setTextCursor(found)
        self._editor.ensureCursorVisible()
        return True

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _search_from_selection_start(self) -> None:
        cursor = QTextCursor(self._editor.textCursor())
        cursor.setPosition(cursor.selectionStart())
        self._find(backward=False, from_cursor=cursor)

    def _current_is_match(self) -> bool:
        selected = self._editor.textCursor().selectedText()
        needle = self.find_field.text()
        if self.match_case.isChecked():
            return bool(needle) and selected == needle
        return bool(needle) and selected.casefold() == needle.casefold()

    def replace_current(self) -> None:
        if not self._current_is_match() and not self.find_next():
            return
        self._editor.textCursor().insertText(self.replace_field.text())
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        needle = self.find_field.text()
        if not needle:
            return 0
        document = self._editor.document()
        replacement = self.replace_field.text()
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        try:
            cursor = document.find(needle, 0, self._flags())
            while not cursor.isNull():
                cursor.insertText(replacement)
                count += 1
                cursor = document.find(needle, cursor, self._flags())
        finally:
            edit.endEditBlock()
        self.status.setText(f"Replaced {count}")
        return count

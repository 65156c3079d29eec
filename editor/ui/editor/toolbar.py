"""The Editor area's toolbar: every command's label, shortcut and tip in one place; the pane
says what each does. Actions are kept by name so the pane can enable them together while no
article is open."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QToolBar

from editor.ui.editor import formatting

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from editor.ui.editor.markdown_edit import MarkdownEdit


class EditorToolbar(QToolBar):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__("Formatting")
        self.setObjectName("formattingToolbar")
        self.setMovable(False)
        window.addToolBar(self)
        self._window = window
        self.actions_by_name: dict[str, QAction] = {}

    def add(
        self, name: str, text: str, shortcut: str, slot: Callable[[], object], tip: str
    ) -> QAction:
        action = QAction(text, self._window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        self.addAction(action)
        self._window.addAction(action)
        self.actions_by_name[name] = action
        return action

    def add_formatting(self, text: MarkdownEdit) -> None:
        cursor = text.textCursor
        self.add(
            "h2",
            "H2",
            "Ctrl+Alt+2",
            lambda: formatting.toggle_heading(cursor(), 2),
            "Section heading",
        )
        self.add(
            "h3", "H3", "Ctrl+Alt+3", lambda: formatting.toggle_heading(cursor(), 3), "Subheading"
        )
        self.add("bold", "Bold", "Ctrl+B", lambda: _wrap(text, "**"), "Bold")
        self.add("italic", "Italic", "Ctrl+I", lambda: _wrap(text, "*"), "Italic")
        self.add("link", "Link", "Ctrl+K", lambda: _insert_link(text, self._window), "Link")
        self.add(
            "quote", "Quote", "Ctrl+Shift+.", lambda: formatting.toggle_quote(cursor()), "Quote"
        )
        self.add(
            "list",
            "List",
            "Ctrl+Shift+8",
            lambda: formatting.toggle_bullet_list(cursor()),
            "Bulleted list",
        )

    def add_commands(
        self,
        *,
        insert_figure: Callable[[], object],
        find: Callable[[], object],
        replace: Callable[[], object],
        save: Callable[[], object],
        show_revisions: Callable[[], object],
        publish: Callable[[], object],
        unpublish: Callable[[], object],
        toggle_preview: Callable[[], object],
    ) -> None:
        self.add("figure", "Figure", "Ctrl+Shift+I", insert_figure, "Insert an image as a figure")
        self.addSeparator()
        # Ctrl+F belongs to the main window's Find, which routes here when the Editor is shown.
        self.add("find", "Find", "", find, "Find (Ctrl+F)")
        self.add("replace", "Replace", "Ctrl+H", replace, "Find and replace")
        self.add("save", "Save", "Ctrl+S", save, "Save now, keeping a revision")
        self.add("revisions", "Revisions", "", show_revisions, "Revisions of this article")
        self.add(
            "publish", "Publish", "Ctrl+Shift+Return", publish, "Publish (or update) this article"
        )
        self.add("unpublish", "Unpublish", "", unpublish, "Take this article down")
        preview = self.add(
            "preview", "Preview", "Ctrl+Shift+P", toggle_preview, "Show the layout preview"
        )
        preview.setCheckable(True)

    def add_undo_redo(self, undo_stack: QUndoStack) -> None:
        undo = undo_stack.createUndoAction(self._window, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = undo_stack.createRedoAction(self._window, "Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addSeparator()
        self.addAction(undo)
        self.addAction(redo)
        self.actions_by_name["undo"] = undo
        self.actions_by_name["redo"] = redo


def _wrap(text: MarkdownEdit, marker: str) -> None:
    cursor = text.textCursor()
    formatting.toggle_wrap(cursor, marker)
    text.setTextCursor(cursor)


def _insert_link(text: MarkdownEdit, window: QMainWindow) -> None:
    url, accepted = QInputDialog.getText(window, "Insert Link", "Address (https://…)")
    if accepted and url.strip():
        cursor = text.textCursor()
        formatting.insert_link(cursor, url.strip())
        text.setTextCursor(cursor)

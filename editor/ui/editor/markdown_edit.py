"""The Markdown writing surface: a QPlainTextEdit that knows about images and huge pastes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QImage,
    QKeyEvent,
    QKeySequence,
    QTextOption,
    QUndoStack,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from editor.ui.editor.highlighter import MarkdownHighlighter

# Text pastes beyond this are refused with a message instead of freezing the editor for
# seconds; real articles are well under 1 MB.
MAX_TEXT_PASTE_BYTES = 5 * 1024 * 1024


class MarkdownEdit(QPlainTextEdit):
    """Emits the image files dropped or pasted onto it; the pane ingests them off the UI thread."""

    image_files_dropped = Signal(list)  # list[str] of local paths
    image_data_pasted = Signal(bytes, str)  # encoded bytes, a name for messages
    paste_refused = Signal(str)  # a sentence for the user

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        font.setStyleHint(QFont.StyleHint.Serif)
        self.setFont(font)
        # Word boundaries only: "or anywhere" makes Qt's line breaking quadratic on a long
        # unbroken run (a pasted 1 MB line took 98 s to lay out; word wrap takes 0.5 s).
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.setTabChangesFocus(False)
        self.document().setDocumentMargin(18)
        self.highlighter = MarkdownHighlighter(self.document())
        self.setPlaceholderText(
            "Write the article in Markdown. ## for a section heading, > for a quote, "
            "drop or paste an image for a figure."
        )

    undo_stack: QUndoStack | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Undo goes through the article's stack so structural edits undo as one step.
        if self.undo_stack is not None:
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undo_stack.undo()
                return
            if event.matches(QKeySequence.StandardKey.Redo):
                self.undo_stack.redo()
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.undo_stack is not None:
            actions = menu.actions()
            # The first two standard entries are the document's own Undo and Redo.
            for standard, replacement in zip(
                actions[:2],
                (self.undo_stack.createUndoAction(menu), self.undo_stack.createRedoAction(menu)),
                strict=False,
            ):
                menu.insertAction(standard, replacement)
                menu.removeAction(standard)
        self.extend_context_menu(menu, event)
        menu.exec(event.globalPos())

    def extend_context_menu(self, menu: object, event: QContextMenuEvent) -> None:
        """Hook for spelling suggestions; the pane replaces it."""

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            source.hasImage()
            or bool(self._local_files(source))
            or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = self._local_files(source)
        if files:
            self.image_files_dropped.emit(files)
            return
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_data_pasted.emit(_png_bytes(image), "pasted image")
                return
        if source.hasText():
            raw = source.data("text/plain")
            size = raw.size() if not raw.isEmpty() else len(source.text().encode("utf-8"))
            if size > MAX_TEXT_PASTE_BYTES:
                self.paste_refused.emit(
                    f"The pasted text is {size / 1_048_576:.0f} MB; pastes over "
                    f"{MAX_TEXT_PASTE_BYTES // 1_048_576} MB are refused. Nothing was changed."
                )
                return
            if not raw.isEmpty() and not _is_utf8(bytes(raw.data())):
                # Qt decoded it as best it could; say so rather than silently mangling accents.
                self.paste_refused.emit(
                    "The pasted text was not UTF-8; it was inserted with replacement characters "
                    "where bytes could not be read. Check accents and quotes."
                )
                self.insertPlainText(bytes(raw.data()).decode("utf-8", errors="replace"))
                return
            self.insertPlainText(source.text())
            return
        super().insertFromMimeData(source)

    @staticmethod
    def _local_files(source: QMimeData) -> list[str]:
        if not source.hasUrls():
            return []
        return [
            url.toLocalFile()
            for url in source.urls()
            if url.isLocalFile() and Path(url.toLocalFile()).is_file()
        ]

    def go_to_block(self, block_number: int) -> None:
        """Move the cursor to a 0-based source line (a block) and show it in the middle."""
        block = self.document().findBlockByNumber(max(0, block_number))
        if not block.isValid():
            return
        cursor = self.textCursor()
        cursor.setPosition(block.position())
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus(Qt.FocusReason.OtherFocusReason)


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

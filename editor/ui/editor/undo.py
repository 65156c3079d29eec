"""One QUndoStack per open article.

Typing keeps QTextDocument's own undo; each document undo step is mirrored
as a command on the stack, so structural edits (inserting a figure, which
also touches the media panel) can be macros of text steps and their own
commands, and the stack's clean state is the one "modified" marker.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QTextDocument, QUndoCommand, QUndoStack


class DocumentStep(QUndoCommand):
    """One undo step the document already performed; (re)doing it delegates to the document."""

    def __init__(self, document: QTextDocument, text: str = "Typing") -> None:
        super().__init__(text)
        self._document = document
        self._first_redo = True

    def redo(self) -> None:
        if self._first_redo:
            self._first_redo = False  # the edit already happened when it was recorded
            return
        self._document.redo()

    def undo(self) -> None:
        self._document.undo()


class CallbackCommand(QUndoCommand):
    """A non-text change (e.g. the media panel gaining an image) with its own do and undo."""

    def __init__(self, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()


def attach_document(stack: QUndoStack, document: QTextDocument) -> None:
    document.undoCommandAdded.connect(lambda: stack.push(DocumentStep(document)))

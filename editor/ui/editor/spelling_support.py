"""Spelling in the editor: the checker loads off the UI thread, suggestions in the context menu.

The newsroom dictionary lives in the store ("Spelling/custom_words"), so a word one editor
adds is known to everyone on a shared store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from editor.core.articles.spelling import SpellingChecker
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.editor.markdown_edit import MarkdownEdit


class SpellingSupport:
    def __init__(self, text: MarkdownEdit, runner: BackgroundRunner) -> None:
        self._text = text
        self._runner = runner
        self._store: Store | None = None
        self.checker: SpellingChecker | None = None
        text.extend_context_menu = self._extend_menu  # type: ignore[method-assign]

    def set_store(self, store: Store | None) -> None:
        self._store = store
        if store is None:
            return

        def load() -> SpellingChecker:
            from editor.core.articles.spelling import SpellingChecker, custom_words

            with store.session_factory() as session:
                words = custom_words(session)
            checker = SpellingChecker(words)
            checker.preload()
            return checker

        self._runner.run(
            "load dictionary", load, on_success=self._loaded, on_failure=lambda _e: None
        )

    def _loaded(self, checker: SpellingChecker) -> None:
        self.checker = checker
        self._text.highlighter.set_spelling(checker)

    def misspelled_word_at(self, cursor: QTextCursor) -> tuple[str, int, int] | None:
        """The misspelled word under ``cursor``: (word, start, end) as document positions."""
        if self.checker is None:
            return None
        block = cursor.block()
        offset = cursor.position() - block.position()
        for start, length, word in self.checker.misspelled_ranges(block.text(), utf16=True):
            if start <= offset <= start + length:
                return word, block.position() + start, block.position() + start + length
        return None

    def _extend_menu(self, menu: QMenu, event: QContextMenuEvent) -> None:
        cursor = self._text.cursorForPosition(event.pos())
        found = self.misspelled_word_at(cursor)
        if found is None or self.checker is None:
            return
        word, start, end = found
        first = menu.actions()[0] if menu.actions() else None
        suggestions = self.checker.suggestions(word)
        for suggestion in suggestions:
            action = menu.addAction(suggestion)
            action.triggered.connect(
                lambda _checked=False, s=suggestion: self.replace_word(start, end, s)
            )
            if first is not None:
                menu.insertAction(first, action)
        if not suggestions:
            none = menu.addAction("No suggestions")
            none.setEnabled(False)
            if first is not None:
                menu.insertAction(first, none)
        add = menu.addAction(f"Add “{word}” to Dictionary")
        add.triggered.connect(lambda _checked=False: self.add_to_dictionary(word))
        if first is not None:
            menu.insertAction(first, add)
            menu.insertSeparator(first)

    def replace_word(self, start: int, end: int, replacement: str) -> None:
        cursor = QTextCursor(self._text.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)

    def add_to_dictionary(self, word: str) -> None:
        checker, store = self.checker, self._store
        if checker is None:
            return
        checker.add_custom_word(word)
        self._text.highlighter.rehighlight()
        if store is None:
            return

        def save() -> list[str]:
            from editor.core.articles.spelling import add_to_dictionary

            with store.session_factory.begin() as session:
                return add_to_dictionary(session, word=word)

        self._runner.run("add to dictionary", save)

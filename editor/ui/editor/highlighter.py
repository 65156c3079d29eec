"""Markdown syntax highlighting, block by block.

QSyntaxHighlighter re-runs only for the blocks an edit touches (and the ones
after it while the fenced-code state changes), so typing in a long article
stays cheap. The block state carries one fact across lines: inside a fence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

if TYPE_CHECKING:
    from editor.core.articles.spelling import SpellingChecker

OUTSIDE_FENCE = 0
INSIDE_FENCE = 1

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+.*$")
_QUOTE = re.compile(r"^\s{0,3}>.*$")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"(?<!!)\[[^\]\n]+\]\([^)\n]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*_\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*_\w])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_ATTRIBUTES = re.compile(r"\{:?[^}\n]*\}\s*$")


def _format(
    colour: str, *, bold: bool = False, italic: bool = False, mono: bool = False
) -> QTextCharFormat:
    text_format = QTextCharFormat()
    text_format.setForeground(QColor(colour))
    if bold:
        text_format.setFontWeight(QFont.Weight.Bold)
    if italic:
        text_format.setFontItalic(True)
    if mono:
        text_format.setFontFamilies(["monospace"])
    return text_format


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.heading = _format("#1f3b57", bold=True)
        self.quote = _format("#5b6b3a", italic=True)
        self.list_marker = _format("#b35c00", bold=True)
        self.image = _format("#7b3fa0")
        self.link = _format("#1f5fa8")
        self.strong = _format("#202020", bold=True)
        self.emphasis = _format("#202020", italic=True)
        self.code = _format("#8a3b12", mono=True)
        self.fence = _format("#8a3b12", mono=True)
        self.attributes = _format("#8a8a8a")
        # Set once the dictionary has loaded off the UI thread; until then nothing is underlined.
        self.spelling: SpellingChecker | None = None

    def set_spelling(self, checker: SpellingChecker | None) -> None:
        self.spelling = checker
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        previous = self.previousBlockState()
        if _FENCE.match(text):
            self.setFormat(0, len(text), self.fence)
            self.setCurrentBlockState(OUTSIDE_FENCE if previous == INSIDE_FENCE else INSIDE_FENCE)
            return
        if previous == INSIDE_FENCE:
            self.setFormat(0, len(text), self.fence)
            self.setCurrentBlockState(INSIDE_FENCE)
            return
        self.setCurrentBlockState(OUTSIDE_FENCE)
        if _HEADING.match(text):
            self.setFormat(0, len(text), self.heading)
            self._underline_misspellings(text)
            return
        if _QUOTE.match(text):
            self.setFormat(0, len(text), self.quote)
        marker = _LIST_MARKER.match(text)
        if marker:
            self.setFormat(0, marker.end(), self.list_marker)
        for pattern, text_format in (
            (_STRONG, self.strong),
            (_EMPHASIS, self.emphasis),
            (_LINK, self.link),
            (_IMAGE, self.image),
            (_CODE_SPAN, self.code),
            (_ATTRIBUTES, self.attributes),
        ):
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), text_format)
        self._underline_misspellings(text)

    def _underline_misspellings(self, text: str) -> None:
        if self.spelling is None:
            return
        for start, length, _word in self.spelling.misspelled_ranges(text, utf16=True):
            marked = QTextCharFormat(self.format(start))
            marked.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            marked.setUnderlineColor(QColor("#d0312d"))
            self.setFormat(start, length, marked)

"""Markdown formatting commands on a QTextCursor.

Each command is one edit block, so a single undo reverts it, and each toggles:
applying H2 to an H2 line makes it a paragraph again, bold on bold unwraps.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCursor

_HEADING_PREFIX = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE_PREFIX = re.compile(r"^\s{0,3}>\s?")
_LIST_PREFIX = re.compile(r"^\s*[-*+]\s+")


def _selected_blocks(cursor: QTextCursor) -> tuple[int, int]:
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart()).blockNumber()
    last = document.findBlock(cursor.selectionEnd()).blockNumber()
    return first, last


def _rewrite_lines(cursor: QTextCursor, rewrite: object) -> None:
    """Apply ``rewrite(line) -> line`` to every line the selection touches, as one undo step."""
    assert callable(rewrite)
    document = cursor.document()
    first, last = _selected_blocks(cursor)
    cursor.beginEditBlock()
    try:
        for number in range(first, last + 1):
            block = document.findBlockByNumber(number)
            old = block.text()
            new = rewrite(old)
            if new == old:
                continue
            # Edit only the part that differs so cursors elsewhere on the line stay put.
            prefix = 0
            while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
                prefix += 1
            suffix = 0
            while (
                suffix < min(len(old), len(new)) - prefix
                and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
            ):
                suffix += 1
            line = QTextCursor(block)
            line.setPosition(block.position() + prefix)
            line.setPosition(block.position() + len(old) - suffix, QTextCursor.MoveMode.KeepAnchor)
            line.insertText(new[prefix : len(new) - suffix])
    finally:
        cursor.endEditBlock()


def toggle_heading(cursor: QTextCursor, level: int) -> None:
    prefix = "#" * level + " "

    def rewrite(line: str) -> str:
        bare = _HEADING_PREFIX.sub("", line)
        return bare if line.startswith(prefix) else prefix + bare

    _rewrite_lines(cursor, rewrite)


def toggle_quote(cursor: QTextCursor) -> None:
    first, last = _selected_blocks(cursor)
    document = cursor.document()
    lines = [document.findBlockByNumber(n).text() for n in range(first, last + 1)]
    quoted = all(_QUOTE_PREFIX.match(line) for line in lines if line.strip())
    _rewrite_lines(
        cursor, (lambda line: _QUOTE_PREFIX.sub("", line)) if quoted else (lambda line: "> " + line)
    )


def toggle_bullet_list(cursor: QTextCursor) -> None:
    first, last = _selected_blocks(cursor)
    document = cursor.document()
    lines = [document.findBlockByNumber(n).text() for n in range(first, last + 1)]
    listed = all(_LIST_PREFIX.match(line) for line in lines if line.strip())
    _rewrite_lines(
        cursor,
        (lambda line: _LIST_PREFIX.sub("", line))
        if listed
        else (lambda line: "- " + line if line.strip() else line),
    )


def toggle_wrap(cursor: QTextCursor, marker: str) -> None:
    """Bold (``**``) or italic (``*``) around the selection, or the word at the cursor."""
    if not cursor.hasSelection():
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
    text = cursor.selectedText()
    cursor.beginEditBlock()
    try:
        if not text:
            cursor.insertText(marker * 2)
            cursor.movePosition(QTextCursor.MoveOperation.Left, n=len(marker))
        elif text.startswith(marker) and text.endswith(marker) and len(text) >= 2 * len(marker):
            cursor.insertText(text[len(marker) : len(text) - len(marker)])
        else:
            start = cursor.selectionStart()
            cursor.insertText(f"{marker}{text}{marker}")
            cursor.setPosition(start + len(marker))
            cursor.setPosition(start + len(marker) + len(text), QTextCursor.MoveMode.KeepAnchor)
    finally:
        cursor.endEditBlock()


def insert_link(cursor: QTextCursor, url: str) -> None:
    label = cursor.selectedText() or "link text"
    cursor.beginEditBlock()
    try:
        start = cursor.selectionStart()
        cursor.insertText(f"[{label}]({url})")
        cursor.setPosition(start + 1)
        cursor.setPosition(start + 1 + len(label), QTextCursor.MoveMode.KeepAnchor)
    finally:
        cursor.endEditBlock()

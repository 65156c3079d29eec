"""Bounds on the work one block may cost, so hostile text cannot stall a render.

Python-Markdown is quadratic (or worse) on several kinds of input; these
checks run before it and turn such text into plain text with a notice, or
flatten nesting it would recurse into. They are deterministic (no clocks), so
the preview and publishing agree on what they refuse.
"""

from __future__ import annotations

import re

MAX_NESTING = 16

_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """``text`` with unpaired surrogates (which no HTML can carry) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


# Python-Markdown splits a block at every heading, rule, list item, definition or fence
# line by copying the rest of the block, so a block of nothing else costs the number of
# such lines times its length: 250,000 heading lines in one 1 MB block take hours. This
# bound is about a second; the heaviest real block we have uses a fifth of it.
MAX_STRUCTURE_WORK = 20_000_000
_SPLITTING_LINE = re.compile(
    r"^[ ]{0,3}(?:#|[-*_=]|[+]|\d+\.|\[[^\]\n]*\]:|\*\[|:[ ]|```|~~~)", re.MULTILINE
)


def structure_too_complex(text: str) -> bool:
    """Whether splitting ``text`` into elements would take Python-Markdown too long."""
    if len(text) * (text.count("\n") + 1) <= MAX_STRUCTURE_WORK:
        return False
    splitting_lines = sum(1 for _line in _SPLITTING_LINE.finditer(text))
    return splitting_lines * len(text) > MAX_STRUCTURE_WORK


_NESTING_HINT = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING + 1},}}", re.MULTILINE)
_NESTING_TOKEN = re.compile(r"[ ]{0,3}>[ ]?|[ ]{0,3}(?:[*+-]|\d{1,9}[.)])[ ]+|[ ]{4}")


def cap_nesting(text: str) -> tuple[str, int]:
    """``text`` with every line's container markers (``>``, list markers, and the four-space
    indents before them) beyond ``MAX_NESTING`` removed, and the deepest nesting found (0
    when nothing was removed). Indentation with no marker after it is code or
    continuation, not nesting, and is left alone."""
    if _NESTING_HINT.search(text) is None:
        return text, 0
    deepest = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        expanded = line.expandtabs(4) if "\t" in line else line
        ends: list[int] = []
        depth = 0
        position = 0
        while True:
            token = _NESTING_TOKEN.match(expanded, position)
            if token is None or token.end() == position:
                break
            position = token.end()
            ends.append(position)
            if token.group().strip():
                depth = len(ends)  # a marker: the indents before it were nesting too
        if depth > MAX_NESTING:
            deepest = max(deepest, depth)
            lines[index] = expanded[: ends[MAX_NESTING - 1]] + expanded[ends[depth - 1] :]
    if not deepest:
        return text, 0
    return "\n".join(lines), deepest

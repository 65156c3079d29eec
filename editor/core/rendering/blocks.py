"""Top-level Markdown blocks: the unit the live preview renders and swaps.

A block is a run of source lines that Python-Markdown turns into HTML without
looking at anything outside it, so rendering the blocks one at a time and
joining the results gives the HTML a whole-document render would. The split
first cuts the text at blank lines into chunks, then joins chunks wherever
Python-Markdown carries state across a blank line:

- a fenced code block (its body may hold blank lines; the fence is found with
  Python-Markdown's own pattern, so an unclosed fence is plain text as there);
- raw HTML and comments (a ``<div>`` may span blank lines, and an unclosed one
  swallows the rest of the article): a chunk that holds a tag is fed to
  Python-Markdown's own ``HTMLExtractor`` and joined with the next chunks until
  the extractor is back at rest;
- a chunk whose meaning depends on the element before it: an indented chunk
  (list continuation, code, footnote body), a list item after a list, a quote
  after a quote (Python-Markdown merges them), a ``: definition``.

When in doubt chunks are joined: a block bigger than needed only costs a
little preview speed, a block cut in the wrong place would render wrongly.
The split is a pure function of the text, so it cannot drift from it: about
1–3 ms for 10,000 words and 10–25 ms for 100,000; on a keystroke ``resplit``
re-splits only around the edit and gives the same blocks.
Lines are 0-based, as ``QTextDocument`` block numbers are.
"""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from editor.core.rendering.raw_html import HTML_HINT, SplitMemo

TAB_LENGTH = 4

# Runs of non-blank lines. Python-Markdown treats a line of spaces and tabs as blank.
_CHUNK = re.compile(r"^(?:[ \t]*[^ \t\n].*(?:\n|\Z))+", re.MULTILINE)
_FENCE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_FENCE_HINT = re.compile(r"^(?:~~~|```)", re.MULTILINE)
_WHITESPACE_LINE = re.compile(r"(?<=\n) +\n")

_LIST_LINE = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+\.)[ ]+", re.MULTILINE)
_CODE_LINE = re.compile(r"^[ ]{4}", re.MULTILINE)
_QUOTE_LINE = re.compile(r"^[ ]{0,3}>", re.MULTILINE)
_FOOTNOTE_LINE = re.compile(r"^[ ]{0,3}\[\^[^\]]*\]:", re.MULTILINE)
_DEFINITION_LINE = re.compile(r"^[ ]{0,3}:[ ]{1,3}", re.MULTILINE)

_REFERENCE_START = re.compile(r"[ ]{0,3}\[[^\[\]^]*\]:")
_HEADING_START = re.compile(r"#{1,6}")
_SETEXT_UNDERLINE = re.compile(r"[=-]+[ ]*$")
_RULE = re.compile(r"[ ]{0,3}(?:(?:-+[ ]{0,2}){3,}|(?:_+[ ]{0,2}){3,}|(?:\*+[ ]{0,2}){3,})$")
_TABLE_SEPARATOR = re.compile(r"[ ]{0,3}\|?[ ]*:?-+:?[ ]*(?:\|[ ]*:?-+:?[ ]*)*\|?[ ]*$")
_IMAGE_LINE = re.compile(r"[ ]{0,3}!\[[^\]\n]*\]\([^)\n]*\)[ ]*$")
_PULL_QUOTE_START = re.compile(r"[ ]{0,3}>[ ]?\[!pull\]", re.IGNORECASE)
_HTML_START = re.compile(r"[ ]{0,3}<(?:[A-Za-z]|!--)")


class BlockKind(enum.StrEnum):
    """What a block is, judged from its first lines; for the UI (scroll sync, figure clicks)."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST = "list"
    QUOTE = "quote"
    PULL_QUOTE = "pull_quote"
    CODE = "code"
    TABLE = "table"
    FIGURE = "figure"
    HTML = "html"
    RULE = "rule"
    DEFINITION_LIST = "definition_list"
    FOOTNOTE_DEFINITION = "footnote_definition"
    REFERENCE_DEFINITION = "reference_definition"


class SourceBlock(NamedTuple):
    """A block's text (without its final newline), where it starts, its first and last line."""

    text: str
    start: int
    start_line: int
    end_line: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class _Tail(enum.IntFlag):
    """Elements a block may end with that the next chunk can continue."""

    NONE = 0
    LIST = enum.auto()
    CODE = enum.auto()
    QUOTE = enum.auto()
    FOOTNOTE = enum.auto()
    DEFINITION = enum.auto()
    ANY = LIST | CODE | QUOTE | FOOTNOTE | DEFINITION


# First characters of a chunk that may continue the block before it.
_CONTINUATION_LEADS = frozenset(" \t-*+>:0123456789[")
# A chunk that starts with a definition (link reference, footnote, abbreviation) may leave
# no element behind, so the chunk after it continues whatever came before it.
_DEFINITION_START = re.compile(r"[ ]{0,3}\[[^\]]*\]:|\*\[[^\]]*\][ ]?:")


def normalise_source(source: str) -> str:
    """Line endings as Python-Markdown sees them; every other function here expects this."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    return source


def split_blocks(source: str, memo: SplitMemo | None = None) -> list[SourceBlock]:
    """The blocks of ``source`` (already passed through ``normalise_source``), in order."""
    memo = memo if memo is not None else SplitMemo()
    blocks = split_without_forgetting(source, memo)
    memo.finish()
    return blocks


def split_without_forgetting(source: str, memo: SplitMemo) -> list[SourceBlock]:
    """``split_blocks`` that keeps every memo entry (for splitting part of the text)."""
    chunks = [(match.start(), match.end()) for match in _CHUNK.finditer(source)]
    if not chunks:
        return []
    chunk_lines = _chunk_lines(source, chunks)
    fences = _fence_line_ranges(source) if _FENCE_HINT.search(source) else []
    hints = [match.start() for match in HTML_HINT.finditer(source)]
    if fences or hints:
        groups = _group_chunks(source, chunks, chunk_lines, fences, hints, memo)
    else:
        groups = [(index, index) for index in range(len(chunks))]
    return _merge_groups(source, chunks, chunk_lines, groups)


def _chunk_lines(source: str, chunks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first, last) line of each chunk, counted incrementally so the whole pass stays linear."""
    lines = []
    line = 0
    position = 0
    count = source.count
    for start, end in chunks:
        line += count("\n", position, start)
        position = start
        lines.append((line, line + count("\n", start, end - 1)))
    return lines


def _python_markdown_text(source: str) -> str:
    """The text Python-Markdown's preprocessors see (same lines, so line numbers carry over)."""
    text = source.replace("\x02", "").replace("\x03", "").expandtabs(TAB_LENGTH) + "\n\n"
    return _WHITESPACE_LINE.sub("\n", text)


def _fence_line_ranges(source: str) -> list[tuple[int, int]]:
    """(first, last) line of every fenced code block, found as Python-Markdown finds them."""
    # Blank-line clean-up cannot change which lines pair up as fences; tabs and the
    # STX/ETX characters Python-Markdown deletes can, so only then is the text rewritten.
    if "\t" in source or "\x02" in source or "\x03" in source:
        text = _python_markdown_text(source)
    else:
        text = source + "\n\n"
    ranges: list[tuple[int, int]] = []
    index = 0
    line = 0
    counted_to = 0
    while True:
        match = _FENCE.search(text, index)
        if match is None:
            return ranges
        if match.group("attrs"):
            _attributes, remainder = get_attrs_and_remainder(match.group("attrs"))
            if remainder:
                index = match.end("attrs")
                continue
        line += text.count("\n", counted_to, match.start())
        first = line
        line += text.count("\n", match.start(), match.end())
        counted_to = match.end()
        ranges.append((first, line))
        index = match.end()


def _group_chunks(
    source: str,
    chunks: list[tuple[int, int]],
    chunk_lines: list[tuple[int, int]],
    fences: list[tuple[int, int]],
    hints: list[int],
    memo: SplitMemo,
) -> list[tuple[int, int]]:
    """Chunk index ranges (inclusive) that fenced code and raw HTML hold together."""
    groups = []
    fence_index = 0
    hint_index = 0
    count = len(chunks)
    first = 0
    while first < count:
        last, fence_index = _hold_fences(chunk_lines, fences, fence_index, first)
        start = chunks[first][0]
        while hint_index < len(hints) and hints[hint_index] < start:
            hint_index += 1
        if hint_index < len(hints) and hints[hint_index] < chunks[last][1]:
            last, fence_index = _until_html_at_rest(
                source, chunks, chunk_lines, fences, fence_index, first, last, memo
            )
        groups.append((first, last))
        first = last + 1
    return groups


def _until_html_at_rest(
    source: str,
    chunks: list[tuple[int, int]],
    chunk_lines: list[tuple[int, int]],
    fences: list[tuple[int, int]],
    fence_index: int,
    first: int,
    last: int,
    memo: SplitMemo,
) -> tuple[int, int]:
    """The end of the group that starts at chunk ``first``: the first chunk end where the
    raw-HTML pass is at rest, jumping straight to the chunk that holds the next possible
    closing tag or comment end (so an unclosed tag costs one search, not a feed per chunk)."""
    count = len(chunks)
    start = chunks[first][0]
    while True:
        text = _html_pass_text(source[start : chunks[last][1]], chunk_lines[first][0], fences)
        state = memo.html_state(text)
        if state.at_rest or last == count - 1:
            return last, fence_index
        target = last + 1
        if state.closing is not None:
            found = state.closing.search(source, chunks[last][1])
            if found is None:
                target = count - 1
            else:
                target = max(target, _chunk_at(chunks, found.end() - 1, last))
        last, fence_index = _hold_fences(chunk_lines, fences, fence_index, target)


def _chunk_at(chunks: list[tuple[int, int]], position: int, after: int) -> int:
    """The chunk holding ``position`` (or the one after it, if it falls on a blank line)."""
    low, high = after, len(chunks) - 1
    while low < high:
        middle = (low + high) // 2
        if chunks[middle][1] <= position:
            low = middle + 1
        else:
            high = middle
    return low


def _hold_fences(
    chunk_lines: list[tuple[int, int]],
    fences: list[tuple[int, int]],
    fence_index: int,
    last: int,
) -> tuple[int, int]:
    """Extend ``last`` until no fence that starts inside the group ends after it."""
    count = len(chunk_lines)
    while fence_index < len(fences):
        fence_first, fence_last = fences[fence_index]
        if fence_first > chunk_lines[last][1]:
            break
        while fence_last > chunk_lines[last][1] and last < count - 1:
            last += 1
        fence_index += 1
    return last, fence_index


def _html_pass_text(text: str, first_line: int, fences: list[tuple[int, int]]) -> str:
    """``text`` as the raw-HTML pass sees it: fenced code already taken out."""
    text = _python_markdown_text(text)
    if not fences:
        return text
    lines = text.split("\n")
    last_line = first_line + len(lines) - 1
    for fence_first, fence_last in fences:
        if fence_last < first_line or fence_first > last_line:
            continue
        for line in range(max(fence_first, first_line), min(fence_last, last_line) + 1):
            lines[line - first_line] = "\x02fence\x03" if line == fence_first else ""
    return "\n".join(lines)


def _needs_previous(first_line: str) -> _Tail:
    """Which endings of the previous block would make this chunk continue it."""
    if first_line.startswith(("\t", " ")):
        expanded = first_line.expandtabs(TAB_LENGTH)
        if len(expanded) - len(expanded.lstrip(" ")) >= TAB_LENGTH:
            return _Tail.LIST | _Tail.CODE | _Tail.FOOTNOTE | _Tail.DEFINITION
        first_line = expanded
    if _LIST_LINE.match(first_line):
        return _Tail.LIST
    if _QUOTE_LINE.match(first_line):
        return _Tail.QUOTE
    if _DEFINITION_LINE.match(first_line) or _DEFINITION_START.match(first_line):
        # A leading ": definition" turns the paragraph before it into its term; a leading
        # link, footnote or abbreviation definition is joined so what follows sees past it.
        return _Tail.ANY
    return _Tail.NONE


def _possible_tail(text: str) -> _Tail:
    """A superset of what the block may end with: any line that could open such an element."""
    if "\t" in text:
        text = text.expandtabs(TAB_LENGTH)
    tail = _Tail.NONE
    if _LIST_LINE.search(text):
        tail |= _Tail.LIST
    if _CODE_LINE.search(text):
        tail |= _Tail.CODE
    if _QUOTE_LINE.search(text):
        tail |= _Tail.QUOTE
    if _FOOTNOTE_LINE.search(text):
        tail |= _Tail.FOOTNOTE
    if _DEFINITION_LINE.search(text):
        tail |= _Tail.DEFINITION
    return tail


def _merge_groups(
    source: str,
    chunks: list[tuple[int, int]],
    chunk_lines: list[tuple[int, int]],
    groups: list[tuple[int, int]],
) -> list[SourceBlock]:
    spans: list[list[int]] = []  # [first chunk, last chunk] per block
    # The possible tail of the last block, worked out only when a chunk asks for it.
    tail: _Tail | None = None
    for first, last in groups:
        start = chunks[first][0]
        if spans:
            needed = _Tail.NONE
            end = chunks[last][1]
            if source[start] in _CONTINUATION_LEADS:
                line_end = source.find("\n", start, end)
                needed = _needs_previous(source[start : line_end if line_end != -1 else end])
            # "Term\n: definition" joins a definition list right before it.
            if (
                not needed
                and source.find(":", start, end) != -1
                and _DEFINITION_LINE.search(source, start, end)
            ):
                needed = _Tail.DEFINITION
            if needed:
                previous = spans[-1]
                if tail is None:
                    tail = _possible_tail(source[chunks[previous[0]][0] : chunks[previous[1]][1]])
                if tail & needed or needed == _Tail.ANY:
                    previous[1] = last
                    tail |= _possible_tail(source[start:end])
                    continue
        spans.append([first, last])
        tail = None
    blocks = []
    for first, last in spans:
        end = chunks[last][1]
        if source[end - 1] == "\n":
            end -= 1
        start = chunks[first][0]
        blocks.append(
            SourceBlock(source[start:end], start, chunk_lines[first][0], chunk_lines[last][1])
        )
    return blocks


def block_kind(text: str) -> BlockKind:
    """The kind of a block, from its first lines."""
    first_end = text.find("\n")
    first = text if first_end == -1 else text[:first_end]
    lead = first[:1]
    if lead.isalnum() and not lead.isdigit():
        second = "" if first_end == -1 else text[first_end + 1 : text.find("\n", first_end + 1)]
        return _kind_of_text_start(first, second)
    if first.startswith(("\t", "    ")) or _FENCE_HINT.match(first):
        return BlockKind.CODE
    if _HEADING_START.match(first):
        return BlockKind.HEADING
    if _PULL_QUOTE_START.match(first):
        return BlockKind.PULL_QUOTE
    if _QUOTE_LINE.match(first):
        return BlockKind.QUOTE
    if _RULE.match(first):
        return BlockKind.RULE
    if _LIST_LINE.match(first):
        return BlockKind.LIST
    if _FOOTNOTE_LINE.match(first):
        return BlockKind.FOOTNOTE_DEFINITION
    if _REFERENCE_START.match(first):
        return BlockKind.REFERENCE_DEFINITION
    if _IMAGE_LINE.match(first):
        return BlockKind.FIGURE
    if _HTML_START.match(first):
        return BlockKind.HTML
    second = "" if first_end == -1 else text[first_end + 1 : text.find("\n", first_end + 1)]
    return _kind_of_text_start(first, second)


def _kind_of_text_start(first: str, second: str) -> BlockKind:
    if second:
        if _SETEXT_UNDERLINE.match(second):
            return BlockKind.HEADING
        if "|" in first and _TABLE_SEPARATOR.match(second):
            return BlockKind.TABLE
        if _DEFINITION_LINE.match(second):
            return BlockKind.DEFINITION_LIST
    return BlockKind.PARAGRAPH

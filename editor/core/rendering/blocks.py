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
The split is a pure function of the text, cheap enough to run in full on every
keystroke (about 2 ms for 100,000 words), so it cannot drift from the text.
Lines are 0-based, as ``QTextDocument`` block numbers are.
"""

from __future__ import annotations

import enum
import re
from typing import Any, NamedTuple

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.htmlparser import HTMLExtractor
from markdown.util import BLOCK_LEVEL_ELEMENTS, HtmlStash

TAB_LENGTH = 4

# Runs of non-blank lines. Python-Markdown treats a line of spaces and tabs as blank.
_CHUNK = re.compile(r"^(?:[ \t]*[^ \t\n].*(?:\n|\Z))+", re.MULTILINE)
_FENCE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_FENCE_HINT = re.compile(r"^(?:~~~|```)", re.MULTILINE)
HTML_HINT = re.compile(r"<[A-Za-z!?/]")
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


class SplitMemo:
    """Remembers what the raw-HTML pass made of each run of chunks, so splitting again on
    every keystroke does not feed the same HTML to the extractor again. Entries unused by
    the last split are dropped."""

    def __init__(self) -> None:
        self._known: dict[str, _HtmlState] = {}
        self._used: dict[str, _HtmlState] = {}

    def html_state(self, text: str) -> _HtmlState:
        known = self._known.get(text)
        if known is None:
            known = _html_state(text)
        self._used[text] = known
        return known

    def finish(self) -> None:
        self._known, self._used = self._used, {}


def normalise_source(source: str) -> str:
    """Line endings as Python-Markdown sees them; every other function here expects this."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    return source


def split_blocks(source: str, memo: SplitMemo | None = None) -> list[SourceBlock]:
    """The blocks of ``source`` (already passed through ``normalise_source``), in order."""
    memo = memo if memo is not None else SplitMemo()
    blocks = _split(source, memo)
    memo.finish()
    return blocks


def _split(source: str, memo: SplitMemo) -> list[SourceBlock]:
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


class Resplit(NamedTuple):
    """The new blocks, and the window that changed: ``old_count`` old blocks from index
    ``first`` became ``new_count`` new ones; blocks outside it have the same text."""

    blocks: list[SourceBlock]
    first: int
    old_count: int
    new_count: int


def resplit_blocks(
    old_source: str,
    old_blocks: list[SourceBlock],
    new_source: str,
    memo: SplitMemo | None = None,
) -> Resplit | None:
    """The blocks of ``new_source``, re-splitting only around the edit that turned
    ``old_source`` (split into ``old_blocks``) into it; ``None`` when the edit touches a
    line that could open or close a fence, whose reach has no bound, or leaves an HTML
    element open past the re-split window: those need a full ``split_blocks``.

    The re-split starts one block before the edited one (the edit may join them) and
    runs until it meets an unchanged old block again; past that point nothing in the
    split depends on the edit, because a boundary depends only on the block before it
    and the text after it.
    """
    prefix = _common_prefix_length(old_source, new_source)
    if prefix == len(old_source) == len(new_source):
        return Resplit(list(old_blocks), 0, 0, 0)
    suffix = _common_suffix_length(
        old_source, new_source, len(old_source) - prefix, len(new_source) - prefix
    )
    old_changed_end = len(old_source) - suffix
    new_changed_end = len(new_source) - suffix
    line_start = old_source.rfind("\n", 0, prefix) + 1
    if _touches_unbounded(old_source, line_start, old_changed_end) or _touches_unbounded(
        new_source, line_start, new_changed_end
    ):
        return None
    if not old_blocks:
        return None
    # First block to re-split: one before the block holding the start of the edited line.
    first = max(0, _last_block_starting_at_or_before(old_blocks, line_start) - 1)
    # Last old block to re-split: the one after the block holding the end of the edit.
    last = min(len(old_blocks) - 1, _first_block_ending_after(old_blocks, old_changed_end) + 1)
    shift = len(new_source) - len(old_source)
    line_shift = new_source.count("\n", prefix, new_changed_end) - old_source.count(
        "\n", prefix, old_changed_end
    )
    window_start = old_blocks[first].start if first > 0 else 0
    base_line = old_blocks[first].start_line if first > 0 else 0
    seam = old_blocks[last]
    at_end = last == len(old_blocks) - 1
    window_end = len(new_source) if at_end else seam.end + shift
    middle = [
        SourceBlock(
            block.text,
            block.start + window_start,
            block.start_line + base_line,
            block.end_line + base_line,
        )
        for block in _split(new_source[window_start:window_end], memo or SplitMemo())
    ]
    # Unless the window runs to the end, it must end on the block the old split had there.
    if not at_end and (
        not middle or middle[-1].text != seam.text or middle[-1].start != seam.start + shift
    ):
        return None
    tail = [
        SourceBlock(
            block.text,
            block.start + shift,
            block.start_line + line_shift,
            block.end_line + line_shift,
        )
        for block in old_blocks[last + 1 :]
    ]
    return Resplit(old_blocks[:first] + middle + tail, first, last + 1 - first, len(middle))


_PREFIX_STEP = 4096


def _common_prefix_length(first: str, second: str) -> int:
    limit = min(len(first), len(second))
    low = 0
    # Whole steps compare in C; the last step is narrowed down by halving.
    while (
        low + _PREFIX_STEP <= limit
        and first[low : low + _PREFIX_STEP] == second[low : low + _PREFIX_STEP]
    ):
        low += _PREFIX_STEP
    high = min(limit, low + _PREFIX_STEP)
    while low < high:
        middle = (low + high + 1) // 2
        if first[low:middle] == second[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix_length(first: str, second: str, first_limit: int, second_limit: int) -> int:
    """Length of the common ending, no longer than what is left after the common prefix."""
    limit = min(first_limit, second_limit)
    length = 0
    first_end, second_end = len(first), len(second)
    while (
        length + _PREFIX_STEP <= limit
        and first[first_end - length - _PREFIX_STEP : first_end - length]
        == second[second_end - length - _PREFIX_STEP : second_end - length]
    ):
        length += _PREFIX_STEP
    high = min(limit, length + _PREFIX_STEP)
    while length < high:
        middle = (length + high + 1) // 2
        if (
            first[first_end - middle : first_end - length]
            == second[second_end - middle : second_end - length]
        ):
            length = middle
        else:
            high = middle - 1
    return length


# Raw HTML needs no check: an HTML run before the window is either at rest before it or
# (unclosed) runs to the end of the text, into the window; and one that the edit leaves
# open runs past the window's end, which the seam check catches.
_UNBOUNDED_LINE = re.compile(r"^(?:~~~|```)|[\x02\x03]", re.MULTILINE)


def _touches_unbounded(source: str, start: int, end: int) -> bool:
    """Whether the lines from ``start`` through the line holding ``end`` hold a fence
    marker: a fence opened before the window may be closed by one in it (characters
    Python-Markdown deletes count too: they can join a marker)."""
    line_end = source.find("\n", end)
    return (
        _UNBOUNDED_LINE.search(source, start, len(source) if line_end == -1 else line_end)
        is not None
    )


def _last_block_starting_at_or_before(blocks: list[SourceBlock], position: int) -> int:
    low, high = 0, len(blocks)
    while low < high:
        middle = (low + high) // 2
        if blocks[middle].start <= position:
            low = middle + 1
        else:
            high = middle
    return max(0, low - 1)


def _first_block_ending_after(blocks: list[SourceBlock], position: int) -> int:
    """The first block whose end (its final newline included) is at or after ``position``."""
    low, high = 0, len(blocks)
    while low < high:
        middle = (low + high) // 2
        if blocks[middle].end < position:
            low = middle + 1
        else:
            high = middle
    return min(low, len(blocks) - 1)


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


class StashOnly:
    """The part of ``Markdown`` that ``HTMLExtractor`` uses."""

    def __init__(self) -> None:
        self.htmlStash = HtmlStash()
        self.block_level_elements = BLOCK_LEVEL_ELEMENTS

    def is_block_level(self, tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in self.block_level_elements


# Python-Markdown reads raw HTML with html.parser, whose start-tag pattern is quadratic
# (or worse) on a tag that never ends: 10,000 characters of "<a " take a second, 80,000
# take a minute. No real tag runs this long, nor does a block hold this much markup.
MAX_TAG_LENGTH = 20_000
MAX_MARKUP_CHARACTERS = 50_000
_TAG_START = re.compile(r"<[A-Za-z!?/]")


def html_too_complex(text: str) -> bool:
    """Whether ``text`` holds markup Python-Markdown's HTML pass cannot read in bounded time:
    a tag with no ``>`` within ``MAX_TAG_LENGTH`` characters, or more than
    ``MAX_MARKUP_CHARACTERS`` of ``<`` and ``&``."""
    if "<" not in text and "&" not in text:
        return False
    if text.count("<") + text.count("&") > MAX_MARKUP_CHARACTERS:
        return True
    length = len(text)
    for tag in _TAG_START.finditer(text):
        start = tag.start()
        if start + MAX_TAG_LENGTH < length and text.find(">", start, start + MAX_TAG_LENGTH) == -1:
            return True
    return False


class _HtmlState(NamedTuple):
    at_rest: bool
    # Where the open construct could end (searched for after the text), if known.
    closing: re.Pattern[str] | None


_COMMENT_CLOSE = re.compile(r"--!?>")
_CDATA_CLOSE = re.compile(re.escape("]]>"))
_TAG_END = re.compile(">")


def _html_state(text: str) -> _HtmlState:
    """Whether Python-Markdown's raw-HTML pass, having read ``text``, carries nothing into
    what follows (no open raw block, comment, declaration or half-read tag), and if it
    does, what would close it. Markup too complex to read ends the run where it is: such a
    block is shown as plain text, never given to Python-Markdown."""
    if html_too_complex(text):
        return _HtmlState(True, None)
    extractor: Any = HTMLExtractor(StashOnly())
    extractor.feed(text)
    if extractor.inraw and extractor.stack:
        return _HtmlState(False, re.compile("</" + re.escape(extractor.stack[0]), re.IGNORECASE))
    if extractor.cdata_elem is not None:
        return _HtmlState(False, re.compile("</" + re.escape(extractor.cdata_elem), re.IGNORECASE))
    if extractor.inraw or extractor.intail or extractor._cache or extractor.rawdata:
        return _HtmlState(False, None)
    # Python-Markdown reads an unclosed comment or declaration as text only because its
    # end is not in the text it was given; with more text after it, it could close later.
    if text.rfind("<!--") > text.rfind("-->"):
        return _HtmlState(False, _COMMENT_CLOSE)
    if text.rfind("<![CDATA[") > text.rfind("]]>"):
        return _HtmlState(False, _CDATA_CLOSE)
    if max(text.rfind("<!"), text.rfind("<?")) > text.rfind(">"):
        return _HtmlState(False, _TAG_END)
    return _HtmlState(True, None)


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

"""The heading outline of a Markdown article: H1–H4 as a tree, with structure warnings.

It runs on every keystroke, so the whole parse is one regular-expression
scan that jumps from line start to line start (SRE searches the literal
``"\\n"`` prefix with ``memchr``) and touches only lines that could be a
heading, a fence or a setext underline: about 0.3 ms for a 14,000-word post.
A full parse that fast needs no incremental variant, and cannot drift from
the text the way an incremental one can.

Recognised (CommonMark): ATX headings ``#``…``######`` with an optional
closing run of ``#``; setext headings (a paragraph line underlined with
``===`` or ``---``); nothing inside fenced code blocks (backticks or tildes,
closed by a fence of the same kind at least as long). Levels 5–6 take part in
the level checks but are left out of the tree. Line numbers are 0-based, as
``QTextDocument`` block numbers are.
"""

from __future__ import annotations

import bisect
import enum
import re
from dataclasses import dataclass, field

MAX_OUTLINE_LEVEL = 4

# A candidate line: start of a fence, an ATX heading, or a setext underline.
# The leading "\n" lets SRE skip straight between line starts.
_CANDIDATE = re.compile(
    r"\n(?P<indent> {0,3})(?:"
    r"(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)"
    r"|(?P<hashes>#{1,6})(?P<atx>(?:[ \t][^\n]*)?)(?=\n|$)"
    r"|(?P<underline>=+|-+)[ \t]*(?=\n|$))"
)
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_NOT_PARAGRAPH = re.compile(r" {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|#|`{3}|~{3}|<|\|)| {4}")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
# A setext heading's text is its paragraph: at most this many lines are joined.
_MAX_SETEXT_LINES = 8


class OutlineWarningKind(enum.StrEnum):
    SKIPPED_LEVEL = "skipped_level"
    EMPTY_HEADING = "empty_heading"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class OutlineWarning:
    kind: OutlineWarningKind
    line: int
    message: str


@dataclass(slots=True)
class OutlineNode:
    heading: Heading
    children: list[OutlineNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outline:
    """``headings`` are the H1–H4 in document order; ``roots`` the same as a tree."""

    headings: tuple[Heading, ...]
    warnings: tuple[OutlineWarning, ...]

    @property
    def roots(self) -> list[OutlineNode]:
        return build_tree(self.headings)

    @property
    def shape(self) -> tuple[tuple[int, str], ...]:
        """Levels and texts without line numbers: unchanged while typing inside a section,
        so the outline dock need only move line numbers when this is equal."""
        return tuple((heading.level, heading.text) for heading in self.headings)

    def heading_index_at_line(self, line: int) -> int | None:
        """Index into ``headings`` of the section that contains ``line`` (for highlighting
        where the cursor is); None above the first heading."""
        lines = [heading.line for heading in self.headings]
        index = bisect.bisect_right(lines, line) - 1
        return index if index >= 0 else None


def build_tree(headings: tuple[Heading, ...] | list[Heading]) -> list[OutlineNode]:
    roots: list[OutlineNode] = []
    stack: list[OutlineNode] = []
    for heading in headings:
        node = OutlineNode(heading)
        while stack and stack[-1].heading.level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def heading_display_text(raw: str) -> str:
    """Heading text as a reader sees it: link targets and emphasis markers removed."""
    text = raw.strip()
    if "[" in text:
        text = _INLINE_LINK.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def _setext_text(source: str, underline_start: int) -> tuple[str, int] | None:
    """The paragraph above a setext underline starting at ``underline_start`` (just past
    its newline), with the offset of the paragraph's first line; None when it is no heading."""
    end = underline_start - 1  # the newline before the underline
    lines: list[str] = []
    first_offset = end
    while len(lines) < _MAX_SETEXT_LINES and end > 0:
        start = source.rfind("\n", 0, end) + 1
        line = source[start:end]
        if not line.strip() or _NOT_PARAGRAPH.match(line) or _is_underline(line):
            break
        lines.append(line)
        first_offset = start
        end = start - 1
    if not lines:
        return None
    return " ".join(reversed(lines)), first_offset


def _is_underline(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and (set(stripped) == {"="} or set(stripped) == {"-"})


def parse_outline(markdown_text: str) -> Outline:
    source = "\n" + markdown_text  # offsets below are into ``source``; line n starts after n "\n"
    headings: list[Heading] = []
    warnings: list[OutlineWarning] = []
    previous_level = 1  # the article title stands in for the H1
    fence_char = ""
    fence_length = 0
    counted_to = 0
    line_number = -1

    def line_of(offset: int) -> int:
        nonlocal counted_to, line_number
        line_number += source.count("\n", counted_to, offset + 1)
        counted_to = offset + 1
        return line_number

    for match in _CANDIDATE.finditer(source):
        fence = match.group("fence")
        if fence_char:
            if (
                fence
                and fence[0] == fence_char
                and len(fence) >= fence_length
                and not match.group("info").strip()
            ):
                fence_char = ""
            continue
        if fence:
            if fence[0] == "`" and "`" in match.group("info"):
                continue  # not a fence: an inline code span at a line start
            fence_char, fence_length = fence[0], len(fence)
            continue

        hashes = match.group("hashes")
        if hashes:
            line = line_of(match.start())
            level = len(hashes)
            raw = _CLOSING_HASHES.sub("", match.group("atx"))
        else:
            underline_start = match.start() + 1
            found = _setext_text(source, underline_start)
            if found is None:
                continue
            raw, first_offset = found
            line = line_of(first_offset - 1)
            level = 1 if match.group("underline")[0] == "=" else 2

        text = heading_display_text(raw)
        if not text:
            warnings.append(
                OutlineWarning(
                    OutlineWarningKind.EMPTY_HEADING,
                    line,
                    f"Line {line + 1}: an empty H{level} heading.",
                )
            )
        if level > previous_level + 1:
            warnings.append(
                OutlineWarning(
                    OutlineWarningKind.SKIPPED_LEVEL,
                    line,
                    f"Line {line + 1}: H{level} “{text}” follows H{previous_level}; "
                    f"use H{previous_level + 1} or add the missing level.",
                )
            )
        previous_level = level
        if level <= MAX_OUTLINE_LEVEL:
            headings.append(Heading(level=level, text=text, line=line))
    return Outline(headings=tuple(headings), warnings=tuple(warnings))

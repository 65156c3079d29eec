"""Readable differences between two texts: line hunks with word-level changes inside lines.

Markdown paragraphs are single long lines, so a line diff alone would mark a
whole paragraph for one changed word. Changed lines are therefore paired and
diffed word by word; the UI gets structured hunks and an HTML rendering (all
text escaped) that a ``QTextBrowser`` shows as is.
"""

from __future__ import annotations

import difflib
import enum
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Paired lines less alike than this are shown as one removed and one added
# line: word highlights over an unrelated paragraph are noise.
_MIN_PAIR_SIMILARITY = 0.35
_TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")


class RowKind(enum.StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"
    CHANGED = "changed"


class SpanKind(enum.StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


class DiffLayout(enum.StrEnum):
    UNIFIED = "unified"
    SIDE_BY_SIDE = "side_by_side"


@dataclass(frozen=True, slots=True)
class Span:
    kind: SpanKind
    text: str


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One line of the diff. Line numbers are 1-based, None on the side that lacks the line.

    For ``CHANGED`` rows, ``old_spans`` (SAME/REMOVED) and ``new_spans``
    (SAME/ADDED) split each side into words kept and words changed.
    """

    kind: RowKind
    old_number: int | None
    new_number: int | None
    old_text: str
    new_text: str
    old_spans: tuple[Span, ...] = ()
    new_spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    rows: tuple[DiffRow, ...]

    @property
    def header(self) -> str:
        return f"@@ -{self.old_start},{self.old_count} +{self.new_start},{self.new_count} @@"

    @property
    def place(self) -> str:
        """Where the hunk is, for people: "Line 3" or "Lines 1–5" of the newer text."""
        last = self.new_start + max(self.new_count, 1) - 1
        if last <= self.new_start:
            return f"Line {self.new_start}"
        return f"Lines {self.new_start}–{last}"


@dataclass(frozen=True, slots=True)
class TextDiff:
    hunks: tuple[Hunk, ...]
    words_added: int
    words_removed: int

    @property
    def unchanged(self) -> bool:
        return not self.hunks


def _words(text: str) -> int:
    return sum(1 for token in _TOKEN.findall(text) if token[0].isalnum() or token[0] == "_")


def _word_spans(old: str, new: str) -> tuple[tuple[Span, ...], tuple[Span, ...], int, int]:
    old_tokens = _TOKEN.findall(old)
    new_tokens = _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = "".join(old_tokens[i1:i2])
        new_part = "".join(new_tokens[j1:j2])
        if tag == "equal":
            _append(old_spans, SpanKind.SAME, old_part)
            _append(new_spans, SpanKind.SAME, new_part)
            continue
        if old_part:
            _append(old_spans, SpanKind.REMOVED, old_part)
            removed += _words(old_part)
        if new_part:
            _append(new_spans, SpanKind.ADDED, new_part)
            added += _words(new_part)
    return tuple(old_spans), tuple(new_spans), added, removed


def _append(spans: list[Span], kind: SpanKind, text: str) -> None:
    # Whitespace-only changes between two kept words read as kept.
    if kind is not SpanKind.SAME and not text.strip():
        kind = SpanKind.SAME
    if spans and spans[-1].kind is kind:
        spans[-1] = Span(kind, spans[-1].text + text)
    elif text:
        spans.append(Span(kind, text))


def diff_texts(old: str, new: str, *, context: int = 2) -> TextDiff:
    """Hunks of changed lines with ``context`` unchanged lines around each."""
    old_lines = old.splitlines()
    new_lines = new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks: list[Hunk] = []
    added_total = removed_total = 0
    for group in matcher.get_grouped_opcodes(context):
        rows: list[DiffRow] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffRow(RowKind.SAME, i + 1, j + 1, old_lines[i], new_lines[j])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            removed_rows: list[DiffRow] = []
            added_rows: list[DiffRow] = []
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for offset in range(paired):
                i, j = i1 + offset, j1 + offset
                row, added, removed = _paired_row(old_lines[i], new_lines[j], i + 1, j + 1)
                added_total += added
                removed_total += removed
                if row is not None:
                    rows.append(row)
                else:
                    removed_rows.append(DiffRow(RowKind.REMOVED, i + 1, None, old_lines[i], ""))
                    added_rows.append(DiffRow(RowKind.ADDED, None, j + 1, "", new_lines[j]))
            for i in range(i1 + paired, i2):
                removed_rows.append(DiffRow(RowKind.REMOVED, i + 1, None, old_lines[i], ""))
                removed_total += _words(old_lines[i])
            for j in range(j1 + paired, j2):
                added_rows.append(DiffRow(RowKind.ADDED, None, j + 1, "", new_lines[j]))
                added_total += _words(new_lines[j])
            rows.extend(removed_rows)
            rows.extend(added_rows)
        first, last = group[0], group[-1]
        hunks.append(
            Hunk(
                old_start=first[1] + 1,
                old_count=last[2] - first[1],
                new_start=first[3] + 1,
                new_count=last[4] - first[3],
                rows=tuple(rows),
            )
        )
    return TextDiff(hunks=tuple(hunks), words_added=added_total, words_removed=removed_total)


def _paired_row(
    old_line: str, new_line: str, old_number: int, new_number: int
) -> tuple[DiffRow | None, int, int]:
    """A CHANGED row with word spans, or None when the lines have too little in common."""
    old_spans, new_spans, added, removed = _word_spans(old_line, new_line)
    kept = sum(len(span.text) for span in new_spans if span.kind is SpanKind.SAME)
    similarity = 2 * kept / max(1, len(old_line) + len(new_line))
    if similarity < _MIN_PAIR_SIMILARITY:
        return None, _words(new_line), _words(old_line)
    row = DiffRow(RowKind.CHANGED, old_number, new_number, old_line, new_line, old_spans, new_spans)
    return row, added, removed


# Colours chosen to read on both light and dark palettes: the text colour is
# always set together with the background.
_STYLE = {
    SpanKind.REMOVED: "background-color:#ffd7d5; color:#82071e; text-decoration:line-through;",
    SpanKind.ADDED: "background-color:#ccffd8; color:#055d20;",
}
_ROW_BACKGROUND = {
    RowKind.SAME: "",
    RowKind.REMOVED: "#fff0ef",
    RowKind.ADDED: "#eafbef",
    RowKind.CHANGED: "#fff8e5",
}
_CELL = "padding:1px 6px; white-space:pre-wrap; color:#1f2328;"
_NUMBER_CELL = "padding:1px 4px; color:#6e7781;"
# Qt's rich text honours td width attributes, not CSS widths.
_NUMBER_WIDTH = 'width="36"'
_MARK_WIDTH = 'width="14"'


def _spans_html(spans: Sequence[Span]) -> str:
    parts = []
    for span in spans:
        escaped = html.escape(span.text, quote=False)
        if span.kind is SpanKind.SAME:
            parts.append(escaped)
        else:
            tag = "del" if span.kind is SpanKind.REMOVED else "ins"
            parts.append(f'<{tag} style="{_STYLE[span.kind]}">{escaped}</{tag}>')
    return "".join(parts)


def _whole_line_html(text: str, kind: SpanKind) -> str:
    return _spans_html([Span(kind, text)]) if text else "&nbsp;"


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _cell(content: str, background: str, width: str = "") -> str:
    style = _CELL + (f" background-color:{background};" if background else "")
    sized = f' width="{width}"' if width else ""
    return f'<td{sized} style="{style}">{content or "&nbsp;"}</td>'


def _unified_rows(row: DiffRow) -> list[str]:
    lines: list[tuple[str, str, str, str]] = []
    if row.kind is RowKind.SAME:
        lines.append((_number(row.old_number), " ", html.escape(row.old_text, quote=False), ""))
    if row.kind in (RowKind.REMOVED, RowKind.CHANGED):
        content = (
            _spans_html(row.old_spans)
            if row.kind is RowKind.CHANGED
            else _whole_line_html(row.old_text, SpanKind.REMOVED)
        )
        lines.append((_number(row.old_number), "−", content, _ROW_BACKGROUND[RowKind.REMOVED]))
    if row.kind in (RowKind.ADDED, RowKind.CHANGED):
        content = (
            _spans_html(row.new_spans)
            if row.kind is RowKind.CHANGED
            else _whole_line_html(row.new_text, SpanKind.ADDED)
        )
        lines.append((_number(row.new_number), "+", content, _ROW_BACKGROUND[RowKind.ADDED]))
    return [
        f'<tr><td {_NUMBER_WIDTH} style="{_NUMBER_CELL}">{number}</td>'
        f'<td {_MARK_WIDTH} style="{_NUMBER_CELL}">{mark}</td>'
        f"{_cell(content, colour)}</tr>"
        for number, mark, content, colour in lines
    ]


def _side_by_side_row(row: DiffRow) -> str:
    background = _ROW_BACKGROUND[row.kind]
    if row.kind is RowKind.CHANGED:
        left, right = _spans_html(row.old_spans), _spans_html(row.new_spans)
    elif row.kind is RowKind.SAME:
        left = right = html.escape(row.old_text, quote=False)
    elif row.kind is RowKind.REMOVED:
        left, right = _whole_line_html(row.old_text, SpanKind.REMOVED), ""
    else:
        left, right = "", _whole_line_html(row.new_text, SpanKind.ADDED)
    return (
        f'<tr><td {_NUMBER_WIDTH} style="{_NUMBER_CELL}">{_number(row.old_number)}</td>'
        f"{_cell(left, background if row.old_number is not None else '', '50%')}"
        f'<td {_NUMBER_WIDTH} style="{_NUMBER_CELL}">{_number(row.new_number)}</td>'
        f"{_cell(right, background if row.new_number is not None else '', '50%')}</tr>"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def diff_html(diff: TextDiff, *, layout: DiffLayout = DiffLayout.UNIFIED, label: str = "") -> str:
    """An HTML fragment (a heading and a table per hunk); every text is escaped."""
    parts = []
    if label:
        parts.append(f"<h3>{html.escape(label, quote=False)}</h3>")
    if diff.unchanged:
        parts.append('<p style="color:#6e7781;">No changes.</p>')
        return "".join(parts)
    parts.append(
        f'<p style="color:#6e7781;">{_plural(diff.words_added, "word")} added, '
        f"{diff.words_removed} removed</p>"
    )
    for hunk in diff.hunks:
        parts.append(f'<p style="color:#6e7781;">{html.escape(hunk.place)}</p>')
        parts.append('<table width="100%" cellspacing="0" cellpadding="0">')
        for row in hunk.rows:
            if layout is DiffLayout.UNIFIED:
                parts.extend(_unified_rows(row))
            else:
                parts.append(_side_by_side_row(row))
        parts.append("</table>")
    return "".join(parts)

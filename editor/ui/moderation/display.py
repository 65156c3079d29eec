"""How comment text and scores are shown: always as plain text, with hidden characters made visible.

Comments are written by strangers. Nothing they wrote is ever handed to a Qt
widget that might take it for rich text, and characters that hide or reorder
text (right-to-left overrides, zero-width spaces, control characters) are
shown as visible markers so a moderator sees what is really there.
"""

from __future__ import annotations

import html
import re
import unicodedata

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from editor.core.models import CommentStatus

# Line breaks and tabs are layout, not hiding places.
_KEPT_CONTROLS = {"\n", "\t"}
_CANDIDATES = re.compile(r"[^\x20-\x7e\n\t]")
# How the table shortens intake's reasons (the detail pane shows them whole); None drops one
# that only repeats the score column.
REASON_SHORT_FORMS: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), short)
    for pattern, short in (
        (r"^disallowed word (“.*”) in .*$", r"disallowed \1"),
        (r"^moderation word (“.*”) in .*$", r"word \1"),
        (r"^(\d+ links?) \(hold at \d+\)$", r"\1"),
        (r"^flood: .*$", "flood"),
        (r"^exact duplicate of .*$", "duplicate"),
        (r"^filter: spam score .*$", "filter: spam"),
        (r"^filter: doubtful.*$", "filter: doubtful"),
        (r"^filter: (likely legitimate|not trained yet).*$", None),
        (r"^author has an approved comment$", "known author"),
        (r"^first comment from this author$", "first comment"),
        (r"^no rule (held it|fired)$", "no rule"),
        (r"^kept as (\w+) by its source$", r"imported as \1"),
    )
)
# Item roles of the queue model beyond Qt's own.
COMMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
SCORE_ROLE = Qt.ItemDataRole.UserRole + 3
LOADED_ROLE = Qt.ItemDataRole.UserRole + 4
STATUS_COLOURS = {
    CommentStatus.PENDING: QColor("#8a6d00"),
    CommentStatus.APPROVED: QColor("#1c7c3c"),
    CommentStatus.SPAM: QColor("#b3261e"),
    CommentStatus.TRASH: QColor("#6b6b6b"),
}


def _marker(char: str) -> str:
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"⟦{code} {name}⟧" if name else f"⟦{code}⟧"


def is_hidden_character(char: str) -> bool:
    if char in _KEPT_CONTROLS:
        return False
    category = unicodedata.category(char)
    # Cf: format characters (bidi overrides and isolates, zero-width joiners and spaces,
    # the BOM); Cc: control characters; Cs: lone surrogates; Co/Cn: private or unassigned.
    return category in ("Cf", "Cc", "Cs", "Co", "Cn")


def _joins_emoji(text: str, index: int) -> bool:
    # A zero-width joiner between two pictographs draws one emoji (a family, a flag).
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    symbols = ("So", "Sk", "Mn")
    return (
        bool(before and after)
        and unicodedata.category(before) in symbols
        and unicodedata.category(after) in symbols
    )


def visible_text(text: str) -> str:
    """``text`` with every hiding or reordering character replaced by a visible marker
    (``⟦U+202E RIGHT-TO-LEFT OVERRIDE⟧``); everything else exactly as written."""
    if text.isprintable():
        return text

    def shown(match: re.Match[str]) -> str:
        char = match.group()
        if not is_hidden_character(char) or (
            char == "\u200d" and _joins_emoji(text, match.start())
        ):
            return char
        return _marker(char)

    # Only characters outside printable ASCII can hide anything; scanning for them runs in C.
    return _CANDIDATES.sub(shown, text)


def one_line(text: str) -> str:
    """For a table cell: hidden characters visible, whitespace runs folded."""
    return " ".join(visible_text(text).split())


def rich_text_tooltip(text: str) -> str:
    """A tooltip Qt may take for rich text, with every character of ``text`` escaped."""
    return "<p style='white-space:pre-wrap'>" + html.escape(visible_text(text)) + "</p>"


def short_reason(reason: str) -> str | None:
    """A reason as the table shows it: "2 links (hold at 2)" → "2 links"."""
    for pattern, short in REASON_SHORT_FORMS:
        if pattern.match(reason):
            return None if short is None else pattern.sub(short, reason)
    return reason


def short_reasons(reasons: tuple[str, ...]) -> str:
    shown = [short for reason in reasons if (short := short_reason(reason)) is not None]
    return one_line(" · ".join(shown))


def score_percent(score: float | None) -> str:
    return "–" if score is None else f"{round(score * 100)}%"


def score_colour(score: float | None) -> QColor:
    """Green for likely legitimate, amber for unsure, red for likely spam."""
    if score is None:
        return QColor("#9aa4ad")
    if score >= 0.8:
        return QColor("#c0392b")
    if score >= 0.5:
        return QColor("#d35400")
    if score >= 0.2:
        return QColor("#b7950b")
    return QColor("#2e8b57")


class ScoreBadgeDelegate(QStyledItemDelegate):
    """The spam score as a small coloured pill: green likely fine, red likely spam."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not index.data(LOADED_ROLE):
            super().paint(painter, option, index)
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        score = index.data(SCORE_ROLE)
        rect: QRect = option.rect
        pill = QRect(0, 0, min(52, rect.width() - 8), 20)
        pill.moveCenter(rect.center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(score_colour(score))
        painter.drawRoundedRect(pill, 10, 10)
        painter.setPen(Qt.GlobalColor.white)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), score_percent(score))
        painter.restore()

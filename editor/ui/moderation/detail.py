"""The comment detail pane: the whole comment as plain text, its author, thread, article and links.

Everything a commenter wrote is shown as plain text with hidden characters made
visible (``display.visible_text``): labels are forced to ``PlainText`` because
a QLabel otherwise guesses, and links are listed as text, opened only in the
system browser when the moderator asks for one explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.core.models import CommentStatus
from editor.core.moderation.queue import CommentDetail
from editor.core.moderation.service import ModerationAction
from editor.ui.moderation.display import (
    STATUS_COLOURS,
    one_line,
    rich_text_tooltip,
    score_colour,
    score_percent,
    visible_text,
)

# A 1 MB comment is stored whole; laying out a megabyte of one paragraph would stall the UI.
SHOWN_BODY_CHARS = 20_000


@dataclass(frozen=True)
class ShownComment:
    """A detail prepared off the UI thread: the body already made visible and cut to size."""

    detail: CommentDetail
    body: str
    body_cut: bool


def prepare_detail(detail: CommentDetail) -> ShownComment:
    cut = len(detail.body) > SHOWN_BODY_CHARS
    body = visible_text(detail.body[:SHOWN_BODY_CHARS] if cut else detail.body)
    return ShownComment(detail, body, cut)


def _plain_label(text: str = "", *, selectable: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CommentDetailView(QWidget):
    """Shows one ``CommentDetail``; asks the pane for actions on all of the author's comments."""

    author_action_requested = Signal(object)  # ModerationAction
    author_filter_requested = Signal(str)  # the author's email, or name without one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentDetail")
        self.shown: ShownComment | None = None

        self.author_label = _plain_label()
        self.author_label.setObjectName("detailAuthor")
        self.status_label = _plain_label(selectable=False)
        self.status_label.setObjectName("detailStatus")
        self.score_label = _plain_label(selectable=False)
        self.score_label.setObjectName("detailScore")
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QHBoxLayout()
        heading.addWidget(self.author_label, 1)
        heading.addWidget(self.status_label)
        heading.addWidget(self.score_label)

        self.email_label = _plain_label()
        self.url_label = _plain_label()
        self.ip_label = _plain_label()
        self.received_label = _plain_label()
        self.article_label = _plain_label()
        self.reasons_label = _plain_label()
        self.history_label = _plain_label()
        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        facts.setHorizontalSpacing(10)
        facts.setVerticalSpacing(3)
        for caption, label in (
            ("Email", self.email_label),
            ("Website", self.url_label),
            ("IP", self.ip_label),
            ("Received", self.received_label),
            ("Article", self.article_label),
            ("Why here", self.reasons_label),
            ("Before this", self.history_label),
        ):
            caption_label = QLabel(caption)
            caption_label.setObjectName("muted")
            facts.addRow(caption_label, label)

        self.body_view = QPlainTextEdit()
        self.body_view.setObjectName("detailBody")
        self.body_view.setReadOnly(True)
        self.body_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.body_view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.body_note = _plain_label(selectable=False)
        self.body_note.setObjectName("muted")
        self.body_note.hide()

        self.links_heading = QLabel("Links")
        self.links_heading.setObjectName("detailSection")
        self.links_list = QListWidget()
        self.links_list.setObjectName("detailLinks")
        self.links_list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.open_link_button = QPushButton("Open in Browser")
        self.open_link_button.setToolTip("Opens the selected link in your web browser")
        self.open_link_button.setEnabled(False)
        self.open_link_button.clicked.connect(self.open_selected_link)
        self.links_list.currentRowChanged.connect(
            lambda row: self.open_link_button.setEnabled(row >= 0)
        )
        links_heading_row = QHBoxLayout()
        links_heading_row.addWidget(self.links_heading, 1)
        links_heading_row.addWidget(self.open_link_button)

        self.thread_heading = QLabel("Thread")
        self.thread_heading.setObjectName("detailSection")
        self.thread_list = QListWidget()
        self.thread_list.setObjectName("detailThread")
        self.thread_list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.thread_list.setWordWrap(True)
        self.thread_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        author_row = QHBoxLayout()
        self.author_buttons: dict[ModerationAction, QPushButton] = {}
        for action, text in (
            (ModerationAction.APPROVE, "Approve"),
            (ModerationAction.SPAM, "Spam"),
            (ModerationAction.TRASH, "Trash"),
        ):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(
                lambda _checked=False, action=action: self.author_action_requested.emit(action)
            )
            self.author_buttons[action] = button
            author_row.addWidget(button)
        self.show_author_button = QPushButton("Show Only This Author")
        self.show_author_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.show_author_button.clicked.connect(self._filter_by_author)

        self.empty_label = QLabel("Select a comment to see it here.")
        self.empty_label.setObjectName("muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # Three columns under the table: who wrote it, what they wrote, where it sits.
        # The facts scroll rather than clip when the detail pane is short.
        facts_widget = QWidget()
        facts_layout = QVBoxLayout(facts_widget)
        facts_layout.setContentsMargins(0, 0, 6, 0)
        facts_layout.addLayout(heading)
        facts_layout.addLayout(facts)
        facts_layout.addStretch(1)
        facts_scroll = QScrollArea()
        facts_scroll.setWidget(facts_widget)
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        facts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        about = QVBoxLayout()
        about.setContentsMargins(0, 0, 8, 0)
        about.addWidget(facts_scroll, 1)
        author_caption = QLabel("All by this author in this tab:")
        author_caption.setObjectName("detailSection")
        about.addWidget(author_caption)
        about.addLayout(author_row)
        about.addWidget(self.show_author_button)
        about_widget = QWidget()
        about_widget.setLayout(about)
        about_widget.setFixedWidth(360)

        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(self.body_view, 1)
        words.addWidget(self.body_note)
        words.addLayout(links_heading_row)
        words.addWidget(self.links_list)

        place = QVBoxLayout()
        place.setContentsMargins(8, 0, 0, 0)
        place.addWidget(self.thread_heading)
        place.addWidget(self.thread_list, 1)
        place.addStretch(0)
        self.thread_column = QWidget()
        self.thread_column.setLayout(place)
        self.thread_column.setFixedWidth(300)

        self.content = QWidget()
        content_layout = QHBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(about_widget)
        content_layout.addLayout(words, 1)
        content_layout.addWidget(self.thread_column)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.content, 1)
        layout.addWidget(self.empty_label, 1)
        self.content.hide()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    @property
    def comment_id(self) -> int | None:
        return None if self.shown is None else int(self.shown.detail.id)

    def show_nothing(self, message: str = "Select a comment to see it here.") -> None:
        self.shown = None
        self.empty_label.setText(message)
        self.content.hide()
        self.empty_label.show()

    def show_comment(self, shown: ShownComment) -> None:
        self.shown = shown
        detail = shown.detail
        self.author_label.setText(one_line(detail.author_name) or "(anonymous)")
        self.status_label.setText(detail.status.value.capitalize())
        colour = STATUS_COLOURS.get(detail.status)
        self.status_label.setStyleSheet(
            f"color: {colour.name() if colour else 'black'}; font-weight: 600; padding: 0 6px;"
        )
        badge = score_colour(detail.spam_score)
        self.score_label.setText(f"spam {score_percent(detail.spam_score)}")
        self.score_label.setStyleSheet(
            f"background: {badge.name()}; color: white; border-radius: 9px; padding: 2px 8px;"
            "font-weight: 600;"
        )
        self.email_label.setText(visible_text(detail.author_email) or "—")
        self.url_label.setText(visible_text(detail.author_url) or "—")
        self.ip_label.setText(detail.author_ip or "—")
        moderated = ""
        if detail.moderated_by:
            moderated = f"  ·  moderated by {one_line(detail.moderated_by)}"
        self.received_label.setText(
            detail.created_at.astimezone().strftime("%d %b %Y, %H:%M:%S") + moderated
        )
        self.article_label.setText(one_line(detail.article_title))
        self.article_label.setToolTip(rich_text_tooltip(f"/{detail.article_slug}"))
        self.reasons_label.setText("\n".join(visible_text(r) for r in detail.reasons) or "—")
        self.history_label.setText(history_text(detail.author_history))

        self.body_view.setPlainText(shown.body)
        if shown.body_cut:
            self.body_note.setText(
                f"Showing the first {SHOWN_BODY_CHARS:,} of {len(detail.body):,} characters."
            )
        self.body_note.setVisible(shown.body_cut)

        self.links_list.clear()
        for link in detail.links:
            self.links_list.addItem(QListWidgetItem(visible_text(link)))
        self.links_heading.setText(f"Links ({len(detail.links)})" if detail.links else "No links")
        self.links_list.setVisible(bool(detail.links))
        self.links_list.setFixedHeight(min(96, 8 + 22 * len(detail.links)))
        self.open_link_button.setVisible(bool(detail.links))
        self.open_link_button.setEnabled(False)

        self.thread_list.clear()
        bold = QFont()
        bold.setBold(True)
        for entry in detail.thread:
            marker = "↳ " if entry.depth else ""
            item = QListWidgetItem(
                "    " * entry.depth
                + f"{marker}{one_line(entry.author_name) or '(anonymous)'}: {one_line(entry.excerpt)}"
            )
            if entry.status is not CommentStatus.APPROVED:
                item.setForeground(STATUS_COLOURS[entry.status])
            if entry.id == detail.id:
                item.setFont(bold)
            self.thread_list.addItem(item)
        replies = max(0, len(detail.thread) - 1)
        self.thread_heading.setText(
            f"Thread ({replies} repl{'y' if replies == 1 else 'ies'})" if replies else "No replies"
        )
        self.thread_list.setVisible(replies > 0)
        # A comment on its own needs no thread column; its text gets the room.
        self.thread_column.setVisible(replies > 0)
        self.empty_label.hide()
        self.content.show()

    def open_selected_link(self) -> None:
        """The only way a link leaves the app: an explicit click, to the system browser."""
        if self.shown is None:
            return
        row = self.links_list.currentRow()
        if 0 <= row < len(self.shown.detail.links):
            url = QUrl(self.shown.detail.links[row])
            if url.scheme() in ("http", "https"):
                QDesktopServices.openUrl(url)

    def _filter_by_author(self) -> None:
        if self.shown is None:
            return
        detail = self.shown.detail
        self.author_filter_requested.emit(detail.author_email.strip() or detail.author_name)


def history_text(history: dict[CommentStatus, int]) -> str:
    """ "3 approved · 1 spam": the statuses this author's earlier comments are in."""
    parts = [
        f"{history[status]} {status.value}"
        for status in (
            CommentStatus.APPROVED,
            CommentStatus.SPAM,
            CommentStatus.TRASH,
            CommentStatus.PENDING,
        )
        if history.get(status, 0)
    ]
    return " · ".join(parts) if parts else "first comment from this author"

"""The detail pane shows what a stranger wrote exactly, as text, and never follows a link by itself."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from editor.core.demo import DEMO_NOW
from editor.core.models import Article, Comment, CommentStatus
from editor.core.store import Store
from editor.ui.moderation.detail import SHOWN_BODY_CHARS
from editor.ui.moderation.display import visible_text
from editor.ui.moderation.models import QueueColumn

HOSTILE_BODY = (
    '<script>alert("x")</script><b>bold?</b> &amp; '
    "abc\u202eevil.exe\u202c zero\u200bwidth \x07bell "
    "family 👨\u200d👩\u200d👧 see http://one.example/a and https://two.example/b?c=<d>"
)
HOSTILE_NAME = "<i>Mallory</i>\u202e"


def add_comment(store: Store, *, minutes: int, **fields: object) -> int:
    with store.session_factory.begin() as session:
        article_id = session.scalar(select(Article.id).order_by(Article.id).limit(1))
        fields.setdefault("author_name", "Reader")
        fields.setdefault("author_email", "reader@example.org")
        comment = Comment(
            article_id=article_id,
            status=CommentStatus.PENDING,
            created_at=DEMO_NOW + timedelta(minutes=minutes),
            spam_score=0.9,
            reasons=["2 links (hold at 2)", "filter: spam score 0.90"],
            **fields,
        )
        session.add(comment)
        session.flush()
        return int(comment.id)


class _LinkCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_hostile_comment_is_shown_as_text_with_hidden_characters_visible(
    qtbot, open_queue, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    comment_id = add_comment(
        demo_store,
        minutes=60,
        body=HOSTILE_BODY,
        author_name=HOSTILE_NAME,
        author_email="mallory@example.org",
        author_url="javascript:alert(1)",
        author_ip="203.0.113.9",
    )
    pane = open_queue(demo_store)
    detail = pane.detail
    assert detail.comment_id == comment_id
    shown = detail.body_view.toPlainText()
    assert '<script>alert("x")</script><b>bold?</b> &amp; ' in shown
    assert "⟦U+202E RIGHT-TO-LEFT OVERRIDE⟧evil.exe⟦U+202C POP DIRECTIONAL FORMATTING⟧" in shown
    assert "zero⟦U+200B ZERO WIDTH SPACE⟧width ⟦U+0007⟧bell" in shown
    assert "👨\u200d👩\u200d👧" in shown  # an emoji's joiners are how it is drawn, left alone
    assert "\u202e" not in shown and "\u200b" not in shown
    assert detail.author_label.text() == visible_text(HOSTILE_NAME)
    assert detail.url_label.text() == "javascript:alert(1)"
    for label in detail.findChildren(QLabel):
        if label.text() and "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    # The table shows it on one line, markers included; its tooltip (rich text) is escaped.
    excerpt = pane.model.index(0, QueueColumn.COMMENT).data()
    assert excerpt.startswith('<script>alert("x")</script>') and "⟦U+202E" in excerpt
    tooltip = pane.model.index(0, QueueColumn.COMMENT).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;script&gt;" in tooltip and "<script>" not in tooltip
    assert pane.model.index(0, QueueColumn.REASONS).data() == "2 links · filter: spam"
    assert pane.model.index(0, QueueColumn.SCORE).data() == "90%"
    assert "2 links (hold at 2)" in detail.reasons_label.text()


def test_links_are_listed_and_opened_only_on_request(qtbot, open_queue, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    add_comment(demo_store, minutes=60, body=HOSTILE_BODY)
    pane = open_queue(demo_store)
    links = pane.detail.links_list
    assert [links.item(row).text() for row in range(links.count())] == [
        "http://one.example/a",
        "https://two.example/b?c=",  # a link ends where markup starts
    ]
    assert pane.detail.links_heading.text() == "Links (2)"
    catcher = _LinkCatcher()
    QDesktopServices.setUrlHandler("http", catcher, "open")
    QDesktopServices.setUrlHandler("https", catcher, "open")
    try:
        assert not pane.detail.open_link_button.isEnabled()
        links.setCurrentRow(1)
        qtbot.mouseDClick(links.viewport(), Qt.MouseButton.LeftButton)
        assert catcher.opened == []  # selecting or double-clicking opens nothing
        qtbot.mouseClick(pane.detail.open_link_button, Qt.MouseButton.LeftButton)
        assert catcher.opened == ["https://two.example/b?c="]
    finally:
        QDesktopServices.unsetUrlHandler("http")
        QDesktopServices.unsetUrlHandler("https")


def test_thread_article_and_author_history(qtbot, open_queue, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    with demo_store.session_factory() as session:
        parent = session.scalars(
            select(Comment)
            .where(Comment.status == CommentStatus.APPROVED, Comment.parent_id.is_not(None))
            .order_by(Comment.id)
            .limit(1)
        ).one()
        parent_id, name, email = parent.id, parent.author_name, parent.author_email
        earlier_approved = session.scalar(
            select(Comment.id)
            .where(Comment.author_email == email, Comment.status == CommentStatus.APPROVED)
            .limit(1)
        )
    assert earlier_approved is not None
    reply_id = add_comment(
        demo_store,
        minutes=90,
        body="A reply to the reply.",
        parent_id=parent_id,
        author_name=name,
        author_email=email,
    )
    pane = open_queue(demo_store)
    detail = pane.detail
    assert detail.comment_id == reply_id
    thread = [detail.thread_list.item(row).text() for row in range(detail.thread_list.count())]
    assert len(thread) >= 3 and not thread[0].startswith(" ")
    mine = next(text for text in thread if "A reply to the reply." in text)
    assert mine.startswith("        ↳ ")  # a reply to a reply: two levels in
    assert detail.thread_list.item(thread.index(mine)).font().bold()
    assert detail.thread_heading.text().startswith("Thread (")
    assert "approved" in detail.history_label.text()
    assert not detail.history_label.text().startswith("0 approved")
    assert detail.article_label.text().startswith("Flood Barrier Holds")


def test_a_megabyte_comment_is_shown_in_part(qtbot, open_queue, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    add_comment(demo_store, minutes=60, body="word " * 200_000)
    pane = open_queue(demo_store)
    assert len(pane.detail.body_view.toPlainText()) == SHOWN_BODY_CHARS
    assert pane.detail.body_note.isVisible()
    assert pane.detail.body_note.text() == (
        f"Showing the first {SHOWN_BODY_CHARS:,} of 1,000,000 characters."
    )

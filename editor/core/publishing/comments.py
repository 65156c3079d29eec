"""Approved comments as threads: replies under their parents, oldest first.

Comment text is the reader's, never trusted: it is escaped whole (no tags
survive), blank lines become paragraphs, and an author's link is kept only
when it is plain http(s).
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from editor.core.publishing.content import PublishedComment

# Deeper replies are shown at this depth, as WordPress does, so a long back-and-forth
# does not squeeze the text into a sliver.
MAX_THREAD_DEPTH = 5


@dataclass
class CommentThread:
    comment: PublishedComment
    replies: list[CommentThread] = field(default_factory=list)


def comment_threads(comments: Sequence[PublishedComment]) -> list[CommentThread]:
    """Top-level threads in order; a reply whose parent is not shown becomes top-level."""
    shown = {comment.id for comment in comments}
    children: dict[int | None, list[PublishedComment]] = defaultdict(list)
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in shown else None
        children[parent].append(comment)

    def thread(comment: PublishedComment, seen: frozenset[int]) -> CommentThread:
        replies = [
            thread(reply, seen | {reply.id})
            for reply in children.get(comment.id, [])
            if reply.id not in seen
        ]
        return CommentThread(comment, replies)

    return [thread(comment, frozenset({comment.id})) for comment in children[None]]


def comments_html(comments: Sequence[PublishedComment]) -> str:
    """The threaded list as an ``<ol class="comment-list">`` (empty string for no comments)."""
    threads = comment_threads(comments)
    if not threads:
        return ""
    return _list(threads, depth=1, css_class="comment-list")


def _list(threads: list[CommentThread], *, depth: int, css_class: str) -> str:
    items = "".join(_item(thread, depth) for thread in threads)
    return f'<ol class="{css_class}">{items}</ol>'


def _item(thread: CommentThread, depth: int) -> str:
    comment = thread.comment
    name = html.escape(comment.author_name.strip() or "Anonymous", quote=True)
    url = comment.author_url.strip()
    if url.lower().startswith(("http://", "https://")):
        author = f'<a class="comment-author" href="{html.escape(url, quote=True)}" rel="nofollow ugc">{name}</a>'
    else:
        author = f'<span class="comment-author">{name}</span>'
    when = comment.created_at
    time = f'<time datetime="{when.isoformat()}">{when:%d %B %Y at %H:%M}</time>'
    body = "".join(
        f"<p>{html.escape(paragraph.strip(), quote=False).replace(chr(10), '<br>')}</p>"
        for paragraph in comment.body.replace("\r\n", "\n").split("\n\n")
        if paragraph.strip()
    )
    replies = ""
    if thread.replies:
        if depth < MAX_THREAD_DEPTH:
            replies = _list(thread.replies, depth=depth + 1, css_class="children")
        else:
            replies = "".join(_item(reply, depth) for reply in thread.replies)
            return (
                f'<li class="comment" id="comment-{comment.id}"><article>'
                f"<header>{author} {time}</header>{body}</article></li>{replies}"
            )
    return (
        f'<li class="comment" id="comment-{comment.id}"><article>'
        f"<header>{author} {time}</header>{body}</article>{replies}</li>"
    )

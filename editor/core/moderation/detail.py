"""The detail pane: one whole comment, its thread, its article and its author's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editor.core.models import Article, Comment, CommentId, CommentStatus
from editor.core.moderation.features import find_links

EXCERPT_CHARS = 240
THREAD_LIMIT = 500
_CHUNK = 900


def excerpt(text: str) -> str:
    """One line of at most ``EXCERPT_CHARS``: whitespace runs (newlines too) become one space."""
    return " ".join(text.split())[:EXCERPT_CHARS]


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    id: CommentId
    parent_id: int | None
    depth: int
    author_name: str
    excerpt: str
    status: CommentStatus
    created_at: datetime


@dataclass(frozen=True)
class CommentDetail:
    id: CommentId
    status: CommentStatus
    body: str
    author_name: str
    author_email: str
    author_url: str
    author_ip: str
    user_agent: str
    created_at: datetime
    spam_score: float | None
    reasons: tuple[str, ...]
    moderated_by: str | None
    moderated_at: datetime | None
    article_id: int
    article_title: str
    article_slug: str
    parent_id: int | None
    # Links in the body, in order, as written (never fetched or rendered).
    links: tuple[str, ...]
    # The same author's comments before this one, by status (every status present).
    author_history: dict[CommentStatus, int]
    # The whole thread this comment belongs to, root first, replies depth-first by time.
    thread: tuple[ThreadEntry, ...] = field(default=())


def author_history(
    *,
    session: Session,
    author_name: str,
    author_email: str,
    before: datetime,
    excluding: int | None = None,
) -> dict[CommentStatus, int]:
    """How many of this author's comments (same email, else same name) were in each status,
    among those written before ``before``."""
    statement = select(Comment.status, func.count()).where(Comment.created_at < before)
    if author_email.strip():
        statement = statement.where(Comment.author_email == author_email)
    else:
        statement = statement.where(Comment.author_email == "", Comment.author_name == author_name)
    if excluding is not None:
        statement = statement.where(Comment.id != excluding)
    found = dict(session.execute(statement.group_by(Comment.status)).all())
    return {status: int(found.get(status, 0)) for status in CommentStatus}


def thread(comment_id: int, *, session: Session) -> list[ThreadEntry]:
    """The thread holding ``comment_id``: its root, then replies depth-first, oldest first."""
    root_id = comment_id
    seen = {root_id}
    while True:  # climb to the root; the guard stops a (corrupt) cycle
        parent = session.scalar(select(Comment.parent_id).where(Comment.id == root_id))
        if parent is None or parent in seen:
            break
        seen.add(parent)
        root_id = parent
    columns = (
        Comment.id,
        Comment.parent_id,
        Comment.author_name,
        func.substr(Comment.body, 1, EXCERPT_CHARS * 2),
        Comment.status,
        Comment.created_at,
    )
    by_parent: dict[int | None, list[Any]] = {}
    frontier = [root_id]
    collected: dict[int, Any] = {}
    root = session.execute(select(*columns).where(Comment.id == root_id)).one_or_none()
    if root is None:
        return []
    collected[root_id] = root
    while frontier and len(collected) < THREAD_LIMIT:
        children = session.execute(
            select(*columns)
            .where(Comment.parent_id.in_(frontier[:_CHUNK]))
            .order_by(Comment.created_at, Comment.id)
        ).all()
        frontier = frontier[_CHUNK:]
        for child in children:
            if child.id in collected:
                continue
            collected[child.id] = child
            by_parent.setdefault(child.parent_id, []).append(child)
            frontier.append(child.id)
    entries: list[ThreadEntry] = []
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack and len(entries) < THREAD_LIMIT:
        row, depth = stack.pop()
        entries.append(
            ThreadEntry(
                id=CommentId(row[0]),
                parent_id=row[1] if row[0] != root_id else None,
                depth=depth,
                author_name=row[2],
                excerpt=excerpt(row[3] or ""),
                status=row[4],
                created_at=row[5],
            )
        )
        stack.extend((child, depth + 1) for child in reversed(by_parent.get(row[0], [])))
    return entries


def detail(comment_id: int, *, session: Session) -> CommentDetail | None:
    """Everything the detail pane shows about one comment, or None if it is gone."""
    row = session.execute(
        select(Comment, Article.title, Article.slug)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.id == comment_id)
    ).one_or_none()
    if row is None:
        return None
    comment, title, slug = row
    return CommentDetail(
        id=CommentId(comment.id),
        status=comment.status,
        body=comment.body,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
        author_ip=comment.author_ip,
        user_agent=comment.user_agent,
        created_at=comment.created_at,
        spam_score=comment.spam_score,
        reasons=tuple(comment.reasons or ()),
        moderated_by=comment.moderated_by,
        moderated_at=comment.moderated_at,
        article_id=comment.article_id,
        article_title=title,
        article_slug=slug,
        parent_id=comment.parent_id,
        links=tuple(find_links(comment.body)),
        author_history=author_history(
            session=session,
            author_name=comment.author_name,
            author_email=comment.author_email,
            before=comment.created_at,
            excluding=comment.id,
        ),
        thread=tuple(thread(comment.id, session=session)),
    )

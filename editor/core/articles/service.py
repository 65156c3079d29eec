"""Article queries and changes. Functions take a Session and never commit it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from editor.core.models import Article, ArticleId, ArticleStatus

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def count_words(markdown_text: str) -> int:
    return len(_WORD.findall(markdown_text))


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What the article list shows; detached from the session, safe to hand to the UI thread."""

    id: ArticleId
    title: str
    slug: str
    status: ArticleStatus
    author: str
    updated_at: datetime
    word_count: int
    comment_count: int


def list_articles(
    session: Session, *, status: ArticleStatus | None = None, search: str = ""
) -> list[ArticleRow]:
    """Articles newest-updated first, optionally of one status and matching ``search`` in title or slug."""
    query = select(
        Article.id,
        Article.title,
        Article.slug,
        Article.status,
        Article.author,
        Article.updated_at,
        Article.body,
        Article.comment_count,
    ).order_by(Article.updated_at.desc(), Article.id.desc())
    if status is not None:
        query = query.where(Article.status == status)
    needle = search.strip()
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            or_(
                Article.title.ilike(pattern, escape="\\"),
                Article.slug.ilike(pattern, escape="\\"),
            )
        )
    return [
        ArticleRow(
            id=ArticleId(row.id),
            title=row.title,
            slug=row.slug,
            status=row.status,
            author=row.author,
            updated_at=row.updated_at,
            word_count=count_words(row.body),
            comment_count=row.comment_count,
        )
        for row in session.execute(query)
    ]

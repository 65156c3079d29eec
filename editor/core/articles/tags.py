"""An article's tags: rows created on first use, order kept by ``ArticleTag.position``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from editor.core.articles.slugs import first_free_slug, slug_from_text
from editor.core.models import ArticleTag, Tag

_SPACES = re.compile(r"\s+")
# Tag slugs share the article column's spirit but live in their own, longer column.
MAX_TAG_SLUG_LENGTH = 120


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """Names as typed, trimmed and with inner spaces collapsed; blanks and repeats
    (ignoring case) dropped, first spelling and order kept."""
    seen: set[str] = set()
    cleaned = []
    for name in names:
        tidy = _SPACES.sub(" ", name).strip()
        folded = tidy.casefold()
        if tidy and folded not in seen:
            seen.add(folded)
            cleaned.append(tidy)
    return cleaned


def article_tag_names(session: Session, *, article_id: int) -> list[str]:
    query = (
        select(Tag.name)
        .join(ArticleTag, ArticleTag.tag_id == Tag.id)
        .where(ArticleTag.article_id == article_id)
        .order_by(ArticleTag.position, Tag.name)
    )
    return list(session.scalars(query))


def set_article_tags(session: Session, *, article_id: int, names: Iterable[str]) -> list[str]:
    """Make the article's tags exactly ``names`` in that order; returns the names as stored.

    A name matching an existing tag ignoring case reuses that tag and its
    spelling, so "flooding" and "Flooding" never become two tags. Names that
    only share a slug ("C" and "C++") stay apart: the newer gets "c-2".
    """
    wanted = clean_tag_names(names)
    tags = [tag_for_name(session, name) for name in wanted]
    session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
    session.add_all(
        ArticleTag(article_id=article_id, tag_id=tag.id, position=position)
        for position, tag in enumerate(tags)
    )
    session.flush()
    return [tag.name for tag in tags]


def tag_for_name(session: Session, name: str) -> Tag:
    """The tag called ``name`` (ignoring case), created when missing.

    Two editors adding the same new tag at once: the loser's insert hits the
    unique constraint inside a savepoint and it uses the winner's row instead.
    """
    slug = slug_from_text(name, max_length=MAX_TAG_SLUG_LENGTH) or "tag"
    existing = _find_tag(session, name)
    if existing is not None:
        return existing
    taken = set(session.scalars(select(Tag.slug).where(Tag.slug.like(f"{slug}%"))))
    tag = Tag(name=name, slug=first_free_slug(slug, taken))
    try:
        with session.begin_nested():
            session.add(tag)
            session.flush()
    except IntegrityError:
        existing = _find_tag(session, name)
        if existing is None:
            raise
        return existing
    return tag


def _find_tag(session: Session, name: str) -> Tag | None:
    return session.scalars(
        select(Tag).where(func.lower(Tag.name) == name.lower()).order_by(Tag.id).limit(1)
    ).first()

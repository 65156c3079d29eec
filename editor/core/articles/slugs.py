"""Slugs: the article's address part, made from its title and kept unique in the store.

A slug is lower-case ASCII letters, digits and single hyphens, at most
``MAX_SLUG_LENGTH`` characters. Titles in any script are transliterated
(``anyascii``: "Zürich" → "zurich", "Łódź" → "lodz", "Москва" → "moskva"), so a
slug never has to be typed by hand unless the editor wants to.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.models import Article

# Long enough for a headline's key words, short enough to read in a link.
MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "untitled"

_NOT_SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")
_VALID_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COPY_SUFFIX = re.compile(r"-copy(?:-[0-9]+)?$")


def slug_from_text(text: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """``text`` as a slug, cut at a word boundary to ``max_length``; "" when nothing is left."""
    from anyascii import anyascii

    # Apostrophes join rather than split ("Editor's Picks" → "editors-picks").
    ascii_text = anyascii(text.replace("'", "").replace("’", "")).lower().replace("'", "")
    slug = _NOT_SLUG_CHARACTERS.sub("-", ascii_text).strip("-")
    return _cut(slug, max_length)


def slug_from_title(title: str) -> str:
    """The slug a new article gets from its title (``"untitled"`` for an empty or symbol-only title)."""
    return slug_from_text(title) or FALLBACK_SLUG


def _cut(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if slug[max_length] != "-" and "-" in cut:
        # Drop the word that the limit would break in half.
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")


def slug_problems(slug: str) -> list[str]:
    """Why a hand-edited slug cannot be used, as sentences; empty when it is well formed.

    Uniqueness needs the store: see ``slug_conflict``.
    """
    if not slug:
        return ["The slug is empty: give the article an address, e.g. from its title."]
    problems = []
    if slug != slug.strip():
        problems.append("The slug has spaces at its start or end.")
    bad = sorted({character for character in slug if not re.fullmatch(r"[a-z0-9-]", character)})
    if bad:
        shown = ", ".join(repr(character) for character in bad[:6])
        suggestion = slug_from_text(slug)
        hint = f' (try "{suggestion}")' if suggestion else ""
        problems.append(f"Use only lower-case letters a–z, digits and hyphens; not {shown}{hint}.")
    elif slug.startswith("-") or slug.endswith("-"):
        problems.append("The slug cannot start or end with a hyphen.")
    elif "--" in slug:
        problems.append("Use single hyphens between words, not '--'.")
    if len(slug) > MAX_SLUG_LENGTH:
        problems.append(
            f"The slug is {len(slug)} characters long; keep it to {MAX_SLUG_LENGTH} or fewer."
        )
    return problems


def is_valid_slug(slug: str) -> bool:
    return len(slug) <= MAX_SLUG_LENGTH and _VALID_SLUG.fullmatch(slug) is not None


def numbered_slug(base: str, number: int) -> str:
    """``base-number``, with ``base`` shortened so the result stays within the length limit."""
    if number < 2:
        return _cut(base, MAX_SLUG_LENGTH)
    suffix = f"-{number}"
    return _cut(base, MAX_SLUG_LENGTH - len(suffix)) + suffix


def unique_slug(session: Session, base: str, *, excluding_article_id: int | None = None) -> str:
    """``base`` if no other article uses it, else the first free ``base-2``, ``base-3``…

    One query whatever the number of articles already sharing the stem. A
    concurrent writer can still take the same slug before this transaction
    commits; ``service`` retries on the store's unique constraint for that.
    """
    base = _cut(base, MAX_SLUG_LENGTH) or FALLBACK_SLUG
    stem = _cut(base, MAX_SLUG_LENGTH - 4)  # room for "-999" within the limit
    escaped = stem.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(Article.slug).where(Article.slug.like(f"{escaped}%", escape="\\"))
    if excluding_article_id is not None:
        query = query.where(Article.id != excluding_article_id)
    taken = set(session.scalars(query))
    return first_free_slug(base, taken)


def first_free_slug(base: str, taken: set[str]) -> str:
    candidate = base
    number = 1
    while candidate in taken:
        number += 1
        candidate = numbered_slug(base, number)
    return candidate


def slug_conflict(session: Session, slug: str, *, article_id: int | None) -> str | None:
    """A sentence naming the other article that uses ``slug``, or None when it is free."""
    query = select(Article.id, Article.title).where(Article.slug == slug)
    if article_id is not None:
        query = query.where(Article.id != article_id)
    other = session.execute(query.limit(1)).first()
    if other is None:
        return None
    suggestion = unique_slug(session, slug, excluding_article_id=article_id)
    title = other.title or "an untitled article"
    return f'"{slug}" is already the address of “{title}”; try "{suggestion}".'


def check_slug(session: Session, slug: str, *, article_id: int | None) -> list[str]:
    """Everything wrong with using ``slug`` for the article ``article_id``; empty when usable."""
    problems = slug_problems(slug)
    if problems:
        return problems
    conflict = slug_conflict(session, slug, article_id=article_id)
    return [conflict] if conflict else []


def copy_slug(slug: str) -> str:
    """The stem for a copy's slug: ``budget`` → ``budget-copy``; a copy of a copy stays ``budget-copy``
    (``unique_slug`` then numbers it ``budget-copy-2``)."""
    stem = _COPY_SUFFIX.sub("", slug) or FALLBACK_SLUG
    return _cut(stem, MAX_SLUG_LENGTH - len("-copy")) + "-copy"

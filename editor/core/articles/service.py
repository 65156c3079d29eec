"""Article queries and changes. Functions take a Session and never commit it.

Every change starts by taking the store's write lock for the article it
touches (``SELECT … FOR UPDATE`` on PostgreSQL; the database write lock on
SQLite, where pysqlite would otherwise start the transaction only at the first
write), so "check the version, then write" cannot interleave with another
editor's save. The lock lasts until the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from editor.core.articles.drafts import (
    ArticleNotFound,
    DraftData,
    InvalidDraft,
    NotArchived,
    SaveConflict,
    SavedDraft,
    count_words,
    draft_problems,
    field_problems,
)
from editor.core.articles.slugs import (
    check_slug,
    copy_slug,
    slug_from_text,
    slug_from_title,
    unique_slug,
)
from editor.core.articles.tags import article_tag_names, clean_tag_names, set_article_tags
from editor.core.models import Article, ArticleId, ArticleStatus, Asset, AssetId, utc_now

COPY_TITLE_SUFFIX = " (copy)"
# Attempts at a free slug when other editors keep taking the one just chosen.
_SLUG_ATTEMPTS = 5


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


def start_writing(session: Session) -> None:
    """Take SQLite's write lock now (a no-op statement that writes); PostgreSQL locks rows instead.

    pysqlite begins a transaction only at the first write, so without this a
    read-then-write service could read a state another connection changes
    before our write, and a savepoint taken before any write would commit on
    release. Idempotent within a transaction.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE article SET id = id WHERE 0 = 1"))


def _article_for_update(session: Session, article_id: int) -> Article:
    start_writing(session)
    article = session.scalars(
        select(Article)
        .where(Article.id == article_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if article is None:
        raise ArticleNotFound(article_id)
    return article


def draft_of(session: Session, article: Article) -> DraftData:
    return DraftData(
        id=ArticleId(article.id),
        uuid=article.uuid,
        title=article.title,
        slug=article.slug,
        dek=article.dek,
        body=article.body,
        author=article.author,
        tags=article_tag_names(session, article_id=article.id),
        category=article.category,
        featured_asset_id=(
            None if article.featured_asset_id is None else AssetId(article.featured_asset_id)
        ),
        status=article.status,
        version=article.version,
        created_at=article.created_at,
        updated_at=article.updated_at,
    )


def load_draft(session: Session, *, article_id: int) -> DraftData:
    """The article as stored now. Raises ``ArticleNotFound``."""
    article = session.scalars(
        select(Article).where(Article.id == article_id).execution_options(populate_existing=True)
    ).first()
    if article is None:
        raise ArticleNotFound(article_id)
    return draft_of(session, article)


def find_article_id(session: Session, *, uuid: str) -> ArticleId | None:
    found = session.scalar(select(Article.id).where(Article.uuid == uuid))
    return None if found is None else ArticleId(found)


def _insert_with_free_slug(session: Session, article: Article, wanted_slug: str) -> None:
    """Insert ``article`` under ``wanted_slug`` or the first free ``-2``, ``-3``… variant.

    Another editor committing the same slug between our check and our insert
    makes the insert fail inside a savepoint; we then look again.
    """
    tried = ""
    for attempt in range(_SLUG_ATTEMPTS):
        article.slug = unique_slug(session, wanted_slug)
        if article.slug == tried:
            # The slug was free after all, so the failure was about something else.
            session.add(article)
            session.flush()
            return
        tried = article.slug
        try:
            with session.begin_nested():
                session.add(article)
                session.flush()
            return
        except IntegrityError:
            # The savepoint's rollback has made ``article`` transient again.
            if attempt == _SLUG_ATTEMPTS - 1:
                raise


def create_draft(
    session: Session,
    *,
    title: str = "",
    author: str = "",
    body: str = "",
    dek: str = "",
    category: str = "",
    tags: Iterable[str] = (),
    slug: str | None = None,
    featured_asset_id: int | None = None,
) -> DraftData:
    """A new draft, its slug made from ``title`` (or from ``slug``, tidied) and kept unique.

    Raises ``InvalidDraft`` for fields over the store's limits.
    """
    tags = list(tags)
    problems = field_problems(title=title, author=author, category=category, tags=tags)
    if problems:
        raise InvalidDraft(problems)
    start_writing(session)
    article = Article(
        title=title,
        body=body,
        dek=dek,
        author=author,
        category=category,
        featured_asset_id=featured_asset_id,
        status=ArticleStatus.DRAFT,
    )
    wanted_slug = (slug_from_text(slug) if slug else "") or slug_from_title(title)
    _insert_with_free_slug(session, article, wanted_slug)
    set_article_tags(session, article_id=article.id, names=tags)
    return draft_of(session, article)


def save_draft(session: Session, *, draft: DraftData, expected_version: int) -> SavedDraft:
    """Store ``draft`` over the article if its stored version is still ``expected_version``.

    Raises ``SaveConflict`` (nothing written) when another editor saved in the
    meantime, ``ArticleNotFound`` when it was deleted, ``InvalidDraft`` when a
    field exceeds the store's limits. A slug that is malformed or taken and a
    featured image that no longer exists are kept back (see
    ``SavedDraft.kept_back``) rather than costing the user the rest of the save.
    A save that changes nothing writes nothing and keeps the version.
    """
    problems = draft_problems(draft)
    if problems:
        raise InvalidDraft(problems)
    article = _article_for_update(session, draft.id)
    if article.version != expected_version:
        raise SaveConflict(
            mine=draft, theirs=draft_of(session, article), expected_version=expected_version
        )
    kept_back: dict[str, list[str]] = {}
    changed: set[str] = set()
    # Queries below must not flush half-applied changes (one save, one UPDATE).
    with session.no_autoflush:
        for name in ("title", "dek", "body", "author", "category"):
            if getattr(article, name) != getattr(draft, name):
                setattr(article, name, getattr(draft, name))
                changed.add(name)
        if draft.slug != article.slug:
            slug_issues = check_slug(session, draft.slug, article_id=article.id)
            if slug_issues:
                kept_back["slug"] = slug_issues
            else:
                article.slug = draft.slug
                changed.add("slug")
        if draft.featured_asset_id != article.featured_asset_id:
            if (
                draft.featured_asset_id is not None
                and session.get(Asset, draft.featured_asset_id) is None
            ):
                kept_back["featured_asset_id"] = [
                    "The featured image was removed from the store; choose another."
                ]
            else:
                article.featured_asset_id = draft.featured_asset_id
                changed.add("featured_asset_id")
        wanted_tags = clean_tag_names(draft.tags)
        if wanted_tags != article_tag_names(session, article_id=article.id):
            changed.add("tags")
    if not changed:
        return SavedDraft(
            draft=draft_of(session, article), changed_fields=frozenset(), kept_back=kept_back
        )
    # Set explicitly so a tags-only change still moves the version on.
    article.updated_at = utc_now()
    # The row lock makes the version check above authoritative; the mapper's
    # version column stays as a backstop (StaleDataError, nothing written).
    session.flush()
    if "tags" in changed:
        set_article_tags(session, article_id=article.id, names=wanted_tags)
        session.expire(article, ["tags"])
    return SavedDraft(
        draft=draft_of(session, article), changed_fields=frozenset(changed), kept_back=kept_back
    )


def overwrite_draft(session: Session, *, conflict: SaveConflict) -> SavedDraft:
    """Resolve ``conflict`` by saving my draft over theirs, knowingly.

    Their version is first recorded as a revision, so the overwritten text
    stays in the revision list and can be restored. Raises ``SaveConflict``
    again if the article moved on once more since the conflict was reported.
    """
    from editor.core.articles.revisions import record_revision_of_draft
    from editor.core.models import RevisionReason

    article = _article_for_update(session, conflict.mine.id)
    if article.version != conflict.theirs.version:
        raise SaveConflict(
            mine=conflict.mine,
            theirs=draft_of(session, article),
            expected_version=conflict.theirs.version,
        )
    record_revision_of_draft(
        session,
        draft=conflict.theirs,
        reason=RevisionReason.MANUAL,
        author=conflict.theirs.author,
        note=f"Version {conflict.theirs.version}, before it was overwritten",
    )
    return save_draft(session, draft=conflict.mine, expected_version=conflict.theirs.version)


def _copy_title(title: str) -> str:
    return title if title.endswith(COPY_TITLE_SUFFIX) else title + COPY_TITLE_SUFFIX


def save_as_copy(session: Session, *, draft: DraftData) -> DraftData:
    """Keep my text as a new draft ("…-copy" slug, "(copy)" title), leaving the original alone."""
    return create_draft(
        session,
        title=_copy_title(draft.title),
        author=draft.author,
        body=draft.body,
        dek=draft.dek,
        category=draft.category,
        tags=draft.tags,
        slug=copy_slug(draft.slug),
        featured_asset_id=_existing_asset_id(session, draft.featured_asset_id),
    )


def _existing_asset_id(session: Session, asset_id: int | None) -> int | None:
    if asset_id is None or session.get(Asset, asset_id) is None:
        return None
    return asset_id


def duplicate_article(session: Session, *, article_id: int, author: str | None = None) -> DraftData:
    """A new draft with the article's text and metadata; ``author`` defaults to the original's."""
    original = load_draft(session, article_id=article_id)
    copied = replace(original, author=original.author if author is None else author)
    return save_as_copy(session, draft=copied)


def archive(session: Session, *, article_id: int) -> DraftData:
    """Move the article to the archive (out of the working lists; can be restored or deleted)."""
    article = _article_for_update(session, article_id)
    article.status = ArticleStatus.ARCHIVED
    session.flush()
    return draft_of(session, article)


def restore_from_archive(session: Session, *, article_id: int) -> DraftData:
    """Bring an archived article back as a draft (never straight back to published)."""
    article = _article_for_update(session, article_id)
    if article.status is not ArticleStatus.ARCHIVED:
        raise NotArchived(f"“{article.title or 'Untitled'}” is not in the archive.")
    article.status = ArticleStatus.DRAFT
    session.flush()
    return draft_of(session, article)


def delete_archived(session: Session, *, article_id: int) -> None:
    """Delete an archived article with its revisions and comments; the UI asks first.

    Refuses (``NotArchived``) anything not archived, so a delete is always two
    deliberate steps and the first one can be undone.
    """
    article = _article_for_update(session, article_id)
    if article.status is not ArticleStatus.ARCHIVED:
        raise NotArchived(
            f"“{article.title or 'Untitled'}” is not archived; archive it before deleting it."
        )
    session.delete(article)
    session.flush()

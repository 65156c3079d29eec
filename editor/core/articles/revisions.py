"""Revisions: snapshots of an article the editor can compare and go back to.

Autosaves update the ``article`` row every couple of seconds; revisions are
sparser: one on every manual save and publish, and while typing at most one
every ``AUTOSAVE_REVISION_INTERVAL``. Restoring a revision is itself recorded,
with the state before it, so a restore can be undone by restoring again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editor.core.articles.diff import DiffLayout, TextDiff, diff_html, diff_texts
from editor.core.articles.drafts import DraftData, SavedDraft
from editor.core.articles.service import load_draft, save_draft, start_writing
from editor.core.models import (
    ArticleId,
    AssetId,
    Revision,
    RevisionId,
    RevisionReason,
    utc_now,
)

AUTOSAVE_REVISION_INTERVAL = timedelta(minutes=5)


class RevisionNotFound(LookupError):
    def __init__(self, revision_id: int) -> None:
        super().__init__(f"Revision {revision_id} is no longer in the store.")
        self.revision_id = revision_id


@dataclass(frozen=True, slots=True)
class RevisionSummary:
    """A row of the revision list. ``author`` is who made the revision; ``note`` says why
    when the reason alone does not ("Before restoring …")."""

    id: RevisionId
    article_id: ArticleId
    created_at: datetime
    reason: RevisionReason
    author: str
    title: str
    note: str
    body_length: int


@dataclass(frozen=True, slots=True)
class RevisionData:
    """A revision's full content; ``byline`` is the article's author field at the time."""

    id: RevisionId
    article_id: ArticleId
    created_at: datetime
    reason: RevisionReason
    author: str
    note: str
    title: str
    body: str
    slug: str
    dek: str
    byline: str
    tags: list[str]
    category: str
    featured_asset_id: AssetId | None


def _meta_of(draft: DraftData, note: str) -> dict[str, Any]:
    meta = draft.meta()
    if note:
        meta["note"] = note
    return meta


def _same_as(revision: Revision, draft: DraftData) -> bool:
    stored = dict(revision.meta or {})
    stored.pop("note", None)
    stored.setdefault("featured_asset_id", None)
    return revision.title == draft.title and revision.body == draft.body and stored == draft.meta()


def _latest(session: Session, article_id: int) -> Revision | None:
    return session.scalars(
        select(Revision)
        .where(Revision.article_id == article_id)
        .order_by(Revision.created_at.desc(), Revision.id.desc())
        .limit(1)
    ).first()


def record_revision_of_draft(
    session: Session,
    *,
    draft: DraftData,
    reason: RevisionReason,
    author: str,
    note: str = "",
) -> RevisionSummary:
    """Snapshot ``draft`` (title, body and metadata) as a revision of its article.

    An autosave or manual revision identical to the latest one is not stored
    twice: the latest is returned instead. Publish revisions are always stored,
    as publish records point at them.
    """
    start_writing(session)
    if reason is not RevisionReason.PUBLISH:
        latest = _latest(session, draft.id)
        if latest is not None and _same_as(latest, draft):
            return _summary(latest)
    revision = Revision(
        article_id=draft.id,
        title=draft.title,
        body=draft.body,
        meta=_meta_of(draft, note),
        author=author,
        reason=reason,
        created_at=utc_now(),
    )
    session.add(revision)
    session.flush()
    return _summary(revision)


def record_revision(
    session: Session,
    *,
    article_id: int,
    reason: RevisionReason,
    author: str,
    note: str = "",
) -> RevisionSummary:
    """Snapshot the article as stored now (save the draft first). See ``record_revision_of_draft``."""
    draft = load_draft(session, article_id=article_id)
    return record_revision_of_draft(session, draft=draft, reason=reason, author=author, note=note)


def autosave_revision_due(
    *,
    last_revision_at: datetime | None,
    now: datetime,
    interval: timedelta = AUTOSAVE_REVISION_INTERVAL,
) -> bool:
    """Whether an autosave while typing should also leave a revision: at most one per ``interval``
    counting revisions of any reason (a manual save just now makes the next autosave one wait)."""
    return last_revision_at is None or now - last_revision_at >= interval


def record_autosave_revision_if_due(
    session: Session,
    *,
    article_id: int,
    author: str,
    now: datetime | None = None,
    interval: timedelta = AUTOSAVE_REVISION_INTERVAL,
) -> RevisionSummary | None:
    """Call after each successful autosave: records an AUTOSAVE revision when one is due
    and the article differs from its latest revision; returns it, or None."""
    last = session.scalar(
        select(func.max(Revision.created_at)).where(Revision.article_id == article_id)
    )
    if not autosave_revision_due(last_revision_at=last, now=now or utc_now(), interval=interval):
        return None
    draft = load_draft(session, article_id=article_id)
    latest = _latest(session, article_id)
    if latest is not None and _same_as(latest, draft):
        return None
    return record_revision_of_draft(
        session, draft=draft, reason=RevisionReason.AUTOSAVE, author=author
    )


def _summary(revision: Revision) -> RevisionSummary:
    return RevisionSummary(
        id=RevisionId(revision.id),
        article_id=ArticleId(revision.article_id),
        created_at=revision.created_at,
        reason=revision.reason,
        author=revision.author,
        title=revision.title,
        note=str((revision.meta or {}).get("note", "")),
        body_length=len(revision.body),
    )


def list_revisions(session: Session, *, article_id: int) -> list[RevisionSummary]:
    """The article's revisions, newest first, without their bodies."""
    query = (
        select(
            Revision.id,
            Revision.article_id,
            Revision.created_at,
            Revision.reason,
            Revision.author,
            Revision.title,
            Revision.meta,
            func.length(Revision.body).label("body_length"),
        )
        .where(Revision.article_id == article_id)
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    )
    return [
        RevisionSummary(
            id=RevisionId(row.id),
            article_id=ArticleId(row.article_id),
            created_at=row.created_at,
            reason=row.reason,
            author=row.author,
            title=row.title,
            note=str((row.meta or {}).get("note", "")),
            body_length=int(row.body_length or 0),
        )
        for row in session.execute(query)
    ]


def load_revision(session: Session, *, revision_id: int) -> RevisionData:
    revision = session.get(Revision, revision_id)
    if revision is None:
        raise RevisionNotFound(revision_id)
    meta = revision.meta or {}
    featured = meta.get("featured_asset_id")
    return RevisionData(
        id=RevisionId(revision.id),
        article_id=ArticleId(revision.article_id),
        created_at=revision.created_at,
        reason=revision.reason,
        author=revision.author,
        note=str(meta.get("note", "")),
        title=revision.title,
        body=revision.body,
        slug=str(meta.get("slug", "")),
        dek=str(meta.get("dek", "")),
        byline=str(meta.get("author", "")),
        tags=[str(tag) for tag in meta.get("tags", [])],
        category=str(meta.get("category", "")),
        featured_asset_id=None if featured is None else AssetId(int(featured)),
    )


def restore_revision(
    session: Session, *, revision_id: int, author: str, expected_version: int
) -> SavedDraft:
    """Make the revision the article's draft, keeping the state it replaces as a revision.

    Autosave the open editor first: the state kept is the stored one. Raises
    ``SaveConflict`` (nothing written) if the article moved past
    ``expected_version``. A slug now used by another article is kept back as in
    ``save_draft``.
    """
    revision = load_revision(session, revision_id=revision_id)
    current = load_draft(session, article_id=revision.article_id)
    when = f"{revision.created_at:%Y-%m-%d %H:%M} UTC"
    restored = replace(
        current,
        title=revision.title,
        body=revision.body,
        slug=revision.slug or current.slug,
        dek=revision.dek,
        author=revision.byline,
        tags=list(revision.tags),
        category=revision.category,
        featured_asset_id=revision.featured_asset_id,
    )
    if current.version == expected_version:
        record_revision_of_draft(
            session,
            draft=current,
            reason=RevisionReason.MANUAL,
            author=author,
            note=f"Before restoring the revision of {when}",
        )
    saved = save_draft(session, draft=restored, expected_version=expected_version)
    record_revision_of_draft(
        session,
        draft=saved.draft,
        reason=RevisionReason.MANUAL,
        author=author,
        note=f"Restored the revision of {when}",
    )
    return saved


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    """What changed from ``old`` to ``new``: text diffs and one sentence per metadata change."""

    title: TextDiff
    dek: TextDiff
    body: TextDiff
    metadata_changes: list[str]

    @property
    def unchanged(self) -> bool:
        return (
            self.title.unchanged
            and self.dek.unchanged
            and self.body.unchanged
            and not self.metadata_changes
        )

    def html(self, *, layout: DiffLayout = DiffLayout.UNIFIED) -> str:
        import html as html_module

        parts = []
        if self.unchanged:
            return '<p style="color:#6e7781;">The two versions are identical.</p>'
        if self.metadata_changes:
            items = "".join(
                f"<li>{html_module.escape(change, quote=False)}</li>"
                for change in self.metadata_changes
            )
            parts.append(f"<h3>Details</h3><ul>{items}</ul>")
        if not self.title.unchanged:
            parts.append(diff_html(self.title, layout=layout, label="Title"))
        if not self.dek.unchanged:
            parts.append(diff_html(self.dek, layout=layout, label="Summary"))
        parts.append(diff_html(self.body, layout=layout, label="Text"))
        return "".join(parts)


def _as_content(revision: RevisionData) -> dict[str, Any]:
    return {
        "title": revision.title,
        "body": revision.body,
        "slug": revision.slug,
        "dek": revision.dek,
        "author": revision.byline,
        "tags": list(revision.tags),
        "category": revision.category,
        "featured_asset_id": revision.featured_asset_id,
    }


def _draft_content(draft: DraftData) -> dict[str, Any]:
    content = draft.meta()
    content.update(title=draft.title, body=draft.body)
    return content


def _metadata_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    changes = []
    if old["slug"] != new["slug"]:
        changes.append(f"Address: {old['slug'] or '(none)'} → {new['slug'] or '(none)'}")
    if old["author"] != new["author"]:
        changes.append(f"Byline: {old['author'] or '(none)'} → {new['author'] or '(none)'}")
    if old["category"] != new["category"]:
        changes.append(f"Category: {old['category'] or '(none)'} → {new['category'] or '(none)'}")
    added = [tag for tag in new["tags"] if tag not in old["tags"]]
    removed = [tag for tag in old["tags"] if tag not in new["tags"]]
    if added:
        changes.append(f"Tags added: {', '.join(added)}")
    if removed:
        changes.append(f"Tags removed: {', '.join(removed)}")
    if not added and not removed and old["tags"] != new["tags"]:
        changes.append("Tags reordered")
    if old["featured_asset_id"] != new["featured_asset_id"]:
        changes.append("Featured image changed")
    return changes


def diff_contents(old: dict[str, Any], new: dict[str, Any]) -> RevisionDiff:
    return RevisionDiff(
        title=diff_texts(old["title"], new["title"], context=0),
        dek=diff_texts(old["dek"], new["dek"], context=0),
        body=diff_texts(old["body"], new["body"]),
        metadata_changes=_metadata_changes(old, new),
    )


def diff_revisions(
    session: Session, *, old_revision_id: int, new_revision_id: int | None = None
) -> RevisionDiff:
    """From one revision to another, or to the article as stored now when ``new_revision_id`` is None."""
    old = load_revision(session, revision_id=old_revision_id)
    if new_revision_id is None:
        new_content = _draft_content(load_draft(session, article_id=old.article_id))
    else:
        new_content = _as_content(load_revision(session, revision_id=new_revision_id))
    return diff_contents(_as_content(old), new_content)


def diff_revision_with_draft(
    session: Session, *, revision_id: int, draft: DraftData
) -> RevisionDiff:
    """From a revision to the editor's current (maybe unsaved) draft."""
    old = load_revision(session, revision_id=revision_id)
    return diff_contents(_as_content(old), _draft_content(draft))

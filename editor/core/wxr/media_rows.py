"""The "media to fetch" list: attachments and body images an import names by URL.

Nothing is fetched (there is no network here, and fetching is another step):
each file becomes a ``MediaReference`` with its URL, title, alt text and
caption, linked to the article it belongs to. Attachments may come after the
posts that use them, so this runs once every item is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from editor.core.wxr.import_state import (
    ARTICLE_TABLE,
    MEDIA_TABLE,
    ImportState,
    chunks,
    rows_by_external_id,
)
from editor.core.wxr.mapping import (
    attachment_external_id,
    body_image_external_id,
    fit,
    media_url_key,
)

_MEDIA_COLUMNS = ["url", "article_id", "title", "alt_text", "caption"]


def link_attachments(state: ImportState) -> None:
    if not state.attachments:
        return
    external_ids = [attachment_external_id(state.site, a.post_id) for a in state.attachments]
    parents = _article_ids_for(state, {a.parent_post_id for a in state.attachments})
    wanted = {
        external_id: {
            "url": fit(attachment.url, MEDIA_TABLE.c.url),
            "article_id": parents.get(attachment.parent_post_id),
            "title": fit(attachment.title, MEDIA_TABLE.c.title),
            "alt_text": attachment.alt_text,
            "caption": attachment.caption,
        }
        for attachment, external_id in zip(state.attachments, external_ids, strict=True)
    }
    _write(state, wanted)


def link_body_images(state: ImportState) -> None:
    """Images in bodies that are not attachments of this export also need fetching."""
    attachment_keys = {media_url_key(a.url) for a in state.attachments}
    wanted: dict[str, dict[str, Any]] = {}
    for article_id, post_id, image in state.body_images:
        if media_url_key(image.url) in attachment_keys:
            continue
        wanted[body_image_external_id(state.site, post_id, image.url)] = {
            "url": fit(image.url, MEDIA_TABLE.c.url),
            "article_id": article_id,
            "title": "",
            "alt_text": image.alt,
            "caption": image.caption,
        }
    _forget_stale_body_images(state, set(wanted))
    _write(state, wanted)


def _forget_stale_body_images(state: ImportState, wanted: set[str]) -> None:
    """An article rewritten by this import no longer shows images it dropped; unless
    they were fetched already, they leave the "media to fetch" list."""
    table = MEDIA_TABLE
    stale: list[int] = []
    for article_id, post_id in state.rewritten_articles:
        prefix = f"wxr:{state.site}:image:{post_id}:"
        query = select(table.c.id, table.c.external_id).where(
            table.c.article_id == article_id,
            table.c.asset_id.is_(None),
            table.c.external_id.startswith(prefix, autoescape=True),
        )
        stale.extend(
            row.id for row in state.session.execute(query) if row.external_id not in wanted
        )
    for chunk in chunks(stale):
        state.session.execute(delete(table).where(table.c.id.in_(chunk)))


def link_featured_images(state: ImportState) -> None:
    """The featured image (``_thumbnail_id``) is an attachment, which may come later in
    the file; its URL goes into the article's extra, as there is no asset yet."""
    if not state.thumbnails:
        return
    report = state.report
    by_id = {a.post_id: a for a in state.attachments}
    missing = [t.attachment_id for t in state.thumbnails if t.attachment_id not in by_id]
    earlier = {attachment_external_id(state.site, a): a for a in missing}
    known_urls = {
        earlier[external_id]: row.url
        for external_id, row in rows_by_external_id(
            state.session, MEDIA_TABLE, ["url"], list(earlier)
        ).items()
    }
    changes = []
    for thumbnail in state.thumbnails:
        attachment = by_id.get(thumbnail.attachment_id)
        url = attachment.url if attachment is not None else known_urls.get(thumbnail.attachment_id)
        if url is None:
            report.unmappable["featured image whose attachment is not in the export"] += 1
            continue
        if thumbnail.extra.get("featured_media_url") == url:
            continue
        new_extra = {
            **thumbnail.extra,
            "featured_media_url": url,
            "featured_media_external_id": attachment_external_id(
                state.site, thumbnail.attachment_id
            ),
        }
        changes.append({"row_id": thumbnail.article_id, "new_extra": new_extra})
        if not thumbnail.is_new and thumbnail.article_id not in state.updated_articles:
            state.updated_articles.add(thumbnail.article_id)
            report.articles_updated += 1
            report.articles_unchanged -= 1
    if changes:
        statement = (
            update(ARTICLE_TABLE)
            .where(ARTICLE_TABLE.c.id == bindparam("row_id"))
            .values(extra=bindparam("new_extra"), updated_at=ARTICLE_TABLE.c.updated_at)
        )
        state.session.connection().execute(statement, changes)


def media_to_fetch(state: ImportState) -> int:
    """References of this site whose file is not stored yet."""
    table = MEDIA_TABLE
    query = select(func.count()).where(
        table.c.external_id.startswith(f"wxr:{state.site}:", autoescape=True),
        table.c.asset_id.is_(None),
    )
    return int(state.session.scalar(query) or 0)


def _article_ids_for(state: ImportState, post_ids: Iterable[str]) -> dict[str, int]:
    found = {}
    missing = []
    for post_id in post_ids:
        if not post_id or post_id == "0":
            continue
        if post_id in state.article_ids:
            found[post_id] = state.article_ids[post_id]
        else:
            missing.append(post_id)
    earlier = {state.article_external_id(post_id): post_id for post_id in missing}
    for external_id, row in rows_by_external_id(
        state.session, ARTICLE_TABLE, [], list(earlier)
    ).items():
        found[earlier[external_id]] = row.id
    return found


def _write(state: ImportState, wanted: dict[str, dict[str, Any]]) -> None:
    """Insert the new references and rewrite those whose values changed."""
    existing = rows_by_external_id(state.session, MEDIA_TABLE, _MEDIA_COLUMNS, list(wanted))
    new_rows, updates = [], []
    for external_id, values in wanted.items():
        row = existing.get(external_id)
        if row is None:
            new_rows.append({**values, "external_id": external_id})
        elif any(getattr(row, key) != value for key, value in values.items()):
            updates.append({**{f"new_{k}": v for k, v in values.items()}, "row_id": row.id})
    if new_rows:
        state.session.execute(insert(MEDIA_TABLE), new_rows)
        state.report.media_created += len(new_rows)
    if updates:
        statement = (
            update(MEDIA_TABLE)
            .where(MEDIA_TABLE.c.id == bindparam("row_id"))
            .values({column: bindparam(f"new_{column}") for column in _MEDIA_COLUMNS})
        )
        state.session.connection().execute(statement, updates)
        state.report.media_updated += len(updates)

"""Writing imported comments, joining replies to their parents, and counting what readers see.

Comments are matched by external id: a new one is inserted, a known one is
rewritten only when an imported field differs, and a status a moderator here
set since the last import (``moderated_by``) is kept. Parents are set after
every comment of the file has an id, since a reply may come before its parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from editor.core.models import CommentStatus
from editor.core.wxr.errors import WxrRefused
from editor.core.wxr.import_state import (
    ARTICLE_TABLE,
    COMMENT_TABLE,
    ImportState,
    ParentLink,
    chunks,
    rows_by_external_id,
)
from editor.core.wxr.mapping import MappedComment, SiteClock, comment_external_id, map_comment
from editor.core.wxr.reader import WxrItem
from editor.core.wxr.training import TRAINING_LABELS

# The columns an import owns (and compares) on a comment.
COMMENT_COLUMNS = (
    "article_id",
    "comment_type",
    "author_name",
    "author_email",
    "author_url",
    "author_ip",
    "body",
    "status",
    "reasons",
    "created_at",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class CommentWriter:
    def __init__(self, state: ImportState, clock: SiteClock) -> None:
        self.state = state
        self.clock = clock
        self.lines: dict[int, int] = {}  # WordPress comment id → its line, to refuse twins

    def write(self, items: Sequence[tuple[WxrItem, str]]) -> None:
        """Map and store the comments of items whose articles are written."""
        state = self.state
        mapped_comments: list[tuple[MappedComment, int]] = []
        for item, post_id in items:
            article_id = state.article_ids.get(post_id)
            if article_id is None or not item.comments:
                continue
            fallback = self.clock.utc(
                item.get("wp:post_date"), item.get("wp:post_date_gmt"), line=item.line
            )
            for comment in item.comments:
                mapped = map_comment(
                    comment, site=state.site, clock=self.clock, fallback_date=fallback or _EPOCH
                )
                wp_id = int(comment.comment_id)
                first = self.lines.setdefault(wp_id, comment.line)
                if first != comment.line:
                    raise WxrRefused(
                        f"wp:comment_id {wp_id} appears twice (first at line {first})",
                        line=comment.line,
                    )
                mapped.values["article_id"] = article_id
                mapped_comments.append((mapped, wp_id))
                _count(state, mapped)
            state.touched_articles.add(article_id)
        if mapped_comments:
            _store(state, mapped_comments)


def _count(state: ImportState, mapped: MappedComment) -> None:
    report = state.report
    report.comments += 1
    report.comments_by_status[mapped.status.value] += 1
    report.comments_by_type[mapped.comment_type.value] += 1
    if mapped.parent_external_id is not None:
        report.threaded_comments += 1
    report.unmappable.update(mapped.notes)


def _store(state: ImportState, mapped_comments: list[tuple[MappedComment, int]]) -> None:
    session, report = state.session, state.report
    existing = rows_by_external_id(
        session,
        COMMENT_TABLE,
        ["parent_id", "moderated_by", *COMMENT_COLUMNS],
        [mapped.external_id for mapped, _wp_id in mapped_comments],
    )
    new_rows: list[dict[str, Any]] = []
    new_meta: list[tuple[MappedComment, int]] = []
    updates: list[dict[str, Any]] = []
    for mapped, wp_id in mapped_comments:
        parent_wp_id = _wp_id(mapped.parent_external_id)
        row = existing.get(mapped.external_id)
        if row is None:
            new_rows.append({**mapped.values, "external_id": mapped.external_id})
            new_meta.append((mapped, wp_id))
            continue
        state.comment_ids[wp_id] = row.id
        wanted = dict(mapped.values)
        if row.moderated_by is not None and row.status != wanted["status"]:
            # A moderator here decided since the last import; their decision stands.
            wanted["status"], wanted["reasons"] = row.status, row.reasons
            report.kept_local_moderation += 1
        changed = any(getattr(row, column) != wanted[column] for column in COMMENT_COLUMNS)
        state.parent_links.append(ParentLink(row.id, row.parent_id, parent_wp_id, not changed))
        if not changed:
            report.comments_unchanged += 1
            continue
        updates.append({**{f"new_{k}": v for k, v in wanted.items()}, "row_id": row.id})
        report.comments_updated += 1
        if wanted["status"] in TRAINING_LABELS and wanted["status"] != row.status:
            state.training.append((row.id, wanted["status"]))
    if new_rows:
        returning = insert(COMMENT_TABLE).returning(
            COMMENT_TABLE.c.id, sort_by_parameter_order=True
        )
        ids = [row.id for row in session.execute(returning, new_rows)]
        for (mapped, wp_id), comment_id in zip(new_meta, ids, strict=True):
            state.comment_ids[wp_id] = comment_id
            parent_wp_id = _wp_id(mapped.parent_external_id)
            if parent_wp_id is not None:
                state.parent_links.append(ParentLink(comment_id, None, parent_wp_id, False))
            if mapped.status in TRAINING_LABELS:
                state.training.append((comment_id, mapped.status))
        report.comments_created += len(new_rows)
    if updates:
        statement = (
            update(COMMENT_TABLE)
            .where(COMMENT_TABLE.c.id == bindparam("row_id"))
            .values({column: bindparam(f"new_{column}") for column in COMMENT_COLUMNS})
        )
        session.connection().execute(statement, updates)


def link_replies(state: ImportState) -> None:
    """Set each reply's parent; replies may come before their parent in the file."""
    session, report = state.session, state.report
    missing = {
        link.parent_wp_id
        for link in state.parent_links
        if link.parent_wp_id is not None and link.parent_wp_id not in state.comment_ids
    }
    if missing:
        # Parents imported before, by an earlier export of the same site.
        external = {comment_external_id(state.site, str(wp_id)): wp_id for wp_id in missing}
        for external_id, row in rows_by_external_id(
            session, COMMENT_TABLE, [], list(external)
        ).items():
            state.comment_ids[external[external_id]] = row.id
    changes = []
    for link in state.parent_links:
        wanted = None
        if link.parent_wp_id is not None:
            wanted = state.comment_ids.get(link.parent_wp_id)
            if wanted is None:
                report.unmappable[
                    "reply to a comment that is not in the export (kept as a top-level comment)"
                ] += 1
        if wanted != link.current_parent_id:
            changes.append({"row_id": link.comment_id, "new_parent": wanted})
            if link.counts_as_update:
                report.comments_updated += 1
                report.comments_unchanged -= 1
    if changes:
        statement = (
            update(COMMENT_TABLE)
            .where(COMMENT_TABLE.c.id == bindparam("row_id"))
            .values(parent_id=bindparam("new_parent"))
        )
        session.connection().execute(statement, changes)


def count_approved_comments(state: ImportState) -> None:
    """``comment_count`` is the number of approved comments (what readers see)."""
    article, comment = ARTICLE_TABLE, COMMENT_TABLE
    approved = (
        select(func.count())
        .where(comment.c.article_id == article.c.id, comment.c.status == CommentStatus.APPROVED)
        .scalar_subquery()
    )
    for chunk in chunks(sorted(state.touched_articles)):
        state.session.execute(
            update(article)
            .where(article.c.id.in_(chunk), article.c.comment_count != approved)
            # Not an edit: the article keeps its place in "recently updated".
            .values(comment_count=approved, updated_at=article.c.updated_at)
        )


def _wp_id(external_id: str | None) -> int | None:
    if external_id is None:
        return None
    return int(external_id.rsplit(":", 1)[1])

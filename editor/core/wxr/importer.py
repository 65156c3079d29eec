"""Importing a WordPress export into the store: all or nothing, and again without duplicates.

``import_wxr`` writes into the caller's transaction as the file streams (in
batches, through SQLAlchemy Core so a 100,000-comment export never sits in
the session) and raises on any refusal or cancellation; the caller's
``with session_factory.begin():`` then rolls everything back, so the store is
left as it was. Rows are matched by ``external_id`` (``wxr:<site>:post:<id>``,
``…:comment:<id>``, ``…:attachment:<id>``), so importing the same file again
changes nothing and a newer export updates in place:

- an article is rewritten only when the export's item changed (a fingerprint
  of it is kept in ``extra["wxr_source_hash"]``); if it was edited here since
  the last import, the edited text is first kept as a revision;
- a comment is rewritten when any imported field differs, except that a
  status a moderator here set since (``moderated_by``) is kept.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from editor.core.articles.slugs import MAX_SLUG_LENGTH, first_free_slug
from editor.core.articles.tags import clean_tag_names, tag_for_name
from editor.core.models import (
    Article,
    ArticleStatus,
    ArticleTag,
    Comment,
    CommentStatus,
    MediaReference,
    Revision,
    RevisionReason,
    Tag,
)
from editor.core.wxr.html_to_markdown import BodyImage
from editor.core.wxr.mapping import (
    ARTICLE_KINDS,
    MappedArticle,
    MappedComment,
    SiteClock,
    attachment_external_id,
    author_for,
    body_image_external_id,
    comment_external_id,
    fit,
    item_post_id,
    map_article,
    map_comment,
    media_url_key,
    plain_title,
    site_key,
    source_hash,
)
from editor.core.wxr.reader import WxrItem, WxrReader, WxrRefused
from editor.core.wxr.report import (
    ImportCancelled,
    ImportPhase,
    ImportProgress,
    ImportReport,
    ProgressCallback,
)
from editor.core.wxr.training import TRAINING_LABELS, train_from_imported

if TYPE_CHECKING:
    from editor.core.moderation.learning import SharedSpamFilter

ARTICLE_TABLE: Table = Article.__table__  # type: ignore[assignment]
COMMENT_TABLE: Table = Comment.__table__  # type: ignore[assignment]
MEDIA_TABLE: Table = MediaReference.__table__  # type: ignore[assignment]
REVISION_TABLE: Table = Revision.__table__  # type: ignore[assignment]
ARTICLE_TAG_TABLE: Table = ArticleTag.__table__  # type: ignore[assignment]

# Items written per batch, and comments that force a batch out early: small enough to
# keep memory flat, large enough that each round trip carries real work.
ARTICLE_BATCH_SIZE = 200
COMMENT_BATCH_SIZE = 2000
# Rows per IN (...) lookup; well under every backend's bound-parameter limit.
LOOKUP_CHUNK = 500
IMPORT_ACTOR = "WordPress import"
_PROGRESS_INTERVAL_S = 0.1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_COMMENT_COLUMNS = (
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


def import_wxr(
    session: Session,
    path: Path | str,
    *,
    progress: ProgressCallback | None = None,
    spam_filter: SharedSpamFilter | None = None,
) -> ImportReport:
    """Import the WordPress export at ``path`` into the store behind ``session``.

    Raises ``WxrRefused`` (with the file's line) when the file cannot be imported
    as it is, and ``ImportCancelled`` when ``progress`` returned False; in both
    cases the caller must roll back (leaving a ``session_factory.begin()`` block
    by the exception does). Never commits. Never fetches anything over the network.
    Imported approved and spam comments teach ``spam_filter`` (the app's shared
    filter; one is loaded from the store when None), in the same transaction.
    """
    return _Importer(session, Path(path), progress, spam_filter).run()


@dataclass(slots=True)
class _Attachment:
    post_id: str
    parent_post_id: str
    url: str
    title: str
    alt_text: str
    caption: str


@dataclass(slots=True)
class _ParentLink:
    comment_id: int
    current_parent_id: int | None
    parent_wp_id: int | None
    is_new: bool


class _Importer:
    def __init__(
        self,
        session: Session,
        path: Path,
        progress: ProgressCallback | None,
        spam_filter: SharedSpamFilter | None,
    ) -> None:
        if not path.is_file():
            raise WxrRefused(f"{path} is not a file")
        self.session = session
        self.spam_filter = spam_filter
        self.path = path
        self.total_bytes = path.stat().st_size
        self.progress = progress
        self.bytes_read = 0
        self.last_progress = 0.0
        self.reader = WxrReader(path, on_bytes=self._on_bytes)
        self.report = ImportReport()
        self.clock = SiteClock()
        self.site = ""
        self.batch: list[tuple[WxrItem, str]] = []
        self.batch_comments = 0
        self.post_lines: dict[str, int] = {}
        self.comment_lines: dict[int, int] = {}
        self.article_ids: dict[str, int] = {}  # WordPress post id → our article id
        self.comment_ids: dict[int, int] = {}  # WordPress comment id → our comment id
        self.parent_links: list[_ParentLink] = []
        self.attachments: list[_Attachment] = []
        self.thumbnails: list[tuple[int, str, dict[str, Any], bool]] = []
        self.body_images: list[tuple[int, str, BodyImage]] = []
        self.rewritten_articles: list[tuple[int, str]] = []
        self.touched_articles: set[int] = set()
        self.updated_articles: set[int] = set()
        self.training: list[tuple[int, CommentStatus]] = []
        self.taken_slugs: set[str] | None = None
        self.tag_ids: dict[str, int] | None = None

    # --- the run ------------------------------------------------------------------

    def run(self) -> ImportReport:
        report = self.report
        for item in self.reader.items():
            if not self.site:
                self._start()
            self._take(item)
            self._tell(ImportPhase.READING)
        if not self.site:
            self._start()
        self._flush()
        report.recovered.extend(self.reader.recovered)
        if self.clock.guessed_utc:
            report.recovered.append(
                f"{self.clock.guessed_utc} dates had no GMT twin and the site's UTC offset "
                "could not be learned: read as UTC"
            )
        self._tell(ImportPhase.LINKING, force=True)
        self._link_attachments()
        self._link_body_images()
        self._link_featured_images()
        self._link_replies()
        self._count_comments()
        report.spam_filter_lessons = train_from_imported(
            self.session, self.training, spam_filter=self.spam_filter
        )
        report.media_to_fetch = self._media_to_fetch()
        self._tell(ImportPhase.DONE, force=True)
        return report

    def _start(self) -> None:
        channel = self.reader.channel
        self.site = site_key(channel)
        self.report.source = channel.site_url or self.site
        self.report.wxr_version = channel.wxr_version

    def _on_bytes(self, count: int) -> None:
        self.bytes_read = count

    def _tell(self, phase: ImportPhase, *, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if not force and now - self.last_progress < _PROGRESS_INTERVAL_S:
            return
        self.last_progress = now
        answer = self.progress(
            ImportProgress(
                phase=phase,
                bytes_read=self.bytes_read,
                total_bytes=self.total_bytes,
                articles=self.report.posts + self.report.pages,
                comments=self.report.comments,
            )
        )
        if answer is False:
            raise ImportCancelled("the import was cancelled; nothing was imported")

    def _take(self, item: WxrItem) -> None:
        post_type = item.get("wp:post_type", "post").strip() or "post"
        if post_type == "attachment":
            self._take_attachment(item)
            return
        if post_type not in ARTICLE_KINDS:
            self.report.skipped_items[post_type] += 1
            return
        post_id, from_link = item_post_id(item)
        if from_link:
            self.report.recovered.append(
                f"line {item.line}: item without wp:post_id: id {post_id} taken from its link"
            )
        self._check_unique_post(post_id, item.line)
        self.batch.append((item, post_id))
        self.batch_comments += len(item.comments)
        if len(self.batch) >= ARTICLE_BATCH_SIZE or self.batch_comments >= COMMENT_BATCH_SIZE:
            self._flush()

    def _check_unique_post(self, post_id: str, line: int) -> None:
        first = self.post_lines.setdefault(post_id, line)
        if first != line:
            raise WxrRefused(
                f"wp:post_id {post_id} appears twice (first at line {first}); which one is "
                "the post is unclear",
                line=line,
            )

    def _take_attachment(self, item: WxrItem) -> None:
        post_id, _from_link = item_post_id(item)
        self._check_unique_post(post_id, item.line)
        url = (item.get("wp:attachment_url") or item.get("guid")).strip()
        self.report.attachments += 1
        if not url:
            self.report.unmappable["attachment without a URL"] += 1
            return
        self.attachments.append(
            _Attachment(
                post_id=post_id,
                parent_post_id=item.get("wp:post_parent").strip(),
                url=url,
                title=plain_title(item.get("title")),
                alt_text=item.meta.get("_wp_attachment_image_alt", "").strip(),
                caption=plain_title(item.get("excerpt:encoded")),
            )
        )

    # --- articles -------------------------------------------------------------------

    def _flush(self) -> None:
        batch, self.batch, self.batch_comments = self.batch, [], 0
        if not batch:
            return
        existing = self._existing_articles([self._external_id(post_id) for _i, post_id in batch])
        new_articles: list[MappedArticle] = []
        changed: list[tuple[MappedArticle, Any]] = []
        kept: list[tuple[WxrItem, str]] = []
        for item, post_id in batch:
            row = existing.get(self._external_id(post_id))
            author = self._author(item)
            if row is not None and (row.extra or {}).get("wxr_source_hash") == source_hash(
                item, author
            ):
                self.article_ids[post_id] = row.id
                self._count_article(item, row.status, row.extra or {})
                self.report.articles_unchanged += 1
                if item.meta.get("_thumbnail_id", "").strip().isdigit():
                    self.thumbnails.append(
                        (row.id, item.meta["_thumbnail_id"].strip(), dict(row.extra or {}), False)
                    )
                kept.append((item, post_id))
                continue
            mapped = map_article(
                item, channel=self.reader.channel, site=self.site, clock=self.clock, post_id=post_id
            )
            if mapped is None:
                self.report.skipped_items[f"{item.get('wp:post_type', 'post')} (auto-draft)"] += 1
                continue
            self.report.unmappable.update(mapped.notes)
            self.report.recovered.extend(mapped.recovered)
            self._count_article(item, mapped.status, mapped.extra)
            if row is None:
                new_articles.append(mapped)
            else:
                changed.append((mapped, row))
            kept.append((item, post_id))
        self._insert_articles(new_articles)
        self._update_articles(changed)
        for mapped in new_articles:
            self._after_article_written(mapped, is_new=True)
        for mapped, _row in changed:
            self._after_article_written(mapped, is_new=False)
        self._write_tags(new_articles, [mapped for mapped, _row in changed])
        self._write_comments(kept)

    def _external_id(self, post_id: str) -> str:
        return f"wxr:{self.site}:post:{post_id}"

    def _author(self, item: WxrItem) -> str:
        return author_for(self.reader.channel, item.get("dc:creator").strip())[0]

    def _count_article(self, item: WxrItem, status: ArticleStatus, extra: dict[str, Any]) -> None:
        report = self.report
        if (item.get("wp:post_type", "post").strip() or "post") == "page":
            report.pages += 1
        else:
            report.posts += 1
        report.articles_by_status[status.value] += 1
        if extra.get("sticky"):
            report.flagged["sticky"] += 1
        if extra.get("password_protected"):
            report.flagged["password-protected"] += 1
        if extra.get("wp_status") in ("private", "pending"):
            report.flagged[str(extra["wp_status"])] += 1

    def _existing_articles(self, external_ids: Sequence[str]) -> dict[str, Any]:
        table = ARTICLE_TABLE
        found: dict[str, Any] = {}
        for chunk in _chunks(external_ids):
            query = select(
                table.c.id,
                table.c.external_id,
                table.c.slug,
                table.c.version,
                table.c.extra,
                table.c.status,
                table.c.title,
                table.c.body,
                table.c.dek,
                table.c.author,
                table.c.category,
            ).where(table.c.external_id.in_(chunk))
            for row in self.session.execute(query):
                found[row.external_id] = row
        return found

    def _slugs(self) -> set[str]:
        if self.taken_slugs is None:
            self.taken_slugs = set(self.session.scalars(select(ARTICLE_TABLE.c.slug)))
        return self.taken_slugs

    def _free_slug(self, wanted: str) -> str:
        taken = self._slugs()
        slug = first_free_slug(wanted[:MAX_SLUG_LENGTH].strip("-") or "untitled", taken)
        taken.add(slug)
        return slug

    def _insert_articles(self, articles: list[MappedArticle]) -> None:
        if not articles:
            return
        rows = []
        for mapped in articles:
            extra = dict(mapped.extra)
            extra.update(
                wxr_source_hash=mapped.source_hash,
                wxr_wanted_slug=mapped.wanted_slug,
                wxr_imported_version=1,
            )
            mapped.extra = extra
            rows.append(
                {
                    **mapped.values(),
                    "external_id": mapped.external_id,
                    "slug": self._free_slug(mapped.wanted_slug),
                    "version": 1,
                    "view_count": 0,
                    "comment_count": 0,
                }
            )
        statement = insert(ARTICLE_TABLE).returning(
            ARTICLE_TABLE.c.id, sort_by_parameter_order=True
        )
        ids = [row.id for row in self.session.execute(statement, rows)]
        for mapped, article_id in zip(articles, ids, strict=True):
            self.article_ids[mapped.post_id] = article_id
        self.report.articles_created += len(articles)

    def _update_articles(self, changed: list[tuple[MappedArticle, Any]]) -> None:
        if not changed:
            return
        rows = []
        for mapped, row in changed:
            old_extra = row.extra or {}
            if row.version != old_extra.get("wxr_imported_version"):
                self._keep_local_edit(row)
            slug = row.slug
            if mapped.wanted_slug != old_extra.get("wxr_wanted_slug"):
                self._slugs().discard(row.slug)
                slug = self._free_slug(mapped.wanted_slug)
            extra = dict(mapped.extra)
            for key in ("featured_media_url", "featured_media_external_id"):
                if key in old_extra:
                    extra[key] = old_extra[key]
            extra.update(
                wxr_source_hash=mapped.source_hash,
                wxr_wanted_slug=mapped.wanted_slug,
                wxr_imported_version=row.version + 1,
            )
            mapped.extra = extra
            values = mapped.values()
            rows.append(
                {
                    **{f"new_{key}": value for key, value in values.items()},
                    "new_slug": slug,
                    "row_id": row.id,
                    "old_version": row.version,
                    "new_version": row.version + 1,
                }
            )
            self.article_ids[mapped.post_id] = row.id
            self.updated_articles.add(row.id)
        table = ARTICLE_TABLE
        columns = [*changed[0][0].values().keys(), "slug"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("old_version"))
            .values(
                {
                    **{column: bindparam(f"new_{column}") for column in columns},
                    "version": bindparam("new_version"),
                }
            )
        )
        result = self.session.connection().execute(statement, rows)
        if result.rowcount not in (-1, len(rows)):
            raise WxrRefused(
                "an article being imported was changed by someone else at the same time; "
                "nothing was imported — import again"
            )
        self.report.articles_updated += len(rows)

    def _keep_local_edit(self, row: Any) -> None:
        """The article was edited here since the last import: keep that text as a revision."""
        self.session.execute(
            insert(REVISION_TABLE),
            [
                {
                    "article_id": row.id,
                    "title": row.title,
                    "body": row.body,
                    "meta": {
                        "dek": row.dek,
                        "slug": row.slug,
                        "author": row.author,
                        "category": row.category,
                        "note": "kept before a newer WordPress export replaced it",
                    },
                    "author": IMPORT_ACTOR,
                    "reason": RevisionReason.MANUAL,
                }
            ],
        )
        self.report.revisions_saved += 1

    def _after_article_written(self, mapped: MappedArticle, *, is_new: bool) -> None:
        article_id = self.article_ids[mapped.post_id]
        self.touched_articles.add(article_id)
        if not is_new:
            self.rewritten_articles.append((article_id, mapped.post_id))
        for image in mapped.images:
            self.body_images.append((article_id, mapped.post_id, image))
        if mapped.thumbnail_id:
            self.thumbnails.append((article_id, mapped.thumbnail_id, mapped.extra, is_new))

    def _tag_ids(self) -> dict[str, int]:
        if self.tag_ids is None:
            self.tag_ids = {
                name.casefold(): tag_id
                for tag_id, name in self.session.execute(select(Tag.id, Tag.name))
            }
        return self.tag_ids

    def _tag_id(self, name: str) -> int:
        known = self._tag_ids()
        folded = name.casefold()
        if folded not in known:
            known[folded] = tag_for_name(self.session, name).id
        return known[folded]

    def _write_tags(self, new: list[MappedArticle], changed: list[MappedArticle]) -> None:
        if changed:
            ids = [self.article_ids[mapped.post_id] for mapped in changed]
            self.session.execute(
                delete(ARTICLE_TAG_TABLE).where(ARTICLE_TAG_TABLE.c.article_id.in_(ids))
            )
        rows: list[dict[str, int]] = []
        for mapped in [*new, *changed]:
            names = clean_tag_names(fit(name, Tag.__table__.c.name) for name in mapped.tag_names)
            article_id = self.article_ids[mapped.post_id]
            tag_ids = list(dict.fromkeys(self._tag_id(name) for name in names))
            rows.extend(
                {"article_id": article_id, "tag_id": tag_id, "position": position}
                for position, tag_id in enumerate(tag_ids)
            )
        if rows:
            self.session.execute(insert(ARTICLE_TAG_TABLE), rows)

    # --- comments -------------------------------------------------------------------

    def _write_comments(self, items: list[tuple[WxrItem, str]]) -> None:
        mapped_comments: list[tuple[MappedComment, int]] = []
        for item, post_id in items:
            article_id = self.article_ids.get(post_id)
            if article_id is None or not item.comments:
                continue
            fallback = self.clock.utc(
                item.get("wp:post_date"), item.get("wp:post_date_gmt"), line=item.line
            )
            for comment in item.comments:
                mapped = map_comment(
                    comment,
                    site=self.site,
                    clock=self.clock,
                    fallback_date=fallback or _EPOCH,
                )
                wp_id = int(comment.comment_id)
                first = self.comment_lines.setdefault(wp_id, comment.line)
                if first != comment.line:
                    raise WxrRefused(
                        f"wp:comment_id {wp_id} appears twice (first at line {first})",
                        line=comment.line,
                    )
                mapped.values["article_id"] = article_id
                mapped_comments.append((mapped, wp_id))
                self._count_comment(mapped)
            self.touched_articles.add(article_id)
        if mapped_comments:
            self._store_comments(mapped_comments)

    def _count_comment(self, mapped: MappedComment) -> None:
        report = self.report
        report.comments += 1
        report.comments_by_status[mapped.status.value] += 1
        report.comments_by_type[mapped.comment_type.value] += 1
        if mapped.parent_external_id is not None:
            report.threaded_comments += 1
        report.unmappable.update(mapped.notes)

    def _store_comments(self, mapped_comments: list[tuple[MappedComment, int]]) -> None:
        existing = self._existing_comments([mapped.external_id for mapped, _id in mapped_comments])
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
            self.comment_ids[wp_id] = row.id
            self.parent_links.append(_ParentLink(row.id, row.parent_id, parent_wp_id, False))
            wanted = dict(mapped.values)
            if row.moderated_by is not None and row.status != wanted["status"]:
                # A moderator here decided since the last import; their decision stands.
                wanted["status"], wanted["reasons"] = row.status, row.reasons
                self.report.kept_local_moderation += 1
            if all(getattr(row, column) == wanted[column] for column in _COMMENT_COLUMNS):
                self.report.comments_unchanged += 1
                continue
            updates.append({**{f"new_{k}": v for k, v in wanted.items()}, "row_id": row.id})
            self.report.comments_updated += 1
            if wanted["status"] in TRAINING_LABELS and wanted["status"] != row.status:
                self.training.append((row.id, wanted["status"]))
        if new_rows:
            returning = insert(COMMENT_TABLE).returning(
                COMMENT_TABLE.c.id, sort_by_parameter_order=True
            )
            ids = [row.id for row in self.session.execute(returning, new_rows)]
            for (mapped, wp_id), comment_id in zip(new_meta, ids, strict=True):
                self.comment_ids[wp_id] = comment_id
                parent_wp_id = _wp_id(mapped.parent_external_id)
                if parent_wp_id is not None:
                    self.parent_links.append(_ParentLink(comment_id, None, parent_wp_id, True))
                if mapped.status in TRAINING_LABELS:
                    self.training.append((comment_id, mapped.status))
            self.report.comments_created += len(new_rows)
        if updates:
            table = COMMENT_TABLE
            statement = (
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({column: bindparam(f"new_{column}") for column in _COMMENT_COLUMNS})
            )
            self.session.connection().execute(statement, updates)

    def _existing_comments(self, external_ids: Sequence[str]) -> dict[str, Any]:
        table = COMMENT_TABLE
        found: dict[str, Any] = {}
        for chunk in _chunks(external_ids):
            query = select(
                table.c.id,
                table.c.external_id,
                table.c.parent_id,
                table.c.moderated_by,
                *(table.c[column] for column in _COMMENT_COLUMNS),
            ).where(table.c.external_id.in_(chunk))
            for row in self.session.execute(query):
                found[row.external_id] = row
        return found

    # --- linking, once every item is written ----------------------------------------------

    def _link_replies(self) -> None:
        """Set each reply's parent; replies may come before their parent in the file."""
        missing = {
            link.parent_wp_id
            for link in self.parent_links
            if link.parent_wp_id is not None and link.parent_wp_id not in self.comment_ids
        }
        if missing:
            external = {comment_external_id(self.site, str(wp_id)): wp_id for wp_id in missing}
            for chunk in _chunks(list(external)):
                query = select(COMMENT_TABLE.c.id, COMMENT_TABLE.c.external_id).where(
                    COMMENT_TABLE.c.external_id.in_(chunk)
                )
                for comment_id, external_id in self.session.execute(query):
                    self.comment_ids[external[external_id]] = comment_id
        changes = []
        for link in self.parent_links:
            wanted = None
            if link.parent_wp_id is not None:
                wanted = self.comment_ids.get(link.parent_wp_id)
                if wanted is None:
                    self.report.unmappable[
                        "reply to a comment that is not in the export (kept as a top-level comment)"
                    ] += 1
            if wanted != link.current_parent_id:
                changes.append({"row_id": link.comment_id, "new_parent": wanted})
                if not link.is_new:
                    self.report.comments_updated += 1
                    self.report.comments_unchanged -= 1
        if changes:
            statement = (
                update(COMMENT_TABLE)
                .where(COMMENT_TABLE.c.id == bindparam("row_id"))
                .values(parent_id=bindparam("new_parent"))
            )
            self.session.connection().execute(statement, changes)

    def _count_comments(self) -> None:
        """``comment_count`` is the number of approved comments (what readers see)."""
        article, comment = ARTICLE_TABLE, COMMENT_TABLE
        approved = (
            select(func.count())
            .where(comment.c.article_id == article.c.id, comment.c.status == CommentStatus.APPROVED)
            .scalar_subquery()
        )
        for chunk in _chunks(sorted(self.touched_articles)):
            self.session.execute(
                update(article)
                .where(article.c.id.in_(chunk), article.c.comment_count != approved)
                # Not an edit: the article keeps its place in "recently updated".
                .values(comment_count=approved, updated_at=article.c.updated_at)
            )

    def _link_attachments(self) -> None:
        if not self.attachments:
            return
        external_ids = [attachment_external_id(self.site, a.post_id) for a in self.attachments]
        existing = self._existing_media(external_ids)
        parents = self._article_ids_for({a.parent_post_id for a in self.attachments})
        new_rows, updates = [], []
        table = MEDIA_TABLE
        for attachment, external_id in zip(self.attachments, external_ids, strict=True):
            values = {
                "url": fit(attachment.url, table.c.url),
                "article_id": parents.get(attachment.parent_post_id),
                "title": fit(attachment.title, table.c.title),
                "alt_text": attachment.alt_text,
                "caption": attachment.caption,
            }
            row = existing.get(external_id)
            if row is None:
                new_rows.append({**values, "external_id": external_id})
            elif any(getattr(row, key) != value for key, value in values.items()):
                updates.append({**{f"new_{k}": v for k, v in values.items()}, "row_id": row.id})
        self._write_media(new_rows, updates, ["url", "article_id", "title", "alt_text", "caption"])

    def _link_body_images(self) -> None:
        """Images in bodies that are not attachments of this export also need fetching."""
        attachment_keys = {media_url_key(a.url) for a in self.attachments}
        wanted: dict[str, dict[str, Any]] = {}
        for article_id, post_id, image in self.body_images:
            if media_url_key(image.url) in attachment_keys:
                continue
            external_id = body_image_external_id(self.site, post_id, image.url)
            wanted[external_id] = {
                "url": fit(image.url, MEDIA_TABLE.c.url),
                "article_id": article_id,
                "title": "",
                "alt_text": image.alt,
                "caption": image.caption,
            }
        self._forget_stale_body_images(set(wanted))
        existing = self._existing_media(list(wanted))
        new_rows, updates = [], []
        for external_id, values in wanted.items():
            row = existing.get(external_id)
            if row is None:
                new_rows.append({**values, "external_id": external_id})
            elif any(getattr(row, key) != value for key, value in values.items()):
                updates.append({**{f"new_{k}": v for k, v in values.items()}, "row_id": row.id})
        self._write_media(new_rows, updates, ["url", "article_id", "title", "alt_text", "caption"])

    def _forget_stale_body_images(self, wanted: set[str]) -> None:
        """An article rewritten by this import no longer shows images it dropped; unless
        they were fetched already, they leave the "media to fetch" list."""
        table = MEDIA_TABLE
        stale: list[int] = []
        for article_id, post_id in self.rewritten_articles:
            prefix = f"wxr:{self.site}:image:{post_id}:"
            query = select(table.c.id, table.c.external_id).where(
                table.c.article_id == article_id,
                table.c.asset_id.is_(None),
                table.c.external_id.startswith(prefix, autoescape=True),
            )
            stale.extend(
                row.id for row in self.session.execute(query) if row.external_id not in wanted
            )
        for chunk in _chunks(stale):
            self.session.execute(delete(table).where(table.c.id.in_(chunk)))

    def _link_featured_images(self) -> None:
        """The featured image (``_thumbnail_id``) is an attachment, which may come later in
        the file; its URL goes into the article's extra, as there is no asset yet."""
        if not self.thumbnails:
            return
        by_id = {a.post_id: a for a in self.attachments}
        missing = {thumb for _a, thumb, _e, _n in self.thumbnails if thumb not in by_id}
        known_urls = self._attachment_urls_in_store(missing)
        changes = []
        for article_id, thumbnail_id, extra, is_new in self.thumbnails:
            attachment = by_id.get(thumbnail_id)
            url = attachment.url if attachment is not None else known_urls.get(thumbnail_id)
            if url is None:
                self.report.unmappable["featured image whose attachment is not in the export"] += 1
                continue
            if extra.get("featured_media_url") == url:
                continue
            new_extra = {
                **extra,
                "featured_media_url": url,
                "featured_media_external_id": attachment_external_id(self.site, thumbnail_id),
            }
            changes.append({"row_id": article_id, "new_extra": new_extra})
            if not is_new and article_id not in self.updated_articles:
                self.updated_articles.add(article_id)
                self.report.articles_updated += 1
                self.report.articles_unchanged -= 1
        if changes:
            statement = (
                update(ARTICLE_TABLE)
                .where(ARTICLE_TABLE.c.id == bindparam("row_id"))
                .values(extra=bindparam("new_extra"), updated_at=ARTICLE_TABLE.c.updated_at)
            )
            self.session.connection().execute(statement, changes)

    def _attachment_urls_in_store(self, attachment_ids: Iterable[str]) -> dict[str, str]:
        external = {attachment_external_id(self.site, a): a for a in attachment_ids}
        found = {}
        for external_id, row in self._existing_media(list(external)).items():
            found[external[external_id]] = row.url
        return found

    def _article_ids_for(self, post_ids: Iterable[str]) -> dict[str, int]:
        found = {}
        missing = []
        for post_id in post_ids:
            if not post_id or post_id == "0":
                continue
            if post_id in self.article_ids:
                found[post_id] = self.article_ids[post_id]
            else:
                missing.append(post_id)
        external = {self._external_id(post_id): post_id for post_id in missing}
        for chunk in _chunks(list(external)):
            query = select(ARTICLE_TABLE.c.id, ARTICLE_TABLE.c.external_id).where(
                ARTICLE_TABLE.c.external_id.in_(chunk)
            )
            for article_id, external_id in self.session.execute(query):
                found[external[external_id]] = article_id
        return found

    def _existing_media(self, external_ids: Sequence[str]) -> dict[str, Any]:
        table = MEDIA_TABLE
        found: dict[str, Any] = {}
        for chunk in _chunks(external_ids):
            query = select(
                table.c.id,
                table.c.external_id,
                table.c.url,
                table.c.article_id,
                table.c.title,
                table.c.alt_text,
                table.c.caption,
            ).where(table.c.external_id.in_(chunk))
            for row in self.session.execute(query):
                found[row.external_id] = row
        return found

    def _write_media(
        self, new_rows: list[dict[str, Any]], updates: list[dict[str, Any]], columns: list[str]
    ) -> None:
        if new_rows:
            self.session.execute(insert(MEDIA_TABLE), new_rows)
            self.report.media_created += len(new_rows)
        if updates:
            statement = (
                update(MEDIA_TABLE)
                .where(MEDIA_TABLE.c.id == bindparam("row_id"))
                .values({column: bindparam(f"new_{column}") for column in columns})
            )
            self.session.connection().execute(statement, updates)
            self.report.media_updated += len(updates)

    def _media_to_fetch(self) -> int:
        table = MEDIA_TABLE
        query = select(func.count()).where(
            table.c.external_id.startswith(f"wxr:{self.site}:", autoescape=True),
            table.c.asset_id.is_(None),
        )
        return int(self.session.scalar(query) or 0)


def _wp_id(external_id: str | None) -> int | None:
    if external_id is None:
        return None
    return int(external_id.rsplit(":", 1)[1])


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]

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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from editor.core.models import ArticleStatus
from editor.core.wxr.article_rows import ArticleWriter
from editor.core.wxr.comment_rows import CommentWriter, count_approved_comments, link_replies
from editor.core.wxr.errors import WxrRefused
from editor.core.wxr.import_state import Attachment, ImportState, Thumbnail
from editor.core.wxr.mapping import (
    ARTICLE_KINDS,
    MappedArticle,
    SiteClock,
    author_for,
    item_post_id,
    map_article,
    plain_title,
    site_key,
    source_hash,
)
from editor.core.wxr.media_rows import (
    link_attachments,
    link_body_images,
    link_featured_images,
    media_to_fetch,
)
from editor.core.wxr.reader import WxrItem, WxrReader
from editor.core.wxr.report import (
    ImportCancelled,
    ImportPhase,
    ImportProgress,
    ImportReport,
    ProgressCallback,
)
from editor.core.wxr.training import train_from_imported

if TYPE_CHECKING:
    from editor.core.moderation.learning import SharedSpamFilter

# Items written per batch, and comments that force a batch out early: small enough to
# keep memory flat, large enough that each round trip carries real work.
ARTICLE_BATCH_SIZE = 200
COMMENT_BATCH_SIZE = 2000
_PROGRESS_INTERVAL_S = 0.1


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
        self.spam_filter = spam_filter
        self.total_bytes = path.stat().st_size
        self.progress = progress
        self.bytes_read = 0
        self.last_progress = 0.0
        self.reader = WxrReader(path, on_bytes=self._on_bytes)
        self.report = ImportReport()
        self.state = ImportState(session=session, report=self.report)
        self.clock = SiteClock()
        self.articles = ArticleWriter(self.state)
        self.comments = CommentWriter(self.state, self.clock)
        self.batch: list[tuple[WxrItem, str]] = []
        self.batch_comments = 0
        self.post_lines: dict[str, int] = {}

    def run(self) -> ImportReport:
        from editor.core.moderation.search_index import comments_indexed_at_the_end

        with comments_indexed_at_the_end(self.state.session):
            return self._run()

    def _run(self) -> ImportReport:
        report, state = self.report, self.state
        for item in self.reader.items():
            if not state.site:
                self._start()
            self._take(item)
            self._tell(ImportPhase.READING)
        if not state.site:
            self._start()
        self._flush()
        report.recovered.extend(self.reader.recovered)
        if self.clock.guessed_utc:
            report.recovered.append(
                f"{self.clock.guessed_utc} dates had no GMT twin and the site's UTC offset "
                "could not be learned: read as UTC"
            )
        self._tell(ImportPhase.LINKING, force=True)
        link_attachments(state)
        link_body_images(state)
        link_featured_images(state)
        link_replies(state)
        count_approved_comments(state)
        report.spam_filter_lessons = train_from_imported(
            state.session, state.training, spam_filter=self.spam_filter
        )
        report.media_to_fetch = media_to_fetch(state)
        self._tell(ImportPhase.DONE, force=True)
        return report

    def _start(self) -> None:
        channel = self.reader.channel
        self.state.site = site_key(channel)
        self.report.source = channel.site_url or self.state.site
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
        self.state.attachments.append(
            Attachment(
                post_id=post_id,
                parent_post_id=item.get("wp:post_parent").strip(),
                url=url,
                title=plain_title(item.get("title")),
                alt_text=item.meta.get("_wp_attachment_image_alt", "").strip(),
                caption=plain_title(item.get("excerpt:encoded")),
            )
        )

    # --- a batch of posts and pages, then their comments ---------------------------------

    def _flush(self) -> None:
        batch, self.batch, self.batch_comments = self.batch, [], 0
        if not batch:
            return
        state = self.state
        existing = self.articles.existing([state.article_external_id(p) for _i, p in batch])
        new_articles: list[MappedArticle] = []
        changed: list[tuple[MappedArticle, Any]] = []
        kept: list[tuple[WxrItem, str]] = []
        for item, post_id in batch:
            row = existing.get(state.article_external_id(post_id))
            author = author_for(self.reader.channel, item.get("dc:creator").strip())[0]
            extra = (row.extra or {}) if row is not None else {}
            if row is not None and extra.get("wxr_source_hash") == source_hash(item, author):
                self._unchanged(item, post_id, row.id, row.status, extra)
                kept.append((item, post_id))
                continue
            mapped = map_article(
                item,
                channel=self.reader.channel,
                site=state.site,
                clock=self.clock,
                post_id=post_id,
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
        self.articles.insert(new_articles)
        self.articles.update(changed)
        for mapped in new_articles:
            self.articles.written(mapped, is_new=True)
        for mapped, _row in changed:
            self.articles.written(mapped, is_new=False)
        self.articles.write_tags(new_articles, [mapped for mapped, _row in changed])
        self.comments.write(kept)

    def _unchanged(
        self,
        item: WxrItem,
        post_id: str,
        article_id: int,
        status: ArticleStatus,
        extra: dict[str, Any],
    ) -> None:
        """The export says what it said last time: the article is left as it is (and any
        edits made here since are kept)."""
        self.state.article_ids[post_id] = article_id
        self._count_article(item, status, extra)
        self.report.articles_unchanged += 1
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit():
            self.state.thumbnails.append(Thumbnail(article_id, thumbnail, dict(extra), False))

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

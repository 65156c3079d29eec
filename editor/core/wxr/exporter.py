"""Writing the store's articles and comments as a WXR 1.2 file WordPress's importer accepts.

The file is written as it is read (articles in batches), so a large store is
never held in memory. Ids in the file are ours: ``wp:post_id`` is the
article's id, ``wp:comment_id`` the comment's, attachments (the media
references) follow after the largest article id. Facts an import kept in
``Article.extra`` go back where WordPress keeps them, so WordPress → Newsdesk →
WordPress keeps stickiness, post passwords, private and pending posts, page
order and parents, comment settings and the featured image.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from editor.core.articles.slugs import slug_from_text
from editor.core.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    ArticleTag,
    Comment,
    CommentStatus,
    MediaReference,
    Tag,
)
from editor.core.wxr.mapping import UNTITLED, plain_title
from editor.core.wxr.markdown_to_html import markdown_to_inline_html, markdown_to_wordpress_html

ARTICLE_TABLE: Table = Article.__table__  # type: ignore[assignment]
COMMENT_TABLE: Table = Comment.__table__  # type: ignore[assignment]
MEDIA_TABLE: Table = MediaReference.__table__  # type: ignore[assignment]

DEFAULT_SITE_URL = "https://newsdesk.invalid"
EXPORT_BATCH_SIZE = 500
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WP_APPROVED = {
    CommentStatus.APPROVED: "1",
    CommentStatus.PENDING: "0",
    CommentStatus.SPAM: "spam",
    CommentStatus.TRASH: "trash",
}
_HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file written by Newsdesk. Import it in WordPress with
     Tools → Import → WordPress. -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
"""


@dataclass(frozen=True, slots=True)
class ExportReport:
    path: Path
    posts: int
    pages: int
    comments: int
    attachments: int
    # Figures whose image is stored here (``asset:`` references): the export has no
    # address WordPress could fetch them from.
    local_images: int = 0

    def summary_lines(self) -> list[str]:
        lines = [
            f"Exported {self.posts} posts, {self.pages} pages, {self.comments} comments and "
            f"{self.attachments} attachments to {self.path}"
        ]
        if self.local_images:
            lines.append(
                f"{self.local_images} figures show images stored in Newsdesk (asset: addresses); "
                "publish them and replace the addresses, or upload them to WordPress"
            )
        return lines


def export_wxr(
    session: Session,
    path: Path | str,
    *,
    site_url: str = DEFAULT_SITE_URL,
    site_title: str = "Newsdesk",
) -> ExportReport:
    """Write every article (with its tags, comments and media references) to ``path``.

    ``site_url`` becomes the export's base URL, which WordPress uses for links and
    guids. Only reads the store. The file is written to a temporary name and moved
    into place when complete, so a failed export never leaves half a file.
    """
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    writer = _Writer(session, site_url.rstrip("/"), site_title)
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            counts = writer.write(out)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return ExportReport(path=target, **counts)


class _Writer:
    def __init__(self, session: Session, site_url: str, site_title: str) -> None:
        self.session = session
        self.site_url = site_url
        self.site_title = site_title
        self.logins: dict[str, str] = {}
        self.category_slugs: dict[str, str] = {}
        self.article_ids_by_external: dict[str, int] = {}
        # Attachments share WordPress's id space with posts: they are numbered after them.
        self.attachment_offset = 0

    def write(self, out: TextIO) -> dict[str, int]:
        self.attachment_offset = int(self.session.scalar(select(func.max(ARTICLE_TABLE.c.id))) or 0)
        out.write(_HEADER)
        self._channel(out)
        counts = {"posts": 0, "pages": 0, "comments": 0, "attachments": 0, "local_images": 0}
        table = ARTICLE_TABLE
        query = select(table).order_by(table.c.id).execution_options(yield_per=EXPORT_BATCH_SIZE)
        batch: list[Any] = []
        for row in self.session.execute(query):
            batch.append(row)
            if len(batch) >= EXPORT_BATCH_SIZE:
                self._articles(out, batch, counts)
                batch = []
        self._articles(out, batch, counts)
        counts["attachments"] = self._attachments(out)
        out.write("</channel>\n</rss>\n")
        return counts

    # --- the channel: site, authors, categories, tags -----------------------------

    def _channel(self, out: TextIO) -> None:
        now = datetime.now(UTC)
        out.write(f"\t<title>{_escape(self.site_title)}</title>\n")
        out.write(f"\t<link>{_escape(self.site_url)}</link>\n")
        out.write("\t<description></description>\n")
        out.write(f"\t<pubDate>{format_datetime(now)}</pubDate>\n")
        out.write("\t<language>en</language>\n")
        out.write("\t<wp:wxr_version>1.2</wp:wxr_version>\n")
        out.write(f"\t<wp:base_site_url>{_escape(self.site_url)}</wp:base_site_url>\n")
        out.write(f"\t<wp:base_blog_url>{_escape(self.site_url)}</wp:base_blog_url>\n")
        table = ARTICLE_TABLE
        authors: dict[str, str] = {}
        categories: set[str] = set()
        for author, category, extra in self.session.execute(
            select(table.c.author, table.c.category, table.c.extra)
        ):
            extra = extra or {}
            name = author or "Newsdesk"
            authors.setdefault(name, str(extra.get("wp_author_login") or ""))
            categories.update(extra.get("categories") or ([category] if category else []))
        # Page parents are WordPress ids in extra; this finds the article each one became.
        for external_id, article_id in self.session.execute(
            select(table.c.external_id, table.c.id).where(table.c.external_id.startswith("wxr:"))
        ):
            self.article_ids_by_external[external_id] = article_id
        used_logins: set[str] = set()
        for number, (name, login) in enumerate(sorted(authors.items()), start=1):
            login = _unique(login or slug_from_text(name) or "author", used_logins)
            self.logins[name] = login
            out.write(
                "\t<wp:author>"
                f"<wp:author_id>{number}</wp:author_id>"
                f"<wp:author_login>{_cdata(login)}</wp:author_login>"
                "<wp:author_email></wp:author_email>"
                f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name>"
                "<wp:author_first_name></wp:author_first_name>"
                "<wp:author_last_name></wp:author_last_name>"
                "</wp:author>\n"
            )
        used_slugs: set[str] = set()
        for number, name in enumerate(sorted(categories), start=1):
            slug = _unique(slug_from_text(name) or "category", used_slugs)
            self.category_slugs[name] = slug
            out.write(
                f"\t<wp:category><wp:term_id>{number}</wp:term_id>"
                f"<wp:category_nicename>{_cdata(slug)}</wp:category_nicename>"
                "<wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>{_cdata(name)}</wp:cat_name></wp:category>\n"
            )
        used_tags = select(ArticleTag.tag_id).distinct()
        for tag_id, slug, name in self.session.execute(
            select(Tag.id, Tag.slug, Tag.name).where(Tag.id.in_(used_tags)).order_by(Tag.id)
        ):
            out.write(
                f"\t<wp:tag><wp:term_id>{len(categories) + tag_id}</wp:term_id>"
                f"<wp:tag_slug>{_cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        out.write("\t<generator>Newsdesk</generator>\n")

    # --- articles and their comments ------------------------------------------------

    def _articles(self, out: TextIO, rows: Sequence[Any], counts: dict[str, int]) -> None:
        if not rows:
            return
        ids = [row.id for row in rows]
        tags = self._tags_for(ids)
        comments = self._comments_for(ids)
        featured = self._featured_attachment_ids(rows)
        for row in rows:
            self._article(out, row, tags.get(row.id, []), featured.get(row.id))
            for comment in comments.get(row.id, []):
                self._comment(out, comment)
                counts["comments"] += 1
            out.write("\t</item>\n")
            counts["pages" if row.kind is ArticleKind.PAGE else "posts"] += 1
            counts["local_images"] += row.body.count("](asset:")

    def _article(
        self, out: TextIO, row: Any, tags: list[tuple[str, str]], featured: int | None
    ) -> None:
        extra: dict[str, Any] = row.extra or {}
        wp_status, moment = _wp_status_and_date(row, extra)
        title = row.title
        if extra.get("wp_untitled") and title == UNTITLED:
            title = ""
        elif extra.get("wp_title_html") and plain_title(str(extra["wp_title_html"])) == title:
            title = str(extra["wp_title_html"])  # the title's markup, as WordPress had it
        author = row.author or "Newsdesk"
        link = f"{self.site_url}/?p={row.id}"
        parent = 0
        if extra.get("wp_post_parent") and row.external_id:
            site_prefix = row.external_id.rsplit(":", 1)[0]
            parent = self.article_ids_by_external.get(f"{site_prefix}:{extra['wp_post_parent']}", 0)
        lines = [
            "\t<item>",
            f"\t\t<title>{_cdata(title)}</title>",
            f"\t\t<link>{_escape(link)}</link>",
            f"\t\t<pubDate>{format_datetime(moment)}</pubDate>",
            f"\t\t<dc:creator>{_cdata(self.logins.get(author, 'author'))}</dc:creator>",
            f'\t\t<guid isPermaLink="false">{_escape(link)}</guid>',
            "\t\t<description></description>",
            f"\t\t<content:encoded>{_cdata(markdown_to_wordpress_html(row.body))}</content:encoded>",
            f"\t\t<excerpt:encoded>{_cdata(markdown_to_inline_html(row.dek))}</excerpt:encoded>",
            f"\t\t<wp:post_id>{row.id}</wp:post_id>",
            f"\t\t<wp:post_date>{_wp_date(moment)}</wp:post_date>",
            f"\t\t<wp:post_date_gmt>{_wp_date(moment)}</wp:post_date_gmt>",
            f"\t\t<wp:post_modified>{_wp_date(row.updated_at)}</wp:post_modified>",
            f"\t\t<wp:post_modified_gmt>{_wp_date(row.updated_at)}</wp:post_modified_gmt>",
            f"\t\t<wp:comment_status>{_cdata(str(extra.get('comment_status', 'open')))}</wp:comment_status>",
            f"\t\t<wp:ping_status>{_cdata(str(extra.get('ping_status', 'open')))}</wp:ping_status>",
            f"\t\t<wp:post_name>{_cdata(row.slug)}</wp:post_name>",
            f"\t\t<wp:status>{_cdata(wp_status)}</wp:status>",
            f"\t\t<wp:post_parent>{parent}</wp:post_parent>",
            f"\t\t<wp:menu_order>{int(extra.get('menu_order', 0))}</wp:menu_order>",
            f"\t\t<wp:post_type>{_cdata(row.kind.value)}</wp:post_type>",
            f"\t\t<wp:post_password>{_cdata(str(extra.get('wp_post_password', '')))}</wp:post_password>",
            f"\t\t<wp:is_sticky>{1 if extra.get('sticky') else 0}</wp:is_sticky>",
        ]
        categories = extra.get("categories") or ([row.category] if row.category else [])
        for name in categories:
            slug = self.category_slugs.get(name, slug_from_text(name))
            lines.append(
                f'\t\t<category domain="category" nicename="{_escape(slug)}">{_cdata(name)}</category>'
            )
        for name, slug in tags:
            lines.append(
                f'\t\t<category domain="post_tag" nicename="{_escape(slug)}">{_cdata(name)}</category>'
            )
        for domain, names in (extra.get("terms") or {}).items():
            for name in names:
                nicename = slug_from_text(name)
                lines.append(
                    f'\t\t<category domain="{_escape(domain)}" nicename="{_escape(nicename)}">'
                    f"{_cdata(name)}</category>"
                )
        meta: list[tuple[str, str]] = []
        if featured is not None:
            meta.append(("_thumbnail_id", str(featured)))
        meta.extend((str(k), str(v)) for k, v in (extra.get("custom_fields") or {}).items())
        for key, value in meta:
            lines.append(
                f"\t\t<wp:postmeta><wp:meta_key>{_cdata(key)}</wp:meta_key>"
                f"<wp:meta_value>{_cdata(value)}</wp:meta_value></wp:postmeta>"
            )
        out.write("\n".join(lines) + "\n")

    def _comment(self, out: TextIO, comment: Any) -> None:
        moment = _wp_date(comment.created_at)
        out.write(
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{comment.id}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{_cdata(comment.author_name)}</wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email>{_cdata(comment.author_email)}</wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_author_url>{_cdata(comment.author_url)}</wp:comment_author_url>\n"
            f"\t\t\t<wp:comment_author_IP>{_cdata(comment.author_ip)}</wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date>{moment}</wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt>{moment}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{_cdata(markdown_to_wordpress_html(comment.body))}"
            "</wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>{_WP_APPROVED[comment.status]}</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_type>{_cdata(comment.comment_type.value)}</wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>\n"
            "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
            "\t\t</wp:comment>\n"
        )

    def _tags_for(self, article_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
        found: dict[int, list[tuple[str, str]]] = defaultdict(list)
        query = (
            select(ArticleTag.article_id, Tag.name, Tag.slug)
            .join(Tag, Tag.id == ArticleTag.tag_id)
            .where(ArticleTag.article_id.in_(article_ids))
            .order_by(ArticleTag.article_id, ArticleTag.position, Tag.name)
        )
        for article_id, name, slug in self.session.execute(query):
            found[article_id].append((name, slug))
        return found

    def _comments_for(self, article_ids: Sequence[int]) -> dict[int, list[Any]]:
        found: dict[int, list[Any]] = defaultdict(list)
        table = COMMENT_TABLE
        query = (
            select(table)
            .where(table.c.article_id.in_(article_ids))
            .order_by(table.c.article_id, table.c.created_at, table.c.id)
        )
        for row in self.session.execute(query):
            found[row.article_id].append(row)
        return found

    def _featured_attachment_ids(self, rows: Iterable[Any]) -> dict[int, int]:
        """Article id → the attachment id its featured image is written under."""
        wanted = {
            str(row.extra["featured_media_external_id"]): row.id
            for row in rows
            if (row.extra or {}).get("featured_media_external_id")
        }
        if not wanted:
            return {}
        query = select(MEDIA_TABLE.c.id, MEDIA_TABLE.c.external_id).where(
            MEDIA_TABLE.c.external_id.in_(list(wanted))
        )
        return {
            wanted[external_id]: self.attachment_offset + media_id
            for media_id, external_id in self.session.execute(query)
        }

    # --- attachments ------------------------------------------------------------------

    def _attachments(self, out: TextIO) -> int:
        """Media references become attachment items: WordPress fetches them on import."""
        offset = self.attachment_offset
        table = MEDIA_TABLE
        written = 0
        query = select(table).order_by(table.c.id).execution_options(yield_per=EXPORT_BATCH_SIZE)
        for media in self.session.execute(query):
            moment = media.created_at
            name = slug_from_text(media.title or media.url.rsplit("/", 1)[-1]) or "media"
            lines = [
                "\t<item>",
                f"\t\t<title>{_cdata(media.title)}</title>",
                f"\t\t<pubDate>{format_datetime(moment)}</pubDate>",
                f'\t\t<guid isPermaLink="false">{_escape(media.url)}</guid>',
                f"\t\t<content:encoded>{_cdata('')}</content:encoded>",
                f"\t\t<excerpt:encoded>{_cdata(media.caption)}</excerpt:encoded>",
                f"\t\t<wp:post_id>{offset + media.id}</wp:post_id>",
                f"\t\t<wp:post_date>{_wp_date(moment)}</wp:post_date>",
                f"\t\t<wp:post_date_gmt>{_wp_date(moment)}</wp:post_date_gmt>",
                f"\t\t<wp:post_name>{_cdata(name)}</wp:post_name>",
                "\t\t<wp:status>inherit</wp:status>",
                f"\t\t<wp:post_parent>{media.article_id or 0}</wp:post_parent>",
                "\t\t<wp:post_type>attachment</wp:post_type>",
                f"\t\t<wp:attachment_url>{_cdata(media.url)}</wp:attachment_url>",
            ]
            if media.alt_text:
                lines.append(
                    "\t\t<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                    f"<wp:meta_value>{_cdata(media.alt_text)}</wp:meta_value></wp:postmeta>"
                )
            lines.append("\t</item>")
            out.write("\n".join(lines) + "\n")
            written += 1
        return written


def _wp_status_and_date(row: Any, extra: dict[str, Any]) -> tuple[str, datetime]:
    """WordPress's status for an article, and the date WordPress should show for it."""
    status = row.status
    created: datetime = row.created_at
    if status is ArticleStatus.PUBLISHED:
        return "publish", row.published_at or created
    if status is ArticleStatus.SCHEDULED:
        return "future", row.scheduled_at or created
    if status is ArticleStatus.ARCHIVED:
        return "trash", row.published_at or created
    kept = extra.get("wp_status")
    if kept == "publish" and extra.get("password_protected"):
        published = extra.get("wp_published_at")
        return "publish", datetime.fromisoformat(published) if published else created
    if kept in ("pending", "private"):
        return str(kept), created
    return "draft", created


def _wp_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 1
    while candidate in used:
        number += 1
        candidate = f"{name}-{number}"
    used.add(candidate)
    return candidate


def _escape(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _cdata(text: str) -> str:
    text = _NOT_XML.sub("", text or "")
    if not text:
        return ""
    # "]]>" cannot appear inside CDATA: close the section around its ">".
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"

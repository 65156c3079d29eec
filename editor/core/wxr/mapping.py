"""What a WordPress item or comment becomes in our store, without touching the store.

Decisions (the import report and README repeat them):

- ``publish`` → published (``published_at`` = the post's GMT date), ``future`` →
  scheduled (``scheduled_at``), ``draft`` → draft, ``pending`` → draft with
  ``extra["wp_status"] = "pending"``, ``trash`` → archived.
- ``private`` posts and password-protected posts become **drafts**, flagged in
  ``extra`` (``wp_status``, ``password_protected``): Newsdesk has neither
  private posts nor post passwords, and publishing them openly would show
  readers what WordPress kept from them. Exporting puts them back as they were.
- ``auto-draft`` items (WordPress's empty placeholders) are skipped; any other
  status is refused, since what it means is not known.
- Comments: ``1`` → approved, ``0`` → pending, ``spam``, ``trash`` (and
  ``post-trashed``) as they are; anything else → pending with a reason saying so.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from editor.core.articles.slugs import slug_from_text
from editor.core.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Comment,
    CommentStatus,
    CommentType,
)
from editor.core.wxr.errors import WxrRefused
from editor.core.wxr.html_to_markdown import BodyImage, wordpress_html_to_markdown
from editor.core.wxr.reader import WxrChannel, WxrComment, WxrItem

UNTITLED = "(untitled)"

ARTICLE_KINDS = {"post": ArticleKind.POST, "page": ArticleKind.PAGE}
# WordPress status → (our status, the WordPress status kept in extra when ours loses it).
ARTICLE_STATUSES: dict[str, tuple[ArticleStatus, str | None]] = {
    "publish": (ArticleStatus.PUBLISHED, None),
    "future": (ArticleStatus.SCHEDULED, None),
    "draft": (ArticleStatus.DRAFT, None),
    "pending": (ArticleStatus.DRAFT, "pending"),
    "private": (ArticleStatus.DRAFT, "private"),
    "trash": (ArticleStatus.ARCHIVED, "trash"),
}
SKIPPED_STATUSES = frozenset({"auto-draft"})
COMMENT_STATUSES = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "approved": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
    "post-trashed": CommentStatus.TRASH,
}
COMMENT_TYPES = {
    "": CommentType.COMMENT,
    "comment": CommentType.COMMENT,
    "pingback": CommentType.PINGBACK,
    "trackback": CommentType.TRACKBACK,
}

_TAG = re.compile(r"<[^>]*>")
_WHITESPACE = re.compile(r"\s+")
_POST_ID_IN_LINK = re.compile(r"[?&](?:p|page_id|attachment_id)=(\d+)")
_IMAGE_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


def site_key(channel: WxrChannel) -> str:
    """The export's site as it appears in external ids: host and path, without the scheme,
    so a site that moved from http to https is still the same site."""
    parts = urlsplit(channel.site_url)
    if not parts.netloc:
        return channel.site_url or "unknown-site"
    return (parts.netloc.lower() + parts.path.rstrip("/")) or "unknown-site"


def article_external_id(site: str, post_id: str) -> str:
    # Posts and pages share WordPress's id space, so one prefix serves both.
    return f"wxr:{site}:post:{post_id}"


def comment_external_id(site: str, comment_id: str) -> str:
    return f"wxr:{site}:comment:{comment_id}"


def attachment_external_id(site: str, attachment_id: str) -> str:
    return f"wxr:{site}:attachment:{attachment_id}"


def body_image_external_id(site: str, post_id: str, url: str) -> str:
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return f"wxr:{site}:image:{post_id}:{digest}"


def media_url_key(url: str) -> str:
    """A URL with WordPress's resized-copy suffix (``-300x200``) and query dropped, so a
    body image and the attachment it was cut from compare equal."""
    parts = urlsplit(url)
    path = _IMAGE_SIZE_SUFFIX.sub("", parts.path)
    return f"{parts.netloc.lower()}{path}"


def column_length(column: Any) -> int | None:
    length = getattr(column.type, "length", None)
    return length if isinstance(length, int) else None


def fit(value: str, column: Any) -> str:
    """``value`` cut to a String column's length (PostgreSQL refuses longer values)."""
    length = column_length(column)
    if length is None or len(value) <= length:
        return value
    return value[: length - 1] + "…"


def plain_title(raw: str) -> str:
    """A title as text: WordPress allows markup and entities in titles."""
    return _WHITESPACE.sub(" ", html.unescape(_TAG.sub("", raw))).strip()


class SiteClock:
    """Turns WordPress's dates into aware UTC datetimes.

    ``*_gmt`` dates are used when present. Drafts often have ``0000-00-00`` there;
    their local date is then moved by the site's UTC offset, learned from the
    items that have both (WordPress writes both in every export).
    """

    def __init__(self) -> None:
        self.offset: timedelta | None = None
        self.guessed_utc = 0

    def learn(self, local: str, gmt: str, *, line: int) -> None:
        if self.offset is not None:
            return
        local_time, gmt_time = parse_wp_date(local, line=line), parse_wp_date(gmt, line=line)
        if local_time is not None and gmt_time is not None:
            self.offset = local_time - gmt_time

    def utc(self, local: str, gmt: str, *, line: int) -> datetime | None:
        moment = parse_wp_date(gmt, line=line)
        if moment is not None:
            return moment
        moment = parse_wp_date(local, line=line)
        if moment is None:
            return None
        if self.offset is None:
            self.guessed_utc += 1
            return moment
        return moment - self.offset


def parse_wp_date(text: str, *, line: int) -> datetime | None:
    text = text.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise WxrRefused(f"unreadable date {text!r}", line=line) from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    return parsed.replace(tzinfo=UTC)


def author_for(channel: WxrChannel, login: str) -> tuple[str, str, str | None]:
    """(display name, login, what was recovered) for an item's ``dc:creator``.

    A login with stray angle brackets or quotes around it (the theme unit test has
    ``>themereviewteam``) still names the author whose login it contains.
    """
    author = channel.authors.get(login)
    note = None
    if author is None and login:
        cleaned = login.strip(" <>\"'")
        if cleaned != login and cleaned in channel.authors:
            author = channel.authors[cleaned]
            note = f"dc:creator {login!r} read as the author {cleaned!r}"
            login = cleaned
    return (author.display_name if author else "") or login, login, note


def item_post_id(item: WxrItem) -> tuple[str, bool]:
    """The item's WordPress id, and whether it had to be read from its ``?p=`` link."""
    post_id = item.get("wp:post_id").strip()
    if post_id:
        if not post_id.isdigit():
            raise WxrRefused(f"wp:post_id {post_id!r} is not a number", line=item.line)
        return post_id, False
    for source in (item.get("link"), item.get("guid")):
        match = _POST_ID_IN_LINK.search(source)
        if match is not None:
            return match.group(1), True
    raise WxrRefused(
        "an item has no wp:post_id and no ?p= link to take one from, so importing "
        "again could not find it",
        line=item.line,
    )


@dataclass(slots=True)
class MappedArticle:
    external_id: str
    post_id: str
    line: int
    source_hash: str
    kind: ArticleKind
    title: str
    wanted_slug: str
    dek: str
    body: str
    status: ArticleStatus
    author: str
    category: str
    tag_names: list[str]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    scheduled_at: datetime | None
    extra: dict[str, Any]
    images: list[BodyImage]
    thumbnail_id: str
    notes: Counter[str] = field(default_factory=Counter)
    recovered: list[str] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        """The article columns this import owns (the slug is chosen by the importer)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "dek": self.dek,
            "body": self.body,
            "status": self.status,
            "author": self.author,
            "category": self.category,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "published_at": self.published_at,
            "scheduled_at": self.scheduled_at,
            "extra": self.extra,
        }


def source_hash(item: WxrItem, author: str) -> str:
    """A fingerprint of what the export says about an item (not its comments): importing
    again leaves an article alone unless this changed, so edits made here since the
    last import survive a re-import of the same file."""
    payload = [
        sorted((key, value) for key, value in item.fields.items()),
        [(term.domain, term.nicename, term.name) for term in item.terms],
        sorted(item.meta.items()),
        author,
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def map_article(
    item: WxrItem, *, channel: WxrChannel, site: str, clock: SiteClock, post_id: str
) -> MappedArticle | None:
    """The article for a post or page item; None for an auto-draft placeholder."""
    line = item.line
    wp_status = item.get("wp:status", "publish").strip() or "publish"
    if wp_status in SKIPPED_STATUSES:
        return None
    if wp_status not in ARTICLE_STATUSES:
        raise WxrRefused(
            f"post {post_id} has the status {wp_status!r}, which this importer does not "
            "know the meaning of (known: " + ", ".join(sorted(ARTICLE_STATUSES)) + ")",
            line=line,
        )
    status, kept_status = ARTICLE_STATUSES[wp_status]
    kind = ARTICLE_KINDS[item.get("wp:post_type", "post").strip() or "post"]
    extra: dict[str, Any] = {"wp_post_id": int(post_id), "wp_post_type": kind.value}
    notes: Counter[str] = Counter()

    author, login, author_note = author_for(channel, item.get("dc:creator").strip())
    if login:
        extra["wp_author_login"] = login

    raw_title = item.get("title")
    title = plain_title(raw_title)
    if title != raw_title.strip():
        extra["wp_title_html"] = raw_title
    if not title:
        title = UNTITLED
        extra["wp_untitled"] = True
    if len(title) > (column_length(Article.__table__.c.title) or len(title)):
        extra["wp_title_full"] = title
        title = fit(title, Article.__table__.c.title)
        notes["title longer than 500 characters shortened (full title kept)"] += 1

    wanted_slug = slug_from_text(unquote(item.get("wp:post_name").strip()))
    if not wanted_slug and not extra.get("wp_untitled"):
        wanted_slug = slug_from_text(title)
    if not wanted_slug:
        wanted_slug = f"{kind.value}-{post_id}"

    local_date, gmt_date = item.get("wp:post_date"), item.get("wp:post_date_gmt")
    clock.learn(local_date, gmt_date, line=line)
    posted = clock.utc(local_date, gmt_date, line=line)
    modified = clock.utc(item.get("wp:post_modified"), item.get("wp:post_modified_gmt"), line=line)
    created_at = posted or modified or datetime(1970, 1, 1, tzinfo=UTC)
    published_at = posted if status is ArticleStatus.PUBLISHED else None
    scheduled_at = posted if status is ArticleStatus.SCHEDULED else None
    if status is ArticleStatus.SCHEDULED and scheduled_at is None:
        raise WxrRefused(f"scheduled post {post_id} has no date to publish at", line=line)

    password = item.get("wp:post_password")
    if password:
        extra["password_protected"] = True
        extra["wp_post_password"] = password
        if status is ArticleStatus.PUBLISHED:
            status, published_at = ArticleStatus.DRAFT, None
            kept_status = "publish"
            extra["wp_published_at"] = posted.isoformat() if posted else None
    if kept_status:
        extra["wp_status"] = kept_status
    if item.get("wp:is_sticky").strip() == "1":
        extra["sticky"] = True

    categories, tags, other_terms = _terms(item)
    if categories:
        extra["categories"] = categories
    if other_terms:
        extra["terms"] = other_terms
    for key, wp_key in (
        ("original_link", "link"),
        ("guid", "guid"),
        ("comment_status", "wp:comment_status"),
        ("ping_status", "wp:ping_status"),
    ):
        value = item.get(wp_key).strip()
        if value:
            extra[key] = value
    menu_order = item.get("wp:menu_order").strip()
    if menu_order.lstrip("-").isdigit() and int(menu_order) != 0:
        extra["menu_order"] = int(menu_order)
    parent = item.get("wp:post_parent").strip()
    if parent.isdigit() and parent != "0":
        extra["wp_post_parent"] = int(parent)
    custom_fields = {key: value for key, value in item.meta.items() if not key.startswith("_")}
    if custom_fields:
        extra["custom_fields"] = custom_fields
    thumbnail_id = item.meta.get("_thumbnail_id", "").strip()

    converted = wordpress_html_to_markdown(item.get("content:encoded"))
    notes.update(converted.notes)
    dek = wordpress_html_to_markdown(item.get("excerpt:encoded")).markdown

    return MappedArticle(
        external_id=article_external_id(site, post_id),
        post_id=post_id,
        line=line,
        source_hash=source_hash(item, author),
        kind=kind,
        title=title,
        wanted_slug=wanted_slug,
        dek=dek,
        body=converted.markdown,
        status=status,
        author=fit(author, Article.__table__.c.author),
        category=fit(categories[0], Article.__table__.c.category) if categories else "",
        tag_names=tags,
        created_at=created_at,
        updated_at=modified or created_at,
        published_at=published_at,
        scheduled_at=scheduled_at,
        extra=extra,
        images=converted.images,
        thumbnail_id=thumbnail_id if thumbnail_id.isdigit() else "",
        notes=notes,
        recovered=[f"line {line}: {author_note}"] if author_note else [],
    )


def _terms(item: WxrItem) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(categories, tags, other taxonomies) in file order, each name once.

    WXR 1.0 repeats each category without attributes and calls tags ``tag``;
    1.1+ writes ``post_tag``.
    """
    categories: list[str] = []
    tags: list[str] = []
    others: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for term in item.terms:
        name = plain_title(term.name)
        if not name:
            continue
        domain = "post_tag" if term.domain == "tag" else term.domain
        key = (domain, name.casefold())
        if key in seen:
            continue
        seen.add(key)
        if domain == "category":
            categories.append(name)
        elif domain == "post_tag":
            tags.append(name)
        else:
            others.setdefault(domain, []).append(name)
    return categories, tags, others


@dataclass(slots=True)
class MappedComment:
    external_id: str
    parent_external_id: str | None
    values: dict[str, Any]
    status: CommentStatus
    comment_type: CommentType
    notes: Counter[str] = field(default_factory=Counter)


def map_comment(
    comment: WxrComment, *, site: str, clock: SiteClock, fallback_date: datetime
) -> MappedComment:
    line = comment.line
    comment_id = comment.comment_id.strip()
    if not comment_id.isdigit():
        raise WxrRefused(
            f"a comment has no usable wp:comment_id ({comment_id!r}), so its replies and "
            "a later import could not find it",
            line=line,
        )
    notes: Counter[str] = Counter()
    approved = comment.approved.strip().lower()
    status = COMMENT_STATUSES.get(approved)
    if status is None:
        status = CommentStatus.PENDING
        reasons = [f"imported from WordPress with the unknown status {approved!r}: held"]
        notes[f"comment status {approved!r} held as pending"] += 1
    else:
        reasons = [f"imported from WordPress: {status.value}"]
    raw_type = comment.comment_type.strip().lower()
    comment_type = COMMENT_TYPES.get(raw_type)
    if comment_type is None:
        comment_type = CommentType.COMMENT
        reasons.append(f"WordPress comment type {raw_type!r} imported as a comment")
        notes[f"comment type {raw_type!r} imported as a comment"] += 1
    created_at = clock.utc(comment.date, comment.date_gmt, line=line) or fallback_date
    parent = comment.parent.strip()
    columns = Comment.__table__.c
    body = wordpress_html_to_markdown(comment.content)
    notes.update(body.notes)
    return MappedComment(
        external_id=comment_external_id(site, comment_id),
        parent_external_id=(
            comment_external_id(site, parent) if parent.isdigit() and parent != "0" else None
        ),
        values={
            "comment_type": comment_type,
            "author_name": fit(html.unescape(comment.author).strip(), columns.author_name),
            "author_email": fit(comment.author_email.strip(), columns.author_email),
            "author_url": fit(comment.author_url.strip(), columns.author_url),
            "author_ip": fit(comment.author_ip.strip(), columns.author_ip),
            "body": body.markdown,
            "status": status,
            "reasons": reasons,
            "created_at": created_at,
        },
        status=status,
        comment_type=comment_type,
        notes=notes,
    )

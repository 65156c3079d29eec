"""Whole pages: an article (the preview shows exactly this), the front page, a tag page.

Everything here is built from plain frozen dataclasses, not ORM rows, so the
preview can render a draft that exists only in the editor; ``article_data``
builds them from the store. Pages contain no scripts and load nothing remote;
the styles are inlined. The same inputs give the same bytes (no clock, no
locale), so preview and publishing differ only in media URLs.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from editor.core.rendering.body import RenderedBody, render_body
from editor.core.rendering.media import (
    DEFAULT_RENDITION_WIDTH,
    FALLBACK_FORMAT,
    HERO_IMAGE_SIZES,
    SOURCE_FORMATS,
    TEASER_IMAGE_SIZES,
    MediaLocator,
    MediaUrl,
    media_locator,
    rendition_srcset,
)
from editor.core.rendering.theme import Theme, load_theme, masthead_date, site_zone

# Replies nest this deep on the page; deeper replies are shown at this depth.
MAX_COMMENT_DEPTH = 5
_WORDS_PER_MINUTE = 230
_URL_IN_COMMENT = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
_LONGEST_SHOWN_URL = 60


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class SiteInfo:
    name: str = "Newsdesk"
    tagline: str = ""
    home_url: str = "/"
    sections: tuple[Link, ...] = ()
    utility_links: tuple[Link, ...] = ()
    # Where the reply form posts; publishing targets that take comments set it.
    comment_action: str = "#respond"
    privacy_url: str = "#privacy"
    # Links to a tag's page: "{slug}" is replaced with the tag's slug.
    tag_url: str = "#tag-{slug}"
    copyright: str = ""
    language: str = "en"
    # IANA zone the dates are shown in.
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class HeroImage:
    """The featured image; ``reference`` is the asset's hex reference, as in ``asset:``."""

    reference: str
    alt_text: str
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class ArticlePage:
    title: str
    body_markdown: str
    dek: str = ""
    author: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()
    slug: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    view_count: int = 0
    # ``None``: count the comments given to the page.
    comment_count: int | None = None
    hero: HeroImage | None = None


@dataclass(frozen=True, slots=True)
class PageComment:
    """An approved comment as the page shows it."""

    id: int
    author_name: str
    body: str
    created_at: datetime
    parent_id: int | None = None
    author_url: str = ""


@dataclass(frozen=True, slots=True)
class ArticleTeaser:
    title: str
    url: str
    dek: str = ""
    category: str = ""
    author: str = ""
    published_at: datetime | None = None
    hero: HeroImage | None = None
    comment_count: int = 0


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where a listing page sits among its pages; the theme draws "Newer", "Page N of M" and
    "Older" from it. A link is ``None`` where there is no such page (the first page has
    nothing newer, the last nothing older)."""

    number: int
    count: int
    newer_url: str | None = None
    older_url: str | None = None


@dataclass(frozen=True)
class CommentNode:
    comment: PageComment
    depth: int
    body_html: Markup
    author_url: str
    children: list[CommentNode] = field(default_factory=list)


def render_article_page(
    article: ArticlePage,
    comments: Sequence[PageComment] = (),
    *,
    media_url: MediaUrl | MediaLocator,
    site: SiteInfo | None = None,
    theme: Theme | None = None,
    body: RenderedBody | None = None,
) -> str:
    """The article's whole page. Pass ``body`` when it is already rendered (the preview's
    ``BodyRenderer`` keeps one) to skip rendering it again; it must come from
    ``article.body_markdown`` with the same ``media_url``."""
    site = site or SiteInfo()
    theme = theme or load_theme()
    if body is None:
        body = render_body(article.body_markdown, media_url=media_url)
    threads = comment_threads(comments)
    dated = article.published_at or article.updated_at
    show_updated = (
        article.published_at is not None
        and article.updated_at is not None
        and (article.updated_at - article.published_at).total_seconds() > 60
    )
    context = {
        "site": site,
        "article": article,
        "body_html": Markup(body.html),
        "hero": _picture(article.hero, media_locator(media_url), HERO_IMAGE_SIZES),
        "threads": threads,
        "comment_count": article.comment_count if article.comment_count is not None else len(comments),
        "show_updated": show_updated,
        "reading_minutes": max(1, math.ceil(len(article.body_markdown.split()) / _WORDS_PER_MINUTE)),
        "masthead_date": masthead_date(dated.astimezone(site_zone(site.timezone))) if dated else "",
        "current_section": article.category,
        "category_url": _section_url(site, article.category),
        "tag_links": [Link(tag, site.tag_url.replace("{slug}", tag_slug(tag))) for tag in article.tags],
    }  # fmt: skip
    return theme.render("article.html", context)


def render_index_page(
    teasers: Sequence[ArticleTeaser],
    *,
    media_url: MediaUrl | MediaLocator,
    site: SiteInfo | None = None,
    theme: Theme | None = None,
    heading: str = "",
    pagination: Pagination | None = None,
) -> str:
    """The front page (or one of its pages): ``teasers`` in the order given, the first one
    large."""
    site = site or SiteInfo()
    theme = theme or load_theme()
    return theme.render(
        "index.html",
        {
            "site": site,
            "teasers": _teaser_views(teasers, media_url),
            "heading": heading,
            "pagination": pagination,
            "masthead_date": _newest_date(teasers, site),
            "current_section": "",
        },
    )


def render_tag_page(
    tag: str,
    teasers: Sequence[ArticleTeaser],
    *,
    media_url: MediaUrl | MediaLocator,
    site: SiteInfo | None = None,
    theme: Theme | None = None,
    pagination: Pagination | None = None,
) -> str:
    """The articles with ``tag`` (or one page of them)."""
    site = site or SiteInfo()
    theme = theme or load_theme()
    return theme.render(
        "tag.html",
        {
            "site": site,
            "tag": tag,
            "teasers": _teaser_views(teasers, media_url),
            "pagination": pagination,
            "masthead_date": _newest_date(teasers, site),
            "current_section": "",
        },
    )


def tag_slug(tag: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")
    return slug or "tag"


def comment_threads(comments: Iterable[PageComment]) -> list[CommentNode]:
    """Comments as reply trees, oldest first at every level. A reply whose parent is not
    shown (held, deleted) is shown at the top level; replies deeper than
    ``MAX_COMMENT_DEPTH`` are shown at that depth."""
    ordered = sorted(comments, key=lambda comment: (comment.created_at, comment.id))
    shown = {comment.id for comment in ordered}
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    # Parents always precede their replies in time, except when clocks disagree: take
    # replies whose parent is not placed yet in a second pass.
    pending = ordered
    while pending:
        waiting = []
        for comment in pending:
            parent_id = comment.parent_id if comment.parent_id in shown else None
            if parent_id is not None and parent_id not in nodes:
                waiting.append(comment)
                continue
            parent = nodes.get(parent_id) if parent_id is not None else None
            depth = min(parent.depth + 1, MAX_COMMENT_DEPTH) if parent else 1
            node = CommentNode(
                comment=comment,
                depth=depth,
                body_html=format_comment_body(comment.body),
                author_url=_safe_author_url(comment.author_url),
            )
            nodes[comment.id] = node
            if parent is None:
                roots.append(node)
            elif parent.depth >= MAX_COMMENT_DEPTH:
                # Too deep: shown beside the parent rather than under it.
                _parent_of(nodes, parent).children.append(node)
            else:
                parent.children.append(node)
        if len(waiting) == len(pending):
            # A reply cycle (bad data): show the rest at the top level.
            for comment in waiting:
                node = CommentNode(comment, 1, format_comment_body(comment.body),
                                   _safe_author_url(comment.author_url))  # fmt: skip
                nodes[comment.id] = node
                roots.append(node)
            break
        pending = waiting
    return roots


def _parent_of(nodes: dict[int, CommentNode], node: CommentNode) -> CommentNode:
    parent_id = node.comment.parent_id
    parent = nodes.get(parent_id) if parent_id is not None else None
    return parent if parent is not None else node


def format_comment_body(text: str) -> Markup:
    """A comment as safe HTML: its text escaped, paragraphs at blank lines, line breaks
    kept, and web addresses turned into ``rel="nofollow ugc"`` links."""
    paragraphs = [
        part.strip() for part in re.split(r"\n\s*\n", text.replace("\r", "")) if part.strip()
    ]
    return Markup("\n".join(f"<p>{_comment_paragraph(part)}</p>" for part in paragraphs))


def _comment_paragraph(text: str) -> str:
    pieces = []
    position = 0
    for match in _URL_IN_COMMENT.finditer(text):
        pieces.append(html.escape(text[position : match.start()]))
        url = match.group(0)
        shown = url if len(url) <= _LONGEST_SHOWN_URL else url[: _LONGEST_SHOWN_URL - 1] + "\u2026"
        pieces.append(
            f'<a href="{html.escape(url, quote=True)}" rel="nofollow ugc">{html.escape(shown)}</a>'
        )
        position = match.end()
    pieces.append(html.escape(text[position:]))
    return "".join(pieces).replace("\n", "<br>\n")


def _safe_author_url(url: str) -> str:
    url = url.strip()
    return url if re.match(r"https?://[^\s\"'<>]+$", url, re.IGNORECASE) else ""


def _picture(image: HeroImage | None, media: MediaLocator, sizes: str) -> dict[str, object] | None:
    """What the theme's ``picture`` macro draws: the JPEG ``<img>`` and a ``<source>`` per
    other format, each ``srcset`` listing the renditions that exist (as the body's figures)."""
    if image is None:
        return None
    reference = image.reference
    return {
        "src": media.url(reference, DEFAULT_RENDITION_WIDTH, FALLBACK_FORMAT),
        "srcset": rendition_srcset(media, reference, FALLBACK_FORMAT),
        "sources": [
            {
                "type": source_format.mime,
                "srcset": rendition_srcset(media, reference, source_format),
            }
            for source_format in SOURCE_FORMATS
        ],
        "sizes": sizes,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
    }


def _teaser_views(
    teasers: Sequence[ArticleTeaser], media_url: MediaUrl | MediaLocator
) -> list[dict[str, object]]:
    media = media_locator(media_url)
    return [_teaser_view(teaser, media) for teaser in teasers]


def _teaser_view(teaser: ArticleTeaser, media: MediaLocator) -> dict[str, object]:
    return {
        "title": teaser.title,
        "url": teaser.url,
        "dek": teaser.dek,
        "category": teaser.category,
        "author": teaser.author,
        "published_at": teaser.published_at,
        "comment_count": teaser.comment_count,
        "hero": _picture(teaser.hero, media, TEASER_IMAGE_SIZES),
    }


def _section_url(site: SiteInfo, section: str) -> str:
    for link in site.sections:
        if link.label == section:
            return link.url
    return site.home_url


def _newest_date(teasers: Sequence[ArticleTeaser], site: SiteInfo) -> str:
    dates = [teaser.published_at for teaser in teasers if teaser.published_at is not None]
    return masthead_date(max(dates).astimezone(site_zone(site.timezone))) if dates else ""

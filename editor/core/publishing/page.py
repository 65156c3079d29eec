"""The published article page: the renderer's page with media URLs pointing at renditions.

Publishing never assembles an article page itself: it hands the renderer the
same page data the preview gives it (``editor.core.rendering.page``:
``ArticlePage`` built field for field as ``article_data.article_page`` does,
the approved comments, the store's site settings) and chooses only the
``media_url`` resolver and the site's own links (home and tag pages), which
depend on where the page lives. So the published HTML is the preview's HTML
except for media URLs (and, on a multi-page site, those links).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.models import StoreSetting
from editor.core.publishing.checks import PreflightIssue
from editor.core.publishing.content import ArticleContent, ImageRef
from editor.core.publishing.media import rendition_media_url
from editor.core.rendering import checks as layout
from editor.core.rendering.article_data import ASSET_REFERENCE_LENGTH as REFERENCE_LENGTH
from editor.core.rendering.article_data import hero_image
from editor.core.rendering.media import MediaLocator, MediaUrl
from editor.core.rendering.page import ArticlePage, PageComment
from editor.core.rendering.page import SiteInfo as PageSite

SITE_SETTING_PREFIX = "Site/"
# Layout checks pre-flight makes itself, with the severities publishing needs (alt text
# and empty headings block a publish; the preview only advises).
_CHECKED_BY_PREFLIGHT = frozenset(
    {
        layout.CheckKind.MISSING_ALT_TEXT,
        layout.CheckKind.MISSING_ASSET,
        layout.CheckKind.EMPTY_HEADING,
        layout.CheckKind.SKIPPED_HEADING_LEVEL,
    }
)
DEFAULT_SITE_TITLE = "Newsdesk"
# How many hex digits of an asset's SHA-256 the page's ``asset:`` references use.


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """The newsroom's public face, kept in the store as ``Site/...`` settings."""

    title: str = DEFAULT_SITE_TITLE
    description: str = ""
    # "https://news.example.org/" when the site is served; "" for a folder opened locally.
    base_url: str = ""
    language: str = "en"
    timezone: str = "UTC"
    copyright: str = ""

    def absolute(self, path: str) -> str:
        """``path`` (site-relative, no leading slash) as an absolute URL, or as it is."""
        if not self.base_url:
            return path
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def page_site(self, *, root: str = "/", index_file: str = "") -> PageSite:
        """The renderer's ``SiteInfo`` for a page whose way to the site root is ``root``
        ("/" on a served site, "../../../" in a folder); ``index_file`` is "index.html" when
        folder links must name it (a site opened from disk)."""
        return PageSite(
            name=self.title,
            tagline=self.description,
            home_url=f"{root}{index_file}" or "./",
            tag_url=f"{root}tag/{{slug}}/{index_file}",
            copyright=self.copyright,
            language=self.language,
            timezone=self.timezone,
        )

    def served_site(self) -> PageSite:
        """The ``SiteInfo`` of a page served from the site's root: the pages this store and
        another store keep, and what the preview should render with to match them."""
        root = self.base_url.rstrip("/") + "/" if self.base_url else "/"
        return self.page_site(root=root)


def load_site_settings(session: Session) -> SiteSettings:
    rows = session.execute(
        select(StoreSetting.key, StoreSetting.value).where(
            StoreSetting.key.startswith(SITE_SETTING_PREFIX)
        )
    )
    values: dict[str, Any] = {row.key.removeprefix(SITE_SETTING_PREFIX): row.value for row in rows}
    defaults = SiteSettings()
    return SiteSettings(
        title=str(values.get("title") or defaults.title),
        description=str(values.get("description") or ""),
        base_url=str(values.get("base_url") or ""),
        language=str(values.get("language") or defaults.language),
        timezone=str(values.get("timezone") or defaults.timezone),
        copyright=str(values.get("copyright") or ""),
    )


def article_page_data(content: ArticleContent) -> ArticlePage:
    """The renderer's page data, as ``rendering.article_data.article_page`` makes it from a row."""
    return ArticlePage(
        title=content.title,
        body_markdown=content.body,
        dek=content.dek,
        author=content.author,
        category=content.category,
        tags=tuple(tag.name for tag in content.tags),
        slug=content.slug,
        published_at=content.published_at,
        updated_at=content.updated_at,
        view_count=content.view_count,
        comment_count=content.comment_count,
        hero=None if content.featured is None else hero_image(content.featured),
    )


def page_comments(content: ArticleContent) -> list[PageComment]:
    return [
        PageComment(
            id=comment.id,
            author_name=comment.author_name,
            body=comment.body,
            created_at=comment.created_at,
            parent_id=comment.parent_id,
            author_url=comment.author_url,
        )
        for comment in content.comments
    ]


def page_images(content: ArticleContent) -> dict[str, ImageRef]:
    """References the page may ask for: those written in the body and the hero image's."""
    images = dict(content.images)
    if content.featured is not None:
        images.setdefault(content.featured.sha256[:REFERENCE_LENGTH], content.featured)
    return images


def media_url_for(content: ArticleContent, prefix: str) -> MediaLocator:
    return rendition_media_url(page_images(content), prefix)


def render_article_page(
    content: ArticleContent, *, media_url: MediaUrl | MediaLocator, site: PageSite
) -> str:
    """The whole article page, as the preview shows it, with ``media_url`` choosing image URLs."""
    from editor.core.rendering.page import render_article_page as render_page

    return render_page(
        article_page_data(content), page_comments(content), media_url=media_url, site=site
    )


def layout_issues(content: ArticleContent) -> list[PreflightIssue]:
    """The renderer's layout checks (what the preview lists beside the page) as pre-flight
    issues, less those pre-flight makes itself (``checks``, with its own severities)."""
    from editor.core.publishing.checks import ArticleField, CheckKind, Severity
    from editor.core.rendering.body import render_body

    images = page_images(content)

    def lookup(reference: str) -> layout.AssetInfo | None:
        image = images.get(reference.lower()) or next(
            (found for ref, found in images.items() if found.sha256.startswith(reference.lower())),
            None,
        )
        return (
            None if image is None else layout.AssetInfo(image.width, image.height, image.alt_text)
        )

    fields = {
        layout.CheckField.BODY: ArticleField.BODY,
        layout.CheckField.TITLE: ArticleField.TITLE,
        layout.CheckField.HERO: ArticleField.FEATURED_IMAGE,
    }
    found = layout.check_layout(
        article_page_data(content),
        render_body(content.body, media_url=_no_media),
        asset_lookup=lookup,
    )
    return [
        PreflightIssue(
            CheckKind.LAYOUT,
            Severity.ERROR if issue.severity is layout.Severity.ERROR else Severity.WARNING,
            issue.message,
            fields[issue.field],
            issue.line,
        )
        for issue in found
        if not (issue.kind in _CHECKED_BY_PREFLIGHT and issue.field is layout.CheckField.BODY)
        and issue.kind is not layout.CheckKind.HEADLINE_EMPTY
    ]


def _no_media(reference: str, width: int) -> str:
    return ""

"""The published article page: the renderer's page with media URLs pointing at renditions.

Publishing never assembles an article page itself: it hands the content to
the renderer (the same call the preview makes) and chooses only the
``media_url`` resolver, so the published HTML is the preview's HTML except
for media URLs.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.models import StoreSetting
from editor.core.publishing.checks import PreflightIssue
from editor.core.publishing.comments import comments_html
from editor.core.publishing.content import ArticleContent, ImageRef
from editor.core.publishing.media import rendition_media_url
from editor.core.rendering.media import MediaUrl

SITE_SETTING_PREFIX = "Site/"
# As the preview's layout checks: longer headlines wrap badly in listings and search results.
HEADLINE_LIMIT = 110
DEFAULT_SITE_TITLE = "Newsdesk"


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """The newsroom's public face, kept in the store as ``Site/...`` settings."""

    title: str = DEFAULT_SITE_TITLE
    description: str = ""
    # "https://news.example.org/" when the site is served; "" for a folder opened locally.
    base_url: str = ""
    language: str = "en"

    def absolute(self, path: str) -> str:
        """``path`` (site-relative, no leading slash) as an absolute URL, or as it is."""
        if not self.base_url:
            return path
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


def load_site_info(session: Session) -> SiteInfo:
    rows = session.execute(
        select(StoreSetting.key, StoreSetting.value).where(
            StoreSetting.key.startswith(SITE_SETTING_PREFIX)
        )
    )
    values: dict[str, Any] = {row.key.removeprefix(SITE_SETTING_PREFIX): row.value for row in rows}
    defaults = SiteInfo()
    return SiteInfo(
        title=str(values.get("title") or defaults.title),
        description=str(values.get("description") or ""),
        base_url=str(values.get("base_url") or ""),
        language=str(values.get("language") or defaults.language),
    )


def page_images(content: ArticleContent) -> dict[str, ImageRef]:
    """References the page may ask for: those written in the body and the hero image's hash."""
    images = dict(content.images)
    if content.featured is not None:
        images.setdefault(content.featured.sha256, content.featured)
    return images


def media_url_for(content: ArticleContent, prefix: str) -> MediaUrl:
    return rendition_media_url(page_images(content), prefix)


def render_article_page(content: ArticleContent, *, media_url: MediaUrl, site: SiteInfo) -> str:
    """The whole article page, as the preview shows it, with ``media_url`` choosing image URLs."""
    from editor.core.rendering.body import render_body

    # Stand-in until the renderer's page function lands (issue 4): same body, plain shell.
    body = render_body(content.body, media_url=media_url)
    title = html.escape(content.title, quote=False)
    dek = f'<p class="dek">{html.escape(content.dek, quote=False)}</p>' if content.dek else ""
    when = content.published_at
    dateline = f' <time datetime="{when.isoformat()}">{when:%d %B %Y}</time>' if when else ""
    comments = comments_html(content.comments)
    comment_section = (
        f'<section id="comments"><h2>Comments</h2>{comments}</section>' if comments else ""
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(site.language, quote=True)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} – {html.escape(site.title, quote=False)}</title></head><body>"
        f'<header><h1>{title}</h1>{dek}<p class="byline">'
        f"{html.escape(content.author, quote=False)}{dateline}</p></header>"
        f'<article id="article-body">{body.html}</article>{comment_section}</body></html>\n'
    )


def layout_issues(content: ArticleContent) -> list[PreflightIssue]:
    """The checks the preview lists beside the page, as pre-flight issues: the renderer's
    notices about the body (warnings) and an over-long headline."""
    from editor.core.publishing.checks import ArticleField, CheckKind, Severity
    from editor.core.rendering.body import render_body

    issues = [
        PreflightIssue(
            CheckKind.LAYOUT, Severity.WARNING, warning.message, ArticleField.BODY, warning.line
        )
        for warning in render_body(content.body, media_url=_no_media).warnings
    ]
    if len(content.title) > HEADLINE_LIMIT:
        issues.append(
            PreflightIssue(
                CheckKind.LAYOUT,
                Severity.WARNING,
                f"The headline is {len(content.title)} characters; keep it under {HEADLINE_LIMIT}.",
                ArticleField.TITLE,
            )
        )
    return issues


def _no_media(reference: str, width: int) -> str:
    return ""

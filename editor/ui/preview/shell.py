"""The preview's page: the site theme's article page (what publishing writes), with the body
filled and patched block by block, and the layout checks publishing runs.

Built off the UI thread: it reads the article's approved comments and the store's image facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.core.rendering.body import RenderedBody
    from editor.core.rendering.checks import AssetLookup, LayoutIssue
    from editor.core.rendering.page import ArticlePage, PageComment
    from editor.core.store import Store

# Belt and braces beside the request interceptor: the page may load nothing but our images.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src newsdesk-media: data:; style-src 'unsafe-inline'; "
    "font-src data:; script-src 'none'; frame-src 'none'; object-src 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class PageFacts:
    """What the page needs from the store besides the draft: read once per article."""

    comments: tuple[PageComment, ...]
    asset_lookup: AssetLookup
    view_count: int
    featured_asset_id: int | None = None
    # reference, alt text, caption, credit of the featured image
    featured: tuple[str, str, str, str] | None = None
    # The byline's date: a published article shows when it went live, as its page does.
    published_at: datetime | None = None


def load_page_facts(store: Store, article_id: int, featured_asset_id: int | None) -> PageFacts:
    from sqlalchemy import select

    from editor.core.models import Article, ArticleId, Asset
    from editor.core.rendering.article_data import approved_comments, asset_lookup

    with store.session_factory() as session:
        comments = tuple(approved_comments(session, article_id=ArticleId(article_id)))
        lookup = asset_lookup(session)
        views, published_at = session.execute(
            select(Article.view_count, Article.published_at).where(Article.id == article_id)
        ).one_or_none() or (0, None)
        featured = None
        if featured_asset_id is not None:
            row = session.execute(
                select(Asset.sha256, Asset.alt_text, Asset.caption, Asset.credit).where(
                    Asset.id == featured_asset_id
                )
            ).first()
            if row is not None:
                featured = (row.sha256[:12], row.alt_text, row.caption, row.credit)
    return PageFacts(
        comments, lookup, int(views or 0), featured_asset_id, featured, published_at=published_at
    )


def article_page(meta: dict[str, object], facts: PageFacts | None, source: str = "") -> ArticlePage:
    from editor.core.rendering.page import ArticlePage, HeroImage

    hero = None
    if (
        facts is not None
        and facts.featured is not None
        and meta.get("featured_asset_id") is not None
    ):
        reference, alt_text, caption, credit = facts.featured
        info = facts.asset_lookup(reference)
        hero = HeroImage(
            reference=reference,
            alt_text=alt_text,
            caption=caption,
            credit=credit,
            width=info.width if info else None,
            height=info.height if info else None,
        )
    tags = meta.get("tags") or ()
    return ArticlePage(
        title=str(meta.get("title") or ""),
        body_markdown=source,
        dek=str(meta.get("dek") or ""),
        author=str(meta.get("author") or ""),
        category=str(meta.get("category") or ""),
        tags=tuple(str(tag) for tag in tags) if isinstance(tags, list | tuple) else (),
        slug=str(meta.get("slug") or ""),
        published_at=meta.get("published_at")  # type: ignore[arg-type]
        or (facts.published_at if facts is not None else None),
        updated_at=meta.get("updated_at"),  # type: ignore[arg-type]
        view_count=facts.view_count if facts is not None else 0,
        hero=hero,
    )


def preview_shell(meta: dict[str, object], facts: PageFacts | None) -> str:
    """The theme's page with an empty body, ready for the body to be filled in."""
    from editor.core.rendering import render_article_page, render_body
    from editor.ui.preview.web import media_url

    page = render_article_page(
        article_page(meta, facts),
        facts.comments if facts is not None else (),
        media_url=media_url,
        body=render_body("", media_url=media_url),
    )
    policy = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    return page.replace("<head>", f"<head>\n{policy}", 1)


def layout_checks(
    body: RenderedBody, meta: dict[str, object], facts: PageFacts | None
) -> list[LayoutIssue]:
    """The checks publishing runs (errors first)."""
    from editor.core.rendering import check_layout
    from editor.core.rendering.checks import Severity

    lookup: AssetLookup = facts.asset_lookup if facts is not None else (lambda _reference: None)
    issues = check_layout(article_page(meta, facts), body, asset_lookup=lookup)
    return sorted(
        issues, key=lambda issue: (issue.severity is not Severity.ERROR, issue.line or -1)
    )

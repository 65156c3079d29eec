"""The article page: a real news page around the body, comments escaped and threaded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from editor.core.models import Article
from editor.core.rendering.article_data import approved_comments, article_page
from editor.core.rendering.body import render_body
from editor.core.rendering.media import media_folder_url
from editor.core.rendering.page import (
    MAX_COMMENT_DEPTH,
    ArticlePage,
    ArticleTeaser,
    HeroImage,
    Link,
    PageComment,
    SiteInfo,
    comment_threads,
    format_comment_body,
    render_article_page,
    render_index_page,
    render_tag_page,
)
from editor.core.rendering.theme import ThemeNotFound, load_theme

PREVIEW_MEDIA = media_folder_url("newsdesk-media:/")
PUBLISHED_MEDIA = media_folder_url("/media/")
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SITE = SiteInfo(
    name="Riverside Courier",
    sections=(Link("News", "/news/"), Link("Community", "/community/")),
    comment_action="/comments",
)


class Outline(HTMLParser):
    """Every element with its attributes, and the text under chosen ids."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def find(self, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for tag, attrs in self.elements
            if all(
                (tag if key == "tag" else attrs.get(key)) == value for key, value in wanted.items()
            )
        ]


def parse(page: str) -> Outline:
    outline = Outline()
    outline.feed(page)
    return outline


def article(**changes: Any) -> ArticlePage:
    fields: dict[str, Any] = {
        "title": "Flood Barrier Holds in First Full Test",
        "body_markdown": "First paragraph.\n\n## Section\n\nMore text.",
        "dek": "Engineers closed the river for four hours.",
        "author": "Mara Quinn",
        "category": "News",
        "tags": ("Flooding", "Weir Street"),
        "slug": "flood-barrier",
        "published_at": NOON,
        "updated_at": NOON + timedelta(hours=3),
        "view_count": 1834,
        "hero": HeroImage(
            "0123456789ab", "Engineers lower the gate", "The trial.", "Photo: MQ", 1600, 900
        ),
    }
    fields.update(changes)
    return ArticlePage(**fields)


def comment(identifier: int, body: str, parent: int | None = None, **changes: Any) -> PageComment:
    fields: dict[str, Any] = {
        "id": identifier,
        "author_name": f"Reader {identifier}",
        "body": body,
        "created_at": NOON + timedelta(minutes=identifier),
        "parent_id": parent,
    }
    fields.update(changes)
    return PageComment(**fields)


def test_the_page_has_the_parts_of_a_news_article() -> None:
    page = render_article_page(
        article(), [comment(1, "Nice.")], media_url=PUBLISHED_MEDIA, site=SITE
    )
    outline = parse(page)
    assert "Riverside Courier" in page
    assert '<p class="story-category"><a href="/news/">News</a></p>' in page
    assert '<h1 class="story-title">Flood Barrier Holds in First Full Test</h1>' in page
    assert '<p class="story-dek">Engineers closed the river for four hours.</p>' in page
    assert 'By <span class="author">Mara Quinn</span>' in page
    assert (
        '<time class="published" datetime="2026-11-24T12:00:00+00:00">24 November 2026</time>'
        in page
    )
    assert "Updated" in page and ">1,834<" in page
    hero = outline.find(tag="img", alt="Engineers lower the gate")[0]
    assert hero["src"] == "/media/0123456789ab-800.jpg"
    assert "/media/0123456789ab-1600.jpg 1600w" in str(hero["srcset"])
    assert outline.find(tag="article", id="article-body")
    assert len(outline.find(tag="section", id="comments")) == 1
    form = outline.find(tag="form", id="comment-form")[0]
    assert form["action"] == "/comments" and form["method"] == "post"
    for field in ("comment", "author", "email", "url"):
        assert outline.find(id=field, name=field), field
    assert "This site uses a spam filter to reduce spam." in page
    assert 'rel="tag">Weir Street</a>' in page
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_the_body_children_are_the_blocks_with_their_ids() -> None:
    body = render_body(article().body_markdown, media_url=PREVIEW_MEDIA)
    page = render_article_page(article(), media_url=PREVIEW_MEDIA, body=body)
    inside = page.split('id="article-body">', 1)[1].split("</article>", 1)[0]
    assert inside.strip() == body.html
    assert [
        attrs["data-block"] for _tag, attrs in parse(inside).elements if "data-block" in attrs
    ] == [block.id for block in body.blocks]


def test_preview_and_publishing_pages_differ_only_in_media_urls() -> None:
    source = article(body_markdown='Text.\n\n![Gate](asset:0123456789ab "Photo")\nCaption.')
    preview = render_article_page(source, media_url=PREVIEW_MEDIA, site=SITE)
    published = render_article_page(source, media_url=PUBLISHED_MEDIA, site=SITE)
    assert preview != published
    assert preview.replace("newsdesk-media:/", "/media/") == published


def test_comments_are_escaped_text_with_nofollow_links() -> None:
    hostile = comment(
        1,
        "<script>alert(1)</script> <img src=x onerror=alert(2)> see https://example.org/page?a=1&b=2\n\nbye",
        author_name="<b>Eve</b>",
        author_url="javascript:alert(3)",
    )
    friendly = comment(2, "Hi", author_url="https://reader.example/")
    page = render_article_page(article(), [hostile, friendly], media_url=PUBLISHED_MEDIA)
    comments_html = page.split('id="comments"', 1)[1]
    assert "<script" not in comments_html and "<img" not in comments_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in comments_html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in comments_html
    assert "javascript:" not in comments_html
    assert (
        '<a href="https://example.org/page?a=1&amp;b=2" rel="nofollow ugc">'
        "https://example.org/page?a=1&amp;b=2</a>" in comments_html
    )
    assert '<a href="https://reader.example/" rel="nofollow ugc">Reader 2</a>' in comments_html
    assert format_comment_body("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>"


def test_comments_are_threaded_oldest_first_and_depth_is_capped() -> None:
    comments = [comment(1, "root"), comment(3, "second root"), comment(2, "reply", parent=1)]
    # A chain deeper than the page nests, and a reply to a comment that is not shown.
    chain = [comment(10, "c0")] + [comment(10 + n, f"c{n}", parent=9 + n) for n in range(1, 9)]
    orphan = comment(40, "orphan", parent=999)
    threads = comment_threads(comments + chain + [orphan])
    assert [node.comment.id for node in threads] == [1, 3, 10, 40]
    assert [child.comment.id for child in threads[0].children] == [2]
    depths = []
    node = threads[2]
    while True:
        depths.append(node.depth)
        if not node.children:
            break
        node = node.children[0]
    assert max(depths) == MAX_COMMENT_DEPTH
    page = render_article_page(article(), comments + chain, media_url=PUBLISHED_MEDIA)
    assert page.count('class="comment depth-') == len(comments + chain)
    assert "3 Comments" not in page and "12 Comments" in page


def test_a_draft_without_dates_hero_or_comments_still_renders() -> None:
    draft = article(published_at=None, updated_at=None, hero=None, author="", tags=(), dek="")
    page = render_article_page(draft, media_url=PUBLISHED_MEDIA)
    assert "Not yet published" in page and "No Comments Yet" in page
    assert 'class="story-hero"' not in page


def test_index_and_tag_pages_list_teasers() -> None:
    teasers = [
        ArticleTeaser(
            "Lead story",
            "/lead/",
            "Its dek",
            "News",
            "Mara Quinn",
            NOON,
            HeroImage("0123456789ab", "alt"),
        ),
        ArticleTeaser("Second story", "/second/", published_at=NOON - timedelta(days=1)),
    ]
    index = render_index_page(teasers, media_url=PUBLISHED_MEDIA, site=SITE)
    assert index.index("Lead story") < index.index("Second story")
    assert 'src="/media/0123456789ab-800.jpg"' in index
    assert "Tuesday, 24 November 2026" in index
    tagged = render_tag_page("Weir Street", teasers[1:], media_url=PUBLISHED_MEDIA, site=SITE)
    assert '<h1 class="listing-title">Weir Street</h1>' in tagged and "Second story" in tagged


def test_a_missing_theme_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ThemeNotFound, match="not found"):
        load_theme("no-such-theme")
    (tmp_path / "base.html").write_text("x")
    with pytest.raises(ThemeNotFound, match="lacks"):
        load_theme("broken", folder=tmp_path)


def test_the_demo_lead_article_renders_from_the_store(demo_store: Any) -> None:
    with demo_store.session_factory() as session:
        lead = session.scalars(select(Article).order_by(Article.comment_count.desc())).first()
        page_data = article_page(lead)
        comments = approved_comments(session, article_id=lead.id)
    assert comments and page_data.hero is not None
    page = render_article_page(page_data, comments, media_url=PUBLISHED_MEDIA, site=SITE)
    outline = parse(page)
    assert len(outline.find(tag="figure", **{"class": "figure"})) == 2
    assert outline.find(tag="figure", **{"class": "quote"})
    assert page.count('class="comment depth-') == len(comments)
    assert outline.find(tag="li", **{"class": "comment depth-2"})

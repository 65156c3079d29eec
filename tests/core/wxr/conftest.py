"""Shared WXR files, small hand-made exports, and stores to import them into."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from editor.core.models import (
    Article,
    ArticleTag,
    Comment,
    MediaReference,
    Revision,
    StoreBlob,
    Tag,
)


@pytest.fixture(scope="session")
def wxr_dir(shared_data: Path) -> Path:
    return shared_data / "wxr"


def comment_xml(
    comment_id: int,
    *,
    parent: int = 0,
    approved: str = "1",
    comment_type: str = "",
    content: str = "A fine article.",
    author: str = "Reader",
    date: str = "2020-01-02 10:00:00",
) -> str:
    return f"""
        <wp:comment>
            <wp:comment_id>{comment_id}</wp:comment_id>
            <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
            <wp:comment_author_email>reader{comment_id}@example.org</wp:comment_author_email>
            <wp:comment_author_url>https://example.org/{comment_id}</wp:comment_author_url>
            <wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>
            <wp:comment_date>{date}</wp:comment_date>
            <wp:comment_date_gmt>{date}</wp:comment_date_gmt>
            <wp:comment_content><![CDATA[{content}]]></wp:comment_content>
            <wp:comment_approved>{approved}</wp:comment_approved>
            <wp:comment_type>{comment_type}</wp:comment_type>
            <wp:comment_parent>{parent}</wp:comment_parent>
        </wp:comment>"""


def item_xml(
    post_id: int | None,
    *,
    title: str = "A post",
    content: str = "<p>Body.</p>",
    status: str = "publish",
    post_type: str = "post",
    post_name: str | None = None,
    date: str = "2020-01-01 09:00:00",
    date_gmt: str | None = None,
    comments: Iterable[str] = (),
    terms: str = '<category domain="category" nicename="news"><![CDATA[News]]></category>',
    extra: str = "",
) -> str:
    post_id_line = f"<wp:post_id>{post_id}</wp:post_id>" if post_id is not None else ""
    name = post_name if post_name is not None else f"post-{post_id}"
    return f"""
    <item>
        <title><![CDATA[{title}]]></title>
        <link>{f"https://news.example.org/?p={post_id}" if post_id else "https://news.example.org/a-post/"}</link>
        <dc:creator><![CDATA[editor]]></dc:creator>
        <content:encoded><![CDATA[{content}]]></content:encoded>
        <excerpt:encoded><![CDATA[]]></excerpt:encoded>
        {post_id_line}
        <wp:post_date>{date}</wp:post_date>
        <wp:post_date_gmt>{date_gmt if date_gmt is not None else date}</wp:post_date_gmt>
        <wp:post_name>{name}</wp:post_name>
        <wp:status>{status}</wp:status>
        <wp:post_type>{post_type}</wp:post_type>
        {terms}
        {extra}
        {"".join(comments)}
    </item>"""


def wxr_xml(
    items: Iterable[str],
    *,
    version: str = "1.2",
    scheme: str = "https",
    root_extra: str = "",
    channel_extra: str = "",
    authors: bool = True,
) -> str:
    namespace = f"{scheme}://wordpress.org/export/{version}/"
    author = (
        """<wp:author><wp:author_login><![CDATA[editor]]></wp:author_login>
        <wp:author_display_name><![CDATA[Priya Natarajan]]></wp:author_display_name></wp:author>"""
        if authors
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{namespace}excerpt/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{namespace}"{root_extra}>
<channel>
    <title>Riverside News</title>
    <link>https://news.example.org</link>
    <wp:wxr_version>{version}</wp:wxr_version>
    <wp:base_site_url>https://news.example.org</wp:base_site_url>
    <wp:base_blog_url>https://news.example.org</wp:base_blog_url>
    {author}
    {channel_extra}
    {"".join(items)}
</channel>
</rss>
"""


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


def table_counts(session: object) -> dict[str, int]:
    """Rows per table the importer writes: equal before and after means nothing changed."""
    counts = {}
    for model in (Article, Comment, MediaReference, Tag, ArticleTag, Revision, StoreBlob):
        counts[model.__name__] = session.scalar(select(func.count()).select_from(model))  # type: ignore[attr-defined]
    return counts


def store_snapshot(session: object) -> dict[str, object]:
    """Every value the importer writes, to compare a store before and after."""
    articles = session.execute(  # type: ignore[attr-defined]
        select(
            Article.external_id,
            Article.title,
            Article.slug,
            Article.body,
            Article.status,
            Article.version,
            Article.extra,
            Article.comment_count,
        ).order_by(Article.id)
    ).all()
    comments = session.execute(  # type: ignore[attr-defined]
        select(Comment.external_id, Comment.status, Comment.parent_id, Comment.body).order_by(
            Comment.id
        )
    ).all()
    return {"articles": articles, "comments": comments, "counts": table_counts(session)}


@pytest.fixture
def opened_sqlite(sqlite_url: str) -> Iterator[object]:
    from editor.core.store import open_store

    store = open_store(sqlite_url)
    try:
        yield store
    finally:
        store.close()

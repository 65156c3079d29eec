"""The site's Atom feed (RFC 4287) and sitemap.xml (sitemaps.org 0.9).

Both need absolute URLs: the site's base URL when one is set, else the
folder's own ``file:`` URL (so they still validate, and readers on this
machine can follow them). Entry ids are ``urn:uuid:<article uuid>``, so an
article keeps its identity in feed readers across renames and re-publishing.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from datetime import UTC, datetime

from editor.core.publishing.content import ArticleContent
from editor.core.publishing.site.listing import article_path

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_ENTRIES = 20


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(
    *,
    articles: Sequence[ArticleContent],
    site_title: str,
    base: str,
    description: str = "",
    index_file: str = "",
) -> bytes:
    """The newest ``FEED_ENTRIES`` articles; ``base`` is the absolute site URL ending in "/",
    ``index_file`` what a folder link needs after it ("index.html" on disk, "" served)."""
    newest = list(articles[:FEED_ENTRIES])
    ElementTree.register_namespace("", ATOM_NAMESPACE)

    def tag(name: str) -> str:
        return f"{{{ATOM_NAMESPACE}}}{name}"

    feed = ElementTree.Element(tag("feed"))
    ElementTree.SubElement(feed, tag("id")).text = (
        base if base.startswith(("http://", "https://")) else _site_urn(base)
    )
    ElementTree.SubElement(feed, tag("title")).text = site_title
    if description:
        ElementTree.SubElement(feed, tag("subtitle")).text = description
    ElementTree.SubElement(feed, tag("link"), rel="self", href=base + "feed.xml")
    ElementTree.SubElement(feed, tag("link"), rel="alternate", href=base + index_file)
    updated = max(
        (_updated(content) for content in newest), default=datetime(1970, 1, 1, tzinfo=UTC)
    )
    ElementTree.SubElement(feed, tag("updated")).text = _iso(updated)
    ElementTree.SubElement(
        ElementTree.SubElement(feed, tag("author")), tag("name")
    ).text = site_title
    for content in newest:
        assert content.published_at is not None
        entry = ElementTree.SubElement(feed, tag("entry"))
        ElementTree.SubElement(entry, tag("id")).text = f"urn:uuid:{content.uuid}"
        ElementTree.SubElement(entry, tag("title")).text = content.title
        ElementTree.SubElement(
            entry,
            tag("link"),
            rel="alternate",
            type="text/html",
            href=base + article_path(content) + index_file,
        )
        ElementTree.SubElement(entry, tag("published")).text = _iso(content.published_at)
        ElementTree.SubElement(entry, tag("updated")).text = _iso(_updated(content))
        if content.author:
            author = ElementTree.SubElement(entry, tag("author"))
            ElementTree.SubElement(author, tag("name")).text = content.author
        for tag_ref in content.tags:
            ElementTree.SubElement(entry, tag("category"), term=tag_ref.slug, label=tag_ref.name)
        ElementTree.SubElement(entry, tag("summary")).text = content.dek or content.title
    document: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def sitemap(
    *, paths: Sequence[tuple[str, datetime | None]], base: str, index_file: str = ""
) -> bytes:
    ElementTree.register_namespace("", SITEMAP_NAMESPACE)
    urlset = ElementTree.Element(f"{{{SITEMAP_NAMESPACE}}}urlset")
    for path, modified in paths:
        entry = ElementTree.SubElement(urlset, f"{{{SITEMAP_NAMESPACE}}}url")
        ElementTree.SubElement(entry, f"{{{SITEMAP_NAMESPACE}}}loc").text = base + path + index_file
        if modified is not None:
            ElementTree.SubElement(entry, f"{{{SITEMAP_NAMESPACE}}}lastmod").text = _iso(modified)
    document: bytes = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _updated(content: ArticleContent) -> datetime:
    assert content.published_at is not None
    return max(content.published_at, content.updated_at)


def _site_urn(base: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base)}"

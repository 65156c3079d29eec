"""An exported site is whole: every image URL (``src`` and each ``srcset`` candidate) and every
site link in every page names a file of the export, every rendition written is used, and
paged listings (front page, tag pages) link their newer and older pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from editor.core.articles.service import create_draft
from editor.core.images import ImageCache, ingest_image
from editor.core.publishing import export_site, publish_article
from editor.core.publishing.site import listing
from editor.core.store import Store
from tests.core.publishing.conftest import make_article, small_photo

ARTICLES = 5
PAGE_SIZE = 2  # so five articles fill three listing pages
RENDITION_NAME = re.compile(r"-(\d+)w\.(jpg|webp)$")


class PageLinks(HTMLParser):
    """What a page points at: image URLs by element, links with their rel and text, and
    each ``<picture>``'s children."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (tag, attribute, URL, width descriptor or "")
        self.images: list[tuple[str, str, str, str]] = []
        self.links: list[tuple[str, str]] = []
        self.pictures: list[list[tuple[str, dict[str, str]]]] = []
        self.pagination: list[tuple[str, str]] = []  # (rel, href)
        self.pagination_text = ""
        self._in_picture = False
        self._in_pagination = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "picture":
            self._in_picture = True
            self.pictures.append([])
        elif self._in_picture:
            self.pictures[-1].append((tag, found))
        if tag == "nav" and found.get("aria-label") == "Pagination":
            self._in_pagination = True
        if "src" in found:
            self.images.append((tag, "src", found["src"], ""))
        for candidate in found.get("srcset", "").split(","):
            parts = candidate.split()
            if parts:
                self.images.append((tag, "srcset", parts[0], parts[1] if len(parts) > 1 else ""))
        if tag == "a" and "href" in found:
            self.links.append((found.get("rel", ""), found["href"]))
            if self._in_pagination:
                self.pagination.append((found.get("rel", ""), found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self._in_picture = False
        if tag == "nav":
            self._in_pagination = False

    def handle_data(self, data: str) -> None:
        if self._in_pagination:
            self.pagination_text += data


def parse(page: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def target_of(page: Path, url: str) -> Path | None:
    """The file a relative URL in ``page`` names (a folder's index.html), or None for a URL
    that leaves the site (another scheme, an absolute path) or stays on the page."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("/", "#")) or not parts.path:
        return None
    target = page.parent / unquote(parts.path)
    return target / "index.html" if url.endswith("/") or target.is_dir() else target


@pytest.fixture
def site(store: Store, image_cache: ImageCache, tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """Five published articles, all tagged "Flooding": one with a 1800 px hero image, one
    with a 300 px figure (a single rendition width), exported with two teasers a page."""
    monkeypatch.setattr(listing, "PAGE_SIZE", PAGE_SIZE)
    ids = [
        make_article(
            store, image_cache, title=f"Story {n}", seed=n, tags=("Flooding",), with_comments=False
        ).id
        for n in range(1, ARTICLES)
    ]
    with store.session_factory.begin() as session:
        hero = ingest_image(
            session,
            data=small_photo(91, (1800, 1200)),
            filename="hero.jpg",
            cache=image_cache,
            alt_text="The river at dawn",
            caption="The river at dawn.",
            credit="Photo: Ada",
        )
        tiny = ingest_image(
            session, data=small_photo(92, (300, 200)), filename="tiny.jpg", cache=image_cache
        )
        ids.append(
            create_draft(
                session,
                title="Story with a hero",
                author="Mara Quinn",
                body=f'Text.\n\n![A small map](asset:{tiny.sha256[:12]} "Map: Ben")\nThe map.',
                tags=["Flooding", "Maps"],
                featured_asset_id=hero.asset_id,
            ).id
        )
    for article_id in ids:
        publish_article(
            store, article_id=article_id, target="this-store", author="Ed", cache=image_cache
        )
    folder = tmp_path / "export"
    export_site(store, folder=folder, cache=image_cache)
    return folder


def test_every_image_and_link_in_every_exported_page_names_a_file_of_the_export(
    site: Path,
) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == ARTICLES + 3 + 3 + 1  # articles, front pages, Flooding pages, Maps
    media = {path.resolve() for path in (site / "media").iterdir()}
    used: set[Path] = set()
    for page in pages:
        found = parse(page)
        for tag, attribute, url, descriptor in found.images:
            target = target_of(page, url)
            assert target is not None and target.is_file(), f"{page}: {tag} {attribute}={url}"
            used.add(target.resolve())
            if attribute == "srcset":
                # Each candidate is described by its file's real width.
                name = RENDITION_NAME.search(url)
                assert name is not None and descriptor == f"{name.group(1)}w", (page, url)
        for _rel, url in found.links:
            target = target_of(page, url)
            if target is not None:
                assert target.is_file(), f"{page}: link {url}"
        for children in found.pictures:
            (source, source_attrs), (image, image_attrs) = children
            assert (source, image) == ("source", "img")
            assert source_attrs["type"] == "image/webp"
            assert all(url.endswith(".webp") for url in _urls(source_attrs["srcset"]))
            assert image_attrs["src"].endswith(".jpg")
            assert all(url.endswith(".jpg") for url in _urls(image_attrs["srcset"]))
            assert sorted(_widths(source_attrs["srcset"])) == sorted(_widths(image_attrs["srcset"]))
    # The pages use every rendition the export wrote, JPEG and WebP alike.
    assert used >= media and {path.suffix for path in media} == {".jpg", ".webp"}


def test_the_hero_and_a_small_figure_list_only_their_renditions(site: Path) -> None:
    (page,) = [path for path in site.rglob("index.html") if path.parent.name == "story-with-a-hero"]
    hero_picture, figure_picture = parse(page).pictures
    hero_source, hero_image = (attrs for _tag, attrs in hero_picture)
    assert _widths(hero_source["srcset"]) == _widths(hero_image["srcset"]) == [400, 800, 1600]
    assert hero_image["src"].endswith("-800w.jpg")
    assert (hero_image["width"], hero_image["height"]) == ("1800", "1200")
    figure_source, figure_image = (attrs for _tag, attrs in figure_picture)
    assert _widths(figure_source["srcset"]) == _widths(figure_image["srcset"]) == [300]
    assert figure_image["src"].endswith("-300w.jpg")


def test_paged_listings_link_newer_and_older_pages_that_exist(site: Path) -> None:
    for first in (site / "index.html", site / "tag" / "flooding" / "index.html"):
        folder = first.parent
        pages = [first, folder / "page" / "2" / "index.html", folder / "page" / "3" / "index.html"]
        for number, page in enumerate(pages, start=1):
            found = parse(page)
            rels = [rel for rel, _href in found.pagination]
            expected = {1: ["next"], 2: ["prev", "next"], 3: ["prev"]}[number]
            assert rels == expected, page
            assert " ".join(found.pagination_text.split()).count(f"Page {number} of 3") == 1
            for rel, href in found.pagination:
                target = target_of(page, href)
                neighbour = pages[number - 2] if rel == "prev" else pages[number]
                assert target is not None and target.resolve() == neighbour.resolve(), href
        assert not (folder / "page" / "4").exists()
    # A tag with one page of articles has no pagination.
    assert parse(site / "tag" / "maps" / "index.html").pagination == []
    sitemap = (site / "sitemap.xml").read_text()
    assert "tag/flooding/page/3/index.html" in sitemap and "page/3/index.html" in sitemap


def _urls(srcset: str) -> list[str]:
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]


def _widths(srcset: str) -> list[int]:
    return [int(candidate.split()[1][:-1]) for candidate in srcset.split(",") if candidate.strip()]

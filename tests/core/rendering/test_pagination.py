"""The theme's pagination under paged listings: "Newer" / "Page N of M" / "Older" with
``rel="prev"``/``rel="next"`` in a labelled ``<nav>``, drawn from the ``Pagination`` given."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from editor.core.rendering.media import media_folder_url
from editor.core.rendering.page import (
    ArticleTeaser,
    Pagination,
    render_index_page,
    render_tag_page,
)

MEDIA = media_folder_url("/media/")
TEASERS = [ArticleTeaser("A story", "/a/"), ArticleTeaser("Another story", "/b/")]


class _Navigation(HTMLParser):
    """The pagination ``<nav>``s of a page: their attributes, links (rel, href, text) and
    the text outside links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.navs: list[dict[str, str | None]] = []
        self.links: list[tuple[str | None, str | None, str]] = []
        self.status = ""
        self._depth = 0
        self._link: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and "pagination" in (found.get("class") or ""):
            self.navs.append(found)
            self._depth = 1
            return
        if not self._depth:
            return
        self._depth += 1
        if tag == "a":
            self._link = []
            self.links.append((found.get("rel"), found.get("href"), ""))
        if found.get("aria-hidden") == "true" or self._hidden:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._hidden:
            self._hidden -= 1
        if tag == "a" and self._link is not None:
            rel, href, _ = self.links[-1]
            self.links[-1] = (rel, href, " ".join("".join(self._link).split()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if not self._depth or self._hidden:
            return
        if self._link is not None:
            self._link.append(data)
        else:
            self.status += data


def navigation(page: str) -> _Navigation:
    parser = _Navigation()
    parser.feed(page)
    parser.close()
    return parser


PAGES = [
    (Pagination(1, 3, None, "page/2/"), [("next", "page/2/", "Older articles")]),
    (
        Pagination(2, 3, "../../", "../3/"),
        [("prev", "../../", "Newer articles"), ("next", "../3/", "Older articles")],
    ),
    (Pagination(3, 3, "../2/", None), [("prev", "../2/", "Newer articles")]),
]


@pytest.mark.parametrize(("pagination", "links"), PAGES)
@pytest.mark.parametrize("listing", ["index", "tag"])
def test_each_page_links_to_the_pages_that_exist_beside_it(
    pagination: Pagination, links: list[tuple[str, str, str]], listing: str
) -> None:
    if listing == "index":
        page = render_index_page(TEASERS, media_url=MEDIA, pagination=pagination)
    else:
        page = render_tag_page("Flooding", TEASERS, media_url=MEDIA, pagination=pagination)
    found = navigation(page)
    assert found.navs == [{"class": "pagination", "aria-label": "Pagination"}]
    assert found.links == links
    assert " ".join(found.status.split()) == f"Page {pagination.number} of {pagination.count}"
    # Later pages say which page they are at the top and in the title too.
    if pagination.number > 1:
        assert f"Page {pagination.number}" in page.split("</title>")[0]


@pytest.mark.parametrize("pagination", [None, Pagination(1, 1)])
def test_a_listing_of_one_page_has_no_pagination(pagination: Pagination | None) -> None:
    for page in (
        render_index_page(TEASERS, media_url=MEDIA, pagination=pagination),
        render_tag_page("Flooding", TEASERS, media_url=MEDIA, pagination=pagination),
    ):
        assert navigation(page).navs == [] and 'rel="next"' not in page


def test_the_theme_styles_the_pagination() -> None:
    page = render_index_page(TEASERS, media_url=MEDIA, pagination=Pagination(2, 3, "a", "b"))
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    for selector in (
        ".pagination {",
        ".pagination-newer",
        ".pagination-older",
        ".pagination-link:focus-visible",
    ):
        assert selector in style

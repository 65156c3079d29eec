"""The site's listing pages, drawn by the theme: the front page (newest first, in pages of
``PAGE_SIZE``) and one page per tag; and where every page lives.

Links are relative, so the folder works opened straight from disk (``file://``)
as well as served; without a base URL they name ``index.html`` explicitly,
since a browser opening a folder from disk shows a listing, not its index.
Tag pages live at the tag's slug as the theme links to it (``tag_slug``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from editor.core.publishing.content import ArticleContent, ImageRef
from editor.core.publishing.media import rendition_media_url
from editor.core.publishing.page import SiteSettings
from editor.core.rendering.article_data import ASSET_REFERENCE_LENGTH as REFERENCE_LENGTH
from editor.core.rendering.article_data import hero_image
from editor.core.rendering.page import ArticleTeaser, render_index_page, render_tag_page, tag_slug

PAGE_SIZE = 20
INDEX_FILE = "index.html"
MEDIA_FOLDER = "media/"


def article_path(content: ArticleContent) -> str:
    when = content.published_at
    assert when is not None
    return f"{when:%Y}/{when:%m}/{content.slug}/"


def tag_path(tag_name: str) -> str:
    return f"tag/{tag_slug(tag_name)}/"


def index_path(number: int) -> str:
    return "" if number == 1 else f"page/{number}/"


def root_of(path: str) -> str:
    """The way back to the site root from the page at ``path``: "a/b/" → "../../"."""
    return "../" * path.count("/")


def index_file_for(site: SiteSettings) -> str:
    return "" if site.base_url else INDEX_FILE


def relative_link(root: str, path: str, site: SiteSettings) -> str:
    """A link from a page ``root`` away from the site root to the site path ``path``."""
    return (root + path + index_file_for(site)) or "./"


def render_index(
    *,
    site: SiteSettings,
    number: int,
    pages: int,
    articles: Sequence[ArticleContent],
    images: Mapping[str, ImageRef],
) -> bytes:
    path = index_path(number)
    root = root_of(path)
    page = render_index_page(
        [_teaser(content, root, site) for content in articles],
        media_url=rendition_media_url(images, root + MEDIA_FOLDER),
        site=site.page_site(root=root, index_file=index_file_for(site)),
        heading="" if number == 1 else f"Page {number} of {pages}",
    )
    newer = None if number == 1 else relative_link(root, index_path(number - 1), site)
    older = None if number == pages else relative_link(root, index_path(number + 1), site)
    return _with_page_links(page, newer=newer, older=older).encode()


def render_tag(
    *,
    site: SiteSettings,
    tag_name: str,
    articles: Sequence[ArticleContent],
    images: Mapping[str, ImageRef],
) -> bytes:
    root = root_of(tag_path(tag_name))
    return render_tag_page(
        tag_name,
        [_teaser(content, root, site) for content in articles],
        media_url=rendition_media_url(images, root + MEDIA_FOLDER),
        site=site.page_site(root=root, index_file=index_file_for(site)),
    ).encode()


def listing_images(articles: Sequence[ArticleContent]) -> dict[str, ImageRef]:
    """Teaser pictures by the reference the theme asks for."""
    found: dict[str, ImageRef] = {}
    for content in articles:
        picture = teaser_picture(content)
        if picture is not None:
            found[picture.sha256[:REFERENCE_LENGTH]] = picture
    return found


def teaser_picture(content: ArticleContent) -> ImageRef | None:
    """The featured image, else the article's first figure."""
    if content.featured is not None:
        return content.featured
    return next(iter(content.images.values()), None)


def _teaser(content: ArticleContent, root: str, site: SiteSettings) -> ArticleTeaser:
    picture = teaser_picture(content)
    return ArticleTeaser(
        title=content.title,
        url=relative_link(root, article_path(content), site),
        dek=content.dek,
        category=content.category,
        author=content.author,
        published_at=content.published_at,
        hero=None if picture is None else hero_image(picture),
        comment_count=content.comment_count,
    )


def _with_page_links(page: str, *, newer: str | None, older: str | None) -> str:
    """The front page's "Newer"/"Older" links (the theme's index has none), before
    ``</main>``."""
    if newer is None and older is None:
        return page
    links = []
    if newer is not None:
        links.append(f'<a rel="prev" href="{html.escape(newer, quote=True)}">← Newer</a>')
    if older is not None:
        links.append(f'<a rel="next" href="{html.escape(older, quote=True)}">Older →</a>')
    navigation = (
        '<nav class="wrap pagination" aria-label="Pages" '
        'style="display:flex;justify-content:space-between;padding:1.5em 0">'
        + "".join(links)
        + "</nav>\n"
    )
    head, marker, tail = page.rpartition("</main>")
    return f"{head}{navigation}{marker}{tail}" if marker else page + navigation

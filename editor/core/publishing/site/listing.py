"""The site's listing pages, drawn by the theme: the front page and one page per tag, each
newest first in pages of ``PAGE_SIZE`` with "Newer"/"Older" links (the theme's
``_pagination.html``, from the ``Pagination`` made here); and where every page lives.

Links are relative, so the folder works opened straight from disk (``file://``)
as well as served; without a base URL they name ``index.html`` explicitly,
since a browser opening a folder from disk shows a listing, not its index.
Tag pages live at the tag's slug as the theme links to it (``tag_slug``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from editor.core.publishing.content import ArticleContent, ImageRef
from editor.core.publishing.media import rendition_media_url
from editor.core.publishing.page import SiteSettings
from editor.core.rendering.article_data import ASSET_REFERENCE_LENGTH as REFERENCE_LENGTH
from editor.core.rendering.article_data import hero_image
from editor.core.rendering.page import (
    ArticleTeaser,
    Pagination,
    render_index_page,
    render_tag_page,
    tag_slug,
)

PAGE_SIZE = 20
INDEX_FILE = "index.html"
MEDIA_FOLDER = "media/"


def article_path(content: ArticleContent) -> str:
    when = content.published_at
    assert when is not None
    return f"{when:%Y}/{when:%m}/{content.slug}/"


def tag_path(tag_name: str, number: int = 1) -> str:
    first = f"tag/{tag_slug(tag_name)}/"
    return first if number == 1 else f"{first}page/{number}/"


def index_path(number: int) -> str:
    return "" if number == 1 else f"page/{number}/"


def page_count(articles: int) -> int:
    """How many listing pages ``articles`` fill (one, empty, when there are none)."""
    return max(1, -(-articles // PAGE_SIZE))


def on_page(articles: Sequence[ArticleContent], number: int) -> Sequence[ArticleContent]:
    return articles[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]


def root_of(path: str) -> str:
    """The way back to the site root from the page at ``path``: "a/b/" → "../../"."""
    return "../" * path.count("/")


def index_file_for(site: SiteSettings) -> str:
    return "" if site.base_url else INDEX_FILE


def relative_link(root: str, path: str, site: SiteSettings) -> str:
    """A link from a page ``root`` away from the site root to the site path ``path``."""
    return (root + path + index_file_for(site)) or "./"


def pagination(
    *, number: int, pages: int, path_of: Callable[[int], str], site: SiteSettings
) -> Pagination:
    """Page ``number`` of ``pages`` (whose site paths ``path_of`` gives), with relative links
    to its newer and older neighbours."""
    root = root_of(path_of(number))
    return Pagination(
        number=number,
        count=pages,
        newer_url=None if number == 1 else relative_link(root, path_of(number - 1), site),
        older_url=None if number == pages else relative_link(root, path_of(number + 1), site),
    )


def render_index(
    *,
    site: SiteSettings,
    number: int,
    pages: int,
    articles: Sequence[ArticleContent],
    images: Mapping[str, ImageRef],
) -> bytes:
    """Page ``number`` of the front page: ``articles`` are the ones on it."""
    root = root_of(index_path(number))
    return render_index_page(
        [_teaser(content, root, site) for content in articles],
        media_url=rendition_media_url(images, root + MEDIA_FOLDER),
        site=site.page_site(root=root, index_file=index_file_for(site)),
        pagination=pagination(number=number, pages=pages, path_of=index_path, site=site),
    ).encode()


def render_tag(
    *,
    site: SiteSettings,
    tag_name: str,
    articles: Sequence[ArticleContent],
    images: Mapping[str, ImageRef],
    number: int = 1,
    pages: int = 1,
) -> bytes:
    """Page ``number`` of the tag's page: ``articles`` are the ones on it."""

    def path_of(page: int) -> str:
        return tag_path(tag_name, page)

    root = root_of(path_of(number))
    return render_tag_page(
        tag_name,
        [_teaser(content, root, site) for content in articles],
        media_url=rendition_media_url(images, root + MEDIA_FOLDER),
        site=site.page_site(root=root, index_file=index_file_for(site)),
        pagination=pagination(number=number, pages=pages, path_of=path_of, site=site),
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

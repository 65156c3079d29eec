"""The site's listing pages: the front page (newest first, in pages of ``PAGE_SIZE``) and
one page per tag. Article pages come from the renderer; these are the site's own.

Links are relative, so the folder works opened straight from disk (``file://``)
as well as served; without a base URL they name ``index.html`` explicitly,
since a browser opening a folder from disk shows a listing, not its index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import jinja2

from editor.core.publishing.content import ArticleContent, TagRef
from editor.core.publishing.media import best_rendition
from editor.core.publishing.page import SiteInfo

PAGE_SIZE = 20
THUMBNAIL_WIDTH = 400

_LAYOUT = """<!DOCTYPE html>
<html lang="{{ site.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="alternate" type="application/atom+xml" title="{{ site.title }}" href="{{ root }}feed.xml">
<style>
body{margin:0;font:17px/1.55 Georgia,"Times New Roman",serif;color:#1d1d1f;background:#fff}
header.site,main,footer{max-width:760px;margin:0 auto;padding:0 20px}
header.site{border-bottom:3px solid #1d1d1f;padding-top:18px;padding-bottom:10px}
header.site a{color:inherit;text-decoration:none;font:700 28px/1.1 system-ui,sans-serif}
h1{font:700 22px/1.3 system-ui,sans-serif;margin:24px 0 8px}
ol.articles{list-style:none;margin:0;padding:0}
ol.articles li{display:flex;gap:16px;padding:18px 0;border-bottom:1px solid #e3e3e3}
ol.articles img{width:160px;height:auto;flex:none;align-self:flex-start}
ol.articles h2{font:700 20px/1.3 system-ui,sans-serif;margin:0 0 4px}
ol.articles h2 a{color:inherit;text-decoration:none}
.meta{color:#6e6e73;font:14px/1.4 system-ui,sans-serif}
.dek{margin:6px 0 0}
nav.pages{display:flex;justify-content:space-between;padding:20px 0;font:15px system-ui,sans-serif}
footer{color:#6e6e73;font:13px system-ui,sans-serif;padding:30px 20px}
@media (max-width:520px){ol.articles img{width:96px}}
</style>
</head>
<body>
<header class="site"><a href="{{ home }}">{{ site.title }}</a>
{% if site.description %}<div class="meta">{{ site.description }}</div>{% endif %}</header>
<main>
{% if heading %}<h1>{{ heading }}</h1>{% endif %}
<ol class="articles">
{% for item in items %}<li>
{% if item.thumbnail %}<a href="{{ item.href }}"><img src="{{ item.thumbnail }}" alt="" loading="lazy" width="{{ item.thumbnail_width }}" height="{{ item.thumbnail_height }}"></a>{% endif %}
<div><h2><a href="{{ item.href }}">{{ item.title }}</a></h2>
<div class="meta">{% if item.author %}{{ item.author }} · {% endif %}<time datetime="{{ item.published_iso }}">{{ item.published_text }}</time>{% if item.tags %} · {% for tag in item.tags %}<a href="{{ tag.href }}">{{ tag.name }}</a>{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}</div>
{% if item.dek %}<p class="dek">{{ item.dek }}</p>{% endif %}</div>
</li>
{% else %}<li>Nothing published yet.</li>
{% endfor %}</ol>
{% if newer or older %}<nav class="pages">{% if newer %}<a href="{{ newer }}">← Newer</a>{% else %}<span></span>{% endif %}{% if older %}<a href="{{ older }}">Older →</a>{% endif %}</nav>{% endif %}
</main>
<footer><a href="{{ root }}feed.xml">Feed</a></footer>
</body>
</html>
"""


@dataclass(frozen=True, slots=True)
class _TagLink:
    name: str
    href: str


@dataclass(frozen=True, slots=True)
class _Item:
    title: str
    href: str
    author: str
    dek: str
    published_iso: str
    published_text: str
    tags: tuple[_TagLink, ...]
    thumbnail: str
    thumbnail_width: int
    thumbnail_height: int


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(autoescape=True, trim_blocks=False, keep_trailing_newline=True)
    return environment.from_string(_LAYOUT)


def relative_link(root: str, path: str, site: SiteInfo) -> str:
    """A link from a page whose way back to the site root is ``root`` ("../../") to
    the site path ``path`` ("2026/11/slug/" or "")."""
    if site.base_url:
        return root + path if (root + path) else "./"
    return root + path + "index.html"


def article_path(content: ArticleContent) -> str:
    when = content.published_at
    assert when is not None
    return f"{when:%Y}/{when:%m}/{content.slug}/"


def tag_path(tag: TagRef) -> str:
    return f"tag/{tag.slug}/"


def index_path(number: int) -> str:
    return "" if number == 1 else f"page/{number}/"


def root_of(path: str) -> str:
    """The way back to the site root from the page at ``path``: "a/b/" → "../../"."""
    return "../" * path.count("/")


def render_listing(
    *,
    site: SiteInfo,
    path: str,
    title: str,
    heading: str,
    articles: list[ArticleContent],
    newer: str | None = None,
    older: str | None = None,
) -> bytes:
    root = root_of(path)
    items = [_item(content, root, site) for content in articles]
    return (
        _template()
        .render(
            site=site,
            title=title,
            heading=heading,
            items=items,
            root=root,
            home=relative_link(root, "", site),
            newer=None if newer is None else relative_link(root, newer, site),
            older=None if older is None else relative_link(root, older, site),
        )
        .encode()
    )


def _item(content: ArticleContent, root: str, site: SiteInfo) -> _Item:
    published: datetime | None = content.published_at
    assert published is not None
    thumbnail = ""
    width = height = 0
    picture = content.featured or next(iter(content.all_images), None)
    if picture is not None:
        file = best_rendition(picture, THUMBNAIL_WIDTH)
        thumbnail = f"{root}media/{file.filename}"
        width, height = file.width, file.height
    return _Item(
        title=content.title,
        href=relative_link(root, article_path(content), site),
        author=content.author,
        dek=content.dek,
        published_iso=published.isoformat(),
        published_text=f"{published:%d %B %Y}",
        tags=tuple(
            _TagLink(tag.name, relative_link(root, tag_path(tag), site)) for tag in content.tags
        ),
        thumbnail=thumbnail,
        thumbnail_width=width,
        thumbnail_height=height,
    )

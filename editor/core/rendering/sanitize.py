"""The allow-list every rendered block passes through (nh3, i.e. Rust's ammonia).

Markdown may carry raw HTML, and an article may come from an import or a
contributor, so nothing reaches the page without passing here: no scripts,
styles, frames, forms, SVG or MathML (their content is dropped with them), no
event handlers or other unlisted attributes, no URL schemes but http(s),
mailto, tel and our own ``asset:`` (so no ``javascript:``, ``vbscript:`` or
``data:``, however they are spelled or entity-encoded: ammonia decodes before
it checks), ``style`` only on table cells and only ``text-align`` (what the
tables extension writes; no ``url()`` can survive), ``srcset`` only with
candidates that pass the same scheme rule, and no ``id`` that would clash with
the page around the article.

``<picture>`` and its ``<source>`` are allowed for the figures the renderer
writes, but a ``<source>`` may name only our own images: every candidate of
its ``srcset`` must be an ``asset:`` URL (no remote, relative, ``data:`` or
``javascript:`` one), its ``type`` an image type, and it has no ``src``. So
raw HTML gains no way to load anything an ``<img>`` could not.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite",
        "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    }
)  # fmt: skip

# Dropped together with everything inside them, not just unwrapped.
CONTENT_DROPPED_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "noscript", "noembed", "noframes", "template", "textarea", "title", "xmp",
        "plaintext", "svg", "math", "select", "option", "video", "audio", "canvas", "head",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "sizes", "type", "width", "height"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "asset"})

# Ids the theme's page uses; an article may not take them (the preview finds the body by id).
RESERVED_IDS = frozenset(
    {
        "article-body", "article-header", "article", "main", "content", "masthead",
        "site-header", "site-footer", "site-nav", "comments", "respond", "reply-title",
        "comment-form", "comment", "author", "email", "url", "submit", "footnotes",
    }
)  # fmt: skip
_RESERVED_ID_PREFIXES = ("comment-", "nd-")

_SRCSET_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")
_SOURCE_TYPE = re.compile(r"^image/(?:webp|jpeg|png|avif|gif)$")


def _srcset_urls(value: str) -> list[str]:
    """The candidate URLs of a ``srcset``, as a browser reads them (controls and spaces
    inside removed: "jav\tascript:" is "javascript:")."""
    return [
        _CONTROL_AND_SPACE.sub("", parts[0])
        for candidate in value.split(",")
        if (parts := candidate.split())
    ]


def _srcset_is_safe(value: str) -> bool:
    for url in _srcset_urls(value):
        scheme = _SRCSET_URL_SCHEME.match(url)
        if scheme is not None and scheme.group(1).lower() not in URL_SCHEMES:
            return False
    return True


def _srcset_is_ours(value: str) -> bool:
    urls = _srcset_urls(value)
    return bool(urls) and all(url.lower().startswith("asset:") for url in urls)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "source":
        if attribute == "srcset":
            return value if _srcset_is_ours(value) else None
        if attribute == "type":
            return value if _SOURCE_TYPE.match(value.strip().lower()) else None
    if attribute == "srcset":
        return value if _srcset_is_safe(value) else None
    if attribute == "id":
        lowered = value.strip().lower()
        if lowered in RESERVED_IDS or lowered.startswith(_RESERVED_ID_PREFIXES):
            return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CONTENT_DROPPED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
    filter_style_properties={"text-align"},
)


def sanitize_html(fragment: str) -> str:
    """``fragment`` with everything outside the allow-list removed; safe to put in the page."""
    return _CLEANER.clean(fragment)

"""Images as ``<picture>``: a WebP ``<source>`` and a JPEG ``<img>`` for body figures and the hero,
``srcset`` listing only the renditions an image has, the same markup in preview and
publishing but for URLs; and raw ``<picture>``/``<source>`` that load nothing but our images."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.rendering.body import render_body
from editor.core.rendering.media import (
    BODY_IMAGE_SIZES,
    HERO_IMAGE_SIZES,
    ImageFormat,
    MediaLocator,
    media_folder_url,
    rendition_size,
    sized_media_url,
)
from editor.core.rendering.page import ArticlePage, HeroImage, render_article_page
from editor.core.rendering.sanitize import sanitize_html

REFERENCE = "0123456789ab"
SMALL = "abcdefabcdef"
_VOID = {"img", "source", "br", "hr", "wbr", "col", "meta", "link", "input"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def iter(self) -> list[Element]:
        found = [self]
        for child in self.children:
            found += child.iter()
        return found

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            element
            for element in self.iter()
            if element.tag == tag and all(element.attrs.get(k) == v for k, v in attrs.items())
        ]


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].text += data


def tree(html: str) -> Element:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.root


def candidates(srcset: str) -> list[tuple[str, str]]:
    return [tuple(part.split()) for part in srcset.split(", ")]  # type: ignore[misc]


def candidates_or_none(srcset: str) -> list[tuple[str, ...]]:
    return [tuple(part.split()) for part in srcset.split(",") if part.strip()]


# The pictures' own sizes: ``REFERENCE`` is a 6000 × 4000 photo, ``SMALL`` 600 × 450.
SIZES = {REFERENCE: (6000, 4000), SMALL: (600, 450)}


class KnownRenditions:
    """A locator like publishing's: ``SMALL`` is a 600 px picture (renditions 400 and 600),
    everything else is large; files are ``/m/<ref>-<width>w.<jpg|webp>``; sizes from
    ``SIZES`` (none for other images)."""

    def widths(self, reference: str) -> Sequence[int]:
        return (400, 600) if reference == SMALL else (400, 800, 1600)

    def size(self, reference: str) -> tuple[int, int] | None:
        return SIZES.get(reference)

    def url(self, reference: str, width: int, image_format: ImageFormat) -> str:
        widths = self.widths(reference)
        chosen = min((w for w in widths if w >= width), default=max(widths))
        extension = "jpg" if image_format is ImageFormat.JPEG else "webp"
        return f"/m/{reference}-{chosen}w.{extension}"


def only_picture(root: Element) -> tuple[Element, Element, Element]:
    """The picture of the one figure-like element in ``root``: (picture, source, img)."""
    (picture,) = root.find_all("picture")
    assert [child.tag for child in picture.children] == ["source", "img"]
    source, image = picture.children
    return picture, source, image


def test_a_body_figure_is_a_picture_with_a_webp_source_and_a_jpeg_img() -> None:
    html = render_body(
        f'![Gate](asset:{REFERENCE} "Photo: Mara Quinn")\nThe gate.', media_url=KnownRenditions()
    ).html
    root = tree(html)
    (figure,) = root.find_all("figure")
    assert [child.tag for child in figure.children] == ["picture", "figcaption"]
    _picture, source, image = only_picture(figure)
    assert source.attrs == {
        "type": "image/webp",
        "sizes": BODY_IMAGE_SIZES,
        "srcset": f"/m/{REFERENCE}-400w.webp 400w, /m/{REFERENCE}-800w.webp 800w, "
        f"/m/{REFERENCE}-1600w.webp 1600w",
    }
    assert image.attrs["src"] == f"/m/{REFERENCE}-800w.jpg"
    assert candidates(image.attrs["srcset"]) == [
        (f"/m/{REFERENCE}-400w.jpg", "400w"),
        (f"/m/{REFERENCE}-800w.jpg", "800w"),
        (f"/m/{REFERENCE}-1600w.jpg", "1600w"),
    ]
    assert image.attrs["sizes"] == BODY_IMAGE_SIZES
    assert image.attrs["alt"] == "Gate" and image.attrs["loading"] == "lazy"
    # The widest rendition's size (1600 of 6000 px wide, 3:2): the browser keeps the space.
    assert (image.attrs["width"], image.attrs["height"]) == ("1600", "1067")
    assert "width" not in source.attrs and "height" not in source.attrs
    assert figure.find_all("span", **{"class": "credit"})[0].text == "Photo: Mara Quinn"


def test_srcset_lists_only_the_renditions_a_small_picture_has() -> None:
    html = render_body(f"![Small](asset:{SMALL})", media_url=KnownRenditions()).html
    _picture, source, image = only_picture(tree(html))
    assert candidates(source.attrs["srcset"]) == [
        (f"/m/{SMALL}-400w.webp", "400w"),
        (f"/m/{SMALL}-600w.webp", "600w"),
    ]
    assert candidates(image.attrs["srcset"]) == [
        (f"/m/{SMALL}-400w.jpg", "400w"),
        (f"/m/{SMALL}-600w.jpg", "600w"),
    ]
    # No 800 px rendition: src is the widest there is, and so is the size.
    assert image.attrs["src"] == f"/m/{SMALL}-600w.jpg"
    assert (image.attrs["width"], image.attrs["height"]) == ("600", "450")


def test_an_image_of_unknown_size_gets_no_size() -> None:
    other = "fedcba987654"
    _picture, _source, image = only_picture(
        tree(render_body(f"![Other](asset:{other})", media_url=KnownRenditions()).html)
    )
    assert image.attrs["src"] == f"/m/{other}-800w.jpg"
    assert "width" not in image.attrs and "height" not in image.attrs


def test_the_hero_is_the_same_picture_inside_its_figure_with_size_and_caption() -> None:
    page = render_article_page(
        ArticlePage(
            title="Gate",
            body_markdown="Text.",
            hero=HeroImage(SMALL, "The gate", "Lowered on Monday.", "Photo: Ada", 600, 400),
        ),
        media_url=KnownRenditions(),
    )
    (hero,) = tree(page).find_all("figure", **{"class": "story-hero"})
    assert [child.tag for child in hero.children] == ["picture", "figcaption"]
    _picture, source, image = only_picture(hero)
    assert source.attrs["type"] == "image/webp" and source.attrs["sizes"] == HERO_IMAGE_SIZES
    assert candidates(source.attrs["srcset"]) == [
        (f"/m/{SMALL}-400w.webp", "400w"),
        (f"/m/{SMALL}-600w.webp", "600w"),
    ]
    assert image.attrs["src"] == f"/m/{SMALL}-600w.jpg"
    assert candidates(image.attrs["srcset"]) == [
        (f"/m/{SMALL}-400w.jpg", "400w"),
        (f"/m/{SMALL}-600w.jpg", "600w"),
    ]
    assert image.attrs["alt"] == "The gate"
    assert (image.attrs["width"], image.attrs["height"]) == ("600", "400")
    assert image.attrs["sizes"] == HERO_IMAGE_SIZES and image.attrs["fetchpriority"] == "high"
    (caption,) = hero.find_all("figcaption")
    assert caption.text.strip() == "Lowered on Monday." and "Photo: Ada" in caption.iter()[1].text


def test_a_plain_media_url_serves_every_width_and_both_formats_from_one_url() -> None:
    """The preview's scheme takes (reference, width) and answers with a JPEG whatever the
    format: both srcsets name the same URLs, at every rendition width."""
    html = render_body(
        f"![Gate](asset:{REFERENCE})",
        media_url=lambda reference, width: f"newsdesk-media:/{reference}/{width}",
    ).html
    _picture, source, image = only_picture(tree(html))
    expected = [(f"newsdesk-media:/{REFERENCE}/{w}", f"{w}w") for w in (400, 800, 1600)]
    assert candidates(source.attrs["srcset"]) == expected
    assert candidates(image.attrs["srcset"]) == expected
    assert image.attrs["src"] == f"newsdesk-media:/{REFERENCE}/800"
    # A URL function knows no sizes: no width or height is written.
    assert "width" not in image.attrs and "height" not in image.attrs


def test_a_url_function_with_sizes_gives_the_widest_rendition_size() -> None:
    media = sized_media_url(lambda reference, width: f"p:/{reference}/{width}", SIZES.get)
    assert isinstance(media, MediaLocator)
    html = render_body(
        f"![Small](asset:{SMALL})\n\n![Gate](asset:{REFERENCE})", media_url=media
    ).html
    small, large = tree(html).find_all("img")
    # Every width is offered, but the widest rendition of a 600 px picture is 600 px.
    assert (small.attrs["width"], small.attrs["height"]) == ("600", "450")
    assert (large.attrs["width"], large.attrs["height"]) == ("1600", "1067")


def test_preview_and_publishing_bodies_differ_only_in_image_urls() -> None:
    source = (
        f'Text.\n\n![Gate](asset:{REFERENCE} "Photo")\nCaption.\n\n![Small](asset:{SMALL})'
        "\n\n![Unknown](asset:fedcba987654)"
    )
    # The preview's way: one URL per width for every format, sizes from the store's rows.
    preview_media = sized_media_url(
        lambda reference, width: f"newsdesk-media:/{reference}/{width}", SIZES.get
    )
    preview = tree(render_body(source, media_url=preview_media).html)
    published = tree(render_body(source, media_url=KnownRenditions()).html)

    def shape(root: Element) -> list[tuple[str, dict[str, str]]]:
        return [
            (
                element.tag,
                {k: v for k, v in element.attrs.items() if k not in ("src", "srcset")},
            )
            for element in root.iter()
        ]

    assert shape(preview) == shape(published)
    sizes = [(img.attrs.get("width"), img.attrs.get("height")) for img in preview.find_all("img")]
    assert sizes == [("1600", "1067"), ("600", "450"), (None, None)]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=20_000), st.integers(min_value=1, max_value=20_000))
def test_the_size_written_is_the_size_of_the_widest_rendition_made(width: int, height: int) -> None:
    from editor.core.images.renditions import plan_renditions

    widest = plan_renditions(width, height)[0]
    for media in (
        sized_media_url(lambda reference, _width: reference, lambda _reference: (width, height)),
        _PlannedRenditions(width, height),
    ):
        assert rendition_size(media, REFERENCE) == (widest.width, widest.height)


class _PlannedRenditions(KnownRenditions):
    """Publishing's way: only the widths the pipeline makes for this picture."""

    def __init__(self, width: int, height: int) -> None:
        self._size = (width, height)

    def widths(self, reference: str) -> Sequence[int]:
        from editor.core.images.renditions import plan_renditions

        return sorted({spec.width for spec in plan_renditions(*self._size)})

    def size(self, reference: str) -> tuple[int, int] | None:
        return self._size


def test_a_locator_is_recognised_and_a_folder_url_names_both_formats() -> None:
    folder = media_folder_url("/media/")
    assert isinstance(folder, MediaLocator)
    assert folder.size(REFERENCE) is None
    assert folder.url(REFERENCE, 400, ImageFormat.WEBP) == f"/media/{REFERENCE}-400.webp"
    assert folder.url(REFERENCE, 400, ImageFormat.JPEG) == f"/media/{REFERENCE}-400.jpg"


def test_image_formats_are_the_formats_the_pipeline_makes() -> None:
    from editor.core.images.renditions import RenditionFormat

    assert {fmt.value for fmt in ImageFormat} == {fmt.value for fmt in RenditionFormat}
    assert {fmt.mime for fmt in ImageFormat} == {fmt.mime for fmt in RenditionFormat}


# Raw HTML an author (or an import) may write: a <source> must not load anything an <img>
# of ours would not. Only asset: candidates survive, whatever the spelling.
HOSTILE_SOURCES = [
    '<source srcset="https://tracker.example/p.webp">',
    '<source srcset="http://tracker.example/p.webp 1x, asset:0123456789ab 2x">',
    '<source srcset="//tracker.example/p.webp">',
    '<source srcset="p.webp">',
    '<source srcset="/media/p.webp 400w">',
    '<source srcset="data:image/webp;base64,UklGRg== 1x">',
    '<source srcset="javascript:alert(1)">',
    '<source srcset="JaVaScRiPt:alert(1)">',
    '<source srcset="&#x6A;avascript:alert(1)">',
    '<source srcset="jav&#x09;ascript:alert(1)">',
    '<source srcset=" &#14; javascript:alert(1)">',
    '<source srcset="vbscript:msgbox(1)">',
    '<source src="https://tracker.example/p.webp">',
    '<source src="javascript:alert(1)">',
    '<source srcset="asset:0123456789ab" onerror="alert(1)">',
    '<source srcset="asset:0123456789ab" media="(min-width: 1px)" style="x:url(https://t.example)">',
]


@pytest.mark.parametrize("hostile", HOSTILE_SOURCES)
def test_raw_picture_sources_load_only_our_images(hostile: str) -> None:
    raw = f'<picture>{hostile}<img src="asset:{REFERENCE}" alt="a"></picture>'
    for source in (raw, f"Text before.\n\n{raw}\n\nText after.", f"Inline {raw} image."):
        html = render_body(source, media_url=KnownRenditions()).html
        root = tree(html)
        assert root.find_all("picture"), html
        for element in root.find_all("source"):
            assert set(element.attrs) <= {"srcset", "sizes", "type", "width", "height"}, html
            for url, *_descriptor in candidates_or_none(element.attrs.get("srcset", "")):
                assert url.startswith(f"/m/{REFERENCE}-"), html
        lowered = html.lower()
        for forbidden in ("tracker.example", "javascript", "vbscript", "data:", "onerror"):
            assert forbidden not in lowered, html


def test_a_raw_picture_of_our_own_image_is_kept_and_resolved() -> None:
    raw = (
        f'<picture><source type="image/webp" srcset="asset:{REFERENCE}?srcset=webp">'
        f'<source type="text/html" srcset="asset:{REFERENCE}?w=400 1x">'
        f'<img src="asset:{REFERENCE}" alt="Ours"></picture>'
    )
    root = tree(render_body(raw, media_url=KnownRenditions()).html)
    (picture,) = root.find_all("picture")
    webp, other = picture.find_all("source")
    assert webp.attrs["type"] == "image/webp"
    assert candidates_or_none(webp.attrs["srcset"])[0] == (f"/m/{REFERENCE}-400w.webp", "400w")
    # Only image types are kept; the source itself (our image) stays.
    assert "type" not in other.attrs
    assert other.attrs["srcset"] == f"/m/{REFERENCE}-400w.jpg 1x"
    assert picture.find_all("img")[0].attrs["src"] == f"/m/{REFERENCE}-800w.jpg"


def test_the_sanitiser_keeps_the_figure_markup_the_renderer_writes() -> None:
    markup = (
        '<figure class="figure"><picture><source sizes="100vw" '
        f'srcset="asset:{REFERENCE}?srcset=webp" type="image/webp">'
        f'<img alt="a" decoding="async" loading="lazy" sizes="100vw" src="asset:{REFERENCE}" '
        f'srcset="asset:{REFERENCE}?srcset=jpeg" width="1600" height="1067"></picture></figure>'
    )
    assert sanitize_html(markup) == markup


def test_raw_images_keep_their_own_size_and_get_none_without_our_srcset() -> None:
    raw = (
        f'<img src="asset:{REFERENCE}" srcset="asset:{REFERENCE}?srcset=jpeg" width="300" alt="a">'
        f'<img src="asset:{REFERENCE}?w=400" alt="b">'
        f'<img src="asset:{REFERENCE}" srcset="asset:{REFERENCE}?srcset=jpeg" alt="c &gt; d">'
        f'<img src="asset:{REFERENCE}" srcset="asset:{REFERENCE}?srcset=jpeg" onload="x()" '
        'height="javascript:1" alt="e">'
    )
    sized, small, listed, hostile = tree(
        render_body(raw, media_url=KnownRenditions()).html
    ).find_all("img")
    assert "height" not in sized.attrs and sized.attrs["width"] == "300"
    assert "width" not in small.attrs and "height" not in small.attrs
    assert (listed.attrs["width"], listed.attrs["height"], listed.attrs["alt"]) == (
        "1600",
        "1067",
        "c > d",
    )
    assert "onload" not in hostile.attrs and "width" not in hostile.attrs

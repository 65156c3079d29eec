"""The body renderer: what a block becomes, and incremental updates that equal a full render."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.rendering.body import (
    BodyRenderer,
    ChangeKind,
    apply_changes,
    render_body,
)
from editor.core.rendering.media import media_folder_url, sized_media_url
from editor.core.rendering.syntax import syntax_help
from tests.core.rendering.markdown_samples import BLOCKS, FRAGMENTS

MEDIA = media_folder_url("/media/")
# As the preview's: one URL per width, and the size of one of the samples' two images.
SIZED_MEDIA = sized_media_url(
    lambda reference, width: f"/media/{reference}/{width}", {"0123456789ab": (3000, 2000)}.get
)


def body_html(source: str) -> str:
    return render_body(source, media_url=MEDIA).html


class _TopLevel(HTMLParser):
    """The body's top level: every element must be a block carrying ``data-block``."""

    VOID = frozenset({"br", "hr", "img", "col", "wbr", "source", "area", "embed", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0 and "data-block" not in dict(attrs):
            self.problems.append(f"<{tag}> at the top level has no data-block")
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth == 0 and data.strip():
            self.problems.append(f"text {data.strip()[:20]!r} at the top level")


def top_level_problems(body_html: str) -> list[str]:
    parser = _TopLevel()
    parser.feed(body_html)
    parser.close()
    return parser.problems


def pairs(renderer_body: object) -> list[tuple[str, str]]:
    return [(block.id, block.html) for block in renderer_body.blocks]  # type: ignore[attr-defined]


def test_a_figure_is_a_picture_with_webp_and_jpeg_alt_caption_and_credit() -> None:
    html = body_html(
        '![Engineers at the lock](asset:0123456789AB "Photo: Mara Quinn")\nCaption *here*.'
    )
    figure = re.sub(r' data-block="[^"]*"', "", html)
    assert figure == (
        '<figure class="figure"><picture><source sizes="(max-width: 760px) 100vw, 720px" '
        'srcset="/media/0123456789ab-400.webp 400w, /media/0123456789ab-800.webp 800w, '
        '/media/0123456789ab-1600.webp 1600w" type="image/webp">'
        '<img alt="Engineers at the lock" decoding="async" loading="lazy" '
        'sizes="(max-width: 760px) 100vw, 720px" src="/media/0123456789ab-800.jpg" '
        'srcset="/media/0123456789ab-400.jpg 400w, /media/0123456789ab-800.jpg 800w, '
        '/media/0123456789ab-1600.jpg 1600w"></picture>'
        '<figcaption>Caption <em>here</em>. <span class="credit">Photo: Mara Quinn</span>'
        "</figcaption>\n</figure>"
    )


def test_a_remote_image_line_is_a_plain_img_without_srcset() -> None:
    html = body_html("![Remote](https://example.org/a.jpg)")
    assert '<img alt="Remote" decoding="async" loading="lazy" src="https://example.org/a.jpg">' in (
        html
    )
    assert "<picture>" not in html and "srcset" not in html


def test_a_lone_image_line_is_a_figure_without_caption() -> None:
    html = body_html("![Alone](asset:abcdefabcdef)")
    assert html.startswith("<figure ") and "<figcaption>" not in html


def test_quotes_name_their_source_and_pull_quotes_are_marked() -> None:
    quote = body_html('> "Every autumn we move the furniture."\n> — Doreen Ashby, Mill Lane')
    assert '<figure data-block="' in quote and 'class="quote"' in quote
    assert "<figcaption>— <cite>Doreen Ashby, Mill Lane</cite></figcaption>" in quote
    assert "Doreen" not in quote.split("<figcaption>")[0]
    pull = body_html("> [!pull] This is the first year.\n> &mdash;Doreen")
    assert 'class="pull-quote"' in pull and "[!pull]" not in pull
    assert "<cite>Doreen</cite>" in pull
    plain = body_html("> Just a quote.")
    assert plain.startswith("<blockquote") and "figcaption" not in plain


def test_every_block_is_one_element_with_a_unique_data_block_id() -> None:
    source = "\n\n".join(BLOCKS)
    body = render_body(source, media_url=MEDIA)
    ids = [block.id for block in body.blocks]
    assert len(ids) == len(set(ids))
    for block in body.blocks:
        assert re.match(rf'<[a-z]+[^>]*? data-block="{re.escape(block.id)}"', block.html)
    # The two identical "## Section heading" blocks get different block ids and anchors.
    assert [entry.anchor for entry in body.outline][:2] == ["section-heading", "section-heading_1"]


def test_footnotes_are_numbered_and_listed_at_the_end() -> None:
    body = render_body(
        "First[^b] and[^a] and again[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.", media_url=MEDIA
    )
    html = body.html
    assert body.blocks[-1].id == "footnotes"
    assert 'id="fnref:b"' in html and 'id="fnref2:b"' in html and 'id="fnref:a"' in html
    assert '<a class="footnote-ref" href="#fn:b">2</a>' in html
    assert html.index('id="fn:a"') < html.index('id="fn:b"')
    assert 'href="#fnref2:b"' in html


def test_reference_links_defined_later_resolve() -> None:
    html = body_html("See [the site][home].\n\nMore text.\n\n[home]: https://example.org")
    assert '<a href="https://example.org">the site</a>' in html


def test_the_same_text_renders_to_the_same_bytes_and_ids() -> None:
    source = "\n\n".join(BLOCKS)
    assert body_html(source) == body_html(source)


def test_editing_one_paragraph_converts_and_swaps_only_that_block() -> None:
    paragraphs = [f"Paragraph number {n} with some words in it." for n in range(200)]
    renderer = BodyRenderer(media_url=MEDIA)
    first = renderer.update("\n\n".join(paragraphs))
    assert first.full and first.converted_count == 200
    paragraphs[120] = "Paragraph number 120, now edited."
    update = renderer.update("\n\n".join(paragraphs))
    assert not update.full
    assert update.converted_count == 1
    assert [change.kind for change in update.changes] == [ChangeKind.REMOVED, ChangeKind.INSERTED]
    inserted = update.changes[1]
    assert inserted.after == first.body.blocks[119].id
    assert "now edited" in inserted.html


def test_a_figure_typed_into_a_long_body_is_patched_in_with_its_size() -> None:
    paragraphs = [f"Paragraph number {n} with some words in it." for n in range(100)]
    renderer = BodyRenderer(media_url=SIZED_MEDIA)
    renderer.update("\n\n".join(paragraphs))
    paragraphs.insert(50, '![Gate](asset:0123456789ab "Photo")\nThe gate.')
    edited = "\n\n".join(paragraphs)
    update = renderer.update(edited)
    assert not update.full and update.converted_count == 1
    (inserted,) = [change for change in update.changes if change.kind is ChangeKind.INSERTED]
    assert 'width="1600" height="1067"' in inserted.html
    assert update.body.html == render_body(edited, media_url=SIZED_MEDIA).html


def test_a_new_heading_renumbers_the_anchors_after_it() -> None:
    renderer = BodyRenderer(media_url=MEDIA)
    renderer.update("## Notes\n\ntext\n\n### Notes!")
    edited = "## Notes\n\n## Notes\n\ntext\n\n### Notes!"
    update = renderer.update(edited)
    assert [entry.anchor for entry in update.body.outline] == ["notes", "notes_1", "notes_2"]
    assert update.body.html == body_html(edited)
    assert any('id="notes_2"' in change.html for change in update.changes)


def test_the_syntax_help_renders() -> None:
    body = render_body(syntax_help(), media_url=MEDIA)
    assert body.outline[0].text == "Writing an article"
    assert not body.warnings


documents = st.lists(st.sampled_from(BLOCKS + FRAGMENTS), max_size=16).map(
    lambda parts: "\n".join(parts)
)
edits = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.integers(min_value=0, max_value=15),
        st.one_of(
            st.sampled_from(FRAGMENTS + BLOCKS),
            st.sampled_from(BLOCKS).map(lambda block: f"\n\n{block}\n\n"),
        ),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=200, deadline=None)
@given(documents, edits)
def test_after_any_edits_the_patched_preview_equals_a_fresh_full_render(
    source: str, changes: list[tuple[float, int, str]]
) -> None:
    renderer = BodyRenderer(media_url=SIZED_MEDIA)
    shown = pairs(renderer.update(source).body)
    for where, removed, inserted in changes:
        position = int(where * len(source))
        source = source[:position] + inserted + source[position + removed :]
        update = renderer.update(source)
        fresh = render_body(source, media_url=SIZED_MEDIA)
        shown = pairs(update.body) if update.full else apply_changes(shown, update.changes)
        assert shown == pairs(fresh)
        assert update.body.html == fresh.html
        assert top_level_problems(fresh.html) == []
        assert update.body.outline == fresh.outline


def test_srcset_widths_are_the_widths_publishing_makes() -> None:
    from editor.core.images.renditions import RENDITION_WIDTHS as MADE
    from editor.core.rendering.media import RENDITION_WIDTHS as OFFERED

    assert tuple(OFFERED) == tuple(MADE)

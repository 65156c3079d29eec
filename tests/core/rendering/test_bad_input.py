"""Hostile and broken Markdown: always a sensible page or a clear notice, never a crash or hang.

Inputs that would take Python-Markdown minutes or hours (it is quadratic on
several of them) are bounded by deterministic work limits, so these tests need
no wall-clock assertions: returning at all, with the notice, is the check.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from editor.core.rendering.body import BodyRenderer, render_body
from editor.core.rendering.converter import MAX_NESTING, PLAIN_TEXT_LIMIT
from editor.core.rendering.media import media_folder_url

MEDIA = media_folder_url("/media/")
MEGABYTE = 1_000_000


class _Balance(HTMLParser):
    VOID = {"br", "hr", "img", "col", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def well_formed(fragment: str) -> bool:
    parser = _Balance()
    parser.feed(fragment)
    return not parser.errors and not parser.open


def notices(fragment: str) -> list[str]:
    return re.findall(r'<p class="render-notice" role="note">([^<]*)</p>', fragment)


@pytest.mark.parametrize(
    "source",
    [
        "**bold that never ends\n\n*emphasis [link that never closes](http://x",
        "[[[[nested brackets]]] ]] ][",
        "![image without end(asset:0123456789ab",
        "| a | b\n|--\n| 1 | 2 | 3 | 4",
        "# \n\n##\n\n######## seven hashes",
        "- a\n\t- tab indented\n  - two spaces\n        - eight",
        "```\nunclosed fence\n\nstill code?",
        "<div><span><table><tr><td>unclosed everything",
        "<!-- unclosed comment\n\ntext after",
        "</div></span></p> closing tags with no opening",
        "<p>one<p>two<div>three</p></div>",
        "[^missing] footnote reference without a definition",
        "\x00 NUL, \x1b escape, \u202e right-to-left override, \ufeff BOM, lone \ud800 surrogate",
    ],
)
def test_malformed_markdown_and_html_render_to_well_formed_html(source: str) -> None:
    body = render_body(source, media_url=MEDIA)
    assert body.blocks
    assert well_formed(body.html), body.html


def test_an_unclosed_div_keeps_the_rest_of_the_article_visible() -> None:
    body = render_body(
        "Intro.\n\n<div>\nopened\n\nMiddle paragraph.\n\nLast words.", media_url=MEDIA
    )
    for words in ("Intro.", "opened", "Middle paragraph.", "Last words."):
        assert words in body.html


@pytest.mark.parametrize(
    "unit",
    ["a", "[", "![", "[^", "*a", '"', "<a ", "<", "&", "`", "|", "<http://", '<a b="', "- ", ">"],
)
def test_a_one_megabyte_line_renders_or_says_why_not(unit: str) -> None:
    line = unit * (MEGABYTE // len(unit))
    body = render_body(line, media_url=MEDIA)
    assert well_formed(body.html)
    if notices(body.html):
        # Shown as plain text, cut to a readable length, with the reason.
        assert len(body.html) < PLAIN_TEXT_LIMIT * 6
        assert body.warnings
    else:
        assert len(body.html) >= len(line) // 2


@pytest.mark.parametrize(
    "line", ["# heading\n", "- item\n", "***\n", "```\n", "*[x]: y\n", "text\n---\n"]
)
def test_a_megabyte_of_structure_without_blank_lines_is_shown_as_plain_text(line: str) -> None:
    body = render_body(line * (MEGABYTE // len(line)), media_url=MEDIA)
    assert notices(body.html) and "too many headings, list items or rules" in notices(body.html)[0]


@pytest.mark.parametrize(
    "source",
    [
        "- " * 10_000 + "deep",
        "1. " * 10_000 + "deep",
        ">" * 10_000 + " deep",
        "> " * 10_000 + "deep",
        "- > " * 5_000 + "deep",
        "\n".join(" " * (4 * level) + "- deep" for level in range(1_000)),
        "\n".join(">" * level + " deep" for level in range(1, 2_000)),
    ],
)
def test_nesting_ten_thousand_levels_deep_is_flattened_with_a_notice(source: str) -> None:
    body = render_body(source, media_url=MEDIA)
    assert "deep" in body.html
    assert any("flattened" in notice for notice in notices(body.html))
    assert body.html.count("<ul>") + body.html.count("<ol>") <= MAX_NESTING + 1
    assert body.html.count("<blockquote>") <= MAX_NESTING + 1
    assert well_formed(body.html)


def test_ten_thousand_nested_html_elements_stay_well_formed() -> None:
    body = render_body("<div>" * 10_000 + "deep" + "</div>" * 10_000, media_url=MEDIA)
    assert "deep" in body.html and well_formed(body.html)


def test_the_live_preview_keeps_up_with_a_megabyte_line() -> None:
    renderer = BodyRenderer(media_url=MEDIA)
    line = "[" * MEGABYTE
    renderer.update(f"Intro.\n\n{line}\n\nOutro.")
    update = renderer.update(f"Intro, edited.\n\n{line}\n\nOutro.")
    assert update.converted_count == 1
    assert not update.full

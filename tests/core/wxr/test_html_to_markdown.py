"""WordPress HTML → our Markdown: figures, blocks, shortcodes, autop, and nothing dangerous left live."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.wxr.html_to_markdown import BodyImage, wordpress_html_to_markdown
from editor.core.wxr.markdown_to_html import markdown_to_wordpress_html
from editor.core.wxr.wordpress_html import autop


def md(html: str) -> str:
    return wordpress_html_to_markdown(html).markdown


def render(markdown_text: str) -> str:
    return str(markdown.markdown(markdown_text, extensions=["tables", "fenced_code", "def_list"]))


def test_caption_shortcode_becomes_our_figure() -> None:
    converted = wordpress_html_to_markdown(
        '[caption id="attachment_754" align="alignnone" width="604"]'
        '<a href="https://example.org/bell.jpg"><img class="size-large" '
        'src="https://example.org/bell.jpg?w=604" alt="Bell on Wharf" width="604" /></a>'
        " Bell on wharf in San Francisco[/caption]"
    )
    assert converted.markdown == (
        "![Bell on Wharf](https://example.org/bell.jpg?w=604)\nBell on wharf in San Francisco"
    )
    assert converted.images == [
        BodyImage(
            "https://example.org/bell.jpg?w=604", "Bell on Wharf", "Bell on wharf in San Francisco"
        )
    ]


def test_old_caption_attribute_form_is_read() -> None:
    assert md(
        '[caption id="a" caption="Old style"]<img src="https://x.org/a.jpg" alt="A" />[/caption]'
    ) == ("![A](https://x.org/a.jpg)\nOld style")


def test_brackets_in_alt_text_keep_the_figure_line_readable() -> None:
    from editor.core.rendering.syntax import FIGURE_IMAGE_LINE

    line = md('<img src="https://x.org/a.jpg" alt="Chart [2019]" />')
    assert line == "![Chart (2019)](https://x.org/a.jpg)"
    assert FIGURE_IMAGE_LINE.match(line) is not None


def test_block_image_with_caption_and_credit_title() -> None:
    html = """<!-- wp:image {"id":906} -->
<figure class="wp-block-image"><img src="https://x.org/i.jpg" alt="Lock gates" title="Photo: Sam" class="wp-image-906"/><figcaption>The <a href="https://x.org/lock">lock</a> at dawn</figcaption></figure>
<!-- /wp:image -->"""
    assert (
        md(html)
        == '![Lock gates](https://x.org/i.jpg "Photo: Sam")\nThe [lock](https://x.org/lock) at dawn'
    )


def test_gallery_becomes_one_figure_per_image() -> None:
    html = """<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery has-nested-images"><!-- wp:image {"id":1} -->
<figure class="wp-block-image"><img src="https://x.org/1.jpg" alt="One"/><figcaption>First</figcaption></figure>
<!-- /wp:image -->
<!-- wp:image {"id":2} -->
<figure class="wp-block-image"><img src="https://x.org/2.jpg" alt="Two"/></figure>
<!-- /wp:image --><figcaption>The gallery</figcaption></figure>
<!-- /wp:gallery -->"""
    assert (
        md(html)
        == "![One](https://x.org/1.jpg)\nFirst\n\n![Two](https://x.org/2.jpg)\n\nThe gallery"
    )


def test_old_list_gallery_has_no_bullets() -> None:
    html = """<ul class="wp-block-gallery columns-3"><li class="blocks-gallery-item"><figure><img src="https://x.org/1.jpg" alt="One"/></figure></li><li class="blocks-gallery-item"><figure><img src="https://x.org/2.jpg" alt="Two"/><figcaption>Second</figcaption></figure></li></ul>"""
    assert md(html) == "![One](https://x.org/1.jpg)\n\n![Two](https://x.org/2.jpg)\nSecond"


def test_quote_and_pull_quote_keep_their_citation() -> None:
    quote = '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>Stay hungry.</p><cite>Steve</cite></blockquote>\n<!-- /wp:quote -->'
    pull = '<!-- wp:pullquote -->\n<figure class="wp-block-pullquote"><blockquote><p>Pull quote</p><cite>Citation</cite></blockquote></figure>\n<!-- /wp:pullquote -->'
    assert md(quote) == "> Stay hungry.\n>\n> — Steve"
    assert md(pull) == "> [!pull] Pull quote\n>\n> — Citation"


def test_table_with_footer_and_pipes_is_one_valid_table() -> None:
    html = """<figure class="wp-block-table"><table><thead><tr><th>Name</th><th>Value</th></tr></thead>
<tbody><tr><td>a|b</td><td>1</td></tr></tbody><tfoot><tr><td>Total</td><td>1</td></tr></tfoot></table>
<figcaption>Table caption</figcaption></figure>"""
    assert md(html) == (
        "| Name | Value |\n| --- | --- |\n| a\\|b | 1 |\n| Total | 1 |\n\nTable caption"
    )
    assert render(md(html)).count("<table>") == 1


def test_code_is_kept_verbatim_in_a_long_enough_fence() -> None:
    html = '<pre class="wp-block-code"><code class="language-python">def f():\n\treturn "```" &lt; 2\n</code></pre>'
    assert md(html) == '````python\ndef f():\n\treturn "```" < 2\n````'


def test_multiline_code_outside_pre_becomes_a_block_with_its_indentation() -> None:
    html = (
        "This tag styles blocks of code.\n<code>.post-title {\n\tmargin: 0 0 5px;\n}</code>\nAfter."
    )
    assert (
        md(html)
        == "This tag styles blocks of code.\n\n```\n.post-title {\n\tmargin: 0 0 5px;\n}\n```\n\nAfter."
    )


def test_nested_lists_are_indented_for_python_markdown() -> None:
    html = '<ol start="8"><li>Eight<ul><li>Bullet<ol><li>Deep</li></ol></li></ul></li><li>Nine</li></ol>'
    assert md(html) == "8. Eight\n    - Bullet\n        1. Deep\n9. Nine"
    assert render(md(html)).count("<ul>") == 1 and render(md(html)).count("<ol") == 2


def test_autop_paragraphs_and_line_breaks() -> None:
    text = "First line\nsecond line\n\nNew paragraph\n<ul>\n<li>item</li>\n</ul>\n<pre>keep\n\nthis</pre>"
    assert autop(text) == (
        "<p>First line<br />\nsecond line</p>\n<p>New paragraph</p>\n<ul>\n<li>item</li>\n</ul>\n"
        "<pre>keep\n\nthis</pre>\n"
    )
    assert (
        md(text) == "First line  \nsecond line\n\nNew paragraph\n\n- item\n\n```\nkeep\n\nthis\n```"
    )


def test_plain_text_comment_keeps_paragraphs_and_breaks() -> None:
    assert (
        md("  Hello there,\n   nice post!\n\n\nThanks  ") == "Hello there,  \nnice post!\n\nThanks"
    )


def test_headings_links_and_images_with_alt() -> None:
    html = '<h2>Section</h2><p>Read <a href="https://x.org/a" title="A page">this</a> and <img src="https://x.org/s.png" alt="small" /> inline.</p>'
    assert (
        md(html)
        == '## Section\n\nRead [this](https://x.org/a "A page") and ![small](https://x.org/s.png) inline.'
    )


def test_embeds_become_link_lines() -> None:
    embed = """<!-- wp:core-embed/youtube {"url":"https://youtu.be/ex8fMxXJDJw"} -->
<figure class="wp-block-embed-youtube wp-block-embed"><div class="wp-block-embed__wrapper">
https://youtu.be/ex8fMxXJDJw
</div><figcaption>YouTube</figcaption></figure>
<!-- /wp:core-embed/youtube -->"""
    assert md(embed) == "<https://youtu.be/ex8fMxXJDJw>\nYouTube"
    assert md("https://www.youtube.com/watch?v=SQEQr7c0-dw\n\nLearn more.") == (
        "<https://www.youtube.com/watch?v=SQEQr7c0-dw>\n\nLearn more."
    )
    converted = wordpress_html_to_markdown(
        '<iframe src="https://player.vimeo.com/video/1"></iframe>'
    )
    assert converted.markdown == "<https://player.vimeo.com/video/1>"
    assert converted.notes == {"iframe → link": 1}


def test_dynamic_blocks_and_page_breaks_are_reported() -> None:
    converted = wordpress_html_to_markdown(
        '<!-- wp:paragraph -->\n<p>Before</p>\n<!-- /wp:paragraph -->\n<!-- wp:latest-posts {"postsToShow":3} /-->\n'
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n<!-- wp:spacer /-->\n<!-- wp:archives /-->"
    )
    assert converted.markdown == "Before"
    assert converted.notes == {
        "dynamic block wp:latest-posts (WordPress renders it when the page is viewed)": 1,
        "dynamic block wp:archives (WordPress renders it when the page is viewed)": 1,
        "<!--more--> marker dropped": 1,
    }


def test_other_shortcodes_stay_visible_as_text() -> None:
    assert (
        md('[gallery columns="3"]\n\nText [audio src="x.mp3"]')
        == '[gallery columns="3"]\n\nText [audio src="x.mp3"]'
    )
    assert "[gallery" in render(md('[gallery columns="3"]'))


def test_text_that_would_become_markdown_stays_text() -> None:
    converted = md(
        "<dl><dt>#dowork</dt><dd>x</dd></dl><p>1984. A year</p><p>- not a list</p><p>a `tick</p>"
    )
    rendered = render(converted)
    assert "<h1>" not in rendered and "<ol>" not in rendered and "<ul>" not in rendered
    assert "#dowork" in rendered and "1984. A year" in rendered and "`tick" in rendered


def test_nested_bold_does_not_break_emphasis() -> None:
    assert md("<p><strong>bold <strong>inner</strong> text</strong></p>") == "**bold inner text**"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        '<iframe src="javascript:alert(1)"></iframe>',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<div onclick="alert(1)">text</div>',
        '<img src="data:text/html;base64,PHNjcmlwdD4=" alt="x">',
        "[x](javascript:alert(1))",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
        '<form action="https://evil.example"><input name="q"><button>Go</button></form>',
    ],
)
def test_dangerous_html_never_survives_as_live_markup(payload: str) -> None:
    rendered = render(md(payload)).lower()
    assert "<script" not in rendered
    assert "<iframe" not in rendered and "<svg" not in rendered and "<style" not in rendered
    assert "<form" not in rendered and "<input" not in rendered
    assert re.search(r"<[^>]*\son\w+\s*=", rendered) is None
    assert 'href="javascript' not in rendered and 'src="javascript' not in rendered
    assert 'src="data:' not in rendered


_SNIPPETS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:x">',
        "</a>",
        "<p>",
        "</p>",
        "&lt;",
        "&gt;",
        "&amp;",
        "&lt;script&gt;",
        "<b>",
        "</b>",
        "<",
        ">",
        "\n",
        "\n\n",
        "[",
        "](",
        ")",
        "javascript:",
        "<iframe src=//x>",
        "`",
        "*",
        "_",
        "<!-- wp:image -->",
        "[caption]",
        "[/caption]",
        "<pre>",
        "</pre>",
        "<code>",
        "</code>",
        "on",
        "click=",
        "=",
        '"',
        "'",
        "#",
        "-",
        "1.",
        " ",
        "text",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SNIPPETS, max_size=25).map("".join))
def test_no_generated_html_renders_live_markup(html: str) -> None:
    rendered = render(md(html)).lower()
    assert "<script" not in rendered and "<iframe" not in rendered
    assert re.search(r"<[^>]*\son\w+\s*=", rendered) is None
    assert "javascript:" not in re.sub(r">[^<]*<", "><", rendered)  # only as visible text


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_converts_and_renders(text: str) -> None:
    result = md(text)
    assert "\r" not in result
    render(result)


@pytest.mark.parametrize(
    "markdown_text",
    [
        '![Alt](https://x.org/a.jpg "Credit")\nA caption with [a link](https://x.org/b)',
        "First line  \nsecond line\n\nSecond *paragraph*.",
        "## Heading\n\n- a\n    - b\n\n> Quote\n>\n> — Someone",
        "```\ndef f():\n\treturn 1\n```",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "<https://youtu.be/ex8fMxXJDJw>\nYouTube",
        "> [!pull] Pull quote\n>\n> — Citation",
        "![Alt (with brackets)](https://x.org/a.jpg)",
        "a &lt; b && c > d &amp;lt; e",
    ],
)
def test_our_markdown_survives_a_trip_through_wordpress_html(markdown_text: str) -> None:
    assert md(markdown_to_wordpress_html(markdown_text)) == markdown_text


@pytest.mark.parametrize(
    "html",
    [
        "<code>&lt;script&gt;<iframe src=//x>",
        "<!-- wp:image --><code><img src=x onerror=alert(1)><p>&lt;script&gt;",
    ],
)
def test_markup_inside_inline_code_cannot_end_the_code_span(html: str) -> None:
    converted = md(html)
    assert converted.count("`") == 2 and "\n" not in converted.strip()
    assert "<script" not in render(converted).lower()

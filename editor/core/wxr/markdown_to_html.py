"""Our Markdown → HTML as WordPress wants it in ``content:encoded``.

Python-Markdown does the conversion. Our figures (an image line, the caption on
the next line of the same paragraph) become ``<figure>`` with
``<figcaption>``, which is what WordPress's editor writes and what the
importer reads back as a figure. WordPress runs autop on classic content, so
a newline inside a paragraph would become a ``<br>`` there: soft line breaks
are written as spaces (``<pre>`` keeps its newlines).
"""

from __future__ import annotations

import html
import re

import markdown

_EXTENSIONS = ["tables", "fenced_code", "def_list", "sane_lists"]
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FIGURE_LINE = re.compile(r'^!\[((?:\\.|[^\]\\])*)\]\(\s*(\S+?)(?:\s+"([^"]*)")?\s*\)\s*$')
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL | re.IGNORECASE)
_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")
_BLOCK_TAG_AHEAD = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|table|thead|tbody|tfoot|tr|td|th"
    r"|hr|figure|figcaption)\b",
    re.IGNORECASE,
)
_BLOCK_TAG_BEHIND = re.compile(
    r"(?:</?(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|table|thead|tbody|tfoot|tr|td|th"
    r"|figure|figcaption)\b[^>]*>|<hr\s*/?>|<br\s*/?>)$",
    re.IGNORECASE,
)
_LINK_LINE = re.compile(r"^<(https?://[^>\s]+)>\s*$")
_SOURCE_LINE = re.compile(r"<p>(?:\u2014|--|&mdash;)[ \t]*(\S[^\n]*?)</p>\s*</blockquote>")
_BLOCKQUOTE_TAG = re.compile(r"</?blockquote>")
_PULL_MARK = re.compile(r"\s*<p>\[!pull\][ \t]*", re.IGNORECASE)
_TAB_IN_CODE = "\ue010"
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")


def markdown_to_wordpress_html(text: str) -> str:
    converter = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    rendered = converter.convert(_figures_as_html(text))
    rendered = _quotes_as_wordpress_writes_them(rendered)
    # Python-Markdown expands tabs; code keeps the tabs it was written with.
    return _soft_breaks_as_spaces(rendered).replace(_TAB_IN_CODE, "\t")


def _quotes_as_wordpress_writes_them(rendered: str) -> str:
    """A quote's source line becomes ``<cite>``; a ``[!pull]`` quote becomes WordPress's
    pull quote, ``<figure class="wp-block-pullquote"><blockquote>``."""
    if "<blockquote>" not in rendered:
        return rendered
    rendered = _SOURCE_LINE.sub(r"<cite>\1</cite>\n</blockquote>", rendered)
    if "[!pull]" not in rendered:
        return rendered
    pieces: list[str] = []
    open_pulls: list[bool] = []
    position = 0
    for tag in _BLOCKQUOTE_TAG.finditer(rendered):
        pieces.append(rendered[position : tag.start()])
        position = tag.end()
        if tag.group(0).startswith("</"):
            pieces.append(
                "</blockquote></figure>" if open_pulls and open_pulls.pop() else tag.group(0)
            )
            continue
        pull = _PULL_MARK.match(rendered, tag.end())
        open_pulls.append(pull is not None)
        if pull is None:
            pieces.append(tag.group(0))
        else:
            pieces.append('<figure class="wp-block-pullquote"><blockquote>\n<p>')
            position = pull.end()
    pieces.append(rendered[position:])
    return "".join(pieces)


def in_code_fence(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (its fences included)."""
    inside: list[bool] = []
    fence: str | None = None
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None:
            inside.append(True)
            if _closes(opening, fence, line):
                fence = None
        elif opening is not None:
            fence = opening.group(1)
            inside.append(True)
        else:
            inside.append(False)
    return inside


def _figures_as_html(text: str) -> str:
    """Replace figure paragraphs (outside code fences) with ``<figure>`` HTML blocks."""
    lines = text.split("\n")
    fenced = in_code_fence(lines)
    output: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if fenced[index]:
            output.append(line.replace("\t", _TAB_IN_CODE))
            index += 1
            continue
        starts_paragraph = index == 0 or not lines[index - 1].strip()
        figure = _FIGURE_LINE.match(line) if starts_paragraph else None
        embed = _LINK_LINE.match(line) if starts_paragraph and figure is None else None
        if figure is None and embed is None:
            output.append(line)
            index += 1
            continue
        caption_lines = []
        index += 1
        while index < len(lines) and lines[index].strip() and not fenced[index]:
            caption_lines.append(lines[index].strip())
            index += 1
        caption = _caption_html(" ".join(caption_lines))
        block = _figure_html(figure, caption) if figure else _embed_html(embed, caption)
        output.extend(["", block, ""])
    return "\n".join(output)


def markdown_to_inline_html(text: str) -> str:
    """A short text (a dek, a caption) as HTML without the paragraph around it."""
    return _caption_html(text.strip())


def _caption_html(caption: str) -> str:
    if not caption:
        return ""
    rendered = str(markdown.markdown(caption, output_format="html")).strip()
    return rendered.removeprefix("<p>").removesuffix("</p>")


def _embed_html(embed: re.Match[str] | None, caption: str) -> str:
    """A link alone on its line is what WordPress embeds (oEmbed) and what the importer
    writes for embeds, videos and iframes."""
    url = html.escape(embed.group(1)) if embed else ""
    parts = [f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">{url}</div>']
    if caption:
        parts.append(f"<figcaption>{caption}</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


def _closes(opening: re.Match[str] | None, fence: str, line: str) -> bool:
    if opening is None:
        return False
    marker = opening.group(1)
    return marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker) :]


def _figure_html(figure: re.Match[str], caption: str) -> str:
    alt = _MARKDOWN_ESCAPE.sub(r"\1", figure.group(1))
    url, credit = figure.group(2), figure.group(3) or ""
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    attributes = f'src="{html.escape(url)}" alt="{html.escape(alt)}"'
    if credit:
        attributes += f' title="{html.escape(credit)}"'
    parts = [f'<figure class="wp-block-image"><img {attributes} />']
    if caption:
        parts.append(f"<figcaption>{caption}</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


def _soft_breaks_as_spaces(rendered: str) -> str:
    pieces = _PRE.split(rendered)
    for index in range(0, len(pieces), 2):  # even pieces are outside <pre>
        if pieces[index].strip():
            pieces[index] = _join_lines(pieces[index])
    return "".join(pieces)


def _join_lines(segment: str) -> str:
    def replace(match: re.Match[str]) -> str:
        before = segment[max(0, match.start() - 200) : match.start()]
        if _BLOCK_TAG_AHEAD.match(segment, match.end()) or _BLOCK_TAG_BEHIND.search(before):
            return "\n"
        return " "

    return _NEWLINE.sub(replace, segment)

"""Markdown pieces the rendering tests build documents from, and the whole-document
reference render the block renderer must agree with."""

from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.treeprocessors import Treeprocessor

from editor.core.rendering.media import resolve_media
from editor.core.rendering.sanitize import sanitize_html
from editor.core.rendering.syntax import FigureProcessor, shape_quotes

# Complete blocks: any sequence of them, joined by blank lines, is a well-formed article.
BLOCKS = (
    "A plain paragraph with *emphasis* and a [link](https://example.org).",
    "Second paragraph,\nwrapped over two lines.",
    "## Section heading",
    "## Section heading",
    "### Section Heading!",
    "### Subsection {#custom-anchor}",
    "Setext heading\n--------------",
    "- first item\n- second item\n    - nested item",
    "1. one\n2. two",
    "- loose item\n\n- another loose item",
    "    indented code\n\n    more code",
    "```python\ndef f():\n\n    return 1\n```",
    "~~~\nfence with a blank line\n\ninside\n~~~",
    "> A quotation.\n> — Someone Quoted",
    "> [!pull] A pull quote.",
    "> quote one",
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    '![Engineers at the lock](asset:0123456789ab "Photo: Mara Quinn")\nThe caption line.',
    "![Alone](asset:abcdefabcdef)",
    '<div class="box">\nraw html\n\nwith a blank line\n</div>',
    "<!-- a comment -->",
    "Term\n:   Its definition",
    "---",
    "A footnote reference[^note] in text.",
    "[^note]: The note itself.",
    "[site]: https://example.com/reference",
    "Uses a [reference link][site] and [site].",
    "*[HTML]: Hyper Text Markup Language",
    "HTML is mentioned here.",
    "Link to [the section](#section-heading).",
    "Text <b>bold raw</b> and <span>span</span>.",
)

# Fragments for edits: they open and close constructs mid-document on purpose.
FRAGMENTS = (
    "",
    "x",
    " ",
    "\n",
    "\n\n",
    "    ",
    "- ",
    "> ",
    "# ",
    "[^note]",
    "[site]",
    "```",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    ": ",
    "|",
    "*",
    "[",
    "]",
    "![a](asset:0123456789ab)",
)


class _Quotes(Treeprocessor):  # type: ignore[misc]
    def run(self, root: object) -> None:
        shape_quotes(root)  # type: ignore[arg-type]


class _Ours(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.parser.blockprocessors.register(FigureProcessor(md.parser), "figure", 12)
        md.treeprocessors.register(_Quotes(md), "quotes", 30)


def whole_document_html(source: str) -> str:
    """Python-Markdown on the whole text at once, with our syntax: the reference."""
    md = markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "attr_list",
            "def_list",
            "sane_lists",
            "smarty",
            FootnoteExtension(BACKLINK_TEXT="\u21a9\ufe0e"),
            "abbr",
            "toc",
            _Ours(),
        ],
        output_format="html",
    )
    # Media placeholders resolved as the block renderer resolves them.
    return _squash(resolve_media(sanitize_html(md.convert(source)), reference_media_url))


def without_block_markup(body_html: str) -> str:
    """A rendered body without what block rendering adds: ``data-block`` attributes, the
    wrapper ``div``s and the empty ``template``s."""
    body_html = re.sub(r'<template data-block="[^"]*"></template>', "", body_html)
    pieces = []
    wrappers: list[bool] = []
    position = 0
    for tag in re.finditer(r"<(/?)div\b([^>]*)>", body_html):
        pieces.append(body_html[position : tag.start()])
        position = tag.end()
        if tag.group(1):
            if not wrappers.pop():
                pieces.append(tag.group(0))
        else:
            wrapper = (
                re.fullmatch(r' class="md-group" data-block="[^"]*"', tag.group(2)) is not None
            )
            wrappers.append(wrapper)
            if not wrapper:
                pieces.append(tag.group(0))
    pieces.append(body_html[position:])
    return _squash(re.sub(r' data-block="[^"]*"', "", "".join(pieces)))


def reference_media_url(reference: str, width: int) -> str:
    """Media URLs that spell the placeholder back, so whole-document output compares."""
    return f"asset:{reference}?w={width}"


def _squash(fragment: str) -> str:
    return re.sub(r"\s+", " ", fragment).strip()

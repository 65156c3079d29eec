"""Our additions to Markdown: figures, quotes with a source, pull quotes.

Figures
    A paragraph that starts with an image line is a figure; the lines after the
    image are its caption, the image's title is its credit::

        ![Engineers lower the gate](asset:3f2a9c0b1d4e "Photo: Mara Quinn")
        Engineers lower the trial gate on Monday morning.

    renders ``<figure><picture><source type="image/webp" srcset sizes><img src
    srcset sizes alt></picture><figcaption>Engineers lower …
    <span class="credit">Photo: Mara Quinn</span></figcaption></figure>`` (the
    ``<img>`` is the JPEG fallback; ``media`` resolves the URLs). A lone image
    line is a figure without a caption. ``asset:`` is followed by the first 12
    (or more) hex digits of the image's SHA-256; any other URL (``https://…``)
    is kept as it is, in a plain ``<img>`` without ``srcset``.

Quotes with a source
    A block quote whose last line starts with a dash (``—``, ``--`` or
    ``&mdash;``) names its source::

        > "Every autumn we move the furniture upstairs and hope."
        > — Doreen Ashby, Mill Lane

    renders ``<figure class="quote"><blockquote>…</blockquote><figcaption>—
    <cite>Doreen Ashby, Mill Lane</cite></figcaption></figure>``.

Pull quotes
    A block quote that starts with ``[!pull]`` is set large beside the text
    (an optional source line works as above)::

        > [!pull] "This is the first year I think we might not have to."
        > — Doreen Ashby

    renders ``<figure class="pull-quote">…</figure>``. This is the callout
    syntax GitHub and Obsidian use, so it reads naturally in the editor.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor

from editor.core.rendering.media import (
    BODY_IMAGE_SIZES,
    FALLBACK_FORMAT,
    SOURCE_FORMATS,
    asset_placeholder,
    asset_reference,
    asset_srcset,
)

FIGURE_IMAGE_LINE = re.compile(
    r"^[ ]{0,3}!\[(?P<alt>[^\]\n]*)\]\(\s*(?P<url><[^>\n]*>|[^\s)]+)"
    r"(?:\s+(?P<quote>[\"'])(?P<credit>.*?)(?P=quote))?\s*\)[ ]*$"
)
_ATTRIBUTION = re.compile(
    r"^[ \t]*(?:\u2014|\u2015|--{1,2}|&mdash;|&#8212;|&#x2014;)[ \t]*(?P<source>\S.*?)[ \t]*$"
)
_PULL_MARK = re.compile(r"^[ \t]*\[!pull\][ \t]*\n?", re.IGNORECASE)

FIGURE_CLASS = "figure"
CREDIT_CLASS = "credit"
QUOTE_CLASS = "quote"
PULL_QUOTE_CLASS = "pull-quote"


class FigureProcessor(BlockProcessor):  # type: ignore[misc]  # markdown has no type hints
    """Turns a paragraph that starts with an image line into a ``<figure>``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return FIGURE_IMAGE_LINE.match(block.partition("\n")[0]) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        image_line, _newline, caption = blocks.pop(0).partition("\n")
        match = FIGURE_IMAGE_LINE.match(image_line)
        if match is None:  # pragma: no cover - test() matched the same line
            return False
        url = match.group("url").strip("<>")
        figure = etree.SubElement(parent, "figure", {"class": FIGURE_CLASS})
        reference = asset_reference(url)
        if reference is not None:
            # The same markup as the theme's ``picture`` macro gives the hero image.
            picture = etree.SubElement(figure, "picture")
            for source_format in SOURCE_FORMATS:
                etree.SubElement(
                    picture,
                    "source",
                    {
                        "type": source_format.mime,
                        "srcset": asset_srcset(reference, source_format),
                        "sizes": BODY_IMAGE_SIZES,
                    },
                )
            image = etree.SubElement(picture, "img")
            image.set("src", asset_placeholder(reference))
            image.set("srcset", asset_srcset(reference, FALLBACK_FORMAT))
            image.set("sizes", BODY_IMAGE_SIZES)
        else:
            image = etree.SubElement(figure, "img")
            image.set("src", url)
        image.set("alt", match.group("alt").strip())
        image.set("loading", "lazy")
        image.set("decoding", "async")
        caption = " ".join(line.strip() for line in caption.split("\n") if line.strip())
        credit = (match.group("credit") or "").strip()
        if caption or credit:
            figcaption = etree.SubElement(figure, "figcaption")
            figcaption.text = caption
            if credit:
                if caption:
                    figcaption.text += " "
                etree.SubElement(figcaption, "span", {"class": CREDIT_CLASS}).text = credit
        return True


def shape_quotes(root: etree.Element) -> None:
    """Give block quotes with a source line, and pull quotes, their figure.

    Python-Markdown merges quotes separated only by a blank line into one, so a quote is
    first cut after each source line and before each ``[!pull]``. Runs before inline
    processing, while each paragraph is still its raw text."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag != "blockquote":
                continue
            replacements = [
                figure if figure is not None else quote
                for quote in _separate_quotes(child)
                for figure in [_quote_figure(quote)]
            ]
            if len(replacements) == 1 and replacements[0] is child:
                continue
            index = list(parent).index(child)
            replacements[-1].tail = child.tail
            parent.remove(child)
            for offset, replacement in enumerate(replacements):
                parent.insert(index + offset, replacement)


def _separate_quotes(quote: etree.Element) -> list[etree.Element]:
    """The quotes merged into ``quote``: cut after a paragraph that ends with a source
    line, and before a paragraph that starts with ``[!pull]``."""
    groups: list[list[etree.Element]] = [[]]
    for child in quote:
        text = child.text or "" if child.tag == "p" else ""
        if groups[-1] and _PULL_MARK.match(text):
            groups.append([])
        groups[-1].append(child)
        if text and not len(child) and _ATTRIBUTION.match(text.rstrip("\n").split("\n")[-1]):
            groups.append([])
    groups = [group for group in groups if group]
    if len(groups) <= 1:
        return [quote]
    separated = []
    for group in groups:
        part = etree.Element("blockquote", dict(quote.attrib))
        part.text = quote.text
        part.extend(group)
        separated.append(part)
    return separated


def _quote_figure(quote: etree.Element) -> etree.Element | None:
    """``quote`` in its figure, or ``None`` when it is neither a pull quote nor sourced."""
    pull = False
    first = quote[0] if len(quote) else None
    if first is not None and first.tag == "p" and first.text:
        marked = _PULL_MARK.match(first.text)
        if marked is not None:
            pull = True
            first.text = first.text[marked.end() :]
            if not first.text.strip() and not len(first):
                quote.remove(first)
    source = _take_source_line(quote)
    if not pull and source is None:
        return None
    figure = etree.Element("figure", {"class": PULL_QUOTE_CLASS if pull else QUOTE_CLASS})
    figure.append(quote)
    if source is not None:
        figcaption = etree.SubElement(figure, "figcaption")
        figcaption.text = "\u2014 "
        etree.SubElement(figcaption, "cite").text = source
    return figure


def _take_source_line(quote: etree.Element) -> str | None:
    """Remove and return the quote's closing "— Name" line, if it has one and other text."""
    if not len(quote):
        return None
    last = quote[-1]
    if last.tag != "p" or not last.text or len(last):
        return None
    lines = last.text.rstrip("\n").split("\n")
    match = _ATTRIBUTION.match(lines[-1])
    if match is None:
        return None
    if len(lines) == 1:
        if len(quote) == 1:
            return None  # a quote that is only a dash line has no quotation to attribute
        quote.remove(last)
    else:
        last.text = "\n".join(lines[:-1])
    return match.group("source")


SYNTAX_HELP = """\
# Writing an article

Articles are written in Markdown. The preview shows the page exactly as it will be published.

## Text

- `*italic*`, `**bold**`, `` `code` ``, `[a link](https://example.org)`
- `## Section heading` (the headline is the page's only level-1 heading; start sections at `##`)
- `### Subheading`
- Lists start lines with `-` or `1.`; indent by four spaces to nest.
- A line of `---` on its own is a rule.
- Tables: `| Column | Column |` with a `|---|---|` line under the header row.
- Footnotes: `text[^1]` and, in a paragraph of its own, `[^1]: The note.`
- `{: #anchor .class}` after a heading or paragraph sets its id or class;
  link to it with `[see below](#anchor)`.

## Figures

Insert a figure with the image button, or write an image line followed by the caption:

    ![What the picture shows, for readers who cannot see it](asset:3f2a9c0b1d4e "Photo: Name / Agency")
    The caption, one or more lines.

The text in `![…]` is the alt text; the quoted title is the credit. An image line on its own is a
figure without a caption.

## Quotes

    > "The quotation."
    > — Name, Role

A quote whose last line starts with a dash names its source under it.

## Pull quotes

    > [!pull] "A line from the story, set large beside the text."
    > — Name

## HTML

Simple HTML is allowed. Scripts, frames, forms, styles, event handlers and `javascript:` or
`data:` links are removed when the page is rendered.
"""


def syntax_help() -> str:
    """The writing help the editor shows (Markdown; render it with ``render_body``)."""
    return SYNTAX_HELP

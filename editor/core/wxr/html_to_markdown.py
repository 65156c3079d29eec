"""WordPress post and comment HTML → our Markdown.

markdownify does the bulk of the conversion; this subclass fixes what it does
not know about WordPress and about our Markdown:

- figures (``<figure>``, ``[caption]``, block-editor image and gallery blocks)
  become our figure syntax: the image line ``![alt](url "credit")`` and the
  caption on the next line of the same paragraph; images keep their remote
  URL (nothing is fetched) and every one is listed in ``images``;
- embeds, iframes, video and audio become a link line to what they showed;
- nested lists are indented by four spaces (Python-Markdown needs four);
- ``<pre>`` keeps its text verbatim in a fence longer than any run of
  backticks inside, multi-line ``<code>`` becomes a fenced block;
- pull quotes and quotes keep their citation as a "— name" line;
- nothing dangerous stays live: script, style and form controls are dropped,
  ``javascript:``/``data:`` links lose their target, and text that looks like
  HTML (``&lt;script&gt;`` in the source) is escaped so a Markdown renderer
  shows it as text instead of passing it through as markup.

What could not be carried over is counted in ``notes`` for the import report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markdownify import MarkdownConverter as _TypedMarkdownConverter

from editor.core.wxr.markdown_to_html import in_code_fence
from editor.core.wxr.wordpress_html import (
    autop,
    captions_to_figures,
    dynamic_blocks,
    has_blocks,
    page_breaks,
)

_MARKUP_HINT = re.compile(r"[<&\[\]*_`\\!|]|^[ \t]*(?:[#>+=~-]|\d+[.)])", re.MULTILINE)
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINK_LIKE = re.compile(r"\[([^\]\n]*)\]\(")
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|ftp:|/|#|\?|\.|[^:/?#]+(?:[/?#]|$))", re.I)
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|svg)(?:[?#].*)?$", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_ANY_WHITESPACE = re.compile(r"\s+")
_EXTRA_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
_BLANK_LINE_SPACES = re.compile(r"^[ \t]+$", re.MULTILINE)
_TRAILING_SPACES = re.compile(r"(?<=\S)[ \t]+$", re.MULTILINE)
_BLOCK_MARKER = r"([ \t]*)(#|>|(?:[-=]+|\+)(?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$)))"
_BLOCK_MARKER_AT_START = re.compile("^" + _BLOCK_MARKER)
_BLOCK_MARKER_AFTER_NEWLINE = re.compile("(?<=\n)" + _BLOCK_MARKER)
_LINE_BREAKING = {
    *("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd"),
    *("blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption", "hr"),
}
_BARE_URL = re.compile(r"^https?://[^\s<>\[\]()]+$")
_BACKTICK_RUN = re.compile(r"`+")
_GALLERY_CLASSES = {"wp-block-gallery", "blocks-gallery-grid", "gallery"}
_DROPPED_ELEMENTS = {
    "script": "script removed",
    "style": "style sheet removed",
    "noscript": "noscript removed",
    "template": "template removed",
    "svg": "inline SVG removed",
    "canvas": "canvas removed",
    "input": "form field removed",
    "select": "form field removed",
    "textarea": "form field removed",
    "head": "",
    "title": "",
    "meta": "",
    "link": "",
}
_INDENT = "    "


@dataclass(frozen=True, slots=True)
class BodyImage:
    url: str
    alt: str
    caption: str


@dataclass(slots=True)
class ConvertedBody:
    markdown: str
    images: list[BodyImage] = field(default_factory=list)
    # What had no Markdown form, by kind ("dynamic block wp:archives": 1, "iframe → link": 2).
    notes: Counter[str] = field(default_factory=Counter)


def wordpress_html_to_markdown(html: str) -> ConvertedBody:
    """Convert a post's or comment's stored HTML (as WordPress keeps it) to our Markdown."""
    text = html.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ConvertedBody("")
    if _MARKUP_HINT.search(text) is None:
        return _plain_text(text)
    notes: Counter[str] = Counter()
    for name, count in dynamic_blocks(text).items():
        notes[f"dynamic block {name} (WordPress renders it when the page is viewed)"] += count
    for marker, count in page_breaks(text).items():
        notes[f"{marker} marker dropped"] += count
    text = captions_to_figures(text)
    if not has_blocks(text):
        text = autop(text)
    converter = _WordPressConverter(notes)
    markdown = converter.convert(text)
    return ConvertedBody(_tidy(markdown), converter.images, notes)


def _plain_text(text: str) -> ConvertedBody:
    """Text without markup: HTML whitespace rules, autop's paragraphs and line breaks, and
    a URL alone in its paragraph as the embed WordPress makes of it."""
    paragraphs = []
    notes: Counter[str] = Counter()
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) == 1 and _BARE_URL.match(lines[0]):
            lines = [f"<{_safe_url(lines[0])}>"]
            notes["embed → link"] += 1
        if lines:
            paragraphs.append("  \n".join(lines))
    return ConvertedBody("\n\n".join(paragraphs), notes=notes)


def _tidy(markdown: str) -> str:
    """Whitespace that means nothing in Markdown removed, so converting the same HTML
    again (after an export) gives the same text."""
    markdown = _BLANK_LINE_SPACES.sub("", markdown)
    # Two or more trailing spaces are a line break (written as exactly two); one is noise.
    markdown = _TRAILING_SPACES.sub(lambda run: "  " if len(run.group()) > 1 else "", markdown)
    markdown = _EXTRA_BLANK_LINES.sub("\n\n", markdown)
    lines = markdown.split("\n")
    fenced = in_code_fence(lines)
    # Runs of spaces between words mean one space in HTML (and in a Markdown renderer's output).
    lines = [
        line if in_fence else _INNER_SPACES.sub(" ", line)
        for line, in_fence in zip(lines, fenced, strict=True)
    ]
    kept: list[str] = []
    for line, in_fence in zip(lines, fenced, strict=True):
        if not in_fence:
            is_blank = not line.strip() or line.strip() == ">"
            if is_blank and kept and kept[-1].endswith("  "):
                kept[-1] = kept[-1][:-2]  # a line break before a paragraph break is nothing
            if line.strip() == ">" and kept and kept[-1].strip() == ">":
                continue
            if line.startswith(" ") and not line.startswith(_INDENT):
                line = line.lstrip(" ")  # one to three spaces before text mean nothing
        kept.append(line)
    return "\n".join(kept).strip("\n").removesuffix("  ")


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{indent}{marker}\\"  # "1984\. A year": the backslash goes before the dot
    return f"{indent}\\{marker}"


def _footer_rows_into_body(table: Any) -> None:
    """Markdown tables have no footer: ``<tfoot>`` rows become the last body rows
    (markdownify would otherwise start a second header inside the table)."""
    footer = table.find("tfoot", recursive=False)
    if footer is None:
        return
    body = table.find("tbody", recursive=False) or table
    for row in footer.find_all("tr", recursive=False):
        body.append(row.extract())
    footer.decompose()


def _safe_url(url: str | None) -> str:
    """The URL as a Markdown link target, or "" when it must not be a link."""
    url = (url or "").strip()
    if not url:
        return ""
    if url.startswith("//"):
        url = "https:" + url
    if _SAFE_URL.match(url) is None:
        return ""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _one_line(text: str) -> str:
    return _ANY_WHITESPACE.sub(" ", text).strip()


def _classes(element: Any) -> set[str]:
    value = element.get("class") or []
    return set(value.split() if isinstance(value, str) else value)


def _fence_for(text: str) -> str:
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    return "`" * max(3, longest + 1)


def _language(element: Any) -> str:
    for node in (element, element.find("code")):
        if node is None:
            continue
        for name in _classes(node):
            for prefix in ("language-", "lang-"):
                if name.startswith(prefix) and len(name) > len(prefix):
                    return name[len(prefix) :]
    return ""


# markdownify's stub declares only convert(); the convert_*/process_* hooks overridden here
# are its documented extension points, but untyped.
_MarkdownConverter: Any = _TypedMarkdownConverter


class _WordPressConverter(_MarkdownConverter):  # type: ignore[misc]
    def __init__(self, notes: Counter[str]) -> None:
        super().__init__(
            heading_style="atx",
            bullets="-",
            newline_style="spaces",
            escape_asterisks=True,
            escape_underscores=True,
            escape_misc=False,
            autolinks=True,
            strip_document="strip",
        )
        self.notes = notes
        self.images: list[BodyImage] = []

    # --- text -----------------------------------------------------------------

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = super().escape(text, parent_tags)
        if "&" in text:
            text = _ENTITY_LIKE.sub("&amp;", text)
        # Every "<", not only those before a letter: text nodes next to each other
        # ("<" then "script>") must not join into a tag.
        text = text.replace("<", "&lt;")
        if "](" in text:
            text = _LINK_LIKE.sub(r"\\[\1\\](", text)
        if "`" in text:
            text = text.replace("`", "\\`")
        return text

    def process_text(self, el: Any, parent_tags: set[str] | None = None) -> str:
        text = str(super().process_text(el, parent_tags=parent_tags))
        if "_noformat" in (parent_tags or ()) or "pre" in (parent_tags or ()):
            return text
        # Text that would start a heading, list, quote or rule where it lands at the
        # start of a line ("#dowork", "1984. A year") is escaped so it stays text.
        previous = el.previous_sibling
        at_line_start = previous is None or getattr(previous, "name", None) in _LINE_BREAKING
        if at_line_start:
            text = _BLOCK_MARKER_AT_START.sub(_escape_marker, text)
        if "\n" in text:
            text = _BLOCK_MARKER_AFTER_NEWLINE.sub(_escape_marker, text)
        return text

    # --- removed elements -------------------------------------------------------

    def process_tag(self, node: Any, parent_tags: set[str] | None = None) -> str:
        name = getattr(node, "name", None)
        if name in _DROPPED_ELEMENTS:
            note = _DROPPED_ELEMENTS[name]
            if note:
                self.notes[note] += 1
            return ""
        if name == "code" and "pre" not in (parent_tags or ()):
            block = self._code_block(node, parent_tags or set())
            if block is not None:
                return block
        if name == "table":
            _footer_rows_into_body(node)
        if name == "figure":
            figure = self._figure(node, parent_tags or set())
            if figure is not None:
                return figure
        return str(super().process_tag(node, parent_tags=parent_tags))

    # --- links and images -------------------------------------------------------

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = el.get("href")
        if href and not _safe_url(href):
            self.notes["unsafe link target removed"] += 1
            return text
        only_image = (
            el.find("img") is not None and not el.get_text(strip=True) and text.startswith("![")
        )
        if only_image and (href is None or _IMAGE_URL.search(href) or "attachment" in href):
            # WordPress links an image to its own file or attachment page by default;
            # our figure line cannot carry a link, and nothing is lost without it.
            return text
        if href:
            el["href"] = _safe_url(href)
        return str(super().convert_a(el, text, parent_tags))

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return self.escape(_one_line(el.get("alt") or ""), parent_tags)
        markdown, _image = self._image(el, caption="")
        return markdown

    def _image(self, el: Any, *, caption: str) -> tuple[str, BodyImage | None]:
        raw_src = el.get("src") or el.get("data-src") or el.get("data-orig-file") or ""
        src = _safe_url(raw_src)
        alt = _one_line(el.get("alt") or "")
        if not src:
            if raw_src:
                self.notes["image with a data: or script URL removed"] += 1
            return self.escape(alt, set()), None
        image = BodyImage(url=src, alt=alt, caption=caption)
        self.images.append(image)
        credit = _one_line(el.get("title") or "").replace('"', "'")
        # The figure syntax reads the alt text up to the first "]": brackets become parentheses.
        alt_text = alt.replace("[", "(").replace("]", ")")
        title_part = f' "{credit}"' if credit else ""
        return f"![{alt_text}]({src}{title_part})", image

    # --- figures, galleries, embeds ---------------------------------------------

    def _figure(self, el: Any, parent_tags: set[str]) -> str | None:
        """Our Markdown for a figure, or None to convert its children as they are
        (quotes, tables and galleries, whose parts are converted one by one)."""
        if "_inline" in parent_tags:
            return None
        if el.find(["blockquote", "table", "figure"]) is not None:
            return None
        classes = _classes(el)
        if classes & _GALLERY_CLASSES:
            return None
        caption = self._caption(el)
        wrapper = el.find(class_="wp-block-embed__wrapper")
        if wrapper is not None or "wp-block-embed" in classes:
            url = _one_line((wrapper or el).get_text(" "))
            return self._link_line(url.split(" ")[0] if url else "", caption, "embed → link")
        media = el.find(["video", "audio", "iframe", "embed", "object"])
        if media is not None:
            return self._link_line(self._media_url(media), caption, f"{media.name} → link")
        image = el.find("img")
        if image is None:
            return None
        link = image.find_parent("a")
        href = link.get("href") if link is not None else None
        if href and not _IMAGE_URL.search(href) and "attachment" not in href:
            self.notes["link around a figure's image dropped"] += 1
        markdown, _found = self._image(image, caption=caption)
        lines = [markdown, caption] if caption else [markdown]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def _caption(self, figure: Any) -> str:
        caption = figure.find("figcaption")
        if caption is None:
            return ""
        # Converted inline (links and emphasis kept) and on one line, so it stays
        # in the figure's paragraph.
        return _one_line(self.process_tag(caption, parent_tags={"_inline", "figure"}))

    def convert_figcaption(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return text
        return f"\n\n{_one_line(text)}\n\n"

    def _media_url(self, media: Any) -> str:
        url = media.get("src") or media.get("data") or ""
        if not url:
            source = media.find("source")
            url = source.get("src", "") if source is not None else ""
        return str(url)

    def _link_line(self, url: str, caption: str, note: str) -> str:
        target = _safe_url(url)
        self.notes[note] += 1
        if not target or not target.lower().startswith(("http:", "https:")):
            return f"\n\n{caption}\n\n" if caption else ""
        lines = [f"<{target}>"] + ([caption] if caption else [])
        return "\n\n" + "\n".join(lines) + "\n\n"

    def _media_element(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._link_line(self._media_url(el), "", f"{el.name} → link")

    convert_iframe = _media_element
    convert_video = _media_element
    convert_audio = _media_element
    convert_embed = _media_element
    convert_object = _media_element

    # --- lists (Python-Markdown wants four spaces for nesting) -------------------

    def convert_list(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if _classes(el) & _GALLERY_CLASSES:
            return f"\n\n{text.strip()}\n\n"
        return str(super().convert_list(el, text, parent_tags))

    convert_ul = convert_list
    convert_ol = convert_list

    def convert_li(self, el: Any, text: str, parent_tags: set[str]) -> str:
        parent = el.parent
        if parent is not None and _classes(parent) & _GALLERY_CLASSES:
            return f"\n\n{text.strip()}\n\n"
        text = (text or "").strip()
        if not text:
            return "\n"
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            first = int(start) if start.isdigit() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        indented = [lines[0]] + [_INDENT + line if line else "" for line in lines[1:]]
        return bullet + "\n".join(indented) + "\n"

    # --- code -------------------------------------------------------------------

    def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return ""
        text = text.strip("\n")
        fence = _fence_for(text)
        return f"\n\n{fence}{_language(el)}\n{text}\n{fence}\n\n"

    def _code_block(self, el: Any, parent_tags: set[str]) -> str | None:
        """Multi-line ``<code>`` outside ``<pre>`` as a fenced block, its text as written."""
        if "_inline" in parent_tags or "_noformat" in parent_tags:
            return None
        body = el.get_text().strip("\n")
        if "\n" not in body:
            return None
        fence = _fence_for(body)
        return f"\n\n{fence}\n{body}\n{fence}\n\n"

    def convert_code(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return str(super().convert_code(el, text, parent_tags))
        # Inline code is its text alone, on one line: markup inside it (an image, a
        # paragraph, an embed) would become Markdown that ends the code span and lets
        # what the code quoted (``<script>``) become live.
        flat = " ".join(line.strip() for line in el.get_text().splitlines() if line.strip())
        return str(super().convert_code(el, flat, parent_tags)) if flat else ""

    def convert_br(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags or "_noformat" in parent_tags:
            return "\n"
        return str(super().convert_br(el, text, parent_tags))

    # --- emphasis: nested bold in bold (or italic in italic) would close the outer one --

    def convert_strong(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"strong", "b"}:
            return text
        return str(super().convert_strong(el, text, parent_tags))

    convert_b = convert_strong

    def convert_em(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"em", "i"}:
            return text
        return str(super().convert_em(el, text, parent_tags))

    convert_i = convert_em

    # --- quotes and the rest ----------------------------------------------------

    def convert_blockquote(self, el: Any, text: str, parent_tags: set[str]) -> str:
        quote = str(super().convert_blockquote(el, text, parent_tags))
        parent = el.parent
        is_pull = "wp-block-pullquote" in _classes(el) or (
            parent is not None and "wp-block-pullquote" in _classes(parent)
        )
        if is_pull and "_inline" not in parent_tags and quote.strip().startswith(">"):
            # Our pull quote: the callout mark on the quote's first line.
            start = quote.index(">")
            quote = quote[: start + 1] + " [!pull]" + quote[start + 1 :]
        return quote

    def convert_cite(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "blockquote" in parent_tags and text.strip():
            return f"\n\n— {_one_line(text)}\n\n"
        return text

    def convert_summary(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n**{_one_line(text)}**\n\n" if text.strip() else ""

    def convert_address(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return str(super().convert_p(el, text, parent_tags))

    convert_details = convert_address

    def convert_p(self, el: Any, text: str, parent_tags: set[str]) -> str:
        bare = text.strip().replace("\\_", "_").replace("\\*", "*")
        if "_inline" not in parent_tags and _BARE_URL.match(bare):
            # WordPress turns a URL alone on its line into an embed (oEmbed).
            return self._link_line(bare, "", "embed → link")
        return str(super().convert_p(el, text, parent_tags))

    def convert_td(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return str(super().convert_td(el, text.replace("|", "\\|"), parent_tags))

    def convert_th(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return str(super().convert_th(el, text.replace("|", "\\|"), parent_tags))

"""WordPress's own conventions on top of HTML, undone before the HTML is converted.

- **autop**: classic-editor posts are stored without ``<p>`` tags; WordPress adds
  them when it shows the post (``wpautop``): a blank line separates paragraphs, a
  single newline is a line break, and block-level tags are left alone.
  ``autop`` follows the same rules. Block-editor posts are stored with their
  ``<p>`` tags and WordPress does not apply autop to them, so neither do we.
- **[caption] shortcodes** become ``<figure>`` with ``<figcaption>``.
- **block comments** ``<!-- wp:name {...} -->`` carry no content of their own,
  except self-closing ones (``<!-- wp:latest-posts /-->``): those are
  *dynamic* blocks WordPress renders when the page is viewed, so they have no
  content in the export at all, and are listed as not mappable.
"""

from __future__ import annotations

import re
from collections import Counter

_BLOCK_TAGS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_OPEN_BLOCK = re.compile(r"(<" + _BLOCK_TAGS + r"[\s/>])", re.IGNORECASE)
_CLOSE_BLOCK = re.compile(r"(</" + _BLOCK_TAGS + r">)", re.IGNORECASE)
_HR = re.compile(r"(<hr\s*?/?>)", re.IGNORECASE)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
_PARAGRAPH_AROUND_BLOCK = re.compile(r"<p>\s*(</?" + _BLOCK_TAGS + r"[^>]*>)\s*</p>", re.I)
_PARAGRAPH_BEFORE_BLOCK = re.compile(r"<p>\s*(</?" + _BLOCK_TAGS + r"[^>]*>)", re.IGNORECASE)
_PARAGRAPH_AFTER_BLOCK = re.compile(r"(</?" + _BLOCK_TAGS + r"[^>]*>)\s*</p>", re.IGNORECASE)
_PARAGRAPH_AROUND_LIST_ITEM = re.compile(r"<p>(<li.+?)</p>", re.DOTALL)
_BR_AFTER_BLOCK = re.compile(r"(</?" + _BLOCK_TAGS + r"[^>]*>)\s*<br />", re.IGNORECASE)
_BR_BEFORE_BLOCK = re.compile(
    r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.IGNORECASE
)
_NEWLINE_TO_BR = re.compile(r"(?<!<br />)\s*\n")
# Elements whose text keeps its newlines: no <p> or <br> is added inside them.
_PROTECTED = re.compile(
    r"<(pre|code|script|style|svg|textarea|select|object)\b.*?</\1\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
# A protected element is replaced by an empty one of the same name, so the block rules
# still see a <pre> where there was one (as WordPress does).
_PLACEHOLDER_PATTERN = re.compile(r'<(\w+) data-wxr-keep="(\d+)"></\1>|<!--wxr-keep-(\d+)-->')

_CAPTION_SHORTCODE = re.compile(
    r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL
)
_CAPTION_ATTRIBUTE = re.compile(r"""\bcaption\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CAPTION_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.I | re.S)

_SELF_CLOSING_BLOCK = re.compile(
    r"<!--\s+wp:([a-z0-9_/-]+)(?:\s+\{(?:(?!-->).)*?\})?\s+/-->", re.DOTALL
)
_MORE = re.compile(r"<!--\s*(more|nextpage)\b.*?-->", re.IGNORECASE | re.DOTALL)
# Dynamic blocks whose absence changes nothing a reader of the article sees.
_SILENT_BLOCKS = frozenset({"spacer", "separator", "more", "nextpage", "shortcode"})


def has_blocks(html: str) -> bool:
    return "<!-- wp:" in html


def dynamic_blocks(html: str) -> Counter[str]:
    """Self-closing (dynamic) blocks by name, e.g. ``{"wp:latest-posts": 1}``."""
    found: Counter[str] = Counter()
    if "/-->" not in html:
        return found
    for match in _SELF_CLOSING_BLOCK.finditer(html):
        name = match.group(1)
        if name not in _SILENT_BLOCKS:
            found[f"wp:{name}"] += 1
    return found


def page_breaks(html: str) -> Counter[str]:
    """``<!--more-->`` and ``<!--nextpage-->`` markers, which have no Markdown equivalent."""
    found: Counter[str] = Counter()
    if "<!--" in html:
        for match in _MORE.finditer(html):
            found[f"<!--{match.group(1).lower()}-->"] += 1
    return found


def captions_to_figures(html: str) -> str:
    """``[caption …]<img …> Text[/caption]`` → ``<figure><img …><figcaption>Text</figcaption></figure>``."""
    if "[caption" not in html.lower() and "[wp_caption" not in html.lower():
        return html

    def figure(match: re.Match[str]) -> str:
        attributes, inner = match.group(2), match.group(3)
        media = _CAPTION_MEDIA.match(inner)
        if media is None:
            return match.group(0)  # not an image caption: leave the shortcode visible
        caption = media.group(2).strip()
        attribute = _CAPTION_ATTRIBUTE.search(attributes)
        if not caption and attribute is not None:
            # The old form kept the caption in the attribute.
            caption = attribute.group(1) or attribute.group(2) or ""
        return f"<figure>{media.group(1)}<figcaption>{caption}</figcaption></figure>"

    return _CAPTION_SHORTCODE.sub(figure, html)


def autop(text: str) -> str:
    """WordPress's paragraph rule: blank lines separate paragraphs, single newlines are
    line breaks, block-level HTML is left as it is, and text inside ``<pre>``,
    ``<code>``, ``<script>`` and comments is not touched."""
    if not text.strip():
        return ""
    protected: list[str] = []

    def protect(match: re.Match[str]) -> str:
        protected.append(match.group(0))
        number = len(protected) - 1
        name = match.group(1)
        return (
            f'<{name} data-wxr-keep="{number}"></{name}>' if name else f"<!--wxr-keep-{number}-->"
        )

    def restore(match: re.Match[str]) -> str:
        return protected[int(match.group(2) or match.group(3))]

    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    text = _PROTECTED.sub(protect, text)
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _OPEN_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    # Newlines inside a tag (between attributes) are not line breaks.
    text = _TAG.sub(lambda tag: tag.group(0).replace("\n", " "), text)
    paragraphs = [part for part in _PARAGRAPH_SPLIT.split(text) if part.strip()]
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in paragraphs)
    text = _EMPTY_PARAGRAPH.sub("", text)
    text = _PARAGRAPH_AROUND_BLOCK.sub(r"\1", text)
    text = _PARAGRAPH_AROUND_LIST_ITEM.sub(r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _PARAGRAPH_BEFORE_BLOCK.sub(r"\1", text)
    text = _PARAGRAPH_AFTER_BLOCK.sub(r"\1", text)
    text = re.sub(r"<br\s*/?>", "<br />", text, flags=re.IGNORECASE)
    text = _NEWLINE_TO_BR.sub("<br />\n", text)
    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    # The placeholders were taken out before any <br /> was added, so their text is as written.
    text = _PLACEHOLDER_PATTERN.sub(restore, text)
    return text

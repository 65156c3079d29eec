"""Raw HTML in Markdown, as Python-Markdown's HTML pass reads it.

Python-Markdown lifts raw HTML out of the text with ``html.parser`` before it
looks at Markdown, and a ``<div>`` (or comment) may span blank lines or, left
open, swallow the rest of the article. The splitter asks here whether that
pass, having read some text, is back at rest, and if not, what would close
what is open. Markup the pass cannot read in bounded time is refused here too.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from markdown.htmlparser import HTMLExtractor
from markdown.util import BLOCK_LEVEL_ELEMENTS, HtmlStash

HTML_HINT = re.compile(r"<[A-Za-z!?/]")


class StashOnly:
    """The part of ``Markdown`` that ``HTMLExtractor`` uses."""

    def __init__(self) -> None:
        self.htmlStash = HtmlStash()
        self.block_level_elements = BLOCK_LEVEL_ELEMENTS

    def is_block_level(self, tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in self.block_level_elements


# Python-Markdown reads raw HTML with html.parser, whose start-tag pattern is quadratic
# (or worse) on a tag that never ends: 10,000 characters of "<a " take a second, 80,000
# take a minute. No real tag runs this long, nor does a block hold this much markup.
MAX_TAG_LENGTH = 20_000
MAX_MARKUP_CHARACTERS = 50_000
_TAG_START = re.compile(r"<[A-Za-z!?/]")


def html_too_complex(text: str) -> bool:
    """Whether ``text`` holds markup Python-Markdown's HTML pass cannot read in bounded time:
    a tag with no ``>`` within ``MAX_TAG_LENGTH`` characters, or more than
    ``MAX_MARKUP_CHARACTERS`` of ``<`` and ``&``."""
    if "<" not in text and "&" not in text:
        return False
    if text.count("<") + text.count("&") > MAX_MARKUP_CHARACTERS:
        return True
    length = len(text)
    for tag in _TAG_START.finditer(text):
        start = tag.start()
        if start + MAX_TAG_LENGTH < length and text.find(">", start, start + MAX_TAG_LENGTH) == -1:
            return True
    return False


class HtmlState(NamedTuple):
    at_rest: bool
    # Where the open construct could end (searched for after the text), if known.
    closing: re.Pattern[str] | None


_COMMENT_CLOSE = re.compile(r"--!?>")
_CDATA_CLOSE = re.compile(re.escape("]]>"))
_TAG_END = re.compile(">")


def html_state(text: str) -> HtmlState:
    """Whether Python-Markdown's raw-HTML pass, having read ``text``, carries nothing into
    what follows (no open raw block, comment, declaration or half-read tag), and if it
    does, what would close it. Markup too complex to read ends the run where it is: such a
    block is shown as plain text, never given to Python-Markdown."""
    if html_too_complex(text):
        return HtmlState(True, None)
    extractor: Any = HTMLExtractor(StashOnly())
    extractor.feed(text)
    if extractor.inraw and extractor.stack:
        return HtmlState(False, re.compile("</" + re.escape(extractor.stack[0]), re.IGNORECASE))
    if extractor.cdata_elem is not None:
        return HtmlState(False, re.compile("</" + re.escape(extractor.cdata_elem), re.IGNORECASE))
    if extractor.inraw or extractor.intail or extractor._cache or extractor.rawdata:
        return HtmlState(False, None)
    # Python-Markdown reads an unclosed comment or declaration as text only because its
    # end is not in the text it was given; with more text after it, it could close later.
    if text.rfind("<!--") > text.rfind("-->"):
        return HtmlState(False, _COMMENT_CLOSE)
    if text.rfind("<![CDATA[") > text.rfind("]]>"):
        return HtmlState(False, _CDATA_CLOSE)
    if max(text.rfind("<!"), text.rfind("<?")) > text.rfind(">"):
        return HtmlState(False, _TAG_END)
    return HtmlState(True, None)


# Text kept as memo keys before the memo forgets what the last full split did not use.
_MEMO_CHARACTERS = 8_000_000


class SplitMemo:
    """Remembers what the raw-HTML pass made of each run of chunks, so splitting again on
    every keystroke does not feed the same HTML to the extractor again. Entries unused by
    the last full split are dropped, and so is everything when re-splits pile up text."""

    def __init__(self) -> None:
        self._known: dict[str, HtmlState] = {}
        self._used: dict[str, HtmlState] = {}
        self._used_characters = 0

    def html_state(self, text: str) -> HtmlState:
        known = self._known.get(text)
        if known is None:
            known = html_state(text)
        if text not in self._used:
            self._used_characters += len(text)
            if self._used_characters > _MEMO_CHARACTERS:
                self.finish()
                self._used_characters = len(text)
        self._used[text] = known
        return known

    def finish(self) -> None:
        self._known, self._used = self._used, {}
        self._used_characters = 0

"""Definitions that reach across the article: link references, footnotes, abbreviations.

Blocks are rendered one at a time, but ``[text][id]`` may use a definition
written ten paragraphs later, ``[^1]`` is numbered by where its note is
defined, and ``*[HTML]: …`` marks up every later "HTML". So before any block
is rendered, each block's text is scanned for definitions (with the patterns
Python-Markdown itself uses), and the result, a ``DocumentContext``, is handed
to every block's render. Any change to it changes every block's cache key,
which is how a new footnote or reference forces a full render.

The scan reads definitions at line starts (inside quotes too), skipping fenced
and indented code; a definition hidden where Python-Markdown would not look,
or one it would find in a list item, is the rare case where a block rendered
alone can differ from a whole-document render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.htmlparser import HTMLExtractor

from editor.core.rendering.raw_html import HTML_HINT, StashOnly, html_too_complex

_REFERENCE = ReferenceProcessor.RE
_FOOTNOTE = FootnoteBlockProcessor.RE
_ABBREVIATION = AbbrBlockprocessor.RE
_QUOTE_MARKERS = re.compile(r"^(?:[ ]{0,3}>[ ]?)+", re.MULTILINE)
_HINT = re.compile(r"\]:|\][ ]?:")


@dataclass(frozen=True, slots=True)
class BlockDefinitions:
    """What one block defines, in source order."""

    references: tuple[tuple[str, str, str | None], ...] = ()
    footnotes: tuple[str, ...] = ()
    # (abbreviation, title); an empty title removes the abbreviation, as in Python-Markdown.
    abbreviations: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.references or self.footnotes or self.abbreviations)


NO_DEFINITIONS = BlockDefinitions()


def scan_definitions(text: str) -> BlockDefinitions:
    if _HINT.search(text) is None:
        return NO_DEFINITIONS
    text = _without_code(text)
    if ">" in text:
        text = _QUOTE_MARKERS.sub("", text)
    references = tuple(
        (
            match.group(1).strip().lower(),
            match.group(2).lstrip("<").rstrip(">"),
            match.group(5) or match.group(6),
        )
        for match in _REFERENCE.finditer(text)
    )
    footnotes = tuple(match.group(1) for match in _FOOTNOTE.finditer(text))
    abbreviations = tuple(
        (
            match.group("abbr").strip(),
            "" if match.group("title").strip() in ("''", '""') else match.group("title").strip(),
        )
        for match in _ABBREVIATION.finditer(text)
        if match.group("abbr").strip() and match.group("title").strip()
    )
    return BlockDefinitions(references, footnotes, abbreviations)


def _without_code(text: str) -> str:
    """The text Python-Markdown's block parser sees outside code and raw HTML."""
    if "```" in text or "~~~" in text:
        text = FencedBlockPreprocessor.FENCED_BLOCK_RE.sub("", text + "\n")
    if HTML_HINT.search(text) and not html_too_complex(text):
        extractor: Any = HTMLExtractor(StashOnly())
        extractor.feed(text)
        extractor.close()
        text = "".join(extractor.cleandoc)
    if "    " in text or "\t" in text:
        text = "\n".join(
            line for line in text.split("\n") if not line.expandtabs(4).startswith("    ")
        )
    return text


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """Every definition in the article, as the whole-document render would see them."""

    references: tuple[tuple[str, tuple[str, str | None]], ...] = ()
    footnote_ids: tuple[str, ...] = ()
    abbreviations: tuple[tuple[str, str], ...] = ()


EMPTY_CONTEXT = DocumentContext()


def document_context(definitions: list[BlockDefinitions]) -> DocumentContext:
    """Merge block definitions in order: a later definition of the same reference or
    abbreviation wins; footnotes keep the place of their first definition."""
    references: dict[str, tuple[str, str | None]] = {}
    footnotes: dict[str, None] = {}
    abbreviations: dict[str, str] = {}
    for block in definitions:
        for identifier, url, title in block.references:
            references[identifier] = (url, title)
        for identifier in block.footnotes:
            footnotes.setdefault(identifier, None)
        for abbreviation, title in block.abbreviations:
            if title:
                abbreviations[abbreviation] = title
            else:
                abbreviations.pop(abbreviation, None)
    if not (references or footnotes or abbreviations):
        return EMPTY_CONTEXT
    return DocumentContext(
        references=tuple(references.items()),
        footnote_ids=tuple(footnotes),
        abbreviations=tuple(abbreviations.items()),
    )

"""Markdown → sanitised HTML for one block, with what the checks need to know about it.

One ``BlockConverter`` owns one ``markdown.Markdown`` instance and resets it
before every block, so no state leaks from one render into the next. Python-
Markdown's document-wide passes (heading ids, footnote reference ids) are left
as placeholders here and filled in by ``body`` once every block is known; the
document's definitions come in as a ``DocumentContext``.

Bad input never escapes as an exception or a hang:

- nesting deeper than ``MAX_NESTING`` (lists, quotes) is flattened before
  Python-Markdown sees it, with a notice: its list handling is quadratic in the
  depth and recursive;
- inline parsing has a deterministic work budget: Python-Markdown rescans to
  the end of the paragraph for every unmatched ``[`` or ``![`` (20,000 of them
  take 40 s), so every inline match attempt is charged the length it may scan,
  and a block over budget is shown as plain text with a notice;
- raw HTML that Python-Markdown's HTML pass cannot read in bounded time (a tag
  that never ends, a block of nothing but ``<`` or ``&``) is shown as plain text;
- ``RecursionError`` from anything else is caught the same way.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, slugify, strip_tags
from markdown.treeprocessors import Treeprocessor

from editor.core.rendering.definitions import EMPTY_CONTEXT, DocumentContext
from editor.core.rendering.limits import (
    MAX_NESTING,
    cap_nesting,
    structure_too_complex,
    without_lone_surrogates,
)
from editor.core.rendering.raw_html import html_too_complex
from editor.core.rendering.sanitize import URL_SCHEMES, sanitize_html
from editor.core.rendering.syntax import FigureProcessor, shape_quotes

# Placeholders for ids only the whole document can decide; ``body`` replaces them.
# Private-use characters never survive into a block's text (``body`` strips them).
PLACEHOLDER_START = "\ue000"
PLACEHOLDER_END = "\ue001"
HEADING_PLACEHOLDER = PLACEHOLDER_START + "h{}" + PLACEHOLDER_END
# Starts with "fnref" so toc's heading-name code drops footnote marks, as it does for real ids.
FOOTNOTE_REF_PLACEHOLDER = "fnref" + PLACEHOLDER_START + "f{}" + PLACEHOLDER_END
PLACEHOLDER = re.compile(PLACEHOLDER_START + "([hf])([0-9]+)" + PLACEHOLDER_END)

# Characters an inline pattern may scan, summed over a block: about 0.3 s of the worst
# input (a paragraph of unclosed "["), and 300 times what the heaviest paragraph of the
# long articles in ../shared/data uses.
INLINE_WORK_BUDGET = 3_000_000
# How much of a block too complex to format is shown as plain text.
PLAIN_TEXT_LIMIT = 20_000

NOTICE_CLASS = "render-notice"
_EXTENSIONS_BEFORE_OURS = ("tables", "fenced_code", "attr_list", "def_list", "sane_lists", "smarty")


@dataclass(frozen=True, slots=True)
class HeadingFact:
    level: int
    text: str
    # The id written with ``{#id}``; ``None`` when ``body`` generates one from the text.
    explicit_id: str | None
    base_id: str


@dataclass(frozen=True, slots=True)
class ImageFact:
    src: str
    alt: str
    # The URL's scheme is not allowed (``data:``, ``javascript:``…): the sanitiser drops it.
    refused: bool


@dataclass(frozen=True, slots=True)
class ConvertedBlock:
    """One block, rendered and sanitised, before the document-wide ids and media URLs."""

    html: str
    # Where to insert `` data-block="…"`` (just after the tag name) when the block is one
    # element; -1 when it is several elements, text or nothing and needs a wrapper.
    attribute_at: int
    headings: tuple[HeadingFact, ...] = ()
    # Footnote ids referenced, in order; the n-th has the n-th footnote placeholder.
    footnote_references: tuple[str, ...] = ()
    footnote_definitions: tuple[tuple[str, str], ...] = ()
    element_ids: tuple[str, ...] = ()
    images: tuple[ImageFact, ...] = ()
    local_links: tuple[str, ...] = ()
    unresolved_footnotes: tuple[str, ...] = ()
    unresolved_references: tuple[str, ...] = ()
    # Top-level elements in order: a heading's level, or 0 for anything else.
    outline: tuple[int, ...] = ()
    notices: tuple[str, ...] = ()


class InlineWorkExceeded(Exception):
    pass


class _PlaceholderFootnotes(FootnoteExtension):  # type: ignore[misc]  # markdown is untyped
    """Footnotes whose reference ids are placeholders, numbered by ``body`` across blocks."""

    def __init__(self, **kwargs: Any) -> None:
        self.references_in_block: list[str] = []
        super().__init__(**kwargs)

    def reset(self) -> None:
        super().reset()
        self.references_in_block = []

    def makeFootnoteRefId(self, id: str, found: bool = False) -> str:
        if not found:
            return str(super().makeFootnoteRefId(id, found))
        key = f"fnref{self.get_separator()}{id}"
        self.found_refs[key] = self.found_refs.get(key, 0) + 1
        self.references_in_block.append(id)
        return FOOTNOTE_REF_PLACEHOLDER.format(len(self.references_in_block) - 1)


class _BlockState:
    """What the tree processors hand back about the block being converted."""

    def __init__(self) -> None:
        self.context: DocumentContext = EMPTY_CONTEXT
        self.footnote_definitions: tuple[tuple[str, str], ...] = ()
        self.facts: dict[str, Any] = {}
        self.inline_work = 0


class _ContextProcessor(Treeprocessor):  # type: ignore[misc]  # markdown is untyped
    """After block parsing, before inline: keep this block's own footnote texts and give the
    inline patterns the whole document's definitions instead of this block's."""

    def __init__(self, md: markdown.Markdown, state: _BlockState, footnotes: FootnoteExtension,
                 abbreviations: AbbrExtension, footnote_section: bool) -> None:  # fmt: skip
        super().__init__(md)
        self.state = state
        self.footnotes = footnotes
        self.abbreviations = abbreviations
        self.footnote_section = footnote_section

    def run(self, root: etree.Element) -> None:
        context = self.state.context
        if not self.footnote_section:
            self.state.footnote_definitions = tuple(self.footnotes.footnotes.items())
            self.footnotes.footnotes = OrderedDict((key, "") for key in context.footnote_ids)
        assert self.md is not None
        self.md.references.clear()
        self.md.references.update(context.references)
        self.abbreviations.abbrs.clear()
        self.abbreviations.abbrs.update(context.abbreviations)
        shape_quotes(root)


_BOUNDED_FOOTNOTE_REFERENCE = r"\[\^([^\]\[\n]{0,200})\]"
_UNRESOLVED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_UNRESOLVED_REFERENCE = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _FactsProcessor(Treeprocessor):  # type: ignore[misc]  # markdown is untyped
    """Last: placeholder heading ids, and the facts the layout checks use."""

    def __init__(self, md: markdown.Markdown, state: _BlockState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        assert self.md is not None
        headings: list[HeadingFact] = []
        element_ids: list[str] = []
        images: list[ImageFact] = []
        local_links: list[str] = []
        unresolved_footnotes: list[str] = []
        unresolved_references: list[str] = []
        for element in root.iter():
            tag = element.tag
            identifier = element.get("id")
            if identifier is not None and PLACEHOLDER_START not in identifier:
                element_ids.append(identifier)
            level = _HEADING_TAGS.get(tag) if isinstance(tag, str) else None
            if level is not None:
                name = strip_tags(render_inner_html(remove_fnrefs(element), self.md))
                text = html.unescape(name)
                base = identifier if identifier is not None else slugify(text, "-")
                if identifier is None:
                    element.set("id", HEADING_PLACEHOLDER.format(len(headings)))
                headings.append(HeadingFact(level, text, identifier, base))
            elif tag == "img":
                source = element.get("src", "")
                scheme = _SCHEME.match(source)
                refused = scheme is not None and scheme.group(1).lower() not in URL_SCHEMES
                images.append(ImageFact(source, element.get("alt", ""), refused))
            elif tag == "a":
                target = element.get("href", "")
                if target.startswith("#") and len(target) > 1:
                    local_links.append(target[1:])
            in_code = tag in ("code", "pre")
            for loose_text in (None if in_code else element.text, element.tail):
                if loose_text and "[" in loose_text:
                    text = str(loose_text)
                    unresolved_footnotes.extend(_UNRESOLVED_FOOTNOTE.findall(text))
                    unresolved_references.extend(
                        f"[{label}][{reference}]"
                        for label, reference in _UNRESOLVED_REFERENCE.findall(text)
                    )
        self.state.facts = {
            "headings": tuple(headings),
            "element_ids": tuple(element_ids),
            "images": tuple(images),
            "local_links": tuple(local_links),
            "unresolved_footnotes": tuple(unresolved_footnotes),
            "unresolved_references": tuple(unresolved_references),
            "outline": tuple(
                _HEADING_TAGS.get(child.tag, 0) if isinstance(child.tag, str) else 0
                for child in root
            ),
        }


class _NewsdeskExtension(Extension):  # type: ignore[misc]  # markdown is untyped
    def __init__(self, state: _BlockState, footnotes: FootnoteExtension,
                 abbreviations: AbbrExtension, footnote_section: bool) -> None:  # fmt: skip
        super().__init__()
        self.state = state
        self.footnotes = footnotes
        self.abbreviations = abbreviations
        self.footnote_section = footnote_section

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.parser.blockprocessors.register(FigureProcessor(md.parser), "newsdesk-figure", 12)
        md.treeprocessors.register(
            _ContextProcessor(
                md, self.state, self.footnotes, self.abbreviations, self.footnote_section
            ),
            "newsdesk-context",
            30,
        )
        md.treeprocessors.register(_FactsProcessor(md, self.state), "newsdesk-facts", 5)
        if not self.footnote_section:
            # Footnotes are gathered into one section at the end of the body, by ``body``.
            md.treeprocessors.deregister("footnote")
            md.treeprocessors.deregister("footnote-duplicate")


class BlockConverter:
    """Converts blocks one at a time. Not thread-safe: one per rendering thread."""

    def __init__(self, *, footnote_section: bool = False) -> None:
        self._state = _BlockState()
        self._footnotes = _PlaceholderFootnotes(BACKLINK_TEXT="\u21a9\ufe0e")
        self._abbreviations = AbbrExtension()
        self._markdown = markdown.Markdown(
            extensions=[
                *_EXTENSIONS_BEFORE_OURS,
                self._footnotes,
                self._abbreviations,
                _NewsdeskExtension(
                    self._state, self._footnotes, self._abbreviations, footnote_section
                ),
            ],
            output_format="html",
        )
        smarty = self._markdown.treeprocessors["smarty"]
        for pattern in [*self._markdown.inlinePatterns, *smarty.inlinePatterns]:
            pattern.handleMatch = self._charged(pattern.handleMatch)
        # Python-Markdown's footnote pattern scans to the end of the paragraph from every
        # "[^" that does not close; a footnote id is never this long.
        footnote_pattern = self._markdown.inlinePatterns["footnote"]
        footnote_pattern.pattern = _BOUNDED_FOOTNOTE_REFERENCE
        footnote_pattern.compiled_re = re.compile(
            _BOUNDED_FOOTNOTE_REFERENCE, re.DOTALL | re.UNICODE
        )

    def _charged(self, handle_match: Callable[..., Any]) -> Callable[..., Any]:
        state = self._state

        def charged_handle_match(match: re.Match[str], data: str) -> Any:
            state.inline_work += len(data) - match.start(0)
            if state.inline_work > INLINE_WORK_BUDGET:
                raise InlineWorkExceeded
            return handle_match(match, data)

        return charged_handle_match

    def convert(self, text: str, context: DocumentContext) -> ConvertedBlock:
        text = without_lone_surrogates(text)
        if html_too_complex(text):
            return _plain_text_block(
                text, "This passage holds too much HTML to format, so it is shown as plain text."
            )
        if structure_too_complex(text):
            return _plain_text_block(
                text,
                "This passage has too many headings, list items or rules without a blank line "
                "between them to format, so it is shown as plain text.",
            )
        notices: list[str] = []
        capped, capped_depth = cap_nesting(text)
        if capped_depth:
            notices.append(
                f"Lists or quotes nested {capped_depth} levels deep are shown "
                f"flattened below level {MAX_NESTING}."
            )
        try:
            raw = self._run(capped, context)
        except InlineWorkExceeded:
            return _plain_text_block(
                text, "This passage is too complex to format, so it is shown as plain text."
            )
        except RecursionError:
            return _plain_text_block(
                text, "This passage is nested too deeply to format, so it is shown as plain text."
            )
        clean = sanitize_html(raw)
        facts = self._state.facts
        if notices:
            clean = "".join(_notice_html(notice) for notice in notices) + clean
        return ConvertedBlock(
            html=clean,
            attribute_at=_single_element_attribute_at(clean, trusted=not notices and "<" not in text
                                                      and len(facts.get("outline", ())) == 1),
            headings=facts.get("headings", ()),
            footnote_references=tuple(self._footnotes.references_in_block),
            footnote_definitions=self._state.footnote_definitions,
            element_ids=facts.get("element_ids", ()),
            images=facts.get("images", ()),
            local_links=facts.get("local_links", ()),
            unresolved_footnotes=facts.get("unresolved_footnotes", ()),
            unresolved_references=facts.get("unresolved_references", ()),
            outline=facts.get("outline", ()),
            notices=tuple(notices),
        )  # fmt: skip

    def _run(self, text: str, context: DocumentContext) -> str:
        self._markdown.reset()
        self._state.context = context
        self._state.facts = {}
        self._state.footnote_definitions = ()
        self._state.inline_work = 0
        return str(self._markdown.convert(text))

    def convert_footnote_section(
        self,
        definitions: tuple[tuple[str, str], ...],
        reference_counts: dict[str, int],
        context: DocumentContext,
    ) -> ConvertedBlock:
        """The ``<div class="footnote">`` list of every footnote, with back links to each of
        the ``reference_counts[id]`` references in the body. Only for ``footnote_section``."""
        self._markdown.reset()
        self._state.context = context
        self._state.inline_work = 0
        self._state.facts = {}
        self._footnotes.footnotes = OrderedDict(definitions)
        separator = self._footnotes.get_separator()
        self._footnotes.found_refs = {
            f"fnref{separator}{identifier}": count for identifier, count in reference_counts.items()
        }
        try:
            # Any text works: the section is appended to the document and the text dropped.
            raw = str(self._markdown.convert(_FOOTNOTE_SECTION_SOURCE))
        except (InlineWorkExceeded, RecursionError):
            return _plain_text_block(
                "\n\n".join(text for _identifier, text in definitions),
                "The footnotes are too complex to format, so they are shown as plain text.",
            )
        raw = raw.replace(f"<p>{_FOOTNOTE_SECTION_SOURCE}</p>", "").strip()
        clean = sanitize_html(raw)
        facts = self._state.facts
        return ConvertedBlock(
            html=clean,
            attribute_at=_single_element_attribute_at(clean, trusted=False),
            headings=facts.get("headings", ()),
            footnote_references=tuple(self._footnotes.references_in_block),
            element_ids=facts.get("element_ids", ()),
            images=facts.get("images", ()),
            local_links=facts.get("local_links", ()),
            unresolved_footnotes=facts.get("unresolved_footnotes", ()),
            unresolved_references=facts.get("unresolved_references", ()),
        )


_FOOTNOTE_SECTION_SOURCE = "NEWSDESKFOOTNOTESECTION"


def _notice_html(message: str) -> str:
    return f'<p class="{NOTICE_CLASS}" role="note">{html.escape(message)}</p>'


def _plain_text_block(text: str, message: str) -> ConvertedBlock:
    shown = text[:PLAIN_TEXT_LIMIT]
    if len(text) > PLAIN_TEXT_LIMIT:
        message += f" Only the first {PLAIN_TEXT_LIMIT:,} of {len(text):,} characters are shown."
    body = (
        f'<div class="render-fallback">{_notice_html(message)}'
        f'<pre class="render-plain">{html.escape(shown, quote=False)}</pre></div>'
    )
    return ConvertedBlock(html=body, attribute_at=4, outline=(0,), notices=(message,))


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


def _single_element_attribute_at(fragment: str, *, trusted: bool) -> int:
    """Where a ``data-block`` attribute goes if ``fragment`` is exactly one element, else -1.

    ``trusted`` fragments come from Markdown alone with one top-level element, so only the
    first tag needs finding; sanitised raw HTML is walked tag by tag (the sanitiser's
    output is well formed: text ``<`` is always escaped)."""
    first = _TAG.match(fragment)
    if first is None or first.group(1):
        return -1
    insert_at = 1 + len(first.group(2))
    if trusted:
        return insert_at
    depth = 0
    position = 0
    for tag in _TAG.finditer(fragment):
        if depth == 0 and fragment[position : tag.start()].strip():
            return -1
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            depth -= 1
        elif name not in _VOID_ELEMENTS and not self_closing:
            if depth == 0 and position > 0:
                return -1
            depth += 1
        elif depth == 0 and position > 0:
            return -1
        position = tag.end()
    if fragment[position:].strip():
        return -1
    return insert_at

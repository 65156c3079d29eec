"""The article body: Markdown → HTML blocks, rendered in full or patched block by block.

The body is a sequence of top-level blocks (``blocks.split_blocks``), each
rendered alone (``converter``) and then given what only the whole document
decides: unique heading ids (as Python-Markdown's toc extension would assign
them), footnote reference numbers, the footnote section at the end, media URLs
and a ``data-block`` id. A full render and an incremental one run the same
code; the incremental one merely finds most blocks already rendered in its
cache (keyed by the block's text and the document's definitions), so after any
sequence of edits it produces exactly what a fresh full render would.

Every block is exactly one element carrying ``data-block="<id>"`` (a block
that renders to several elements is wrapped in a ``div``, one that renders to
nothing, like a footnote definition, becomes an empty ``template``; the wrapper has
class ``md-group`` and no styling), so the
preview can swap a block by replacing one node. Block ids come from the
block's text (and its place among identical blocks), so unchanged blocks keep
their ids across edits and a fresh render of the same text gives the same ids.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import unique

from editor.core.rendering.blocks import (
    BlockKind,
    SourceBlock,
    block_kind,
    normalise_source,
    split_blocks,
)
from editor.core.rendering.converter import (
    PLACEHOLDER,
    PLACEHOLDER_END,
    PLACEHOLDER_START,
    BlockConverter,
    ConvertedBlock,
    HeadingFact,
)
from editor.core.rendering.definitions import (
    NO_DEFINITIONS,
    DocumentContext,
    document_context,
    scan_definitions,
)
from editor.core.rendering.media import MediaLocator, MediaUrl, media_locator, resolve_media
from editor.core.rendering.raw_html import SplitMemo
from editor.core.rendering.rendered import (
    OutlineEntry,
    PlacedBlock,
    RenderedBlock,
    RenderedBody,
    RenderWarning,
    TextInfo,
)
from editor.core.rendering.resplit import Resplit, resplit_blocks
from editor.core.rendering.updates import BlockChange, ChangeKind, apply_changes, block_changes

__all__ = [
    "FOOTNOTES_BLOCK_ID",
    "GROUP_CLASS",
    "BlockChange",
    "BodyRenderer",
    "BodyUpdate",
    "ChangeKind",
    "OutlineEntry",
    "RenderWarning",
    "RenderedBlock",
    "RenderedBody",
    "apply_changes",
    "render_body",
]

FOOTNOTES_BLOCK_ID = "footnotes"
# The wrapper of a block that renders to several elements (or to text).
GROUP_CLASS = "md-group"
_ID_DIGEST_BYTES = 5


@dataclass(frozen=True)
class BodyUpdate:
    """How to turn the previous body into ``body``.

    Apply ``changes`` in order to the children of ``#article-body``: REMOVED removes
    the element whose ``data-block`` is ``block_id``; REPLACED replaces that element
    with ``html`` (its ``outerHTML``); INSERTED inserts ``html`` right after the
    element with ``data-block == after``, or first in the body when ``after`` is
    ``None``. When ``full`` is true, replace the body's whole content with
    ``body.html`` instead (first render, blocks reordered, or most blocks changed)."""

    body: RenderedBody
    changes: tuple[BlockChange, ...]
    full: bool
    # Blocks converted from Markdown for this update (the rest came from the cache).
    converted_count: int = 0

    def as_json(self) -> dict[str, Any]:
        if self.full:
            return {"full": True, "html": self.body.html, "changes": []}
        return {
            "full": False,
            "html": None,
            "changes": [
                {"kind": str(c.kind), "id": c.block_id, "html": c.html, "after": c.after}
                for c in self.changes
            ],
        }


# Past this many changes (and half the blocks) one body swap beats many node swaps.
_FULL_SWAP_CHANGES = 64


class BodyRenderer:
    """Renders one article body again and again, re-rendering only changed blocks.

    Not thread-safe: use one renderer from one thread at a time (the preview's
    render worker). ``media_url`` decides the image URLs (preview or publishing)."""

    def __init__(self, *, media_url: MediaUrl | MediaLocator) -> None:
        self._media = media_locator(media_url)
        self._converter = BlockConverter()
        self._footnote_converter: BlockConverter | None = None
        self._memo = SplitMemo()
        self._source = ""
        self._blocks: list[SourceBlock] = []
        self._placed: list[PlacedBlock] = []
        self._section: PlacedBlock | None = None
        self._digest_counts: dict[str, int] = {}
        self._infos: dict[str, TextInfo] = {}
        self._context = DocumentContext()
        self._context_serial = 0
        self._converted: dict[tuple[str, int], ConvertedBlock] = {}
        self._footnotes: tuple[tuple[Any, ...], ConvertedBlock] | None = None
        self._body: RenderedBody | None = None
        self._converted_count = 0

    @property
    def body(self) -> RenderedBody | None:
        """The last body rendered, if any."""
        return self._body

    @property
    def source_blocks(self) -> tuple[SourceBlock, ...]:
        """The blocks of the last text rendered, with their text and place in it."""
        return tuple(self._blocks)

    def render(self, markdown_source: str) -> RenderedBody:
        """The body for ``markdown_source`` (reusing what the previous render shares with it)."""
        return self.update(markdown_source).body

    def update(self, markdown_source: str) -> BodyUpdate:
        """Render ``markdown_source`` and say how the previous body turns into it."""
        source = _clean_source(markdown_source)
        self._converted_count = 0
        previous = self._body
        previous_placed = previous.placed if previous is not None else ()
        resplit = None
        if previous is not None:
            resplit = resplit_blocks(self._source, self._blocks, source, self._memo)
        changes = None
        if resplit is not None:
            blocks = resplit.blocks
            changes = self._place_window(resplit)
        else:
            blocks = split_blocks(source, self._memo)
        if changes is None:
            self._place_all(blocks)
        self._source, self._blocks = source, blocks
        body = RenderedBody(blocks, self._placed, self._section)
        self._body = body
        converted = self._converted_count
        if previous is None:
            return BodyUpdate(body, (), full=True, converted_count=converted)
        if changes is None:
            changes = block_changes(previous_placed, body.placed)
        if changes is None or (
            len(changes) > _FULL_SWAP_CHANGES and len(changes) > len(body.placed) // 2
        ):
            return BodyUpdate(body, (), full=True, converted_count=converted)
        return BodyUpdate(body, tuple(changes), full=False, converted_count=converted)

    def _info(self, text: str) -> TextInfo:
        info = self._infos.get(text)
        if info is None:
            info = TextInfo(
                kind=block_kind(text),
                digest=hashlib.blake2b(
                    text.encode("utf-8", "surrogatepass"), digest_size=_ID_DIGEST_BYTES
                ).hexdigest(),
                definitions=scan_definitions(text),
            )
            self._infos[text] = info
        return info

    def _convert(self, text: str) -> ConvertedBlock:
        key = (text, self._context_serial)
        converted = self._converted.get(key)
        if converted is None:
            converted = self._converter.convert(text, self._context)
            self._converted[key] = converted
            self._converted_count += 1
        return converted

    def _place_window(self, resplit: Resplit) -> list[BlockChange] | None:
        """Place only the blocks an edit changed, when nothing outside them can be affected
        (no headings, ids, footnotes, definitions or duplicate blocks among the changed
        ones); returns the changes, or ``None`` so that ``_place_all`` runs instead."""
        first, old_count, new_count = resplit.first, resplit.old_count, resplit.new_count
        old_sources = self._blocks[first : first + old_count]
        new_sources = resplit.blocks[first : first + new_count]
        # Blocks at either end of the window that kept their text are not changes.
        while old_count and new_count and old_sources[0].text == new_sources[0].text:
            old_sources, new_sources = old_sources[1:], new_sources[1:]
            first, old_count, new_count = first + 1, old_count - 1, new_count - 1
        while old_count and new_count and old_sources[-1].text == new_sources[-1].text:
            old_sources, new_sources = old_sources[:-1], new_sources[:-1]
            old_count, new_count = old_count - 1, new_count - 1
        old_placed = self._placed[first : first + old_count]
        if any(_has_document_effects(block.info, block.converted) for block in old_placed):
            return None
        counts = self._digest_counts
        if any(counts.get(block.info.digest, 0) != 1 for block in old_placed):
            return None
        new_infos = [self._info(source.text) for source in new_sources]
        if any(info.definitions for info in new_infos):
            return None
        removed_digests = {block.info.digest for block in old_placed}
        seen: set[str] = set()
        for info in new_infos:
            if info.digest in seen or (
                counts.get(info.digest, 0) and info.digest not in removed_digests
            ):
                return None
            seen.add(info.digest)
        new_placed = []
        for source, info in zip(new_sources, new_infos, strict=True):
            converted = self._convert(source.text)
            if _has_document_effects(info, converted):
                return None
            new_placed.append(self._placed_block(None, info, converted, f"b{info.digest}", (), ()))
        for block in old_placed:
            del counts[block.info.digest]
        for source in old_sources:
            # Its text was unique (count 1), so nothing else uses these entries.
            self._infos.pop(source.text, None)
            self._converted.pop((source.text, self._context_serial), None)
        for info in new_infos:
            counts[info.digest] = 1
        self._placed[first : first + old_count] = new_placed
        changes = [BlockChange(ChangeKind.REMOVED, block.block_id) for block in old_placed]
        after = self._placed[first - 1].block_id if first > 0 else None
        for block in new_placed:
            changes.append(BlockChange(ChangeKind.INSERTED, block.block_id, block.html, after))
            after = block.block_id
        return changes

    def _place_all(self, blocks: list[SourceBlock]) -> None:
        infos = [self._info(block.text) for block in blocks]
        self._infos = {block.text: info for block, info in zip(blocks, infos, strict=True)}
        context = document_context([info.definitions for info in infos if info.definitions])
        if context != self._context:
            self._context = context
            self._context_serial += 1
        previous_converted = self._converted
        self._converted = {}
        converted_blocks = []
        for block in blocks:
            key = (block.text, self._context_serial)
            converted = previous_converted.get(key)
            if converted is not None:
                self._converted[key] = converted
            else:
                converted = self._convert(block.text)
            converted_blocks.append(converted)
        footnotes = self._footnote_section(converted_blocks)

        heading_ids = _document_heading_ids(
            converted_blocks if footnotes is None else [*converted_blocks, footnotes]
        )
        reference_counts: dict[str, int] = {}
        digest_counts: dict[str, int] = {}
        previous_placed = {block.block_id: block for block in self._placed}
        if self._section is not None:
            previous_placed[FOOTNOTES_BLOCK_ID] = self._section
        placed = []
        for info, converted in zip(infos, converted_blocks, strict=True):
            occurrence = digest_counts.get(info.digest, 0) + 1
            digest_counts[info.digest] = occurrence
            block_id = f"b{info.digest}" if occurrence == 1 else f"b{info.digest}-{occurrence}"
            headings = tuple(next(heading_ids) for _heading in converted.headings)
            references = _footnote_reference_ids(converted, reference_counts)
            placed.append(
                self._placed_block(
                    previous_placed.get(block_id), info, converted, block_id, headings, references
                )
            )
        self._placed = placed
        self._digest_counts = digest_counts
        self._section = None
        if footnotes is not None:
            references = _footnote_reference_ids(footnotes, reference_counts)
            self._section = self._placed_block(
                previous_placed.get(FOOTNOTES_BLOCK_ID),
                _FOOTNOTE_SECTION_INFO,
                footnotes,
                FOOTNOTES_BLOCK_ID,
                tuple(next(heading_ids) for _heading in footnotes.headings),
                references,
            )

    def _placed_block(
        self,
        previous: PlacedBlock | None,
        info: TextInfo,
        converted: ConvertedBlock,
        block_id: str,
        heading_ids: tuple[str, ...],
        footnote_reference_ids: tuple[str, ...],
    ) -> PlacedBlock:
        if (
            previous is not None
            and previous.converted is converted
            and previous.heading_ids == heading_ids
            and previous.footnote_reference_ids == footnote_reference_ids
        ):
            return previous
        final_html = _final_html(
            converted, block_id, heading_ids, footnote_reference_ids, self._media
        )
        return PlacedBlock(
            info, converted, block_id, heading_ids, footnote_reference_ids, final_html
        )

    def _footnote_section(self, converted_blocks: list[ConvertedBlock]) -> ConvertedBlock | None:
        definitions: dict[str, str] = {}
        counts: dict[str, int] = {}
        for converted in converted_blocks:
            for identifier, text in converted.footnote_definitions:
                definitions[identifier] = text
            for identifier in converted.footnote_references:
                counts[identifier] = counts.get(identifier, 0) + 1
        if not definitions:
            self._footnotes = None
            return None
        key = (tuple(definitions.items()), tuple(sorted(counts.items())), self._context_serial)
        if self._footnotes is not None and self._footnotes[0] == key:
            return self._footnotes[1]
        if self._footnote_converter is None:
            self._footnote_converter = BlockConverter(footnote_section=True)
        section = self._footnote_converter.convert_footnote_section(
            tuple(definitions.items()), counts, self._context
        )
        self._footnotes = (key, section)
        return section


def _has_document_effects(info: TextInfo, converted: ConvertedBlock) -> bool:
    """Whether a block takes part in anything numbered or named across the document."""
    return bool(
        info.definitions
        or converted.headings
        or converted.element_ids
        or converted.footnote_references
        or converted.footnote_definitions
    )


_FOOTNOTE_SECTION_INFO = TextInfo(BlockKind.FOOTNOTE_DEFINITION, "", NO_DEFINITIONS)
_STRIPPED_CHARACTERS = str.maketrans("", "", PLACEHOLDER_START + PLACEHOLDER_END)


def _clean_source(source: str) -> str:
    source = normalise_source(source)
    if PLACEHOLDER_START in source or PLACEHOLDER_END in source:
        source = source.translate(_STRIPPED_CHARACTERS)
    return source


def _document_heading_ids(converted_blocks: list[ConvertedBlock]) -> Iterator[str]:
    """Final heading ids in document order, as the toc extension assigns them: explicit
    ids anywhere are taken first, then each generated id gets ``_1``, ``_2``… if taken."""
    used: set[str] = set()
    headings: list[HeadingFact] = []
    for converted in converted_blocks:
        if converted.element_ids:
            used.update(converted.element_ids)
        headings.extend(converted.headings)
    counters: dict[str, int] = {}
    return iter(
        [
            heading.explicit_id
            if heading.explicit_id is not None
            else unique(heading.base_id, used, counters)
            for heading in headings
        ]
    )


def _footnote_reference_ids(converted: ConvertedBlock, counts: dict[str, int]) -> tuple[str, ...]:
    """``fnref:x`` for the first reference to footnote x in the document, ``fnref2:x`` for
    the second… as Python-Markdown numbers them."""
    if not converted.footnote_references:
        return ()
    identifiers = []
    for identifier in converted.footnote_references:
        count = counts.get(identifier, 0) + 1
        counts[identifier] = count
        identifiers.append(f"fnref:{identifier}" if count == 1 else f"fnref{count}:{identifier}")
    return tuple(identifiers)


def _final_html(
    converted: ConvertedBlock,
    block_id: str,
    heading_ids: tuple[str, ...],
    footnote_reference_ids: tuple[str, ...],
    media: MediaLocator,
) -> str:
    fragment = converted.html
    if PLACEHOLDER_START in fragment:

        def fill(match: Any) -> str:
            ids = heading_ids if match.group(1) == "h" else footnote_reference_ids
            return html.escape(ids[int(match.group(2))], quote=True)

        fragment = PLACEHOLDER.sub(fill, fragment)
        # The footnote placeholder sits inside "fnref…"; the id replaces the whole value.
        fragment = fragment.replace('id="fnreffnref', 'id="fnref')
    fragment = resolve_media(fragment, media)
    attribute = f' data-block="{block_id}"'
    if not fragment:
        return f"<template{attribute}></template>"
    if converted.attribute_at < 0:
        return f'<div class="{GROUP_CLASS}"{attribute}>{fragment}</div>'
    at = converted.attribute_at
    return fragment[:at] + attribute + fragment[at:]


def render_body(markdown_source: str, *, media_url: MediaUrl | MediaLocator) -> RenderedBody:
    """Render a whole body once (publishing, checks); the preview keeps a ``BodyRenderer``."""
    return BodyRenderer(media_url=media_url).render(markdown_source)

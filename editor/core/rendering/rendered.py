"""A rendered body as the UI and the checks read it: blocks, outline, warnings.

``BodyRenderer`` (in ``body``) makes these; this module only describes them.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from editor.core.rendering.blocks import BlockKind, SourceBlock
from editor.core.rendering.converter import ConvertedBlock
from editor.core.rendering.definitions import BlockDefinitions


@dataclass(frozen=True, slots=True)
class RenderedBlock:
    id: str
    kind: BlockKind
    # 0-based, as QTextDocument block numbers are; the footnote section has the lines of
    # the last footnote definition.
    start_line: int
    end_line: int
    html: str


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    level: int
    text: str
    anchor: str
    block_id: str
    line: int


@dataclass(frozen=True, slots=True)
class RenderWarning:
    message: str
    line: int
    block_id: str


@dataclass(frozen=True, slots=True)
class TextInfo:
    """What depends on a block's text alone, computed once per distinct text."""

    kind: BlockKind
    digest: str
    definitions: BlockDefinitions


@dataclass(frozen=True, slots=True)
class PlacedBlock:
    """A block as placed in the document: its render plus the document-wide ids.
    Independent of line numbers, so blocks after an edit are reused as they are."""

    info: TextInfo
    converted: ConvertedBlock
    block_id: str
    heading_ids: tuple[str, ...]
    footnote_reference_ids: tuple[str, ...]
    html: str


class RenderedBody:
    """A rendered body: its blocks in order and what the UI and the checks read from them.

    ``html`` is what goes inside ``<article id="article-body">``, byte for byte the
    same in the preview and in publishing except for media URLs."""

    def __init__(
        self,
        sources: Sequence[SourceBlock],
        placed: Sequence[PlacedBlock],
        section: PlacedBlock | None,
    ) -> None:
        self._sources = sources
        self._placed = placed
        self._section = section

    @cached_property
    def blocks(self) -> tuple[RenderedBlock, ...]:
        return tuple(
            RenderedBlock(block.block_id, block.info.kind, line_from, line_to, block.html)
            for block, (line_from, line_to) in zip(self.placed, self._lines, strict=True)
        )

    @cached_property
    def html(self) -> str:
        return "\n".join(block.html for block in self.placed)

    @cached_property
    def placed(self) -> tuple[PlacedBlock, ...]:
        """Every block with its render facts, for ``checks``; the footnote section last."""
        if self._section is None:
            return tuple(self._placed)
        return (*self._placed, self._section)

    @cached_property
    def _lines(self) -> list[tuple[int, int]]:
        lines = [(source.start_line, source.end_line) for source in self._sources]
        if self._section is not None:
            # The footnote section stands where the last footnote is defined.
            defining = [
                line
                for line, block in zip(lines, self._placed, strict=True)
                if block.info.definitions.footnotes
            ]
            lines.append(defining[-1] if defining else lines[-1] if lines else (0, 0))
        return lines

    def line_range(self, index: int) -> tuple[int, int]:
        """First and last source line of the ``index``-th block of ``placed``."""
        return self._lines[index]

    def source_text(self, index: int) -> str:
        """The Markdown of the ``index``-th block of ``placed`` ("" for the footnote section)."""
        return self._sources[index].text if index < len(self._sources) else ""

    @cached_property
    def outline(self) -> tuple[OutlineEntry, ...]:
        entries = []
        for block, (line, _last) in zip(self.placed, self._lines, strict=True):
            for heading, anchor in zip(block.converted.headings, block.heading_ids, strict=True):
                entries.append(
                    OutlineEntry(heading.level, heading.text, anchor, block.block_id, line)
                )
        return tuple(entries)

    @cached_property
    def warnings(self) -> tuple[RenderWarning, ...]:
        return tuple(
            RenderWarning(notice, line, block.block_id)
            for block, (line, _last) in zip(self.placed, self._lines, strict=True)
            for notice in block.converted.notices
        )

    def block_at_line(self, line: int) -> RenderedBlock | None:
        """The block that holds source ``line`` (or the nearest one before it)."""
        if not self._sources:
            return None
        return self.blocks[max(0, bisect.bisect_right(self._starts, line) - 1)]

    @cached_property
    def _starts(self) -> list[int]:
        return [source.start_line for source in self._sources]

    def prepare_lookups(self) -> None:
        """Build what ``block_at_line`` and ``block_by_id`` read, now: a render worker calls
        this so the UI thread, following the cursor, does not build it for 3,000 blocks."""
        _ = self.blocks, self._starts

    def block_by_id(self, block_id: str) -> RenderedBlock | None:
        for block in self.blocks:
            if block.id == block_id:
                return block
        return None

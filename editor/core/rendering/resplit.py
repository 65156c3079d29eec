"""Re-splitting only around an edit: what keeps a keystroke in a 100,000-word article
from costing a full split (about 10 ms) on every key.

The result always equals ``split_blocks`` of the new text; a property test
checks that over random edit sequences.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from editor.core.rendering.blocks import SourceBlock, split_without_forgetting
from editor.core.rendering.raw_html import SplitMemo


class Resplit(NamedTuple):
    """The new blocks, and the window that changed: ``old_count`` old blocks from index
    ``first`` became ``new_count`` new ones; blocks outside it have the same text."""

    blocks: list[SourceBlock]
    first: int
    old_count: int
    new_count: int


def resplit_blocks(
    old_source: str,
    old_blocks: list[SourceBlock],
    new_source: str,
    memo: SplitMemo | None = None,
) -> Resplit | None:
    """The blocks of ``new_source``, re-splitting only around the edit that turned
    ``old_source`` (split into ``old_blocks``) into it; ``None`` when the edit touches a
    line that could open or close a fence, whose reach has no bound, or leaves an HTML
    element open past the re-split window: those need a full ``split_blocks``.

    The re-split starts one block before the edited one (the edit may join them) and
    runs until it meets an unchanged old block again; past that point nothing in the
    split depends on the edit, because a boundary depends only on the block before it
    and the text after it.
    """
    prefix = _common_prefix_length(old_source, new_source)
    if prefix == len(old_source) == len(new_source):
        return Resplit(list(old_blocks), 0, 0, 0)
    suffix = _common_suffix_length(
        old_source, new_source, len(old_source) - prefix, len(new_source) - prefix
    )
    old_changed_end = len(old_source) - suffix
    new_changed_end = len(new_source) - suffix
    line_start = old_source.rfind("\n", 0, prefix) + 1
    if _touches_unbounded(old_source, line_start, old_changed_end) or _touches_unbounded(
        new_source, line_start, new_changed_end
    ):
        return None
    if not old_blocks:
        return None
    # First block to re-split: one before the block holding the start of the edited line.
    first = max(0, _last_block_starting_at_or_before(old_blocks, line_start) - 1)
    # Last old block to re-split: the one after the block holding the end of the edit.
    last = min(len(old_blocks) - 1, _first_block_ending_after(old_blocks, old_changed_end) + 1)
    shift = len(new_source) - len(old_source)
    line_shift = new_source.count("\n", prefix, new_changed_end) - old_source.count(
        "\n", prefix, old_changed_end
    )
    window_start = old_blocks[first].start if first > 0 else 0
    base_line = old_blocks[first].start_line if first > 0 else 0
    seam = old_blocks[last]
    at_end = last == len(old_blocks) - 1
    window_end = len(new_source) if at_end else seam.end + shift
    middle = [
        SourceBlock(
            block.text,
            block.start + window_start,
            block.start_line + base_line,
            block.end_line + base_line,
        )
        for block in split_without_forgetting(
            new_source[window_start:window_end], memo or SplitMemo()
        )
    ]
    # Unless the window runs to the end, it must end on the block the old split had there.
    if not at_end and (
        not middle or middle[-1].text != seam.text or middle[-1].start != seam.start + shift
    ):
        return None
    tail = [
        SourceBlock(
            block.text,
            block.start + shift,
            block.start_line + line_shift,
            block.end_line + line_shift,
        )
        for block in old_blocks[last + 1 :]
    ]
    return Resplit(old_blocks[:first] + middle + tail, first, last + 1 - first, len(middle))


_PREFIX_STEP = 4096


def _common_prefix_length(first: str, second: str) -> int:
    limit = min(len(first), len(second))
    low = 0
    # Whole steps compare in C; the last step is narrowed down by halving.
    while (
        low + _PREFIX_STEP <= limit
        and first[low : low + _PREFIX_STEP] == second[low : low + _PREFIX_STEP]
    ):
        low += _PREFIX_STEP
    high = min(limit, low + _PREFIX_STEP)
    while low < high:
        middle = (low + high + 1) // 2
        if first[low:middle] == second[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix_length(first: str, second: str, first_limit: int, second_limit: int) -> int:
    """Length of the common ending, no longer than what is left after the common prefix."""
    limit = min(first_limit, second_limit)
    length = 0
    first_end, second_end = len(first), len(second)
    while (
        length + _PREFIX_STEP <= limit
        and first[first_end - length - _PREFIX_STEP : first_end - length]
        == second[second_end - length - _PREFIX_STEP : second_end - length]
    ):
        length += _PREFIX_STEP
    high = min(limit, length + _PREFIX_STEP)
    while length < high:
        middle = (length + high + 1) // 2
        if (
            first[first_end - middle : first_end - length]
            == second[second_end - middle : second_end - length]
        ):
            length = middle
        else:
            high = middle - 1
    return length


# Raw HTML needs no check: an HTML run before the window is either at rest before it or
# (unclosed) runs to the end of the text, into the window; and one that the edit leaves
# open runs past the window's end, which the seam check catches.
_UNBOUNDED_LINE = re.compile(r"^(?:~~~|```)|[\x02\x03]", re.MULTILINE)


def _touches_unbounded(source: str, start: int, end: int) -> bool:
    """Whether the lines from ``start`` through the line holding ``end`` hold a fence
    marker: a fence opened before the window may be closed by one in it (characters
    Python-Markdown deletes count too: they can join a marker)."""
    line_end = source.find("\n", end)
    return (
        _UNBOUNDED_LINE.search(source, start, len(source) if line_end == -1 else line_end)
        is not None
    )


def _last_block_starting_at_or_before(blocks: list[SourceBlock], position: int) -> int:
    low, high = 0, len(blocks)
    while low < high:
        middle = (low + high) // 2
        if blocks[middle].start <= position:
            low = middle + 1
        else:
            high = middle
    return max(0, low - 1)


def _first_block_ending_after(blocks: list[SourceBlock], position: int) -> int:
    """The first block whose end (its final newline included) is at or after ``position``."""
    low, high = 0, len(blocks)
    while low < high:
        middle = (low + high) // 2
        if blocks[middle].end < position:
            low = middle + 1
        else:
            high = middle
    return min(low, len(blocks) - 1)

"""How the preview turns the body it shows into a new one: block changes.

The preview applies these to the DOM (``BodyUpdate`` in ``body`` says how);
``apply_changes`` applies them to a list, for the tests that check that the
patched body always equals a fresh render.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class PlacedBlock(Protocol):
    @property
    def block_id(self) -> str: ...

    @property
    def html(self) -> str: ...


class ChangeKind(enum.StrEnum):
    REMOVED = "removed"
    REPLACED = "replaced"
    INSERTED = "inserted"


@dataclass(frozen=True, slots=True)
class BlockChange:
    kind: ChangeKind
    block_id: str
    html: str = ""
    # For INSERTED: the block it goes after (``None``: first in the body).
    after: str | None = None


def apply_changes(
    blocks: Iterable[tuple[str, str]], changes: Iterable[BlockChange]
) -> list[tuple[str, str]]:
    """``(block id, html)`` pairs after applying ``changes`` as ``BodyUpdate`` describes."""
    result = list(blocks)
    for change in changes:
        if change.kind is ChangeKind.INSERTED:
            if change.after is None:
                index = 0
            else:
                index = next(i for i, (bid, _html) in enumerate(result) if bid == change.after) + 1
            result.insert(index, (change.block_id, change.html))
            continue
        index = next(i for i, (bid, _html) in enumerate(result) if bid == change.block_id)
        if change.kind is ChangeKind.REMOVED:
            del result[index]
        else:
            result[index] = (change.block_id, change.html)
    return result


def block_changes(
    old: Sequence[PlacedBlock], new: Sequence[PlacedBlock]
) -> list[BlockChange] | None:
    """The changes from ``old`` to ``new`` blocks, or ``None`` when blocks kept by both
    are in a different order (a move: the caller swaps the whole body)."""
    old_ids = {block.block_id: block for block in old}
    new_ids = {block.block_id for block in new}
    kept_old_order = [block.block_id for block in old if block.block_id in new_ids]
    kept_new_order = [block.block_id for block in new if block.block_id in old_ids]
    if kept_old_order != kept_new_order:
        return None
    changes = [
        BlockChange(ChangeKind.REMOVED, block.block_id)
        for block in old
        if block.block_id not in new_ids
    ]
    after: str | None = None
    for block in new:
        kept = old_ids.get(block.block_id)
        if kept is None:
            changes.append(BlockChange(ChangeKind.INSERTED, block.block_id, block.html, after))
        elif kept.html is not block.html and kept.html != block.html:
            changes.append(BlockChange(ChangeKind.REPLACED, block.block_id, block.html))
        after = block.block_id
    return changes

"""A bounded cache of rows of a very long list, addressed by row number.

The queue table may be a million rows long; only the windows the moderator has
looked at are held, as contiguous segments. Removing a row (a comment
approved out of the Pending tab) shifts every later segment up by one, so
cached rows stay where the view expects them and nothing visible is fetched
again. Qt-free so its bookkeeping can be tested on its own.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Row = TypeVar("Row")


class RowCache(Generic[Row]):
    """Segments ``(start, rows)`` sorted by start, never overlapping.

    ``capacity`` bounds the rows held; ``evict`` drops whole segments farthest
    from where the moderator is looking.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._starts: list[int] = []
        self._segments: list[list[Row]] = []

    def __len__(self) -> int:
        return sum(len(segment) for segment in self._segments)

    @property
    def segment_count(self) -> int:
        return len(self._segments)

    def segments(self) -> Iterator[tuple[int, list[Row]]]:
        yield from zip(self._starts, self._segments, strict=True)

    def clear(self) -> None:
        self._starts.clear()
        self._segments.clear()

    def _locate(self, row: int) -> int | None:
        """Index of the segment holding ``row``, if any."""
        position = bisect.bisect_right(self._starts, row) - 1
        if position >= 0 and row < self._starts[position] + len(self._segments[position]):
            return position
        return None

    def get(self, row: int) -> Row | None:
        position = self._locate(row)
        if position is None:
            return None
        return self._segments[position][row - self._starts[position]]

    def replace(self, row: int, value: Row) -> bool:
        position = self._locate(row)
        if position is None:
            return False
        self._segments[position][row - self._starts[position]] = value
        return True

    def find(self, matches: Callable[[Row], bool]) -> int | None:
        """Row number of the first cached row that ``matches``."""
        for start, segment in zip(self._starts, self._segments, strict=True):
            for offset, value in enumerate(segment):
                if matches(value):
                    return start + offset
        return None

    def gap(self, row: int, limit: int) -> tuple[int, int]:
        """The uncovered range ``[start, end)`` around ``row`` (clipped to ``[0, limit)``)."""
        position = bisect.bisect_right(self._starts, row) - 1
        start = 0
        if position >= 0:
            start = self._starts[position] + len(self._segments[position])
        end = self._starts[position + 1] if position + 1 < len(self._starts) else limit
        return max(0, start), min(limit, end)

    def put(self, start: int, rows: list[Row]) -> list[tuple[int, int]]:
        """Hold ``rows`` at ``start..``, keeping rows already cached; returns the ranges
        ``[first, last]`` newly covered."""
        added: list[tuple[int, int]] = []
        end = start + len(rows)
        cursor = start
        while cursor < end:
            position = self._locate(cursor)
            if position is not None:
                cursor = self._starts[position] + len(self._segments[position])
                continue
            _, gap_end = self.gap(cursor, end)
            piece = rows[cursor - start : gap_end - start]
            insert_at = bisect.bisect_right(self._starts, cursor)
            self._starts.insert(insert_at, cursor)
            self._segments.insert(insert_at, list(piece))
            added.append((cursor, gap_end - 1))
            cursor = gap_end
        return added

    def remove(self, row: int) -> Row | None:
        """Drop ``row`` from the list: every later cached row moves up by one."""
        position = bisect.bisect_right(self._starts, row) - 1
        removed: Row | None = None
        if position >= 0 and row < self._starts[position] + len(self._segments[position]):
            removed = self._segments[position].pop(row - self._starts[position])
            if not self._segments[position]:
                del self._starts[position]
                del self._segments[position]
                position -= 1
        for later in range(position + 1, len(self._starts)):
            self._starts[later] -= 1
        return removed

    def insert(self, row: int, values: list[Row]) -> None:
        """Insert ``values`` before ``row``: cached rows from there on move down."""
        if not values:
            return
        count = len(values)
        position = bisect.bisect_right(self._starts, row) - 1
        if position >= 0 and row <= self._starts[position] + len(self._segments[position]):
            offset = row - self._starts[position]
            self._segments[position][offset:offset] = values
        else:
            position += 1
            self._starts.insert(position, row)
            self._segments.insert(position, list(values))
        for later in range(position + 1, len(self._starts)):
            self._starts[later] += count

    def evict(self, near: int) -> None:
        """Drop the segments farthest from row ``near`` until at most ``capacity`` rows remain."""
        held = len(self)
        while held > self.capacity and len(self._segments) > 1:

            def distance(position: int) -> int:
                start = self._starts[position]
                end = start + len(self._segments[position]) - 1
                return 0 if start <= near <= end else min(abs(near - start), abs(near - end))

            farthest = max(range(len(self._segments)), key=distance)
            held -= len(self._segments[farthest])
            del self._starts[farthest]
            del self._segments[farthest]

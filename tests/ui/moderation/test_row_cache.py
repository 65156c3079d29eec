"""The row cache always agrees with the list it caches, whatever is fetched, removed or inserted."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.ui.moderation.row_cache import RowCache

operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.integers(0, 60), st.integers(1, 15)),
        st.tuples(st.just("remove"), st.integers(0, 60), st.just(0)),
        st.tuples(st.just("insert"), st.integers(0, 60), st.integers(1, 4)),
        st.tuples(st.just("evict"), st.integers(0, 60), st.just(0)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(operations)
def test_cached_rows_match_the_list(steps: list[tuple[str, int, int]]) -> None:
    truth = list(range(50))
    next_value = 1000
    cache: RowCache[int] = RowCache(capacity=20)
    for operation, row, count in steps:
        if operation == "put" and row < len(truth):
            cache.put(row, truth[row : row + count])
        elif operation == "remove" and row < len(truth):
            removed = cache.remove(row)
            assert removed in (None, truth[row])
            del truth[row]
        elif operation == "insert":
            row = min(row, len(truth))
            values = list(range(next_value, next_value + count))
            next_value += count
            cache.insert(row, values)
            truth[row:row] = values
        elif operation == "evict":
            cache.evict(row)
            assert len(cache) <= cache.capacity or cache.segment_count == 1
        for start, segment in cache.segments():
            assert segment, "no empty segments"
            assert truth[start : start + len(segment)] == segment
        starts = [start for start, _ in cache.segments()]
        ends = [start + len(segment) for start, segment in cache.segments()]
        assert all(end <= following for end, following in zip(ends, starts[1:], strict=False))


def test_put_keeps_what_is_cached_and_reports_new_ranges() -> None:
    cache: RowCache[str] = RowCache(capacity=100)
    assert cache.put(10, ["k", "l", "m"]) == [(10, 12)]
    assert cache.put(8, ["i", "j", "K", "L", "M", "n"]) == [(8, 9), (13, 13)]
    assert [cache.get(row) for row in range(8, 14)] == ["i", "j", "k", "l", "m", "n"]
    assert cache.gap(20, 100) == (14, 100)
    assert cache.gap(2, 100) == (0, 8)


def test_eviction_drops_the_farthest_segments_first() -> None:
    cache: RowCache[int] = RowCache(capacity=20)
    for start in (0, 100, 200, 300):
        cache.put(start, list(range(start, start + 10)))
    cache.evict(near=195)
    assert [start for start, _ in cache.segments()] == [100, 200]

"""Diffs: hunks that rebuild both texts, word-level changes inside paragraphs, escaped HTML."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.articles.diff import (
    DiffLayout,
    RowKind,
    SpanKind,
    TextDiff,
    diff_html,
    diff_texts,
)


def _sides(diff: TextDiff) -> tuple[list[str], list[str]]:
    old: list[str] = []
    new: list[str] = []
    for hunk in diff.hunks:
        for row in hunk.rows:
            if row.old_number is not None:
                old.append(row.old_text)
            if row.new_number is not None:
                new.append(row.new_text)
    return old, new


lines = st.lists(
    st.sampled_from(
        ["", "The gate held.", "It rained", "for four hours.", "# Heading", "x < y & z"]
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(lines, lines)
def test_with_full_context_the_rows_rebuild_both_texts(
    old_lines: list[str], new_lines: list[str]
) -> None:
    old, new = "\n".join(old_lines), "\n".join(new_lines)
    diff = diff_texts(old, new, context=10_000)
    if old.splitlines() == new.splitlines():
        assert diff.unchanged
        return
    rebuilt_old, rebuilt_new = _sides(diff)
    assert rebuilt_old == old.splitlines()
    assert rebuilt_new == new.splitlines()
    for hunk in diff.hunks:
        for row in hunk.rows:
            if row.kind is RowKind.CHANGED:
                assert "".join(span.text for span in row.old_spans) == row.old_text
                assert "".join(span.text for span in row.new_spans) == row.new_text


def test_one_changed_word_in_a_long_paragraph_is_shown_as_a_word() -> None:
    paragraph = "Council engineers closed the river for four hours on Monday morning."
    diff = diff_texts(paragraph, paragraph.replace("four", "five"))
    (hunk,) = diff.hunks
    (row,) = hunk.rows
    assert row.kind is RowKind.CHANGED
    assert [span.text for span in row.old_spans if span.kind is SpanKind.REMOVED] == ["four"]
    assert [span.text for span in row.new_spans if span.kind is SpanKind.ADDED] == ["five"]
    assert (diff.words_added, diff.words_removed) == (1, 1)
    assert hunk.header == "@@ -1,1 +1,1 @@"


def test_unrelated_replacement_is_shown_as_removed_and_added_lines() -> None:
    diff = diff_texts("Completely different words here", "Nothing in common at all, really")
    kinds = [row.kind for row in diff.hunks[0].rows]
    assert kinds == [RowKind.REMOVED, RowKind.ADDED]


def test_context_limits_hunks_to_the_changes() -> None:
    old = "\n".join(f"line {number}" for number in range(40))
    new = old.replace("line 5\n", "line five\n").replace("line 30\n", "line thirty\n")
    diff = diff_texts(old, new, context=2)
    assert len(diff.hunks) == 2
    assert diff.hunks[0].old_start == 4 and diff.hunks[0].old_count == 5


def test_html_is_escaped_in_both_layouts() -> None:
    diff = diff_texts("a <script>alert(1)</script> b", "a <script>alert(2)</script> b & c")
    for layout in DiffLayout:
        page = diff_html(diff, layout=layout, label="Text <1>")
        assert "<script>" not in page
        assert "&lt;script&gt;" in page
        assert "Text &lt;1&gt;" in page
        assert "<ins " in page and "<del " in page
    assert "No changes" in diff_html(diff_texts("same", "same"))

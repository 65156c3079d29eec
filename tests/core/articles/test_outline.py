"""The heading outline: ATX and setext headings, code fences ignored, warnings, fast on long posts."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.articles.outline import (
    Heading,
    OutlineWarningKind,
    parse_outline,
)

SAMPLE = """Intro paragraph.

## Background

Text.

### Details ###

```python
# not a heading
## nor this
```

Setext Title
============

A paragraph
that ends in a setext H2
---

---

#### Deep [link](https://example.com) with *emphasis*

#hashtag is not a heading
    ## indented code is not a heading
~~~~
## inside tildes
~~~
still inside
~~~~
##
## C# ##
"""


def test_headings_with_levels_lines_and_display_text() -> None:
    outline = parse_outline(SAMPLE)
    assert outline.headings == (
        Heading(2, "Background", 2),
        Heading(3, "Details", 6),
        Heading(1, "Setext Title", 13),
        Heading(2, "A paragraph that ends in a setext H2", 16),
        Heading(4, "Deep link with emphasis", 22),
        Heading(2, "", 31),
        Heading(2, "C#", 32),
    )
    lines = SAMPLE.splitlines()
    assert lines[2] == "## Background" and lines[13] == "Setext Title"


def test_warnings_for_skipped_levels_and_empty_headings() -> None:
    outline = parse_outline(SAMPLE)
    kinds = [(warning.kind, warning.line) for warning in outline.warnings]
    assert kinds == [
        (OutlineWarningKind.SKIPPED_LEVEL, 22),
        (OutlineWarningKind.EMPTY_HEADING, 31),
    ]
    assert "H4 “Deep link with emphasis” follows H2" in outline.warnings[0].message
    assert outline.warnings[0].message.startswith("Line 23:")
    # The article title is the H1, so a body starting at H3 skips H2.
    (warning,) = parse_outline("### Too deep").warnings
    assert warning.kind is OutlineWarningKind.SKIPPED_LEVEL


def test_tree_nests_by_level_and_leaves_out_h5_h6() -> None:
    outline = parse_outline("# A\n## B\n### C\n##### E\n## D\n# F\n")
    roots = outline.roots
    assert [node.heading.text for node in roots] == ["A", "F"]
    assert [node.heading.text for node in roots[0].children] == ["B", "D"]
    assert [node.heading.text for node in roots[0].children[0].children] == ["C"]
    assert roots[0].children[0].children[0].children == []
    assert any("H5" in warning.message for warning in outline.warnings)


def test_section_at_line_and_shape() -> None:
    outline = parse_outline("intro\n## One\ntext\n## Two\ntext\n")
    assert outline.heading_index_at_line(0) is None
    assert outline.heading_index_at_line(2) == 0
    assert outline.heading_index_at_line(4) == 1
    moved = parse_outline("more intro\nintro\n## One\ntext\n## Two\ntext\n")
    assert moved.shape == outline.shape and moved.headings != outline.headings


def test_unclosed_fence_hides_the_rest() -> None:
    assert parse_outline("## Before\n```\n## After\n").headings == (Heading(2, "Before", 0),)
    # A backtick "fence" whose info string has a backtick is inline code, not a fence.
    assert len(parse_outline("```a`b```\n## Real\n").headings) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["", "text", "# H1", "## H2", "#### H4", "```", "~~~", "===", "---", "    ## code", "#"]
        ),
        max_size=30,
    )
)
def test_every_heading_line_points_at_its_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    for heading in parse_outline(text).headings:
        if lines[heading.line].lstrip().startswith("#"):
            continue
        # A setext heading: its paragraph runs on to an underline.
        following = lines[heading.line + 1 :]
        end = next(line for line in following if not line.strip() or not line.strip("=-"))
        assert end.strip() and not end.strip("=-")


def test_fast_on_the_longest_shared_posts(shared_data: Path) -> None:
    posts = sorted(
        (shared_data / "articles").rglob("*.m*d*"),
        key=lambda path: path.stat().st_size,
        reverse=True,
    )[:2]
    for post in posts:
        text = post.read_text(encoding="utf-8")
        assert len(text.split()) > 10_000
        outline = parse_outline(text)
        assert len(outline.headings) >= 20
        best = min(_timed(parse_outline, text) for _ in range(20))
        # The promise is about 1 ms; a generous bound keeps a slow CI machine green
        # while still catching a parse that went quadratic.
        assert best < 0.010, f"{post.name}: {best * 1000:.2f} ms"


def _timed(function: object, text: str) -> float:
    assert callable(function)
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started

"""Splitting Markdown into blocks that render alone exactly as they do in the whole text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.rendering.blocks import BlockKind, block_kind, split_blocks
from editor.core.rendering.body import render_body
from editor.core.rendering.resplit import resplit_blocks
from tests.core.rendering.markdown_samples import (
    BLOCKS,
    FRAGMENTS,
    reference_media_url,
    whole_document_html,
    without_block_markup,
)


def texts(source: str) -> list[str]:
    return [block.text for block in split_blocks(source)]


def test_paragraphs_split_at_blank_lines_with_their_lines() -> None:
    blocks = split_blocks("First line\nsecond line\n\n\nNext paragraph\n")
    assert [(b.text, b.start_line, b.end_line) for b in blocks] == [
        ("First line\nsecond line", 0, 1),
        ("Next paragraph", 4, 4),
    ]


def test_a_fence_keeps_its_blank_lines_but_an_unclosed_fence_is_text() -> None:
    assert texts("```\ncode\n\nmore\n```\n\nafter") == ["```\ncode\n\nmore\n```", "after"]
    assert texts("```\nnot closed\n\nparagraph") == ["```\nnot closed", "paragraph"]


def test_raw_html_is_one_block_until_it_closes_and_an_unclosed_tag_takes_the_rest() -> None:
    closed = "<div>\none\n\ntwo\n</div>\n\nafter"
    assert texts(closed) == ["<div>\none\n\ntwo\n</div>", "after"]
    assert texts("<div>\nnever closed\n\n# heading\n\ntext") == [
        "<div>\nnever closed\n\n# heading\n\ntext"
    ]


def test_chunks_that_continue_the_element_before_them_join_it() -> None:
    assert texts("- a\n\n- b\n\n    more of b\n\npara") == ["- a\n\n- b\n\n    more of b", "para"]
    # Python-Markdown merges quotes separated by a blank line, even across definitions.
    assert texts("> one\n\n[x]: http://x\n\n> two") == ["> one\n\n[x]: http://x\n\n> two"]
    assert texts("Term\n\n: definition") == ["Term\n\n: definition"]
    assert texts("para\n\n    code") == ["para", "    code"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Just text", BlockKind.PARAGRAPH),
        ("## Heading", BlockKind.HEADING),
        ("Title\n=====", BlockKind.HEADING),
        ("- item", BlockKind.LIST),
        ("> quote", BlockKind.QUOTE),
        ("> [!pull] big", BlockKind.PULL_QUOTE),
        ("```\ncode\n```", BlockKind.CODE),
        ("| a |\n|---|", BlockKind.TABLE),
        ('![alt](asset:0123456789ab "c")\ncaption', BlockKind.FIGURE),
        ("<div>x</div>", BlockKind.HTML),
        ("---", BlockKind.RULE),
        ("[^1]: note", BlockKind.FOOTNOTE_DEFINITION),
        ("[a]: http://x", BlockKind.REFERENCE_DEFINITION),
        ("Term\n: definition", BlockKind.DEFINITION_LIST),
    ],
)
def test_block_kind(text: str, kind: BlockKind) -> None:
    assert block_kind(text) is kind


def _articles(shared_data: Path) -> list[Path]:
    folder = shared_data / "articles"
    return sorted(folder.glob("rust-blog/**/*.md")) + sorted(
        folder.glob("aosa-500lines/*/*.markdown")
    )


def test_real_articles_render_block_by_block_as_python_markdown_renders_them_whole(
    shared_data: Path,
) -> None:
    articles = _articles(shared_data)
    assert len(articles) >= 6
    for path in articles:
        source = path.read_text(encoding="utf-8")
        ours = without_block_markup(render_body(source, media_url=reference_media_url).html)
        assert ours == whole_document_html(source), path.name


well_formed_documents = (
    st.lists(st.sampled_from(BLOCKS), max_size=14)
    .flatmap(
        lambda blocks: st.tuples(
            st.just(blocks),
            st.lists(
                st.sampled_from(["\n\n", "\n\n\n"]), min_size=len(blocks), max_size=len(blocks)
            ),
        )
    )
    .map(lambda pair: "".join(block + gap for block, gap in zip(pair[0], pair[1], strict=True)))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(well_formed_documents)
def test_any_sequence_of_blocks_renders_as_the_whole_document_does(source: str) -> None:
    # Definitions and footnotes are numbered and resolved the same way too.
    ours = without_block_markup(render_body(source, media_url=reference_media_url).html)
    assert ours == whole_document_html(source)


edits = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.integers(min_value=0, max_value=12),
        st.sampled_from(FRAGMENTS + BLOCKS),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS + FRAGMENTS), max_size=20).map("\n".join), edits)
def test_re_splitting_around_an_edit_gives_the_full_split(source: str, changes: list) -> None:
    blocks = split_blocks(source)
    for where, removed, inserted in changes:
        position = int(where * len(source))
        edited = source[:position] + inserted + source[position + removed :]
        resplit = resplit_blocks(source, blocks, edited)
        fresh = split_blocks(edited)
        if resplit is not None:
            assert resplit.blocks == fresh
            kept_before = resplit.blocks[: resplit.first]
            assert kept_before == blocks[: resplit.first]
        source, blocks = edited, fresh

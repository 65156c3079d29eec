"""The preview benchmark's core measurements run, and typing stays a one-block render."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.bench import Figure
from editor.core.rendering import bench


def test_typing_in_a_long_generated_article_re_renders_one_block_per_key() -> None:
    article = bench.generated_article(words=6_000)
    assert 6_000 <= len(article.split()) < 7_000
    timings, wider = bench.time_edits(article, edits=30)
    assert len(timings) == 30
    assert wider == 0


def test_the_real_long_posts_are_found_without_front_matter(shared_data: Path) -> None:
    posts = dict(bench.long_posts())
    assert {"dagoba", "Project-Goals-Feb-Update"} <= set(posts)
    assert not posts["Project-Goals-Feb-Update"].startswith("+++")


def test_figures_are_named_for_the_preview_group(monkeypatch: pytest.MonkeyPatch) -> None:
    short = bench.generated_article(words=1_000)
    monkeypatch.setattr(bench, "long_posts", lambda: [("short", short)])
    monkeypatch.setattr(bench, "generated_article", lambda: short)
    monkeypatch.setattr(bench, "time_edits", lambda source: ([0.001, 0.002], 0))
    figures = [figure for figure in bench.measure(Figure) if isinstance(figure, Figure)]
    assert figures and all(figure.name.startswith("preview.") for figure in figures)
    assert {figure.unit for figure in figures} == {"ms"}
    assert [figure.target for figure in figures if figure.name.endswith(".p50")] == [
        bench.TARGET_10K_P50_MS,
        bench.TARGET_100K_P50_MS,
    ]

"""The preview benchmark's core measurements run, and typing stays a one-block render."""

from __future__ import annotations

from pathlib import Path

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


def test_figures_are_named_for_the_preview_group(monkeypatch: object) -> None:
    monkeypatch.setattr(
        bench, "long_posts", lambda: [("short", bench.generated_article(words=1_000))]
    )  # type: ignore[attr-defined]
    monkeypatch.setattr(bench, "generated_article", lambda: bench._WORDS[0] + " text")  # type: ignore[attr-defined]
    monkeypatch.setattr(bench, "time_edits", lambda source: ([0.001, 0.002], 0))  # type: ignore[attr-defined]
    figures = [figure for figure in bench.measure(Figure) if isinstance(figure, Figure)]
    assert figures and all(figure.name.startswith("preview.") for figure in figures)
    assert {figure.unit for figure in figures} == {"ms"}

"""The renderer's share of the live preview's budget, measured without Qt.

The issue's targets are for the whole path, key press to laid-out DOM (p50 ≤ 16
ms and p95 ≤ 33 ms at 10,000 words; p50 ≤ 33 ms and p95 ≤ 50 ms at 100,000).
The renderer's part of that is ``BodyRenderer.update``: re-split, render the
changed block, place it. The bounds given here leave most of the budget to the
preview's DOM swap and layout: 1 ms / 5 ms at 10,000 words (the brief asks for
"well under 1 ms" for one changed paragraph) and 5 ms / 15 ms at 100,000.

Measured on the long posts in ``../shared/data/articles`` when they are beside
the repository, and on a generated 100,000-word article (unique paragraphs,
headings, figures, quotes and lists, as a long feature has them).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from editor.core.rendering.blocks import BlockKind, block_kind
from editor.core.rendering.body import BodyRenderer

SHARED_ARTICLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "articles"
# Posts this long count as "10,000-word" articles.
LONG_POST_WORDS = 8_000
GENERATED_WORDS = 100_000
EDITS = 50
FULL_RENDER_RUNS = 3

TARGET_10K_P50_MS = 1.0
TARGET_10K_P95_MS = 5.0
TARGET_100K_P50_MS = 5.0
TARGET_100K_P95_MS = 15.0


def preview_media_url(reference: str, width: int) -> str:
    return f"newsdesk-media:/{reference}/{width}"


def long_posts() -> list[tuple[str, str]]:
    """(name, Markdown) of every shared post of at least ``LONG_POST_WORDS`` words."""
    if not SHARED_ARTICLES.is_dir():
        return []
    posts = []
    for path in sorted(SHARED_ARTICLES.rglob("*")):
        if path.suffix not in (".md", ".markdown") or not path.is_file():
            continue
        text = _without_front_matter(path.read_text(encoding="utf-8"))
        if len(text.split()) >= LONG_POST_WORDS:
            name = path.parent.name if path.stem == "index" else path.stem
            posts.append((name, text))
    return posts


def _without_front_matter(text: str) -> str:
    """The rust blog's posts open with TOML between ``+++`` lines; no article has that."""
    if text.startswith("+++\n"):
        end = text.find("\n+++\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


_WORDS = [
    "council",
    "river",
    "barrier",
    "flood",
    "engineers",
    "residents",
    "lock",
    "gate",
    "storm",
    "season",
    "town",
    "water",
    "pumps",
    "sensors",
    "trial",
    "funding",
    "contract",
    "winter",
    "homes",
    "bridge",
    "street",
    "mill",
    "agency",
    "levy",
    "budget",
    "report",
    "meeting",
    "minutes",
    "library",
    "insurance",
    "warning",
    "rainfall",
    "gauge",
    "forecast",
    "volunteers",
    "sandbags",
    "night",
    "test",
    "metres",
    "million",
    "spring",
    "autumn",
    "harbour",
    "valley",
    "school",
    "market",
    "traders",
    "roadworks",
    "orchestra",
    "petition",
    "hours",
    "weekend",
    "planning",
    "housing",
    "transport",
    "hospital",
    "police",
    "court",
    "election",
    "mayor",
    "ward",
    "ferry",
    "railway",
    "station",
    "tunnel",
    "quay",
    "cycle",
]


def generated_article(words: int = GENERATED_WORDS, seed: int = 20261124) -> str:
    """A long feature with unique paragraphs: sections, figures, quotes, lists, links."""
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    section = 0
    while count < words:
        if len(parts) % 9 == 0:
            section += 1
            parts.append(f"## {rng.choice(_WORDS).title()} and the {rng.choice(_WORDS)} {section}")
        sentences = []
        for _sentence in range(rng.randint(3, 6)):
            chosen = [rng.choice(_WORDS) for _word in range(rng.randint(10, 22))]
            if rng.random() < 0.3:
                chosen[3] = f"[{chosen[3]}](https://example.org/{chosen[3]}/{count})"
            if rng.random() < 0.3:
                chosen[6] = f"*{chosen[6]}*"
            sentences.append(" ".join(chosen).capitalize() + ".")
        paragraph = " ".join(sentences)
        count += len(paragraph.split())
        parts.append(paragraph)
        roll = rng.random()
        if roll < 0.04:
            reference = f"{rng.getrandbits(48):012x}"
            parts.append(f'![A view of the {rng.choice(_WORDS)}](asset:{reference} "Photo: Staff")\n'
                         f"The {rng.choice(_WORDS)} at the {rng.choice(_WORDS)} in section {section}.")  # fmt: skip
        elif roll < 0.07:
            parts.append(f"> “The {rng.choice(_WORDS)} is ready,” {count} said.\n> — A resident")
        elif roll < 0.10:
            parts.append("\n".join(f"- {rng.choice(_WORDS)} {index} {count}" for index in range(4)))
    return "\n\n".join(parts)


def _editable_positions(renderer: BodyRenderer) -> list[int]:
    """Middle of every long paragraph, where a reporter types."""
    body = renderer.body
    assert body is not None
    positions = []
    for block in renderer.source_blocks:
        if len(block.text) > 80 and block_kind(block.text) is BlockKind.PARAGRAPH:
            positions.append(block.start + len(block.text) // 2)
    return positions


def time_edits(source: str, edits: int = EDITS, *, seed: int = 7) -> tuple[list[float], int]:
    """Seconds per ``update`` for ``edits`` one-character insertions in random paragraphs,
    and how many of them re-rendered more than one block."""
    rng = random.Random(seed)
    renderer = BodyRenderer(media_url=preview_media_url)
    renderer.update(source)
    timings = []
    wider = 0
    for _edit in range(edits):
        position = rng.choice(_editable_positions(renderer))
        source = source[:position] + rng.choice("abcdefghij ") + source[position:]
        started = time.perf_counter()
        update = renderer.update(source)
        timings.append(time.perf_counter() - started)
        if update.full or update.converted_count > 1:
            wider += 1
    return timings, wider


def time_full_render(source: str, runs: int = FULL_RENDER_RUNS) -> float:
    """Median seconds for a render from nothing (a fresh renderer, so no cache)."""
    timings = []
    for _run in range(runs):
        renderer = BodyRenderer(media_url=preview_media_url)
        started = time.perf_counter()
        renderer.render(source)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


FigureFactory = Callable[[str, float, str, float | None], object]


def measure(figure: FigureFactory) -> list[object]:
    """The core preview figures, made with ``figure(name, value, unit, target)``."""
    figures: list[object] = []
    posts = long_posts()
    generated = generated_article()
    ten_thousand = (
        min(posts, key=lambda post: abs(len(post[1].split()) - 10_000)) if posts else None
    )
    for name, text in posts:
        words = len(text.split())
        figures.append(
            figure(
                f"preview.full_render.{name}_{words}w", time_full_render(text) * 1000, "ms", None
            )
        )
        timings, _wider = time_edits(text)
        target_p50, target_p95 = (
            (TARGET_10K_P50_MS, TARGET_10K_P95_MS)
            if ten_thousand and name == ten_thousand[0]
            else (None, None)
        )
        figures.append(
            figure(
                f"preview.incremental.{name}_{words}w.p50",
                percentile(timings, 0.5) * 1000,
                "ms",
                target_p50,
            )
        )
        figures.append(
            figure(
                f"preview.incremental.{name}_{words}w.p95",
                percentile(timings, 0.95) * 1000,
                "ms",
                target_p95,
            )
        )
    words = len(generated.split())
    figures.append(
        figure(
            f"preview.full_render.generated_{words}w",
            time_full_render(generated, 1) * 1000,
            "ms",
            None,
        )
    )
    timings, _wider = time_edits(generated)
    figures.append(
        figure(
            f"preview.incremental.generated_{words}w.p50",
            percentile(timings, 0.5) * 1000,
            "ms",
            TARGET_100K_P50_MS,
        )
    )
    figures.append(
        figure(
            f"preview.incremental.generated_{words}w.p95",
            percentile(timings, 0.95) * 1000,
            "ms",
            TARGET_100K_P95_MS,
        )
    )
    return figures  # fmt: skip

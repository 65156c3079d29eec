"""Drafting figures (no Qt): the per-keystroke core work and the autosave round trip.

Measured on the longest Markdown post in the shared test data when it is
beside the repository (``../shared/data/articles``, ~14,000 words), otherwise
on a generated article of the same size, so the figures exist anywhere.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

SHARED_ARTICLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "articles"
TYPOS = (
    "recieve",
    "goverment",
    "Teh",
    "acommodation",
    "enviroment",
    "independant",
    "internationalizaton",
    "Newsdesk",
    "wierd",
    "occured",
)


def longest_article() -> tuple[str, str]:
    """(name, text) of the longest shared post, or a generated ~14,000-word article."""
    if SHARED_ARTICLES.is_dir():
        posts = [
            path
            for path in SHARED_ARTICLES.rglob("*")
            if path.suffix in (".md", ".markdown") and path.is_file()
        ]
        if posts:
            longest = max(posts, key=lambda path: path.stat().st_size)
            return longest.name, longest.read_text(encoding="utf-8")
    return "generated", _generated_article(14_000)


def _generated_article(words: int) -> str:
    paragraph = (
        "Council engineers closed the river for four hours on Monday to test the new flood "
        "barrier, and the sensor readings will decide whether the gate is in service by "
        "December. Residents watched from the footbridge as the [gate](https://example.com) "
        "came down. "
    )
    per_paragraph = len(paragraph.split())
    parts = []
    for index in range(words // per_paragraph + 1):
        if index % 12 == 0:
            parts.append(f"## Section {index // 12 + 1}")
        if index % 30 == 7:
            parts.append("```python\n# not a heading\nprint('code')\n```")
        parts.append(paragraph)
    return "\n\n".join(parts)


def _timings(function: Callable[[], object], runs: int) -> list[float]:
    function()  # warm caches, as the second keystroke would find them
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def measure(context: Any) -> list[Any]:
    from editor.bench import Figure
    from editor.core.articles.drafts import WordCounter, count_words
    from editor.core.articles.outline import parse_outline
    from editor.core.articles.spelling import SpellingChecker

    _name, text = longest_article()
    figures = [Figure("drafting.sample_words", float(count_words(text)), "words", None)]

    figures.append(
        Figure(
            "drafting.outline_parse_p95",
            _p95(_timings(lambda: parse_outline(text), 200)),
            "ms",
            1.0,
        )
    )
    figures.append(
        Figure(
            "drafting.word_count_full_p95",
            _p95(_timings(lambda: count_words(text), 50)),
            "ms",
            None,
        )
    )
    counter = WordCounter()
    counter.count(text)
    middle = len(text) // 2
    keystrokes = iter(range(10**6))

    def count_after_keystroke() -> None:
        counter.count(f"{text[:middle]}{next(keystrokes)}{text[middle:]}")

    figures.append(
        Figure(
            "drafting.word_count_after_keystroke_p95",
            _p95(_timings(count_after_keystroke, 100)),
            "ms",
            1.0,
        )
    )

    checker = SpellingChecker()
    started = time.perf_counter()
    checker.preload()
    figures.append(
        Figure("drafting.spelling_dictionary_load", time.perf_counter() - started, "s", None)
    )
    paragraph = max(text.split("\n\n")[:200], key=len)[:1200]
    paragraph_times = _timings(lambda: checker.misspelled_ranges(paragraph), 200)
    figures.append(
        Figure(
            "drafting.spelling_paragraph_median",
            statistics.median(paragraph_times),
            "ms",
            1.0,
        )
    )
    figures.append(Figure("drafting.spelling_paragraph_p95", _p95(paragraph_times), "ms", None))
    ten_thousand = " ".join(text.split(" ")[:10_000]) if count_words(text) > 10_000 else text
    fresh = SpellingChecker()
    started = time.perf_counter()
    fresh.misspellings_in_document(ten_thousand)
    figures.append(
        Figure(
            "drafting.spelling_10k_words_first_check",
            (time.perf_counter() - started) * 1000,
            "ms",
            None,
        )
    )
    suggestion_times = []
    for word in TYPOS:
        started = time.perf_counter()
        fresh.suggestions(word)
        suggestion_times.append((time.perf_counter() - started) * 1000)
    figures.append(Figure("drafting.suggestions_worst", max(suggestion_times), "ms", 50.0))

    figures.extend(_store_figures(text))
    return figures


def _store_figures(text: str) -> list[Any]:
    from editor.bench import Figure
    from editor.core.articles.recovery import RecoveryJournal
    from editor.core.articles.service import create_draft, save_draft
    from editor.core.store import open_store, sqlite_url

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-drafting-") as scratch:
        folder = Path(scratch)
        store = open_store(sqlite_url(folder / "bench.sqlite3"))
        try:
            with store.session_factory.begin() as session:
                draft = create_draft(session, title="Bench", body=text, tags=["Bench"])
            saves = []
            for index in range(30):
                edited = replace(draft, body=f"{draft.body} word{index}")
                started = time.perf_counter()
                with store.session_factory.begin() as session:
                    saved = save_draft(session, draft=edited, expected_version=draft.version)
                saves.append((time.perf_counter() - started) * 1000)
                draft = saved.draft
        finally:
            store.close()

        journal = RecoveryJournal("bench", root=folder / "journal")
        writes = []
        for index in range(30):
            snapshot = replace(draft, body=f"{draft.body} typed{index}")
            started = time.perf_counter()
            journal.write(snapshot)
            writes.append((time.perf_counter() - started) * 1000)
        unchanged = _timings(lambda: journal.write(snapshot), 50)
    return [
        Figure("drafting.save_draft_sqlite_median", statistics.median(saves), "ms", 50.0),
        Figure("drafting.journal_write_median", statistics.median(writes), "ms", None),
        Figure("drafting.journal_write_unchanged_median", statistics.median(unchanged), "ms", None),
    ]

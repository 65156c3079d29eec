"""Spelling: real misspellings found, Markdown machinery ignored, quick suggestions, store dictionary."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.articles.spelling import (
    CUSTOM_WORDS_KEY,
    SpellingChecker,
    add_to_dictionary,
    custom_words,
    remove_from_dictionary,
)
from editor.core.models import StoreSetting
from editor.core.store import Store


@pytest.fixture(scope="module")
def checker() -> SpellingChecker:
    loaded = SpellingChecker(["Okafor"])
    loaded.preload()
    return loaded


def _words(checker: SpellingChecker, text: str) -> list[str]:
    found = checker.misspelled_ranges(text)
    for start, length, word in found:
        assert text[start : start + length] == word
    return [word for _start, _length, word in found]


def test_misspellings_are_found_with_their_positions(checker: SpellingChecker) -> None:
    text = "Teh council's engeneers closed the river, a well-knwon crossing."
    assert _words(checker, text) == ["Teh", "engeneers", "knwon"]


def test_markdown_and_non_prose_are_not_checked(checker: SpellingChecker) -> None:
    ignored = (
        "See https://exmple.com/pth?q=zzqx or www.zzqx.org, mail zzqx@exmple.com, "
        '`zzqx_code` and ``more zzqx``, [a link](https://zzqx.example/xyzzq "Title"), '
        '![Photo words](asset:0123456789ab "Photo: Mara"), [ref][zzqx], [^zzqx], '
        "<span class=zzqx>ok</span> &nbsp; {#zzqx .zzqx} NASA URLs PostgreSQL iPhone "
        "mp3 2nd 1990s e.g. i.e. example.com and/or #zzqx @zzqx Okafor's"
    )
    assert _words(checker, ignored) == []
    assert _words(checker, "[zzqx]: https://example.com/zzqx") == []


def test_prose_inside_markdown_is_checked(checker: SpellingChecker) -> None:
    assert _words(checker, "## A hedaing with **bolld** and [lnk text](https://x.y)") == [
        "hedaing",
        "bolld",
        "lnk",
    ]
    assert _words(
        checker, '![A photgraph of the gate](asset:0123456789ab "Photo: Mara Qiunn")'
    ) == [
        "photgraph",
        "Qiunn",
    ]


def test_british_spellings_and_everyday_words_are_accepted(checker: SpellingChecker) -> None:
    text = (
        "The colour of the centre's flood defences: organised, analysed, travelled. "
        "The programme's catalogue, etc. Don’t worry, it’s the engineers’ livestream."
    )
    assert _words(checker, text) == []


def test_utf16_offsets_account_for_emoji(checker: SpellingChecker) -> None:
    text = "🌊 Flood 🌊 wrnings"
    (plain,) = checker.misspelled_ranges(text)
    (utf16,) = checker.misspelled_ranges(text, utf16=True)
    assert plain.start == 10 and utf16.start == 12 and utf16.length == 7


def test_document_check_skips_fenced_code(checker: SpellingChecker) -> None:
    text = "First wrod.\n\n```\nlet zzqx = frobnicate();\n```\n\nLast wrod.\n"
    found = checker.misspellings_in_document(text)
    assert [word for _start, _length, word in found] == ["wrod", "wrod"]
    assert all(text[start : start + length] == "wrod" for start, length, _word in found)


def test_suggestions_rank_likely_words_first_in_the_typed_case(checker: SpellingChecker) -> None:
    assert checker.suggestions("Teh")[0] == "The"
    assert checker.suggestions("recieve")[0] == "receive"
    assert checker.suggestions("acommodation")[0] == "accommodation"
    assert checker.suggestions("internationalizaton")[0] == "internationalization"
    assert checker.suggestions("Okafr")[0] == "Okafor"
    assert checker.suggestions("qzxwvbnmk") == []


def test_suggestions_are_quick_even_for_long_words(checker: SpellingChecker) -> None:
    fresh = SpellingChecker()
    for word in ("Newsdesk", "internationalizaton", "counterrevolutionarys", "qzxwvbnmkqzx"):
        started = time.perf_counter()
        fresh.suggestions(word)
        elapsed = time.perf_counter() - started
        # The target is 50 ms on a desktop; leave room for a loaded CI machine.
        assert elapsed < 0.25, f"{word}: {elapsed * 1000:.0f} ms"


def test_a_paragraph_checks_in_well_under_a_millisecond(checker: SpellingChecker) -> None:
    paragraph = (
        "Council engineers closed the river for four hours on Monday to test the new "
        "flood barrier, and the sensor readings will decide whether the £18.4m gate is "
        "in service by December. Residents of Lower Town watched from the footbridge. "
    ) * 2
    checker.misspelled_ranges(paragraph)
    best = min(_timed(checker, paragraph) for _ in range(50))
    assert best < 0.002, f"{best * 1000:.3f} ms"


def _timed(checker: SpellingChecker, text: str) -> float:
    started = time.perf_counter()
    checker.misspelled_ranges(text)
    return time.perf_counter() - started


def test_a_long_real_post_has_few_false_alarms(checker: SpellingChecker, shared_data: Path) -> None:
    text = (shared_data / "articles" / "aosa-500lines" / "dagoba" / "dagoba.markdown").read_text()
    found = checker.misspellings_in_document(text)
    words = len(text.split())
    # A technical chapter full of code names: flagged words stay a small fraction.
    assert len(found) < words * 0.03


def test_custom_dictionary_lives_in_the_store(store: Store) -> None:
    with store.session_factory.begin() as session:
        assert custom_words(session) == []
        add_to_dictionary(session, word="Okafor")
        add_to_dictionary(session, word=" Weirside ")
        words = add_to_dictionary(session, word="okafor’s")
    assert words == ["Okafor", "okafor's", "Weirside"]
    with store.session_factory.begin() as session:
        assert remove_from_dictionary(session, word="okafor's") == ["Okafor", "Weirside"]
    with store.session_factory() as session:
        stored = session.get(StoreSetting, CUSTOM_WORDS_KEY)
        assert stored is not None and stored.value == ["Okafor", "Weirside"]
        newsroom = SpellingChecker(custom_words(session))
    assert SpellingChecker().misspelled_ranges("Okafor of Weirside") == [
        (0, 6, "Okafor"),
        (10, 8, "Weirside"),
    ]
    assert newsroom.misspelled_ranges("Okafor of Weirside") == []
    assert newsroom.is_known("Weirside") and newsroom.is_known("OKAFOR")


def test_custom_words_that_are_not_one_word_are_refused(store: Store) -> None:
    with store.session_factory.begin() as session:
        for bad, reason in (("", "empty"), ("two words", "more than one"), ("x" * 101, "limit")):
            with pytest.raises(ValueError, match=reason):
                add_to_dictionary(session, word=bad)
        assert custom_words(session) == []


def test_adding_a_word_updates_the_checker_and_its_cache(checker: SpellingChecker) -> None:
    local = SpellingChecker()
    assert _words(local, "Zzqxville council") == ["Zzqxville"]
    local.add_custom_word("Zzqxville")
    assert _words(local, "Zzqxville council") == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["wrod", "the", " ", "🌊", "é", "`x`", "https://a.b/c", "[a](b)", "-", "'", "’", "\n"]
        ),
        max_size=25,
    )
)
def test_ranges_always_point_at_their_word(pieces: list[str]) -> None:
    text = "".join(pieces)
    checker = SpellingChecker()
    plain = checker.misspelled_ranges(text)
    for start, length, word in plain:
        assert text[start : start + length] == word
    encoded = text.encode("utf-16-le")
    for start, length, word in checker.misspelled_ranges(text, utf16=True):
        assert encoded[start * 2 : (start + length) * 2].decode("utf-16-le") == word
    ends = [start + length for start, length, _word in plain]
    assert all(
        end <= next_start for end, (next_start, _l, _w) in zip(ends, plain[1:], strict=False)
    )


def test_a_megabyte_line_is_not_spell_checked_and_returns_at_once() -> None:
    import time

    from editor.core.articles.spelling import SpellingChecker

    checker = SpellingChecker()
    started = time.perf_counter()
    assert checker.misspelled_ranges("x" * 1_000_000) == []
    assert time.perf_counter() - started < 1.0

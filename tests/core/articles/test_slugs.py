"""Slugs: made from any title, validated with sentences a person can act on, unique in the store."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from editor.core.articles.service import create_draft
from editor.core.articles.slugs import (
    MAX_SLUG_LENGTH,
    check_slug,
    copy_slug,
    is_valid_slug,
    numbered_slug,
    slug_from_text,
    slug_from_title,
    slug_problems,
    unique_slug,
)
from editor.core.store import Store


def test_titles_become_readable_ascii_slugs() -> None:
    assert slug_from_title("Flood Barrier Holds in First Full Test") == (
        "flood-barrier-holds-in-first-full-test"
    )
    assert slug_from_title("Crème brûlée à Zürich — Łódź, Straße") == (
        "creme-brulee-a-zurich-lodz-strasse"
    )
    assert slug_from_title("Москва: итоги года") == "moskva-itogi-goda"
    assert slug_from_title("Editor's Picks: 2026’s Best") == "editors-picks-2026s-best"
    assert slug_from_title("  ***  ") == "untitled"
    assert slug_from_title("") == "untitled"


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    title = "Council Approves " + "Very " * 30 + "Long Budget"
    slug = slug_from_title(title)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert not slug.endswith("-")
    assert all(part in ("council", "approves", "very") for part in slug.split("-"))


@given(st.text(max_size=300))
def test_any_text_gives_a_valid_slug_or_nothing(text: str) -> None:
    slug = slug_from_text(text)
    assert slug == "" or is_valid_slug(slug)
    assert is_valid_slug(slug_from_title(text))


def test_hand_edited_slugs_get_clear_reasons() -> None:
    assert slug_problems("budget-2026") == []
    assert "empty" in slug_problems("")[0]
    (problem,) = slug_problems("Budget Plan")
    assert "'B'" in problem and "' '" in problem and '"budget-plan"' in problem
    assert "start or end with a hyphen" in slug_problems("-budget")[0]
    assert "single hyphens" in slug_problems("budget--plan")[0]
    assert f"keep it to {MAX_SLUG_LENGTH}" in slug_problems("a" * 81)[0]


def test_numbered_and_copy_slugs_stay_within_the_limit() -> None:
    long_base = "a" * MAX_SLUG_LENGTH
    assert numbered_slug(long_base, 12).endswith("-12")
    assert len(numbered_slug(long_base, 12)) <= MAX_SLUG_LENGTH
    assert copy_slug("budget") == "budget-copy"
    assert copy_slug("budget-copy") == "budget-copy"
    assert copy_slug("budget-copy-3") == "budget-copy"
    assert is_valid_slug(copy_slug(long_base))


def test_unique_slug_numbers_taken_slugs(store: Store) -> None:
    with store.session_factory.begin() as session:
        first = create_draft(session, title="Budget Vote")
        second = create_draft(session, title="Budget Vote")
        third = create_draft(session, title="Budget Vote")
        create_draft(session, title="Budget Voters")
    assert (first.slug, second.slug, third.slug) == (
        "budget-vote",
        "budget-vote-2",
        "budget-vote-3",
    )
    with store.session_factory() as session:
        assert unique_slug(session, "budget-vote") == "budget-vote-4"
        # An article keeps its own slug when checked against the others.
        assert unique_slug(session, "budget-vote", excluding_article_id=first.id) == "budget-vote"
        assert unique_slug(session, "budget") == "budget"


def test_check_slug_names_the_article_that_has_it(store: Store) -> None:
    with store.session_factory.begin() as session:
        taken = create_draft(session, title="Market Square Roadworks")
        mine = create_draft(session, title="Something Else")
    with store.session_factory() as session:
        (problem,) = check_slug(session, taken.slug, article_id=mine.id)
        assert "Market Square Roadworks" in problem
        assert '"market-square-roadworks-2"' in problem
        assert check_slug(session, taken.slug, article_id=taken.id) == []
        assert check_slug(session, "Bad Slug", article_id=mine.id) == slug_problems("Bad Slug")

"""Drafts in the store: create, load, save with a version check, resolve conflicts, copy, archive."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from editor.core.articles.drafts import (
    READING_WORDS_PER_MINUTE,
    ArticleNotFound,
    InvalidDraft,
    NotArchived,
    ReadingStats,
    SaveConflict,
    WordCounter,
    count_words,
    reading_minutes,
)
from editor.core.articles.revisions import list_revisions, load_revision
from editor.core.articles.service import (
    archive,
    create_draft,
    delete_archived,
    duplicate_article,
    list_articles,
    load_draft,
    overwrite_draft,
    restore_from_archive,
    save_as_copy,
    save_draft,
)
from editor.core.models import Article, ArticleStatus, Revision, Tag
from editor.core.store import Store


def test_created_draft_loads_back_whole(store: Store) -> None:
    with store.session_factory.begin() as session:
        created = create_draft(
            session,
            title="Flood Barrier Holds",
            author="Mara Quinn",
            body="The gate closed.",
            dek="Engineers closed the river.",
            category="Local News",
            tags=["Flooding", "Council"],
        )
    with store.session_factory() as session:
        loaded = load_draft(session, article_id=created.id)
    assert loaded == created
    assert loaded.slug == "flood-barrier-holds"
    assert loaded.status is ArticleStatus.DRAFT
    assert loaded.version == 1
    assert loaded.tags == ["Flooding", "Council"]
    assert loaded.created_at.tzinfo is not None and len(loaded.uuid) == 36


def test_create_tidies_a_given_slug_and_refuses_overlong_fields(store: Store) -> None:
    with store.session_factory.begin() as session:
        tidy = create_draft(session, title="Anything", slug="Bad Slug!")
        generated = (create_draft(session, title=f"Tagged {n}", tags=iter(["A"])) for n in "12")
        assert [draft.tags for draft in generated] == [["A"], ["A"]]
    assert tidy.slug == "bad-slug"
    with (
        pytest.raises(InvalidDraft, match="title is 501"),
        store.session_factory.begin() as session,
    ):
        create_draft(session, title="T" * 501)
    with store.session_factory() as session:
        assert len(list_articles(session)) == 3


def test_save_updates_fields_and_moves_the_version_on(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Draft", tags=["One", "Two"])
    edited = replace(draft, title="Final", body="Body text", tags=["Three", "One"], slug="final")
    with store.session_factory.begin() as session:
        saved = save_draft(session, draft=edited, expected_version=draft.version)
    assert saved.changed_fields == {"title", "body", "tags", "slug"}
    assert saved.draft.version == draft.version + 1
    assert saved.draft.updated_at > draft.updated_at
    with store.session_factory() as session:
        reloaded = load_draft(session, article_id=draft.id)
    assert reloaded == saved.draft
    assert reloaded.tags == ["Three", "One"]


def test_a_save_with_nothing_changed_writes_nothing(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Quiet", body="Same")
    with store.session_factory.begin() as session:
        saved = save_draft(session, draft=draft, expected_version=draft.version)
    assert not saved.changed
    assert saved.draft.version == draft.version
    assert saved.draft.updated_at == draft.updated_at


def test_a_tags_only_change_moves_the_version_on(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Tagged", tags=["A"])
    with store.session_factory.begin() as session:
        saved = save_draft(session, draft=replace(draft, tags=["A", "B"]), expected_version=1)
    assert saved.changed_fields == {"tags"}
    assert saved.draft.version == 2
    # A second editor holding version 1 is now told, even though no text changed.
    with pytest.raises(SaveConflict), store.session_factory.begin() as session:
        save_draft(session, draft=replace(draft, body="x"), expected_version=1)


def test_tags_are_reused_ignoring_case_and_kept_in_order(store: Store) -> None:
    with store.session_factory.begin() as session:
        first = create_draft(session, title="One", tags=["Flooding", " Weir  Street "])
        second = create_draft(session, title="Two", tags=["weir street", "flooding", "FLOODING"])
        third = create_draft(session, title="Three", tags=["C", "C++"])
    assert first.tags == ["Flooding", "Weir Street"]
    assert second.tags == ["Weir Street", "Flooding"]
    with store.session_factory() as session:
        names_and_slugs = {name: slug for name, slug in session.execute(select(Tag.name, Tag.slug))}
    assert names_and_slugs == {
        "Flooding": "flooding",
        "Weir Street": "weir-street",
        "C": "c",
        "C++": "c-2",
    }
    assert third.tags == ["C", "C++"]


def test_two_editors_saving_the_same_article_second_is_told(store: Store) -> None:
    """Both load version 1; the first save wins; the second gets SaveConflict and nothing of it is written."""
    with store.session_factory.begin() as session:
        original = create_draft(session, title="Original", body="Shared text", author="Sam")
    with store.session_factory() as first_session, store.session_factory() as second_session:
        mine = load_draft(first_session, article_id=original.id)
        theirs_view = load_draft(second_session, article_id=original.id)
        first_session.rollback()
        second_session.rollback()
        with first_session.begin():
            saved = save_draft(
                first_session,
                draft=replace(mine, body="First editor's text", author="Mara"),
                expected_version=mine.version,
            )
        with pytest.raises(SaveConflict) as raised, second_session.begin():
            save_draft(
                second_session,
                draft=replace(theirs_view, body="Second editor's text"),
                expected_version=theirs_view.version,
            )
    conflict = raised.value
    assert conflict.their_body == "First editor's text"
    assert conflict.their_version == saved.draft.version == 2
    assert conflict.their_author == "Mara"
    assert conflict.their_updated_at == saved.draft.updated_at
    assert conflict.mine.body == "Second editor's text"
    assert "version 2" in str(conflict) and "not saved" in str(conflict)
    with store.session_factory() as session:
        assert load_draft(session, article_id=original.id).body == "First editor's text"


def test_overlapping_transactions_never_overwrite(store: Store) -> None:
    """The second save starts while the first still holds its transaction open."""
    with store.session_factory.begin() as session:
        original = create_draft(session, title="Race", body="v1")
    first = store.session_factory()
    outcome: list[BaseException | None] = []
    started = threading.Event()

    def second_editor() -> None:
        with store.session_factory() as session:
            started.set()
            try:
                with session.begin():
                    save_draft(session, draft=replace(original, body="second"), expected_version=1)
                outcome.append(None)
            except SaveConflict as conflict:
                outcome.append(conflict)

    try:
        first.begin()
        save_draft(first, draft=replace(original, body="first"), expected_version=1)
        worker = threading.Thread(target=second_editor)
        worker.start()
        started.wait(timeout=30)
        first.commit()
        worker.join(timeout=60)
    finally:
        first.close()
    assert len(outcome) == 1 and isinstance(outcome[0], SaveConflict)
    assert outcome[0].their_body == "first"
    with store.session_factory() as session:
        assert load_draft(session, article_id=original.id).body == "first"


def test_conflict_resolutions_copy_and_overwrite(store: Store) -> None:
    with store.session_factory.begin() as session:
        original = create_draft(session, title="Budget", body="base", author="Sam")
    with store.session_factory.begin() as session:
        save_draft(session, draft=replace(original, body="theirs"), expected_version=1)
    mine = replace(original, body="mine")
    with pytest.raises(SaveConflict) as raised, store.session_factory.begin() as session:
        save_draft(session, draft=mine, expected_version=1)

    with store.session_factory.begin() as session:
        copy = save_as_copy(session, draft=raised.value.mine)
    assert (copy.slug, copy.title, copy.body) == ("budget-copy", "Budget (copy)", "mine")
    assert copy.id != original.id and copy.version == 1

    with store.session_factory.begin() as session:
        overwritten = overwrite_draft(session, conflict=raised.value)
    assert overwritten.draft.body == "mine"
    assert overwritten.draft.version == 3
    with store.session_factory() as session:
        (kept,) = list_revisions(session, article_id=original.id)
        assert load_revision(session, revision_id=kept.id).body == "theirs"
        assert "before it was overwritten" in kept.note


def test_overwrite_refuses_when_the_article_moved_on_again(store: Store) -> None:
    with store.session_factory.begin() as session:
        original = create_draft(session, title="Twice")
    with store.session_factory.begin() as session:
        save_draft(session, draft=replace(original, body="b"), expected_version=1)
    with pytest.raises(SaveConflict) as raised, store.session_factory.begin() as session:
        save_draft(session, draft=replace(original, body="mine"), expected_version=1)
    with store.session_factory.begin() as session:
        save_draft(session, draft=replace(original, body="c"), expected_version=2)
    with pytest.raises(SaveConflict), store.session_factory.begin() as session:
        overwrite_draft(session, conflict=raised.value)
    with store.session_factory() as session:
        assert load_draft(session, article_id=original.id).body == "c"
        assert session.scalar(select(func.count()).select_from(Revision)) == 0


def test_a_taken_slug_is_kept_back_and_the_text_still_saved(store: Store) -> None:
    with store.session_factory.begin() as session:
        create_draft(session, title="Taken")
        draft = create_draft(session, title="Mine")
    with store.session_factory.begin() as session:
        saved = save_draft(
            session, draft=replace(draft, slug="taken", body="new text"), expected_version=1
        )
    assert saved.draft.slug == "mine"
    assert saved.draft.body == "new text"
    assert "“Taken”" in saved.slug_problems[0]
    assert saved.changed_fields == {"body"}
    with store.session_factory.begin() as session:
        malformed = save_draft(
            session, draft=replace(saved.draft, slug="Not OK"), expected_version=2
        )
    assert "lower-case" in malformed.slug_problems[0]
    assert not malformed.changed


def test_a_deleted_featured_image_is_kept_back(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Pictured")
    with store.session_factory.begin() as session:
        saved = save_draft(
            session, draft=replace(draft, featured_asset_id=999, body="x"), expected_version=1
        )
    assert saved.draft.featured_asset_id is None
    assert "featured image" in saved.kept_back["featured_asset_id"][0]


def test_overlong_fields_are_refused_with_reasons_and_nothing_written(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Short")
    too_long = replace(draft, title="T" * 501, tags=["x" * 101], body="kept?")
    with pytest.raises(InvalidDraft) as raised, store.session_factory.begin() as session:
        save_draft(session, draft=too_long, expected_version=1)
    assert len(raised.value.problems) == 2
    assert "title is 501 characters" in raised.value.problems[0]
    with store.session_factory() as session:
        assert load_draft(session, article_id=draft.id).body == ""


def test_saving_a_deleted_article_says_so(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Gone")
        archive(session, article_id=draft.id)
        delete_archived(session, article_id=draft.id)
    with pytest.raises(ArticleNotFound), store.session_factory.begin() as session:
        save_draft(session, draft=draft, expected_version=1)


def test_duplicate_copies_text_and_metadata_under_a_new_slug(store: Store) -> None:
    with store.session_factory.begin() as session:
        original = create_draft(
            session, title="Roadworks", body="Text", dek="Dek", tags=["Roads"], author="Sam"
        )
        copy = duplicate_article(session, article_id=original.id, author="Mara")
        copy_of_copy = duplicate_article(session, article_id=copy.id)
    assert (copy.title, copy.slug, copy.body, copy.dek, copy.tags, copy.author) == (
        "Roadworks (copy)",
        "roadworks-copy",
        "Text",
        "Dek",
        ["Roads"],
        "Mara",
    )
    assert copy.uuid != original.uuid
    assert (copy_of_copy.title, copy_of_copy.slug) == ("Roadworks (copy)", "roadworks-copy-2")


def test_delete_needs_the_archive_first_and_archive_can_be_undone(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Old news")
        session.add(Revision(article_id=draft.id, title="t", body="b", reason="manual"))
    with pytest.raises(NotArchived), store.session_factory.begin() as session:
        delete_archived(session, article_id=draft.id)
    with store.session_factory.begin() as session:
        assert archive(session, article_id=draft.id).status is ArticleStatus.ARCHIVED
        restored = restore_from_archive(session, article_id=draft.id)
    assert restored.status is ArticleStatus.DRAFT
    with pytest.raises(NotArchived), store.session_factory.begin() as session:
        restore_from_archive(session, article_id=draft.id)
    with store.session_factory.begin() as session:
        archive(session, article_id=draft.id)
        delete_archived(session, article_id=draft.id)
    with store.session_factory() as session:
        assert session.get(Article, draft.id) is None
        assert session.scalar(select(func.count()).select_from(Revision)) == 0
        assert list_articles(session) == []


def test_created_draft_shows_in_the_article_list(store: Store) -> None:
    with store.session_factory.begin() as session:
        create_draft(session, title="Listed", body="one two three [link](https://a.example/b)")
    with store.session_factory() as session:
        (row,) = list_articles(session, search="list")
    assert row.word_count == 4


def test_word_count_skips_link_targets_and_markup() -> None:
    text = (
        "The gate's test ran [four hours](https://example.com/a-very-long-url).\n"
        '![Alt text here](asset:0123456789ab "Photo: Mara")\n'
        "<span>Tag</span>\n[ref]: https://example.com/ref\n"
    )
    # The gate's test ran four hours / Alt text here / Tag
    assert count_words(text) == 10
    assert count_words("") == 0


@given(
    st.lists(
        st.sampled_from(["word", "don't", "[a](b c)", "<i>", "\n", "\n\n", " ", "—", "[r]: x"]),
        max_size=40,
    )
)
def test_word_counter_agrees_with_a_full_count(pieces: list[str]) -> None:
    counter = WordCounter()
    text = "".join(pieces)
    assert counter.count(text) == count_words(text)
    edited = text + " more words"
    assert counter.count(edited) == count_words(edited)


def test_reading_time_at_230_words_a_minute() -> None:
    assert READING_WORDS_PER_MINUTE == 230
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(230) == 1
    assert reading_minutes(231) == 2
    assert ReadingStats.of("word " * 2300) == ReadingStats(words=2300, minutes=10)

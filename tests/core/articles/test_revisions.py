"""Revisions: snapshots on save and sparsely while typing, listed, compared and restored (undoably)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from editor.core.articles.drafts import SaveConflict
from editor.core.articles.revisions import (
    AUTOSAVE_REVISION_INTERVAL,
    RevisionNotFound,
    autosave_revision_due,
    diff_revision_with_draft,
    diff_revisions,
    list_revisions,
    load_revision,
    record_autosave_revision_if_due,
    record_revision,
    restore_revision,
)
from editor.core.articles.service import create_draft, load_draft, save_draft
from editor.core.models import RevisionReason
from editor.core.store import Store


def test_revision_snapshots_title_body_and_metadata(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(
            session,
            title="Budget",
            body="Line one",
            dek="Dek",
            author="Mara",
            category="Politics",
            tags=["Council", "Money"],
        )
        summary = record_revision(
            session, article_id=draft.id, reason=RevisionReason.MANUAL, author="Sam"
        )
    with store.session_factory() as session:
        revision = load_revision(session, revision_id=summary.id)
    assert (revision.title, revision.body, revision.dek, revision.byline) == (
        "Budget",
        "Line one",
        "Dek",
        "Mara",
    )
    assert (revision.slug, revision.tags, revision.category) == (
        "budget",
        ["Council", "Money"],
        "Politics",
    )
    assert (revision.reason, revision.author) == (RevisionReason.MANUAL, "Sam")
    assert summary.body_length == len("Line one")


def test_identical_revisions_are_not_stored_twice_but_publish_always_is(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Same", body="Text")
        first = record_revision(
            session, article_id=draft.id, reason=RevisionReason.MANUAL, author=""
        )
        again = record_revision(
            session, article_id=draft.id, reason=RevisionReason.MANUAL, author=""
        )
        published = record_revision(
            session, article_id=draft.id, reason=RevisionReason.PUBLISH, author=""
        )
    assert again.id == first.id
    assert published.id != first.id
    with store.session_factory() as session:
        assert [row.reason for row in list_revisions(session, article_id=draft.id)] == [
            RevisionReason.PUBLISH,
            RevisionReason.MANUAL,
        ]


def test_autosave_revision_policy_waits_the_interval() -> None:
    now = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert timedelta(minutes=5) == AUTOSAVE_REVISION_INTERVAL
    assert autosave_revision_due(last_revision_at=None, now=now)
    assert not autosave_revision_due(
        last_revision_at=now - timedelta(minutes=4, seconds=59), now=now
    )
    assert autosave_revision_due(last_revision_at=now - timedelta(minutes=5), now=now)


def test_autosaves_leave_a_revision_at_most_every_five_minutes(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Typing", body="a")
    start = datetime.now(UTC)
    recorded = []
    body = "a"
    # Twelve autosaves a minute apart while typing: revisions at 0, 5 and 10 minutes.
    for minute in range(12):
        body += f" word{minute}"
        with store.session_factory.begin() as session:
            current = load_draft(session, article_id=draft.id)
            save_draft(session, draft=replace(current, body=body), expected_version=current.version)
            made = record_autosave_revision_if_due(
                session,
                article_id=draft.id,
                author="Mara",
                now=start + timedelta(minutes=minute),
            )
        recorded.append(made is not None)
        if made is not None:
            # Revisions carry the real time; the policy is driven by the ``now`` given.
            with store.session_factory.begin() as session:
                _backdate(session, made.id, start + timedelta(minutes=minute))
    assert recorded == [m % 5 == 0 for m in range(12)]


def test_no_autosave_revision_when_nothing_changed_since_the_last(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Idle", body="b")
        record_revision(session, article_id=draft.id, reason=RevisionReason.MANUAL, author="")
        later = datetime.now(UTC) + timedelta(hours=1)
        assert (
            record_autosave_revision_if_due(session, article_id=draft.id, author="", now=later)
            is None
        )


def _backdate(session: object, revision_id: int, when: datetime) -> None:
    from sqlalchemy.orm import Session

    from editor.core.models import Revision

    assert isinstance(session, Session)
    revision = session.get(Revision, revision_id)
    assert revision is not None
    revision.created_at = when


def test_restore_becomes_the_draft_and_can_be_undone(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="First title", body="First body", tags=["Old"])
        old = record_revision(session, article_id=draft.id, reason=RevisionReason.MANUAL, author="")
    with store.session_factory.begin() as session:
        saved = save_draft(
            session,
            draft=replace(draft, title="Second title", body="Second body", tags=["New"]),
            expected_version=draft.version,
        )
    with store.session_factory.begin() as session:
        restored = restore_revision(
            session, revision_id=old.id, author="Sam", expected_version=saved.draft.version
        )
    assert (restored.draft.title, restored.draft.body, restored.draft.tags) == (
        "First title",
        "First body",
        ["Old"],
    )
    with store.session_factory() as session:
        revisions = list_revisions(session, article_id=draft.id)
    assert [revision.note.split(" the revision")[0] for revision in revisions[:2]] == [
        "Restored",
        "Before restoring",
    ]
    before_restore = revisions[1]
    # Undo: restore the state the restore replaced.
    with store.session_factory.begin() as session:
        undone = restore_revision(
            session,
            revision_id=before_restore.id,
            author="Sam",
            expected_version=restored.draft.version,
        )
    assert (undone.draft.title, undone.draft.body, undone.draft.tags) == (
        "Second title",
        "Second body",
        ["New"],
    )


def test_restore_against_a_stale_version_is_refused(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="T", body="one")
        old = record_revision(session, article_id=draft.id, reason=RevisionReason.MANUAL, author="")
        save_draft(session, draft=replace(draft, body="two"), expected_version=1)
    with pytest.raises(SaveConflict), store.session_factory.begin() as session:
        restore_revision(session, revision_id=old.id, author="", expected_version=1)
    with store.session_factory() as session:
        assert load_draft(session, article_id=draft.id).body == "two"
        assert len(list_revisions(session, article_id=draft.id)) == 1


def test_diff_between_revisions_and_with_the_draft(store: Store) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(
            session, title="Flood test", body="Intro.\n\nThe gate held for four hours.\n"
        )
        old = record_revision(session, article_id=draft.id, reason=RevisionReason.MANUAL, author="")
        saved = save_draft(
            session,
            draft=replace(
                draft,
                title="Flood test passed",
                body="Intro.\n\nThe gate held for five hours.\n\nMore <b>soon</b>.\n",
                tags=["Flooding"],
                slug="flood-test-passed",
            ),
            expected_version=1,
        )
        new = record_revision(session, article_id=draft.id, reason=RevisionReason.MANUAL, author="")
    with store.session_factory() as session:
        between = diff_revisions(session, old_revision_id=old.id, new_revision_id=new.id)
        to_current = diff_revisions(session, old_revision_id=old.id)
        to_unsaved = diff_revision_with_draft(
            session, revision_id=new.id, draft=replace(saved.draft, body=saved.draft.body + "x")
        )
    assert between == to_current
    assert between.metadata_changes == [
        "Address: flood-test → flood-test-passed",
        "Tags added: Flooding",
    ]
    assert between.body.words_added == 5  # five; More, b, soon, b
    assert between.body.words_removed == 1
    page = between.html()
    assert "&lt;b&gt;soon&lt;/b&gt;" in page and "<b>soon</b>" not in page
    assert "Title" in page and "Details" in page
    assert not to_unsaved.body.unchanged and to_unsaved.title.unchanged


def test_missing_revision_is_reported(store: Store) -> None:
    with pytest.raises(RevisionNotFound), store.session_factory() as session:
        load_revision(session, revision_id=12345)

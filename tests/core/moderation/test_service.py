"""Moderator actions: status changes with events, conflicts, undo, and what the filter learns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from editor.core.models import Comment, CommentStatus, ModerationEvent
from editor.core.moderation.features import comment_features
from editor.core.moderation.learning import SharedSpamFilter
from editor.core.moderation.service import (
    MAX_LESSONS_PER_BATCH,
    ModerationAction,
    ModerationConflict,
    NothingToUndo,
    moderate,
    moderate_author,
    undo,
)
from editor.core.store import Store
from tests.core.moderation.conftest import BASE_TIME


def add_comments(store: Store, article_id: int, count: int, **fields: object) -> list[int]:
    rows = [
        {
            "article_id": article_id,
            "author_name": "Reader",
            "author_email": f"reader{n % 7}@example.org",
            "body": f"comment number {n}",
            "status": CommentStatus.PENDING,
            "reasons": [],
            "created_at": BASE_TIME + timedelta(seconds=n),
        }
        | fields
        for n in range(count)
    ]
    with store.session_factory.begin() as session:
        return list(session.scalars(insert(Comment).returning(Comment.id), rows))


def statuses(store: Store, ids: list[int]) -> list[CommentStatus]:
    with store.session_factory() as session:
        found = dict(
            session.execute(select(Comment.id, Comment.status).where(Comment.id.in_(ids))).all()
        )
    return [found[i] for i in ids]


def test_approving_one_records_who_when_from_to_and_trains_the_filter(
    store: Store, articles: tuple[int, int], spam_filter: SharedSpamFilter
) -> None:
    [comment_id] = add_comments(store, articles[0], 1)
    with store.session_factory.begin() as session:
        result = moderate(
            [comment_id],
            ModerationAction.APPROVE,
            session=session,
            actor="Sam",
            spam_filter=spam_filter,
            expected_status=CommentStatus.PENDING,
        )
    assert result.comment_ids == [comment_id]
    assert result.count_deltas == {CommentStatus.PENDING: -1, CommentStatus.APPROVED: 1}
    with store.session_factory() as session:
        comment = session.get(Comment, comment_id)
        assert comment is not None and comment.status is CommentStatus.APPROVED
        assert comment.moderated_by == "Sam" and comment.moderated_at is not None
        event = session.scalars(select(ModerationEvent)).one()
        assert (event.actor, event.action, event.from_status, event.to_status, event.batch) == (
            "Sam",
            "approve",
            CommentStatus.PENDING,
            CommentStatus.APPROVED,
            result.batch,
        )
        assert SharedSpamFilter().model(session=session).documents == [1, 0]


def test_acting_on_a_comment_someone_else_moderated_is_a_conflict_and_changes_nothing(
    store: Store, articles: tuple[int, int]
) -> None:
    ids = add_comments(store, articles[0], 3)
    with store.session_factory.begin() as session:
        moderate([ids[1]], ModerationAction.SPAM, session=session, actor="Priya", spam_filter=None)
    with pytest.raises(ModerationConflict) as raised, store.session_factory.begin() as session:
        moderate(
            ids,
            ModerationAction.APPROVE,
            session=session,
            actor="Sam",
            spam_filter=None,
            expected_status=CommentStatus.PENDING,
        )
    assert raised.value.current == {ids[1]: CommentStatus.SPAM}
    assert "is now spam" in str(raised.value)
    assert statuses(store, ids) == [
        CommentStatus.PENDING,
        CommentStatus.SPAM,
        CommentStatus.PENDING,
    ]


def test_the_conditional_update_catches_a_change_after_the_read(
    store: Store, articles: tuple[int, int]
) -> None:
    # What a second moderator's commit between our read and our write looks like:
    # the read says pending, the row says spam by the time the UPDATE runs.
    [comment_id] = add_comments(store, articles[0], 1)
    from editor.core.moderation import service

    real_read = service._read_current

    def stale_read(session, ids):  # type: ignore[no-untyped-def]
        seen = real_read(session, ids)
        session.execute(
            Comment.__table__.update().where(Comment.id == comment_id).values(status="spam")
        )
        return seen

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "_read_current", stale_read)
        with pytest.raises(ModerationConflict), store.session_factory.begin() as session:
            moderate(
                [comment_id], ModerationAction.TRASH, session=session, actor="Sam", spam_filter=None
            )
    assert statuses(store, [comment_id]) == [CommentStatus.PENDING]


def test_undo_restores_statuses_and_moderators_and_takes_lessons_back(
    store: Store, articles: tuple[int, int], spam_filter: SharedSpamFilter
) -> None:
    ids = add_comments(store, articles[0], 4)
    with store.session_factory.begin() as session:
        approved = moderate(
            ids[:2], ModerationAction.APPROVE, session=session, actor="Sam", spam_filter=spam_filter
        )
    with store.session_factory.begin() as session:
        spammed = moderate(
            ids, ModerationAction.SPAM, session=session, actor="Priya", spam_filter=spam_filter
        )
        assert spam_filter.model(session=session).documents == [0, 4]
    with store.session_factory.begin() as session:
        reverted = undo(
            spammed.batch or "", session=session, actor="Priya", spam_filter=spam_filter
        )
    assert reverted.count_deltas == {
        CommentStatus.SPAM: -4,
        CommentStatus.APPROVED: 2,
        CommentStatus.PENDING: 2,
    }
    assert statuses(store, ids) == [CommentStatus.APPROVED] * 2 + [CommentStatus.PENDING] * 2
    with store.session_factory() as session:
        assert spam_filter.model(session=session).documents == [2, 0]
        assert SharedSpamFilter().model(session=session).documents == [2, 0]
        moderators = (
            session.execute(
                select(Comment.moderated_by).where(Comment.id.in_(ids)).order_by(Comment.id)
            )
            .scalars()
            .all()
        )
        assert moderators == ["Sam", "Sam", None, None]
        undo_events = session.scalar(
            select(func.count())
            .select_from(ModerationEvent)
            .where(ModerationEvent.batch == reverted.batch)
        )
        assert undo_events == 4
    with pytest.raises(NothingToUndo), store.session_factory.begin() as session:
        undo(spammed.batch or "", session=session, actor="Priya", spam_filter=spam_filter)
    with store.session_factory.begin() as session:
        undo(approved.batch or "", session=session, actor="Sam", spam_filter=spam_filter)
        assert spam_filter.model(session=session).documents == [0, 0]
        assert spam_filter.model(session=session).counts == {}


def test_undo_refuses_when_a_comment_moved_since(store: Store, articles: tuple[int, int]) -> None:
    ids = add_comments(store, articles[0], 2)
    with store.session_factory.begin() as session:
        batch = moderate(
            ids, ModerationAction.TRASH, session=session, actor="Sam", spam_filter=None
        ).batch
    with store.session_factory.begin() as session:
        moderate(
            [ids[0]], ModerationAction.APPROVE, session=session, actor="Priya", spam_filter=None
        )
    with pytest.raises(ModerationConflict), store.session_factory.begin() as session:
        undo(batch or "", session=session, actor="Sam", spam_filter=None)
    assert statuses(store, ids) == [CommentStatus.APPROVED, CommentStatus.TRASH]


def test_all_by_this_author_and_mixed_expected_statuses(
    store: Store, articles: tuple[int, int]
) -> None:
    ids = add_comments(store, articles[0], 14)  # 7 authors, two comments each
    with store.session_factory.begin() as session:
        result = moderate_author(
            ids[0], ModerationAction.SPAM, session=session, actor="Sam", spam_filter=None
        )
    assert sorted(result.comment_ids) == [ids[0], ids[7]]
    with store.session_factory.begin() as session:
        mixed = moderate(
            [ids[0], ids[1]],
            ModerationAction.TRASH,
            session=session,
            actor="Sam",
            spam_filter=None,
            expected_status={ids[0]: CommentStatus.SPAM, ids[1]: CommentStatus.PENDING},
        )
        nothing = moderate(
            [ids[0]], ModerationAction.TRASH, session=session, actor="Sam", spam_filter=None
        )
    assert mixed.count_deltas == {
        CommentStatus.SPAM: -1,
        CommentStatus.PENDING: -1,
        CommentStatus.TRASH: 2,
    }
    assert nothing.batch is None and nothing.changes == ()


def test_bulk_action_is_one_batch_and_teaches_a_bounded_number_of_lessons(
    store: Store, articles: tuple[int, int], spam_filter: SharedSpamFilter
) -> None:
    ids = add_comments(store, articles[0], 1500)
    with store.session_factory.begin() as session:
        result = moderate(
            ids, ModerationAction.SPAM, session=session, actor="Sam", spam_filter=spam_filter
        )
    assert len(result.changes) == 1500
    assert result.lessons == MAX_LESSONS_PER_BATCH
    with store.session_factory.begin() as session:
        batches = session.execute(select(ModerationEvent.batch).distinct()).scalars().all()
        assert batches == [result.batch]
        assert spam_filter.model(session=session).documents == [0, MAX_LESSONS_PER_BATCH]
        undo(result.batch or "", session=session, actor="Sam", spam_filter=spam_filter)
        assert spam_filter.model(session=session).documents == [0, 0]
    assert set(statuses(store, ids)) == {CommentStatus.PENDING}


def test_relabelling_a_moderated_comment_moves_its_lesson(
    store: Store, articles: tuple[int, int], spam_filter: SharedSpamFilter
) -> None:
    [comment_id] = add_comments(store, articles[0], 1, body="win a free cruise now")
    with store.session_factory.begin() as session:
        moderate(
            [comment_id],
            ModerationAction.APPROVE,
            session=session,
            actor="Sam",
            spam_filter=spam_filter,
        )
    with store.session_factory.begin() as session:
        moderate(
            [comment_id],
            ModerationAction.SPAM,
            session=session,
            actor="Sam",
            spam_filter=spam_filter,
        )
        model = spam_filter.model(session=session)
        assert model.documents == [0, 1]
        tokens = comment_features(
            "win a free cruise now", author_name="Reader", author_email="reader0@example.org"
        )
        assert all(model.counts[token] == (0, 1) for token in tokens)


def test_a_conflict_in_a_later_chunk_names_only_the_comment_someone_else_moved(
    store: Store, articles: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from editor.core.moderation import service

    monkeypatch.setattr(service, "_CHUNK", 2)  # five comments, three statements
    ids = add_comments(store, articles[0], 5)
    with store.session_factory.begin() as session:
        moderate([ids[3]], ModerationAction.SPAM, session=session, actor="Priya", spam_filter=None)
    with pytest.raises(ModerationConflict) as raised, store.session_factory.begin() as session:
        moderate(
            ids,
            ModerationAction.TRASH,
            session=session,
            actor="Sam",
            spam_filter=None,
            expected_status=CommentStatus.PENDING,
        )
    # The first chunk was already moved when the second found the stale comment: those
    # two read as trash inside the failed transaction and must not be reported.
    assert raised.value.current == {ids[3]: CommentStatus.SPAM}
    assert statuses(store, ids) == [CommentStatus.PENDING] * 3 + [
        CommentStatus.SPAM,
        CommentStatus.PENDING,
    ]


def test_a_comment_seen_in_the_target_status_but_moved_since_is_a_conflict(
    store: Store, articles: tuple[int, int]
) -> None:
    ids = add_comments(store, articles[0], 2, status=CommentStatus.SPAM)
    with store.session_factory.begin() as session:
        moderate(
            [ids[0]], ModerationAction.APPROVE, session=session, actor="Priya", spam_filter=None
        )
    with pytest.raises(ModerationConflict) as raised, store.session_factory.begin() as session:
        moderate(
            ids,
            ModerationAction.SPAM,
            session=session,
            actor="Sam",
            spam_filter=None,
            expected_status=CommentStatus.SPAM,
        )
    assert raised.value.current == {ids[0]: CommentStatus.APPROVED}


def test_a_verdict_on_a_comment_no_moderator_judged_takes_nothing_back(
    store: Store, articles: tuple[int, int], spam_filter: SharedSpamFilter
) -> None:
    # Approved at intake (no moderator): marking it spam teaches spam and unlearns nothing,
    # so who moderated it must be read before the write replaces it.
    body = "win a free cruise now"
    [at_intake] = add_comments(store, articles[0], 1, body=body, status=CommentStatus.APPROVED)
    [judged] = add_comments(store, articles[0], 1, body=body)
    with store.session_factory.begin() as session:
        moderate(
            [judged],
            ModerationAction.APPROVE,
            session=session,
            actor="Priya",
            spam_filter=spam_filter,
            expected_status=CommentStatus.PENDING,
        )
    with store.session_factory.begin() as session:
        moderate(
            [at_intake],
            ModerationAction.SPAM,
            session=session,
            actor="Sam",
            spam_filter=spam_filter,
            expected_status=CommentStatus.APPROVED,
        )
        model = spam_filter.model(session=session)
        assert model.documents == [1, 1]
        tokens = comment_features(body, author_name="Reader", author_email="reader0@example.org")
        assert all(model.counts[token] == (1, 1) for token in tokens)

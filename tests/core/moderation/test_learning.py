"""The filter as the store keeps it: shared by moderators, saved in their transactions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from editor.core.models import StoreBlob
from editor.core.moderation import learning
from editor.core.moderation.features import text_features
from editor.core.moderation.learning import JOURNAL_NAME, SNAPSHOT_NAME, SharedSpamFilter
from editor.core.moderation.spam_filter import Lesson
from editor.core.store import Store

SPAM = Lesson(text_features("cheap pills http://pills.example buy now"), True)
HAM = Lesson(text_features("thanks for reporting the council vote"), False)


def test_lessons_persist_and_reach_another_moderators_filter(store: Store) -> None:
    mine, theirs = SharedSpamFilter(), SharedSpamFilter()
    with store.session_factory.begin() as session:
        mine.learn([SPAM, HAM], session=session)
    with store.session_factory.begin() as session:
        assert theirs.model(session=session).documents == [1, 1]
        theirs.learn([Lesson(text_features("pills pills"), True)], session=session)
    with store.session_factory.begin() as session:
        # Their lesson is appended to ours, not written over it.
        assert mine.model(session=session).documents == [1, 2]
        probability = mine.spam_probability(text_features("buy cheap pills"), session=session)
    assert probability is not None and probability > 0.9


def test_a_rolled_back_decision_teaches_nothing(store: Store) -> None:
    spam_filter = SharedSpamFilter()
    with store.session_factory.begin() as session:
        spam_filter.learn([HAM], session=session)
    session = store.session_factory()
    with session.begin():
        spam_filter.learn([SPAM], session=session)
        assert spam_filter.model(session=session).documents == [1, 1]
        session.rollback()
    with store.session_factory() as session:
        assert spam_filter.model(session=session).documents == [1, 0]
    with store.session_factory() as session:
        assert SharedSpamFilter().model(session=session).documents == [1, 0]


def test_a_long_journal_is_folded_into_the_snapshot(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learning, "FOLD_AT_BYTES", 300)
    spam_filter = SharedSpamFilter()
    with store.session_factory.begin() as session:
        for _ in range(5):
            spam_filter.learn([SPAM, HAM], session=session)
    with store.session_factory() as session:
        blobs = dict(session.execute(select(StoreBlob.name, StoreBlob.data)).all())
        assert blobs[SNAPSHOT_NAME].startswith(b"newsdesk-spam-filter/1")
        assert len(blobs[JOURNAL_NAME]) < 300
        assert SharedSpamFilter().model(session=session).documents == [5, 5]


def test_two_moderators_folding_and_appending_lose_no_lesson(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learning, "FOLD_AT_BYTES", 200)
    first, second = SharedSpamFilter(), SharedSpamFilter()
    for round_number in range(6):
        for spam_filter in (first, second) if round_number % 2 else (second, first):
            with store.session_factory.begin() as session:
                spam_filter.learn([SPAM], session=session)
    with store.session_factory() as session:
        assert SharedSpamFilter().model(session=session).documents == [0, 12]
        assert first.model(session=session).documents == [0, 12]

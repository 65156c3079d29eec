"""Emptying old spam and trash happens only when asked, and only to old spam and trash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from editor.cli import main
from editor.core.models import Comment, CommentStatus, ModerationEvent, utc_now
from editor.core.moderation.retention import count_purgeable, purge
from editor.core.moderation.rules import load_retention_days, save_retention_days
from editor.core.store import Store


@pytest.fixture
def aged(store: Store, articles: tuple[int, int]) -> None:
    now = utc_now()
    with store.session_factory.begin() as session:
        for status in CommentStatus:
            for days in (1, 45):
                session.add(
                    Comment(
                        article_id=articles[0],
                        body=f"{status} {days}",
                        status=status,
                        created_at=now - timedelta(days=days),
                    )
                )
        # Old comment, but moved to trash yesterday: not old trash yet.
        recent_trash = Comment(
            article_id=articles[0],
            body="recently trashed",
            status=CommentStatus.TRASH,
            created_at=now - timedelta(days=90),
            moderated_at=now - timedelta(days=1),
        )
        session.add(recent_trash)
        session.flush()
        session.add(
            ModerationEvent(
                comment_id=recent_trash.id,
                actor="Sam",
                action="trash",
                from_status=CommentStatus.PENDING,
                to_status=CommentStatus.TRASH,
            )
        )
        old_spam = session.scalars(select(Comment).where(Comment.body == "spam 45")).one()
        session.add(
            ModerationEvent(
                comment_id=old_spam.id,
                actor="Sam",
                action="spam",
                from_status=CommentStatus.PENDING,
                to_status=CommentStatus.SPAM,
            )
        )


def test_purge_deletes_only_old_spam_and_trash_with_their_events(store: Store, aged: None) -> None:
    with store.session_factory() as session:
        counted = count_purgeable(session=session, older_than_days=30)
    assert (counted.spam, counted.trash) == (1, 1)
    with store.session_factory.begin() as session:
        purge(session=session, older_than_days=30)
    with store.session_factory() as session:
        bodies = set(session.scalars(select(Comment.body)))
        events = session.scalar(select(func.count()).select_from(ModerationEvent))
    assert bodies == {
        "pending 1",
        "pending 45",
        "approved 1",
        "approved 45",
        "spam 1",
        "trash 1",
        "recently trashed",
    }
    assert events == 1


def test_command_asks_for_yes_and_uses_the_retention_setting(store: Store, aged: None) -> None:
    assert main(["comments", "purge", "--store", store.url]) == 2
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == 9
    with store.session_factory.begin() as session:
        assert load_retention_days(session=session) == 30
        save_retention_days(60, session=session)
    assert main(["comments", "purge", "--store", store.url, "--yes"]) == 0
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == 9
    assert main(["comments", "purge", "--store", store.url, "--older-than", "0", "--yes"]) == 0
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == 4

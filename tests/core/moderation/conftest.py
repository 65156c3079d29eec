"""Moderation fixtures: a store with two articles, and a fresh shared spam filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from editor.core.models import Article
from editor.core.moderation.intake import IncomingComment
from editor.core.moderation.learning import SharedSpamFilter
from editor.core.store import Store

BASE_TIME = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def articles(store: Store) -> tuple[int, int]:
    with store.session_factory.begin() as session:
        first = Article(title="Flood barrier holds", slug="flood-barrier")
        second = Article(title="Budget vote", slug="budget-vote")
        session.add_all([first, second])
        session.flush()
        return first.id, second.id


@pytest.fixture
def spam_filter() -> SharedSpamFilter:
    return SharedSpamFilter()


def incoming(
    article_id: int, body: str, *, minutes: float = 0, **fields: object
) -> IncomingComment:
    """A comment arriving ``minutes`` after ``BASE_TIME`` (far enough apart not to flood)."""
    fields.setdefault("author_name", "Reader")
    fields.setdefault("author_email", "reader@example.org")
    return IncomingComment(
        article_id=article_id,
        body=body,
        created_at=BASE_TIME + timedelta(minutes=minutes),
        **fields,  # type: ignore[arg-type]
    )

"""The article's comment count (shown on the site and in the article list) follows moderation."""

from __future__ import annotations

from sqlalchemy import select

from editor.core.models import Article, Comment, CommentStatus
from editor.core.moderation.learning import SharedSpamFilter
from editor.core.moderation.service import ModerationAction, moderate, undo
from editor.core.store import Store


def _count_and_version(store: Store, article_id: int) -> tuple[int, int]:
    with store.session_factory() as session:
        row = session.execute(
            select(Article.comment_count, Article.version).where(Article.id == article_id)
        ).one()
        return int(row[0]), int(row[1])


def test_approving_and_undoing_moves_the_count_but_not_the_version(store: Store) -> None:
    with store.session_factory.begin() as session:
        article = Article(title="Counted", slug="counted")
        session.add(article)
        session.flush()
        for index in range(3):
            session.add(
                Comment(article_id=article.id, author_name=f"R{index}", body=f"Comment {index}")
            )
        session.flush()
        article_id = article.id
        ids = [comment_id for (comment_id,) in session.execute(select(Comment.id))]
    _, version_before = _count_and_version(store, article_id)
    spam_filter = SharedSpamFilter()
    with store.session_factory.begin() as session:
        result = moderate(
            ids[:2],
            ModerationAction.APPROVE,
            session=session,
            actor="Sam",
            spam_filter=spam_filter,
            expected_status=CommentStatus.PENDING,
        )
    assert _count_and_version(store, article_id) == (2, version_before)
    with store.session_factory.begin() as session:
        assert result.batch is not None
        undo(result.batch, session=session, actor="Sam", spam_filter=spam_filter)
    assert _count_and_version(store, article_id) == (0, version_before)

"""Comments inserted in bulk become searchable at the end of the block, and the index's
trigger is back afterwards (or never gone, if the block failed and was rolled back)."""

from __future__ import annotations

import pytest

from editor.core.models import Comment
from editor.core.moderation import queue
from editor.core.moderation.queue import QueueQuery, QueueTab
from editor.core.moderation.search_index import comments_indexed_at_the_end
from editor.core.store import Store


def _found(store: Store, word: str) -> list[int]:
    with store.session_factory() as session:
        return [
            int(found)
            for found in queue.queue_ids(QueueQuery(QueueTab.ALL, search=word), session=session)
        ]


def _add(store: Store, article_id: int, body: str, *, bulk: bool) -> int:
    with store.session_factory.begin() as session:
        if not bulk:
            comment = Comment(article_id=article_id, body=body)
            session.add(comment)
            session.flush()
            return comment.id
        with comments_indexed_at_the_end(session):
            comment = Comment(article_id=article_id, body=body)
            session.add(comment)
            session.flush()
            return comment.id


def test_bulk_inserted_comments_are_found_and_later_ones_too(
    store: Store, articles: tuple[int, int]
) -> None:
    before = _add(store, articles[0], "sluice before the import", bulk=False)
    imported = _add(store, articles[0], "sluice from the export", bulk=True)
    after = _add(store, articles[1], "sluice after the import", bulk=False)
    assert _found(store, "sluice") == [after, imported, before]
    assert _found(store, "export") == [imported]


def test_a_failed_bulk_insert_rolls_back_with_its_trigger_still_in_place(
    store: Store, articles: tuple[int, int]
) -> None:
    with (
        pytest.raises(RuntimeError),
        store.session_factory.begin() as session,
        comments_indexed_at_the_end(session),
    ):
        session.add(Comment(article_id=articles[0], body="weir never kept"))
        session.flush()
        raise RuntimeError("the import failed")
    later = _add(store, articles[0], "weir written later", bulk=False)
    assert _found(store, "weir") == [later]


def test_comments_imported_from_a_file_are_searchable(
    store: Store, articles: tuple[int, int], tmp_path: pytest.TempPathFactory
) -> None:
    from pathlib import Path

    from editor.core.moderation.importing import import_comments

    path = Path(str(tmp_path)) / "comments.csv"
    path.write_text(
        f"article_id,author_name,body\n{articles[0]},Ann,The culvert floods\n"
        f"{articles[1]},Bo,Culvert again\n",
        encoding="utf-8",
    )
    with store.session_factory.begin() as session:
        report = import_comments(path, session=session, spam_filter=None)
    assert len(report.received) == 2
    assert len(_found(store, "culvert")) == 2


def test_a_status_changed_within_the_block_is_indexed_under_the_new_one(
    store: Store, articles: tuple[int, int]
) -> None:
    from sqlalchemy import update

    from editor.core.models import CommentStatus
    from editor.core.moderation.search_index import index_moved_comments

    with store.session_factory.begin() as session, comments_indexed_at_the_end(session):
        comment = Comment(article_id=articles[0], body="penstock held", status=CommentStatus.SPAM)
        session.add(comment)
        session.flush()
        session.execute(
            update(Comment).where(Comment.id == comment.id).values(status=CommentStatus.APPROVED)
        )
        comment_id = comment.id
    with store.session_factory.begin() as session:
        index_moved_comments(session)
    with store.session_factory() as session:
        for tab, expected in ((QueueTab.APPROVED, [comment_id]), (QueueTab.SPAM, [])):
            query = QueueQuery(tab, search="penstock")
            assert queue.queue_ids(query, session=session) == expected

"""Queue queries: counts, order, pages from both ends, search, filters, rows, detail, polling."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, update

from editor.core.models import Comment, CommentStatus
from editor.core.moderation import queue
from editor.core.moderation.queue import QueueQuery, QueueTab
from editor.core.store import Store
from tests.core.moderation.conftest import BASE_TIME

STATUSES = list(CommentStatus)


@pytest.fixture
def filled(store: Store, articles: tuple[int, int]) -> list[dict[str, object]]:
    """120 comments in every status, with ties in time, over two articles and five authors."""
    rng = random.Random(7)
    words = ["river", "barrier", "council", "budget", "storm", "école", "pumps"]
    rows = [
        {
            "article_id": articles[n % 2],
            "author_name": f"Author {n % 5}",
            "author_email": f"author{n % 5}@example.org",
            "body": " ".join(rng.choices(words, k=6)) + f" n{n}",
            "status": STATUSES[rng.randrange(4)],
            "reasons": ["first comment from this author"],
            "spam_score": rng.random(),
            # Every third pair shares a time, so order must fall back to id.
            "created_at": BASE_TIME + timedelta(minutes=rng.randrange(60), seconds=n % 2),
        }
        for n in range(120)
    ]
    with store.session_factory.begin() as session:
        ids = session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows
        ).all()
    for row, comment_id in zip(rows, ids, strict=True):
        row["id"] = comment_id
    return rows


def expected_order(rows: list[dict[str, object]], tab: QueueTab) -> list[int]:
    chosen = [r for r in rows if tab is QueueTab.ALL or r["status"] is tab.status]
    chosen.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)  # type: ignore[arg-type,return-value]
    return [int(r["id"]) for r in chosen]  # type: ignore[call-overload]


def test_counts_per_tab(store: Store, filled: list[dict[str, object]]) -> None:
    with store.session_factory() as session:
        counts = queue.status_counts(session=session)
    for tab in QueueTab:
        assert counts[tab] == len(expected_order(filled, tab))


def test_pages_windows_and_id_lists_agree_on_newest_first_order(
    store: Store, filled: list[dict[str, object]]
) -> None:
    for tab in QueueTab:
        check_order(store, filled, tab)


def check_order(store: Store, filled: list[dict[str, object]], tab: QueueTab) -> None:
    expected = expected_order(filled, tab)
    query = QueueQuery(tab=tab)
    with store.session_factory() as session:
        assert queue.queue_ids(query, session=session) == expected
        paged: list[int] = []
        after = None
        while True:
            keys = queue.page(query, session=session, after=after, limit=7)
            if not keys:
                break
            paged.extend(key.id for key in keys)
            after = keys[-1]
        assert paged == expected
        from_end = queue.page(query, session=session, limit=5, oldest_first=True)
        assert [key.id for key in reversed(from_end)] == expected[-5:]
        total = queue.count(query, session=session)
        for offset in (0, 3, total // 2, total - 10, total - 4):
            assert (
                queue.window(query, session=session, offset=offset, limit=10, total=total)
                == expected[offset : offset + 10]
            )
            assert (
                queue.window(query, session=session, offset=offset, limit=10)
                == expected[offset : offset + 10]
            )


def test_filters_by_article_author_and_dates(
    store: Store, filled: list[dict[str, object]], articles: tuple[int, int]
) -> None:
    since, until = BASE_TIME + timedelta(minutes=10), BASE_TIME + timedelta(minutes=30)
    query = QueueQuery(
        tab=QueueTab.ALL,
        article_id=articles[1],
        author="author3@example.org",
        since=since,
        until=until,
    )
    expected = [
        i
        for i in expected_order(filled, QueueTab.ALL)
        if (row := next(r for r in filled if r["id"] == i))["article_id"] == articles[1]
        and row["author_email"] == "author3@example.org"
        and since <= row["created_at"] < until  # type: ignore[operator]
    ]
    with store.session_factory() as session:
        assert queue.queue_ids(query, session=session) == expected
        assert queue.count(query, session=session) == len(expected)
        by_name = queue.queue_ids(QueueQuery(tab=QueueTab.ALL, author="Author 3"), session=session)
    assert len(by_name) == sum(1 for r in filled if r["author_name"] == "Author 3")


def test_search_finds_words_and_prefixes_in_body_and_name_and_follows_edits(
    store: Store, filled: list[dict[str, object]]
) -> None:
    storm_pending = sorted(
        (
            int(r["id"])
            for r in filled
            if "storm" in str(r["body"]).split() and r["status"] is CommentStatus.PENDING
        ),  # type: ignore[call-overload]
        reverse=True,
    )
    with store.session_factory() as session:
        found = queue.queue_ids(QueueQuery(tab=QueueTab.PENDING, search="storm"), session=session)
        assert found == storm_pending
        assert [
            k.id
            for k in queue.page(
                QueueQuery(tab=QueueTab.PENDING, search="stor"), session=session, limit=500
            )
        ] == storm_pending
        assert queue.count(
            QueueQuery(tab=QueueTab.PENDING, search="storm"), session=session
        ) == len(storm_pending)
        assert (
            len(queue.queue_ids(QueueQuery(tab=QueueTab.ALL, search="author 4"), session=session))
            == 24
        )
        # Quotes, operators and brackets are words, not syntax.
        assert (
            queue.queue_ids(
                QueueQuery(tab=QueueTab.ALL, search='"storm" OR (NEAR*'), session=session
            )
            is not None
        )
    target = int(filled[0]["id"])  # type: ignore[call-overload]
    with store.session_factory.begin() as session:
        session.execute(
            update(Comment).where(Comment.id == target).values(body="a unique zeppelin")
        )
        session.execute(delete(Comment).where(Comment.id == int(filled[1]["id"])))  # type: ignore[call-overload]
    with store.session_factory() as session:
        assert queue.queue_ids(
            QueueQuery(tab=QueueTab.ALL, search="zeppelin"), session=session
        ) == [target]
        assert int(filled[1]["id"]) not in queue.queue_ids(  # type: ignore[call-overload]
            QueueQuery(tab=QueueTab.ALL, search=f"n{1}"), session=session
        )


def test_rows_come_back_in_the_order_asked_with_article_titles_and_short_excerpts(
    store: Store, filled: list[dict[str, object]], articles: tuple[int, int]
) -> None:
    ids = [int(filled[5]["id"]), int(filled[2]["id"]), 999_999]  # type: ignore[call-overload]
    with store.session_factory.begin() as session:
        session.execute(update(Comment).where(Comment.id == ids[0]).values(body="word\n" * 5000))
    with store.session_factory() as session:
        found = queue.rows(ids, session=session)
    assert [row.id for row in found] == ids[:2]
    assert found[0].excerpt.startswith("word word") and len(found[0].excerpt) <= queue.EXCERPT_CHARS
    assert found[1].article_title in ("Flood barrier holds", "Budget vote")
    assert found[1].reasons == ("first comment from this author",)


def test_detail_shows_thread_article_links_and_author_history(
    store: Store, articles: tuple[int, int]
) -> None:
    def add(
        session, body, minutes, parent=None, status=CommentStatus.APPROVED, email="a@example.org"
    ):  # type: ignore[no-untyped-def]
        comment = Comment(
            article_id=articles[0],
            body=body,
            parent_id=parent,
            status=status,
            author_name="Ann",
            author_email=email,
            created_at=BASE_TIME + timedelta(minutes=minutes),
        )
        session.add(comment)
        session.flush()
        return comment.id

    with store.session_factory.begin() as session:
        add(session, "old spam", 0, status=CommentStatus.SPAM)
        add(session, "old trash", 1, status=CommentStatus.TRASH)
        root = add(session, "root", 2, email="other@example.org")
        first = add(session, "reply one", 3, root)
        second = add(
            session, "reply two http://x.example and www.y.example", 4, root, CommentStatus.PENDING
        )
        deeper = add(session, "deeper", 5, first, email="z@example.org")
    with store.session_factory() as session:
        shown = queue.detail(second, session=session)
        assert queue.detail(12345, session=session) is None
    assert shown is not None
    assert shown.article_title == "Flood barrier holds"
    assert shown.links == ("http://x.example", "www.y.example")
    assert shown.author_history == {
        CommentStatus.PENDING: 0,
        CommentStatus.APPROVED: 1,
        CommentStatus.SPAM: 1,
        CommentStatus.TRASH: 1,
    }
    assert [(entry.id, entry.depth) for entry in shown.thread] == [
        (root, 0),
        (first, 1),
        (deeper, 2),
        (second, 1),
    ]


def test_polling_returns_comments_received_after_a_watermark(
    store: Store, filled: list[dict[str, object]], articles: tuple[int, int]
) -> None:
    with store.session_factory() as session:
        mark = queue.latest_comment_id(session=session)
        assert queue.comments_since(mark, session=session) == []
    with store.session_factory.begin() as session:
        session.add(Comment(article_id=articles[0], body="new", created_at=BASE_TIME))
    with store.session_factory() as session:
        new = queue.comments_since(mark, session=session)
        assert len(new) == 1 and new[0] > mark
        assert session.scalar(select(Comment.body).where(Comment.id == new[0])) == "new"


def test_counts_follow_moderation_undo_intake_and_deletion(
    store: Store, filled: list[dict[str, object]], articles: tuple[int, int]
) -> None:
    from sqlalchemy import func

    from editor.core.moderation.intake import receive_comments
    from editor.core.moderation.service import ModerationAction, moderate, undo
    from tests.core.moderation.conftest import incoming

    def truth() -> dict[QueueTab, int]:
        with store.session_factory() as session:
            found = dict(
                session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all()
            )
        counts = {QueueTab(status.value): int(found.get(status, 0)) for status in CommentStatus}
        return counts | {QueueTab.ALL: sum(counts.values())}

    def shown() -> dict[QueueTab, int]:
        with store.session_factory() as session:
            return queue.status_counts(session=session)

    ids = [int(row["id"]) for row in filled[:40]]  # type: ignore[call-overload]
    with store.session_factory.begin() as session:
        batch = moderate(
            ids, ModerationAction.TRASH, session=session, actor="Sam", spam_filter=None
        ).batch
    assert shown() == truth()
    with store.session_factory.begin() as session:
        undo(batch or "", session=session, actor="Sam", spam_filter=None)
        receive_comments(
            [incoming(articles[0], f"new {n}", minutes=n) for n in range(3)],
            session=session,
            spam_filter=None,
        )
    assert shown() == truth()
    with store.session_factory.begin() as session:
        session.execute(delete(Comment).where(Comment.id.in_(ids[:10])))
    assert shown() == truth()
    session = store.session_factory()
    with session.begin():
        moderate(ids[10:], ModerationAction.SPAM, session=session, actor="Sam", spam_filter=None)
        session.rollback()
    assert shown() == truth()


def test_any_typed_search_is_safe_and_its_windows_match_its_id_list(
    store: Store, filled: list[dict[str, object]]
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        st.text(max_size=30)
        | st.sampled_from(['"', "'", "*", "NEAR(", "a:b", "-x", "\\", "OR AND NOT"])
    )
    def search_never_fails(text: str) -> None:
        query = QueueQuery(tab=QueueTab.ALL, search=text.replace("\x00", ""))
        with store.session_factory() as session:
            queue.page(query, session=session, limit=5)
            queue.count(query, session=session, cap=50)

    search_never_fails()
    query = QueueQuery(tab=QueueTab.ALL, search="river")
    with store.session_factory() as session:
        every = queue.queue_ids(query, session=session)
        total = queue.count(query, session=session)
        assert total == len(every) > 10
        for offset in (0, 2, total - 5):
            assert (
                queue.window(query, session=session, offset=offset, limit=4, total=total)
                == every[offset : offset + 4]
            )


@pytest.mark.parametrize("span", [1, 7, 10_000])
def test_search_pages_walk_every_match_in_order_whichever_end_they_start_from(
    store: Store, filled: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch, span: int
) -> None:
    # PostgreSQL walks the nearest ids in order and collects older matches from the index;
    # a tiny span makes every page cross from one way to the other.
    monkeypatch.setattr(queue, "RECENT_SEARCH_ROWS", span)
    for tab in (QueueTab.ALL, QueueTab.PENDING, QueueTab.SPAM):
        for words in ("storm", "river budg", "école", "nowhere"):
            terms = words.split()
            truth = sorted(
                (
                    int(row["id"])  # type: ignore[call-overload]
                    for row in filled
                    if (tab is QueueTab.ALL or row["status"] is tab.status)
                    and all(
                        any(
                            token.startswith(term) if term == terms[-1] else token == term
                            for token in str(row["body"]).split()
                        )
                        for term in terms
                    )
                ),
                reverse=True,
            )
            query = QueueQuery(tab=tab, search=words)
            with store.session_factory() as session:
                for oldest_first, expected in ((False, truth), (True, truth[::-1])):
                    walked: list[int] = []
                    after = None
                    while True:
                        keys = queue.page(
                            query, session=session, after=after, limit=7, oldest_first=oldest_first
                        )
                        walked.extend(int(key.id) for key in keys)
                        if len(keys) < 7:
                            break
                        after = keys[-1]
                    assert walked == expected, (tab, words, oldest_first)
                total = queue.count(query, session=session)
                assert total == len(truth)
                if total > 6:
                    for offset in (0, 3, total // 2, total - 4):
                        assert (
                            queue.window(
                                query, session=session, offset=offset, limit=4, total=total
                            )
                            == truth[offset : offset + 4]
                        )

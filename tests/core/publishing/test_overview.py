"""The publication overview: each article's state at each target, read from the publish log
in a fixed handful of queries, with "changed since" decided by the publish checksum."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, select, update

from editor.core.articles.service import archive, create_draft, load_draft, save_draft
from editor.core.images import ImageCache
from editor.core.models import Article, ArticleStatus, Comment, CommentStatus
from editor.core.publishing import (
    publish_article,
    schedule_publication,
    target_from_name,
    unpublish_article,
)
from editor.core.publishing.content import load_content
from editor.core.publishing.overview import (
    ArticlePublication,
    TargetState,
    publication_overview,
    record_target_name,
)
from editor.core.publishing.records import add_publish_record
from editor.core.store import Store
from tests.core.publishing.conftest import make_article

FIRST = datetime(2026, 11, 25, 14, 2, tzinfo=UTC)
LATER = FIRST + timedelta(hours=3)


def _overview(store: Store, targets: list[str]) -> dict[int, ArticlePublication]:
    with store.session_factory() as session:
        return {row.article_id: row for row in publication_overview(session, targets=targets)}


def _edit(store: Store, article_id: int, **changes: object) -> None:
    with store.session_factory.begin() as session:
        draft = load_draft(session, article_id=article_id)
        save_draft(session, draft=replace(draft, **changes), expected_version=draft.version)


@contextmanager
def _counted_statements(store: Store) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_each_state_at_this_store(store: Store, image_cache: ImageCache) -> None:
    article = make_article(store, image_cache)
    never = _overview(store, ["this-store"])[article.id].at("this-store")
    assert never.state is TargetState.NEVER_PUBLISHED and never.at is None

    outcome = publish_article(
        store,
        article_id=article.id,
        target="this-store",
        author="Sam",
        cache=image_cache,
        now=FIRST,
    )
    row = _overview(store, ["this-store"])[article.id]
    live = row.at("this-store")
    # Figures, tags and comments included: the overview's checksum is the publish's.
    assert live.state is TargetState.LIVE
    assert live.at == FIRST and live.location == outcome.url and live.by == "Sam"
    assert row.first_published_at == FIRST and row.status is ArticleStatus.PUBLISHED

    # New comments and views change the page, not what the writer wrote.
    with store.session_factory.begin() as session:
        session.add(
            Comment(
                article_id=article.id,
                author_name="Late reader",
                body="Thanks.",
                status=CommentStatus.APPROVED,
            )
        )
        session.execute(update(Article).where(Article.id == article.id).values(view_count=99))
    assert _overview(store, ["this-store"])[article.id].at("this-store").state is TargetState.LIVE

    with store.session_factory() as session:
        original_body = load_draft(session, article_id=article.id).body
    _edit(store, article.id, body=original_body + "\nA late paragraph.\n")
    changed = _overview(store, ["this-store"])[article.id].at("this-store")
    assert changed.state is TargetState.CHANGED_SINCE
    assert changed.at == FIRST and changed.location == outcome.url and changed.note

    # Undoing the edit: the article is again what went out.
    _edit(store, article.id, body=original_body)
    assert _overview(store, ["this-store"])[article.id].at("this-store").state is TargetState.LIVE

    _edit(store, article.id, tags=["Flooding"])
    assert (
        _overview(store, ["this-store"])[article.id].at("this-store").state
        is TargetState.CHANGED_SINCE
    )

    unpublish_article(store, article_id=article.id, target="this-store", author="Sam", now=LATER)
    gone = _overview(store, ["this-store"])[article.id].at("this-store")
    assert gone.state is TargetState.UNPUBLISHED
    assert gone.at == LATER and gone.location == ""


def test_site_folder_and_scheduled_states(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    published = make_article(store, image_cache, title="Weir opens", seed=1)
    scheduled = make_article(store, image_cache, title="Night trial", seed=2, with_comments=False)
    site = tmp_path / "site"
    # Settings may spell the folder differently from the records (a trailing slash).
    folder = f"folder:{site}/"
    targets = ["this-store", folder]
    outcome = publish_article(
        store, article_id=published.id, target=folder, author="Ed", cache=image_cache, now=FIRST
    )
    assert outcome.url.startswith("file://")
    at = FIRST + timedelta(days=1)
    with store.session_factory.begin() as session:
        schedule_publication(session, article_id=scheduled.id, at=at, target=folder)

    rows = _overview(store, targets)
    on_site = rows[published.id].at(folder)
    assert on_site.state is TargetState.LIVE and on_site.location == outcome.url
    assert on_site.at == FIRST
    # The site mirrors the store: publishing to it makes the article live here too.
    assert rows[published.id].at("this-store").state is TargetState.LIVE
    waiting = rows[scheduled.id]
    assert waiting.at(folder).state is TargetState.SCHEDULED and waiting.at(folder).at == at
    assert waiting.scheduled_at == at and waiting.scheduled_target == folder
    assert waiting.at("this-store").state is TargetState.NEVER_PUBLISHED

    _edit(store, published.id, title="Weir opens at last")
    rows = _overview(store, targets)
    assert rows[published.id].at(folder).state is TargetState.CHANGED_SINCE
    assert rows[published.id].at("this-store").state is TargetState.CHANGED_SINCE

    # Archived in this store: gone from it and from its site (the log still says live).
    with store.session_factory.begin() as session:
        archive(session, article_id=published.id)
    rows = _overview(store, targets)
    for target in targets:
        assert rows[published.id].at(target).state is TargetState.UNPUBLISHED
        assert rows[published.id].at(target).note


def test_an_article_that_arrived_published_is_told_apart_from_a_draft(store: Store) -> None:
    with store.session_factory.begin() as session:
        imported = create_draft(session, title="Imported story", body="Text.")
        draft = create_draft(session, title="Draft story", body="Text.")
        session.execute(
            update(Article)
            .where(Article.id == imported.id)
            .values(status=ArticleStatus.PUBLISHED, published_at=FIRST)
        )
    rows = _overview(store, ["this-store", "store:postgresql+psycopg://u@elsewhere/news"])
    marked = rows[imported.id].at("this-store")
    assert marked.state is TargetState.MARKED_PUBLISHED and marked.at == FIRST
    assert (
        rows[imported.id].at("store:postgresql+psycopg://u@elsewhere/news").state
        is TargetState.NEVER_PUBLISHED
    )
    assert rows[draft.id].at("this-store").state is TargetState.NEVER_PUBLISHED


def test_another_store_is_found_under_the_name_its_records_use(
    store: Store, tmp_path: Path
) -> None:
    # Written in settings as a path; the target records it as an SQLite URL.
    spelled = f"store:{tmp_path / 'newsroom.sqlite3'}"
    recorded = target_from_name(spelled).name
    assert recorded != spelled and record_target_name(spelled) == recorded
    with store.session_factory.begin() as session:
        article = create_draft(session, title="Copied story", body="Text.")
        checksum = load_content(session, article_id=article.id).checksum
        add_publish_record(
            session,
            article_id=article.id,
            target=recorded,
            checksum=checksum,
            url="https://news.example.org/2026/11/copied-story/",
            revision_id=None,
            at=FIRST,
        )
    there = _overview(store, [spelled])[article.id].at(spelled)
    assert there.state is TargetState.LIVE
    assert there.location == "https://news.example.org/2026/11/copied-story/"


def _many_live_articles(store: Store, count: int, *, start: int) -> None:
    """``count`` articles, each with tags and a live record holding its real checksum."""
    with store.session_factory.begin() as session:
        for number in range(start, start + count):
            draft = create_draft(
                session,
                title=f"Story {number}",
                body=f"Paragraph {number}.",
                tags=["Council", f"Ward {number % 7}"],
            )
            if number % 3:
                checksum = load_content(session, article_id=draft.id).checksum
                if number % 5 == 0:
                    checksum = "0" * 64  # an article edited since
                add_publish_record(
                    session,
                    article_id=draft.id,
                    target="this-store",
                    checksum=checksum,
                    url=f"/2026/11/story-{number}/",
                    revision_id=None,
                    at=FIRST,
                )
                session.execute(
                    update(Article)
                    .where(Article.id == draft.id)
                    .values(status=ArticleStatus.PUBLISHED, published_at=FIRST)
                )


def test_the_number_of_queries_does_not_grow_with_the_articles(store: Store) -> None:
    targets = ["this-store", "folder:/srv/site"]
    _many_live_articles(store, 6, start=0)
    with store.session_factory() as session, _counted_statements(store) as few:
        assert len(publication_overview(session, targets=targets)) == 6
    _many_live_articles(store, 400, start=6)
    with store.session_factory() as session, _counted_statements(store) as many:
        rows = publication_overview(session, targets=targets)
    assert len(rows) == 406
    assert len(many) == len(few) <= 5
    states = {row.title: row.at("this-store").state for row in rows}
    assert states["Story 1"] is TargetState.LIVE
    assert states["Story 3"] is TargetState.NEVER_PUBLISHED
    assert states["Story 10"] is TargetState.CHANGED_SINCE
    assert sum(state is TargetState.LIVE for state in states.values()) == len(
        [n for n in range(406) if n % 3 and n % 5]
    )


def test_no_store_articles_no_rows(store: Store) -> None:
    with store.session_factory() as session:
        assert publication_overview(session, targets=["this-store"]) == []
        assert session.scalar(select(Article.id)) is None

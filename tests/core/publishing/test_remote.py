"""Publishing to another store (local SQLite → a real PostgreSQL): idempotent by uuid, images by
sha256, one remote transaction; refusals; the server killed mid-publish; wrong credentials;
two publishers at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from editor.core.articles.service import create_draft, load_draft, save_draft
from editor.core.images import ImageCache
from editor.core.models import (
    Article,
    ArticleStatus,
    ArticleTag,
    Asset,
    PublishRecord,
    Revision,
    RevisionReason,
)
from editor.core.publishing import (
    PublicationState,
    PublishConflict,
    PublishFailed,
    SlugTaken,
    publication_status,
    publish_article,
    unpublish_article,
)
from editor.core.publishing.records import stored_page
from editor.core.store import Store, open_store, sqlite_url
from editor.testing.postgres_cluster import PostgresCluster
from tests.core.publishing.conftest import make_article


@pytest.fixture
def local_store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(sqlite_url(tmp_path / "drafts.sqlite3"))
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def remote_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "newsroom.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


def _target(url: str) -> str:
    return f"store:{url}"


def _publish(local: Store, article_id: int, url: str, cache: ImageCache, **options: object):  # type: ignore[no-untyped-def]
    return publish_article(
        local, article_id=article_id, target=_target(url), author="Ed", cache=cache, **options
    )


def _remote_counts(url: str, uuid: str) -> dict[str, int]:
    remote = open_store(url)
    try:
        with remote.session_factory() as session:
            article_id = session.scalar(select(Article.id).where(Article.uuid == uuid))
            return {
                "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
                "assets": session.scalar(select(func.count()).select_from(Asset)) or 0,
                "tags": session.scalar(
                    select(func.count()).where(ArticleTag.article_id == article_id)
                )
                or 0,
                "records": session.scalar(
                    select(func.count()).where(PublishRecord.article_id == article_id)
                )
                or 0,
                "publish_revisions": session.scalar(
                    select(func.count()).where(
                        Revision.article_id == article_id,
                        Revision.reason == RevisionReason.PUBLISH,
                    )
                )
                or 0,
            }
    finally:
        remote.close()


def _local_state(local: Store, article_id: int) -> tuple[int, ArticleStatus, int]:
    with local.session_factory() as session:
        article = session.get(Article, article_id)
        assert article is not None
        records = session.scalar(select(func.count()).where(PublishRecord.article_id == article_id))
        return article.version, article.status, int(records or 0)


def _edit_body(store: Store, article_id: int, extra: str) -> None:
    with store.session_factory.begin() as session:
        draft = load_draft(session, article_id=article_id)
        save_draft(
            session, draft=replace(draft, body=draft.body + extra), expected_version=draft.version
        )


def test_publishing_copies_the_article_and_twice_never_duplicates(
    local_store: Store, image_cache: ImageCache, remote_url: str
) -> None:
    article = make_article(local_store, image_cache)
    outcome = _publish(local_store, article.id, remote_url, image_cache)
    named = _target(make_url(remote_url)._replace(password=None).render_as_string(False))
    assert outcome.changed and outcome.target == named
    counts = _remote_counts(remote_url, article.uuid)
    assert counts == {"articles": 1, "assets": 2, "tags": 2, "records": 1, "publish_revisions": 1}
    remote = open_store(remote_url)
    try:
        with remote.session_factory() as session:
            copy = session.scalars(select(Article).where(Article.uuid == article.uuid)).one()
            assert copy.status is ArticleStatus.PUBLISHED and copy.published_at is not None
            assert copy.slug == article.slug and copy.title == "Flood barrier trial begins"
            page = stored_page(session, uuid=article.uuid)
            assert page is not None and b"Flood barrier trial begins" in page
    finally:
        remote.close()
    with local_store.session_factory() as session:
        record = session.scalars(select(PublishRecord)).one()
        assert record.target == named and record.checksum == outcome.checksum
        password = make_url(remote_url).password
        assert not password or password not in record.target  # never kept in the store
        # Live elsewhere; in the drafts store it stays a draft.
        assert session.get(Article, article.id).status is ArticleStatus.DRAFT  # type: ignore[union-attr]

    again = _publish(local_store, article.id, remote_url, image_cache)
    assert not again.changed
    assert _remote_counts(remote_url, article.uuid) == counts
    assert _local_state(local_store, article.id)[2] == 1

    _edit_body(local_store, article.id, "\nA correction.\n")
    assert (
        publication_status(local_store, article_id=article.id, target=_target(remote_url)).state
        is PublicationState.OUTDATED
    )
    update_outcome = _publish(local_store, article.id, remote_url, image_cache)
    assert update_outcome.changed
    after = _remote_counts(remote_url, article.uuid)
    assert after == {**counts, "records": 2, "publish_revisions": 2}
    assert (
        publication_status(local_store, article_id=article.id, target=_target(remote_url)).state
        is PublicationState.LIVE
    )


def test_a_copy_edited_at_the_target_is_not_overwritten(
    local_store: Store, image_cache: ImageCache, postgres_url: str
) -> None:
    article = make_article(local_store, image_cache)
    _publish(local_store, article.id, postgres_url, image_cache)
    remote = open_store(postgres_url)
    try:
        with remote.session_factory.begin() as session:
            session.execute(
                update(Article)
                .where(Article.uuid == article.uuid)
                .values(body=Article.body + "\nFixed by the night editor.\n")
            )
    finally:
        remote.close()
    assert (
        publication_status(local_store, article_id=article.id, target=_target(postgres_url)).state
        is PublicationState.CHANGED_AT_TARGET
    )
    _edit_body(local_store, article.id, "\nMy own change.\n")
    before = _local_state(local_store, article.id)
    with pytest.raises(PublishConflict, match="changed there since you last published it"):
        _publish(local_store, article.id, postgres_url, image_cache)
    assert _local_state(local_store, article.id) == before
    remote = open_store(postgres_url)
    try:
        with remote.session_factory() as session:
            body = session.scalar(select(Article.body).where(Article.uuid == article.uuid))
    finally:
        remote.close()
    assert body is not None and "night editor" in body and "My own change" not in body


def test_a_slug_used_there_by_another_article_is_refused(
    local_store: Store, image_cache: ImageCache, postgres_url: str
) -> None:
    article = make_article(local_store, image_cache)
    remote = open_store(postgres_url)
    try:
        with remote.session_factory.begin() as session:
            create_draft(session, title="Someone else's story", slug=article.slug)
    finally:
        remote.close()
    issues = publish_preflight = None
    from editor.core.publishing import preflight

    publish_preflight = preflight(
        local_store, article_id=article.id, target=_target(postgres_url), cache=image_cache
    )
    issues = [issue.message for issue in publish_preflight if issue.blocks_publishing]
    assert any("slug taken at the target" in message for message in issues)
    with pytest.raises(SlugTaken, match="Slug taken at the target"):
        _publish(local_store, article.id, postgres_url, image_cache)
    assert _remote_counts(postgres_url, article.uuid)["articles"] == 1
    assert _local_state(local_store, article.id)[2] == 0


def test_the_server_killed_mid_publish_leaves_nothing_half_published_and_retry_works(
    local_store: Store,
    image_cache: ImageCache,
    postgres_url: str,
    postgres_cluster: PostgresCluster,
) -> None:
    article = make_article(local_store, image_cache)
    before = _local_state(local_store, article.id)

    def kill_after_the_first_image(step: str, done: int, total: int) -> None:
        if step == "copying images" and done == 1:
            postgres_cluster.stop_server()

    try:
        with pytest.raises(PublishFailed) as raised:
            _publish(
                local_store,
                article.id,
                postgres_url,
                image_cache,
                progress=kill_after_the_first_image,
            )
    finally:
        postgres_cluster.start_server()
    message = str(raised.value)
    assert "Lost the store" in message and "Nothing was published there" in message
    assert "newsdesk-test-password" not in message
    assert _local_state(local_store, article.id) == before
    assert _remote_counts(postgres_url, article.uuid) == {
        "articles": 0,
        "assets": 0,
        "tags": 0,
        "records": 0,
        "publish_revisions": 0,
    }
    assert _publish(local_store, article.id, postgres_url, image_cache).changed
    assert _remote_counts(postgres_url, article.uuid)["assets"] == 2


def test_wrong_credentials_are_named_and_nothing_is_written(
    local_store: Store, image_cache: ImageCache, postgres_url: str
) -> None:
    article = make_article(local_store, image_cache)
    wrong = make_url(postgres_url).set(password="not-the-password")
    wrong_url = wrong.render_as_string(hide_password=False)
    with pytest.raises(PublishFailed, match="refused the credentials") as raised:
        _publish(local_store, article.id, wrong_url, image_cache)
    assert "not-the-password" not in str(raised.value)
    assert _local_state(local_store, article.id)[2] == 0
    assert _publish(local_store, article.id, postgres_url, image_cache).changed


def test_two_publishers_of_one_article_at_once_one_wins_the_other_is_told(
    tmp_path: Path, image_cache: ImageCache, postgres_url: str
) -> None:
    open_store(postgres_url).close()  # the newsroom's store exists (and is migrated) already
    first = open_store(sqlite_url(tmp_path / "ann.sqlite3"))
    second = open_store(sqlite_url(tmp_path / "bob.sqlite3"))
    try:
        article = make_article(first, image_cache, seed=1)
        twin = make_article(second, image_cache, seed=2, title="Flood barrier trial begins")
        with second.session_factory.begin() as session:
            session.execute(update(Article).where(Article.id == twin.id).values(uuid=article.uuid))
        both_ready = threading.Barrier(2, timeout=30)
        results: dict[str, object] = {}

        def publish(name: str, local: Store, article_id: int) -> None:
            def progress(step: str, done: int, total: int) -> None:
                if step == "connecting":
                    both_ready.wait()

            try:
                results[name] = _publish(
                    local, article_id, postgres_url, image_cache, progress=progress
                )
            except Exception as error:
                results[name] = error

        threads = [
            threading.Thread(target=publish, args=("ann", first, article.id)),
            threading.Thread(target=publish, args=("bob", second, twin.id)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        first.close()
        second.close()
    errors = [value for value in results.values() if isinstance(value, Exception)]
    assert len(results) == 2 and len(errors) == 1, results
    assert isinstance(errors[0], PublishConflict)
    counts = _remote_counts(postgres_url, article.uuid)
    assert counts["articles"] == 1 and counts["records"] == 1


def test_unpublish_there_and_an_unreachable_store(
    local_store: Store, image_cache: ImageCache, postgres_url: str
) -> None:
    article = make_article(local_store, image_cache)
    _publish(local_store, article.id, postgres_url, image_cache)
    target = _target(postgres_url)
    assert unpublish_article(local_store, article_id=article.id, target=target, author="Ed").changed
    remote = open_store(postgres_url)
    try:
        with remote.session_factory() as session:
            copy = session.scalars(select(Article).where(Article.uuid == article.uuid)).one()
            assert copy.status is ArticleStatus.DRAFT
            assert stored_page(session, uuid=article.uuid) is None
    finally:
        remote.close()
    assert publication_status(local_store, article_id=article.id, target=target).state is (
        PublicationState.NOT_PUBLISHED
    )
    port = make_url(postgres_url).port
    nowhere = postgres_url.replace(f":{port}/", ":1/")
    status = publication_status(local_store, article_id=article.id, target=_target(nowhere))
    assert status.state is PublicationState.UNREACHABLE and "Could not open" in status.message
    assert _publish(local_store, article.id, postgres_url, image_cache).changed

"""An incremental site build (files reused from the previous generation by key, by bytes, by
name) always equals a fresh build of the same store: hypothesis drives random edits,
publishes, unpublishes, comments and tag changes."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.articles.service import load_draft, save_draft
from editor.core.images import ImageCache
from editor.core.models import Comment, CommentStatus, StoreSetting
from editor.core.publishing import export_site, publish_article, unpublish_article
from editor.core.store import open_store, sqlite_url
from tests.core.publishing.conftest import make_article

ARTICLES = 3
operations = st.lists(
    st.tuples(
        st.sampled_from(["edit", "publish", "unpublish", "comment", "retag"]),
        st.integers(min_value=0, max_value=ARTICLES - 1),
    ),
    min_size=1,
    max_size=5,
)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_an_incremental_build_equals_a_fresh_one(steps: list[tuple[str, int]]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-incremental-"))
    store = open_store(sqlite_url(scratch / "store.sqlite3"))
    try:
        cache = ImageCache(scratch / "cache")
        with store.session_factory.begin() as session:
            # Absolute links, so sites in two folders have the same bytes.
            session.add(StoreSetting(key="Site/base_url", value="https://news.example.org/"))
        ids = [
            make_article(store, cache, title=f"Story {n}", seed=n + 1, with_comments=n == 0).id
            for n in range(ARTICLES)
        ]
        for article_id in ids[:2]:
            publish_article(
                store, article_id=article_id, target="this-store", author="Ed", cache=cache
            )
        site = scratch / "site"
        export_site(store, folder=site, cache=cache)
        counter = itertools.count()
        for operation, index in steps:
            _apply(store, cache, operation, ids[index], next(counter))
            export_site(store, folder=site, cache=cache)
            fresh = scratch / f"fresh-{next(counter)}"
            export_site(store, folder=fresh, cache=cache)
            assert _files(site) == _files(fresh), (operation, index)
            fresh.unlink()  # the site folder is a link to its current build
            shutil.rmtree(scratch / f"{fresh.name}.builds")
    finally:
        store.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _apply(store, cache: ImageCache, operation: str, article_id: int, n: int) -> None:  # type: ignore[no-untyped-def]
    if operation == "publish":
        publish_article(store, article_id=article_id, target="this-store", author="Ed", cache=cache)
    elif operation == "unpublish":
        unpublish_article(store, article_id=article_id, target="this-store", author="Ed")
    elif operation in ("edit", "retag"):
        with store.session_factory.begin() as session:
            draft = load_draft(session, article_id=article_id)
            changed = (
                replace(draft, body=draft.body + f"\nEdit {n}.\n")
                if operation == "edit"
                else replace(draft, tags=[f"Tag {n}"])
            )
            save_draft(session, draft=changed, expected_version=draft.version)
        # An edit shows on the site once published.
        publish_article(store, article_id=article_id, target="this-store", author="Ed", cache=cache)
    else:
        with store.session_factory.begin() as session:
            session.add(
                Comment(
                    article_id=article_id,
                    author_name=f"Reader {n}",
                    body=f"Comment {n} <b>bold</b>",
                    status=CommentStatus.APPROVED,
                    created_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=n),
                )
            )

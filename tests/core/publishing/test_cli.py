"""``newsdesk publish / unpublish / export-site / publish-due``: a line per step on stderr, the
outcome on stdout, exit 0 done, 1 failed, 2 refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from editor.cli import main
from editor.core.articles.service import create_draft
from editor.core.images import ImageCache
from editor.core.models import Article, ArticleStatus
from editor.core.publishing import schedule_publication
from editor.core.store import open_store
from tests.core.publishing.conftest import make_article


@pytest.fixture
def sample(sqlite_url: str, tmp_path: Path) -> tuple[str, str]:
    """A store holding one publishable article; (store URL, slug)."""
    store = open_store(sqlite_url)
    try:
        article = make_article(store, ImageCache(tmp_path / "cache"))
    finally:
        store.close()
    return sqlite_url, article.slug


def _status(url: str, slug: str) -> ArticleStatus:
    store = open_store(url)
    try:
        with store.session_factory() as session:
            return session.scalars(select(Article.status).where(Article.slug == slug)).one()
    finally:
        store.close()


def test_publish_to_this_store_prints_each_step(
    sample: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, slug = sample
    assert main(["publish", slug, "--to", "this-store", "--store", url, "--author", "Ed"]) == 0
    captured = capsys.readouterr()
    steps = [line for line in captured.err.splitlines() if not line.startswith("  ")]
    assert steps == ["checking…", "images… (0/2)", "writing…", "committing…"]
    assert "  images: 2/2" in captured.err
    assert captured.out.startswith("Published /") and slug in captured.out
    assert _status(url, slug) is ArticleStatus.PUBLISHED

    assert main(["publish", slug, "--to", "this-store", "--store", url]) == 0
    assert capsys.readouterr().out.startswith("Already up to date:")
    assert main(["unpublish", slug, "--from", "this-store", "--store", url]) == 0
    assert capsys.readouterr().out.startswith("Unpublished from this-store")
    assert _status(url, slug) is ArticleStatus.DRAFT


def test_refusals_exit_2_and_failed_checks_exit_1(
    sample: tuple[str, str], sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, slug = sample
    assert main(["publish", "no-such-article", "--to", "this-store", "--store", url]) == 2
    assert "no article with the slug 'no-such-article'" in capsys.readouterr().err
    assert main(["publish", slug, "--to", "ftp://example.org", "--store", url]) == 2
    assert "No publishing target" in capsys.readouterr().err
    not_a_store = tmp_path / "junk.sqlite3"
    not_a_store.write_bytes(b"not a database at all")
    assert main(["publish", slug, "--to", "this-store", "--store", str(not_a_store)]) == 2

    store = open_store(url)
    try:
        with store.session_factory.begin() as session:
            broken = create_draft(session, title="Broken", body="![](asset:0123456789ab)\nx\n")
    finally:
        store.close()
    assert main(["publish", broken.slug, "--to", "this-store", "--store", url]) == 1
    err = capsys.readouterr().err
    assert f"{broken.slug}: body:1: error:" in err and "Not published:" in err


def test_publish_to_a_folder_and_export_the_site(
    sample: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, slug = sample
    site = tmp_path / "site"
    assert main(["publish", slug, "--to", f"folder:{site}", "--store", url]) == 0
    captured = capsys.readouterr()
    assert "building site…" in captured.err and "swapping in…" in captured.err
    assert captured.out.startswith("Published file://") and (site / "index.html").is_file()

    export = tmp_path / "export"
    assert main(["export-site", str(export), "--store", url]) == 0
    assert "1 articles" in capsys.readouterr().out
    assert (export / "feed.xml").is_file()

    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    assert main(["export-site", str(occupied), "--store", url]) == 2
    assert "not a Newsdesk site" in capsys.readouterr().err

    assert main(["unpublish", slug, "--from", f"folder:{site}", "--store", url]) == 0
    assert slug not in (site / "index.html").read_text()


def test_publish_due_publishes_what_is_due(
    sample: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, slug = sample
    assert main(["publish-due", "--store", url]) == 0
    assert capsys.readouterr().out.strip() == "Nothing is due"
    store = open_store(url)
    try:
        with store.session_factory.begin() as session:
            article_id = session.scalars(select(Article.id).where(Article.slug == slug)).one()
            schedule_publication(
                session, article_id=article_id, at=datetime.now(UTC) - timedelta(minutes=1)
            )
    finally:
        store.close()
    assert main(["publish-due", "--store", url]) == 0
    assert capsys.readouterr().out.startswith("Published /")
    assert _status(url, slug) is ArticleStatus.PUBLISHED

"""WXR 1.2 export: well-formed, what WordPress's importer reads, and a lossless round trip."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select

from editor.core.models import Article, Comment, MediaReference
from editor.core.store import Store, open_store, sqlite_url
from editor.core.wxr import export_wxr, import_wxr

WP = "{http://wordpress.org/export/1.2/}"
# Keys that name where a copy came from (ids, links), which a round trip renumbers.
_PROVENANCE = (
    "wxr_",
    "wp_post_id",
    "wp_post_parent",
    "original_link",
    "guid",
    "featured_media_external_id",
)


def fresh_store(folder: Path, name: str) -> Store:
    return open_store(sqlite_url(folder / f"{name}.sqlite3"))


def article_snapshot(store: Store) -> dict[str, Any]:
    """Every article by slug with its comments as a thread (parents by author and time)."""
    with store.session_factory() as session:
        articles = session.scalars(select(Article)).all()
        slugs = {a.id: a.slug for a in articles}
        pages_by_wp_id = {a.extra.get("wp_post_id"): a.slug for a in articles}
        result = {}
        for item in articles:
            comments = session.scalars(
                select(Comment).where(Comment.article_id == item.id).order_by(Comment.id)
            ).all()
            by_id = {c.id: c for c in comments}
            thread = sorted(
                (
                    c.author_name,
                    c.created_at.isoformat(),
                    c.status.value,
                    c.comment_type.value,
                    c.body,
                    c.author_email,
                    c.author_url,
                    c.author_ip,
                    (by_id[c.parent_id].author_name, by_id[c.parent_id].created_at.isoformat())
                    if c.parent_id
                    else None,
                )
                for c in comments
            )
            extra = {k: v for k, v in item.extra.items() if not k.startswith(_PROVENANCE)}
            extra.pop("comment_status", None)
            extra.pop("ping_status", None)
            parent = item.extra.get("wp_post_parent")
            result[item.slug] = {
                "title": item.title,
                "kind": item.kind,
                "status": item.status,
                "author": item.author,
                "category": item.category,
                "tags": [tag.name for tag in item.tags],
                "dek": item.dek,
                "published_at": item.published_at,
                "scheduled_at": item.scheduled_at,
                "comment_count": item.comment_count,
                "extra": extra,
                "parent": pages_by_wp_id.get(parent) if parent else None,
                "comments": thread,
                "article": slugs[item.id],
            }
        return result


@pytest.fixture(scope="module")
def round_trip(wxr_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("round-trip")
    first, second = fresh_store(folder, "first"), fresh_store(folder, "second")
    try:
        with first.session_factory.begin() as session:
            import_wxr(session, wxr_dir / "themeunittestdata.wordpress.xml")
        with first.session_factory() as session:
            export = export_wxr(session, folder / "export.xml", site_url="https://desk.example.org")
        with second.session_factory.begin() as session:
            reimport = import_wxr(session, folder / "export.xml")
        with first.session_factory() as session:
            first_media = sorted(session.scalars(select(MediaReference.url)))
        with second.session_factory() as session:
            second_media = sorted(session.scalars(select(MediaReference.url)))
        return {
            "path": folder / "export.xml",
            "export": export,
            "reimport": reimport,
            "before": article_snapshot(first),
            "after": article_snapshot(second),
            "media": (first_media, second_media),
        }
    finally:
        first.close()
        second.close()


def test_round_trip_preserves_every_article_comment_status_and_thread(
    round_trip: dict[str, Any],
) -> None:
    before, after = round_trip["before"], round_trip["after"]
    assert set(after) == set(before)
    for slug, original in before.items():
        copy = after[slug]
        for field in (
            "title", "kind", "status", "author", "category", "tags", "dek", "published_at",
            "scheduled_at", "comment_count", "extra", "parent", "comments",
        ):  # fmt: skip
            assert copy[field] == original[field], (slug, field)
    assert sum(len(a["comments"]) for a in after.values()) == 33
    assert round_trip["media"][0] == round_trip["media"][1]


def test_round_trip_counts(round_trip: dict[str, Any]) -> None:
    export, reimport = round_trip["export"], round_trip["reimport"]
    assert (export.posts, export.pages, export.comments, export.attachments) == (58, 21, 33, 37)
    assert (reimport.posts, reimport.pages, reimport.attachments, reimport.comments) == (
        58,
        21,
        37,
        33,
    )
    assert reimport.comments_by_status == {"approved": 30, "pending": 3}
    assert reimport.comments_by_type == {"comment": 29, "pingback": 2, "trackback": 2}
    assert reimport.threaded_comments == 10
    assert reimport.flagged == {"sticky": 1, "password-protected": 1}
    assert reimport.recovered == []


def test_export_is_a_well_formed_wxr_1_2_file(round_trip: dict[str, Any]) -> None:
    tree = etree.parse(str(round_trip["path"]), etree.XMLParser(resolve_entities=False))
    channel = tree.getroot().find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    assert channel.findtext(f"{WP}base_site_url") == "https://desk.example.org"
    assert channel.findtext(f"{WP}base_blog_url") == "https://desk.example.org"
    logins = {
        a.findtext(f"{WP}author_login"): a.findtext(f"{WP}author_display_name")
        for a in channel.iter(f"{WP}author")
    }
    assert logins == {"themedemos": "Theme Buster", "themereviewteam": "Theme Reviewer"}
    assert len(channel.findall(f"{WP}category")) > 10 and len(channel.findall(f"{WP}tag")) > 30
    items = channel.findall("item")
    statuses = Counter((i.findtext(f"{WP}post_type"), i.findtext(f"{WP}status")) for i in items)
    assert statuses == {
        ("post", "publish"): 56, ("post", "future"): 1, ("post", "draft"): 1,
        ("page", "publish"): 21, ("attachment", "inherit"): 37,
    }  # fmt: skip
    for item in items:
        for field in ("post_id", "post_date", "post_date_gmt", "post_name", "status", "post_type"):
            assert item.findtext(f"{WP}{field}"), field
    protected = next(i for i in items if i.findtext(f"{WP}post_password"))
    assert protected.findtext(f"{WP}post_password") == "enter"
    assert protected.findtext(f"{WP}status") == "publish"
    comments = list(channel.iter(f"{WP}comment"))
    assert Counter(c.findtext(f"{WP}comment_approved") for c in comments) == {"1": 30, "0": 3}
    ids = {c.findtext(f"{WP}comment_id") for c in comments}
    parents = {c.findtext(f"{WP}comment_parent") for c in comments} - {"0"}
    assert parents and parents <= ids


def test_export_of_the_demo_newsroom_imports_back(demo_store: Any, tmp_path: Path) -> None:
    from editor.core.models import CommentStatus

    with demo_store.session_factory() as session:
        report = export_wxr(session, tmp_path / "demo.xml")
        statuses = Counter(c.status for c in session.scalars(select(Comment)))
        replies = sum(1 for c in session.scalars(select(Comment)) if c.parent_id)
        articles = len(session.scalars(select(Article)).all())
    target = fresh_store(tmp_path, "target")
    try:
        with target.session_factory.begin() as session:
            imported = import_wxr(session, tmp_path / "demo.xml")
    finally:
        target.close()
    assert report.posts + report.pages == articles == imported.posts + imported.pages
    assert imported.comments_by_status == {status.value: n for status, n in statuses.items()}
    assert imported.threaded_comments == replies > 0
    assert CommentStatus.SPAM in statuses


def test_text_that_would_end_cdata_survives(opened_sqlite: Any, tmp_path: Path) -> None:
    with opened_sqlite.session_factory.begin() as session:
        session.add(
            Article(title="Brackets ]]> inside", slug="brackets", body="Code `a[b[c]]>d` ok.\x0b")
        )
    with opened_sqlite.session_factory() as session:
        export_wxr(session, tmp_path / "cdata.xml")
    target = fresh_store(tmp_path, "target")
    try:
        with target.session_factory.begin() as session:
            import_wxr(session, tmp_path / "cdata.xml")
        with target.session_factory() as session:
            copy = session.scalars(select(Article)).one()
    finally:
        target.close()
    assert copy.title == "Brackets ]]> inside"
    assert copy.body == "Code `a[b[c]]>d` ok."

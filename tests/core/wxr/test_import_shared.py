"""Acceptance: the shared WordPress exports import with every count right and every edge case handled."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from editor.core.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Comment,
    CommentStatus,
    CommentType,
    MediaReference,
)
from editor.core.store import Store, open_store, sqlite_url
from editor.core.wxr import ImportReport, import_wxr

SITE = "wxr:wpthemetestdata.wordpress.com"


@pytest.fixture(scope="module")
def theme_unit_test(
    wxr_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, ImportReport]]:
    store = open_store(sqlite_url(tmp_path_factory.mktemp("wxr") / "store.sqlite3"))
    with store.session_factory.begin() as session:
        report = import_wxr(session, wxr_dir / "themeunittestdata.wordpress.xml")
    try:
        yield store, report
    finally:
        store.close()


def article(store: Store, slug: str) -> Article:
    with store.session_factory() as session:
        return session.scalars(select(Article).where(Article.slug == slug)).one()


def comments_of(store: Store, slug: str) -> list[Comment]:
    with store.session_factory() as session:
        query = (
            select(Comment)
            .join(Article, Article.id == Comment.article_id)
            .where(Article.slug == slug)
            .order_by(Comment.id)
        )
        return list(session.scalars(query))


def test_theme_unit_test_counts(theme_unit_test: tuple[Store, ImportReport]) -> None:
    store, report = theme_unit_test
    assert (report.posts, report.pages, report.attachments, report.comments) == (58, 21, 37, 33)
    assert report.comments_by_status == {"approved": 30, "pending": 3}
    assert report.comments_by_type == {"comment": 29, "pingback": 2, "trackback": 2}
    assert report.threaded_comments == 10
    # 56 published posts, one of them password-protected (held as a draft), plus 21 pages.
    assert report.articles_by_status == {"published": 76, "draft": 2, "scheduled": 1}
    assert report.flagged == {"sticky": 1, "password-protected": 1}
    assert report.skipped_items == {"nav_menu_item": 70}
    assert report.media_to_fetch == 37
    assert (report.articles_created, report.comments_created, report.media_created) == (79, 33, 37)
    # One item's dc:creator is ">themereviewteam" (sic): it is still that author's post.
    assert report.recovered == [
        "line 10901: dc:creator '>themereviewteam' read as the author 'themereviewteam'"
    ]
    assert (
        report.unmappable[
            "dynamic block wp:latest-posts (WordPress renders it when the page is viewed)"
        ]
        == 4
    )
    with store.session_factory() as session:
        kinds = dict(
            session.execute(select(Article.kind, func.count()).group_by(Article.kind)).all()
        )
        assert kinds == {ArticleKind.POST: 58, ArticleKind.PAGE: 21}
        assert session.scalar(select(func.count()).select_from(Comment)) == 33
        media = session.scalars(select(MediaReference)).all()
        assert len(media) == 37 and all(
            m.asset_id is None and m.url.startswith("https://") for m in media
        )


def test_statuses_and_flags(theme_unit_test: tuple[Store, ImportReport]) -> None:
    store, _report = theme_unit_test
    scheduled = article(store, "scheduled")
    assert scheduled.status is ArticleStatus.SCHEDULED
    assert (
        scheduled.scheduled_at is not None
        and scheduled.scheduled_at.isoformat() == "2030-01-01T19:00:18+00:00"
    )
    assert scheduled.published_at is None
    draft = article(store, "draft")  # no post_name in the export: the slug comes from the title
    assert draft.status is ArticleStatus.DRAFT and draft.published_at is None
    protected = article(store, "template-password-protected")
    assert protected.status is ArticleStatus.DRAFT
    assert protected.extra["password_protected"] is True
    assert protected.extra["wp_post_password"] == "enter"
    assert protected.extra["wp_status"] == "publish"
    sticky = article(store, "template-sticky")
    assert sticky.extra["sticky"] is True and sticky.status is ArticleStatus.PUBLISHED
    published = article(store, "template-comments")
    assert published.published_at is not None
    assert published.published_at.isoformat() == "2012-01-03T17:11:37+00:00"
    assert published.external_id == f"{SITE}:post:1148"


def test_template_comments_keeps_its_ten_level_thread(
    theme_unit_test: tuple[Store, ImportReport],
) -> None:
    store, _report = theme_unit_test
    comments = comments_of(store, "template-comments")
    assert len(comments) == 20
    by_id = {comment.id: comment for comment in comments}
    by_wp_id = {comment.external_id.rsplit(":", 1)[1]: comment for comment in comments}

    def depth(comment: Comment) -> int:
        levels = 0
        while comment.parent_id is not None:
            comment = by_id[comment.parent_id]
            levels += 1
        return levels

    chain = ["904", "905", "906", "907", "910", "911", "912", "913", "914", "915"]
    assert [depth(by_wp_id[wp_id]) for wp_id in chain] == list(range(10))
    for parent, child in itertools.pairwise(chain):
        assert by_wp_id[child].parent_id == by_wp_id[parent].id
    assert by_wp_id["1015"].status is CommentStatus.PENDING
    assert article(store, "template-comments").comment_count == 19  # approved only
    first = by_wp_id["881"]
    assert first.author_name == "John Γιάννης Doe Κάποιος"
    assert first.author_email == "example@example.org" and first.author_url == "http://example.org/"
    assert first.created_at.isoformat() == "2012-09-03T17:18:04+00:00"
    assert first.reasons == ["imported from WordPress: approved"]
    assert "## Blockquotes" in first.body and "| Employee | Salary | |" in first.body


def test_pingbacks_trackbacks_and_held_comments(
    theme_unit_test: tuple[Store, ImportReport],
) -> None:
    store, _report = theme_unit_test
    types = [c.comment_type for c in comments_of(store, "template-pingbacks-an-trackbacks")]
    assert sorted(types) == sorted(
        [
            CommentType.COMMENT,
            CommentType.PINGBACK,
            CommentType.PINGBACK,
            CommentType.TRACKBACK,
            CommentType.TRACKBACK,
        ]
    )
    held = {
        slug: [c.status for c in comments_of(store, slug) if c.status is CommentStatus.PENDING]
        for slug in ("page-with-comments", "blog", "template-comments")
    }
    assert held == {slug: [CommentStatus.PENDING] for slug in held}


def test_edge_case_titles(theme_unit_test: tuple[Store, ImportReport]) -> None:
    store, _report = theme_unit_test
    untitled = article(store, "edge-case-no-title")
    assert untitled.title == "(untitled)" and untitled.extra["wp_untitled"] is True
    markup = article(store, "markup-title-with-markup")
    assert markup.title == "Markup: Title With Markup"
    assert markup.extra["wp_title_html"] == "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>"
    special = article(store, "title-with-special-characters")
    assert special.title == "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    long_word = article(store, "title-should-not-overflow-the-content-area")
    assert long_word.title.startswith("Taumatawhakatangihanga")
    greek = article(store, "epipedo-2")  # the percent-encoded Greek post_name, transliterated
    assert greek.title == "Επίπεδο 2 -Second Greek level" and greek.kind is ArticleKind.PAGE
    assert article(store, "edge-case-no-content").body == ""


def test_authors_categories_tags_and_featured_image(
    theme_unit_test: tuple[Store, ImportReport],
) -> None:
    store, _report = theme_unit_test
    comments_post = article(store, "template-comments")
    assert comments_post.author == "Theme Buster"  # dc:creator "themedemos" → its display name
    assert comments_post.extra["wp_author_login"] == "themedemos"
    assert comments_post.category == "Classic"
    assert comments_post.extra["categories"] == ["Classic", "Template", "Uncategorized"]
    assert [tag.name for tag in comments_post.tags] == ["comments", "template"]
    many_tags = article(store, "edge-case-many-tags")
    assert len(many_tags.tags) > 30 and many_tags.tags[0].name == "8BIT"
    featured = article(store, "template-featured-image-horizontal")
    assert featured.extra["featured_media_url"] == (
        "https://wpthemetestdata.files.wordpress.com/2013/03/featured-image-horizontal.jpg"
    )
    with store.session_factory() as session:
        reference = session.scalars(
            select(MediaReference).where(
                MediaReference.external_id == featured.extra["featured_media_external_id"]
            )
        ).one()
    assert reference.url == featured.extra["featured_media_url"]


def test_bodies_use_our_figure_syntax(theme_unit_test: tuple[Store, ImportReport]) -> None:
    store, _report = theme_unit_test
    assert article(store, "post-format-image-caption").body == (
        "![Bell on Wharf](https://wpthemetestdata.files.wordpress.com/2008/06/100_5478.jpg?w=604)\n"
        "Bell on wharf in San Francisco"
    )
    image_block = article(store, "block-image").body
    assert (
        "![Image Alignment 150x150](https://wpthemetestdata.files.wordpress.com/2013/03/"
        "image-alignment-150x150.jpg)\nItty-bitty caption." in image_block
    )
    assert "<!--" not in image_block and "<figure" not in image_block


def counts_of(path: Path, tmp_path: Path) -> ImportReport:
    store = open_store(sqlite_url(tmp_path / "store.sqlite3"))
    try:
        with store.session_factory.begin() as session:
            return import_wxr(session, path)
    finally:
        store.close()


def test_a11y_export(wxr_dir: Path, tmp_path: Path) -> None:
    report = counts_of(wxr_dir / "a11y-theme-unit-test-data.xml", tmp_path)
    assert (report.posts, report.pages, report.comments) == (47, 18, 29)
    assert report.attachments == 39
    assert report.comments_by_status == {"approved": 29}
    assert report.comments_by_type == {"comment": 25, "pingback": 4}
    assert report.threaded_comments == 9
    assert report.articles_by_status == {"published": 62, "draft": 2, "scheduled": 1}
    assert report.flagged == {"sticky": 1, "password-protected": 1}
    assert report.skipped_items == {"nav_menu_item": 50}


def test_block_test_data_export(wxr_dir: Path, tmp_path: Path) -> None:
    report = counts_of(wxr_dir / "64-block-test-data.xml", tmp_path)
    assert (report.posts, report.pages, report.attachments, report.comments) == (61, 1, 9, 2)
    assert report.skipped_items == {"wp_navigation": 1}
    assert report.threaded_comments == 1
    assert report.unmappable["video → link"] > 0


def test_hand_made_theme_preview_without_post_ids(wxr_dir: Path, tmp_path: Path) -> None:
    report = counts_of(wxr_dir / "theme-preview.xml", tmp_path)
    assert (report.posts, report.pages, report.comments) == (7, 0, 2)
    assert report.articles_by_status == {"published": 7}
    # It has no wp:post_id and no GMT dates: ids come from the ?p= links, dates are read as UTC.
    assert sum("id" in line and "taken from its link" in line for line in report.recovered) == 7
    assert any("read as UTC" in line for line in report.recovered)


def test_every_shared_file_imports_into_one_store(wxr_dir: Path, tmp_path: Path) -> None:
    store = open_store(sqlite_url(tmp_path / "store.sqlite3"))
    try:
        for name in sorted(path.name for path in wxr_dir.glob("*.xml")):
            with store.session_factory.begin() as session:
                import_wxr(session, wxr_dir / name)
        with store.session_factory() as session:
            slugs: list[Any] = list(session.scalars(select(Article.slug)))
    finally:
        store.close()
    assert len(slugs) == len(set(slugs))

"""Importing into a real store (SQLite and PostgreSQL): all or nothing, idempotent, updates in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from editor.core.models import Article, ArticleStatus, Comment, CommentStatus, Revision
from editor.core.wxr import ImportCancelled, ImportPhase, ImportProgress, WxrRefused, import_wxr
from editor.core.wxr import importer as importer_module
from tests.core.wxr.conftest import comment_xml, item_xml, store_snapshot, write, wxr_xml


def import_file(store: Any, path: Path, **options: Any) -> Any:
    with store.session_factory.begin() as session:
        return import_wxr(session, path, **options)


def snapshot(store: Any) -> dict[str, object]:
    with store.session_factory() as session:
        return store_snapshot(session)


def first_export(tmp_path: Path) -> Path:
    items = [
        item_xml(
            10,
            title="Flood barrier tested",
            comments=[
                comment_xml(101, content="Great news."),
                # A reply that comes before its parent in the file.
                comment_xml(103, parent=102, content="Agreed!"),
                comment_xml(102, approved="0", content="Is it safe?"),
                comment_xml(104, approved="spam", content="Cheap pills http://spam.example"),
            ],
        ),
        item_xml(11, title="Council budget", status="draft"),
        *(item_xml(20 + n, title=f"Story {n}") for n in range(6)),
    ]
    return write(tmp_path / "v1.xml", wxr_xml(items))


def test_imported_decisions_teach_the_spam_filter_once(opened_sqlite: Any, tmp_path: Path) -> None:
    from editor.core.moderation.learning import SharedSpamFilter

    path = first_export(tmp_path)
    report = import_file(opened_sqlite, path)
    assert report.spam_filter_lessons == 3  # 101 and 103 approved (ham), 104 spam; 102 is held
    with opened_sqlite.session_factory() as session:
        assert SharedSpamFilter().model(session=session).documents == [2, 1]
    assert import_file(opened_sqlite, path).spam_filter_lessons == 0


def test_importing_the_same_file_again_changes_nothing(store: Any, wxr_dir: Path) -> None:
    path = wxr_dir / "themeunittestdata.wordpress.xml"
    first = import_file(store, path)
    assert first.created == 79 + 33 + 37
    before = snapshot(store)
    again = import_file(store, path)
    assert (again.created, again.updated) == (0, 0)
    assert (again.articles_unchanged, again.comments_unchanged) == (79, 33)
    assert again.media_to_fetch == 37
    assert snapshot(store) == before


def test_a_newer_export_updates_in_place(store: Any, tmp_path: Path) -> None:
    import_file(store, first_export(tmp_path))
    with store.session_factory() as session:
        ids_before = dict(session.execute(select(Article.external_id, Article.id)).all())
        versions_before = dict(session.execute(select(Article.external_id, Article.version)).all())
    newer = [
        item_xml(
            10,
            title="Flood barrier passes its test",
            comments=[
                comment_xml(101, content="Great news."),
                comment_xml(103, parent=102, content="Agreed!"),
                comment_xml(102, approved="1", content="Is it safe?"),
                comment_xml(104, approved="spam", content="Cheap pills http://spam.example"),
                comment_xml(105, parent=101, content="A new reply."),
            ],
        ),
        item_xml(11, title="Council budget", status="publish"),
        *(item_xml(20 + n, title=f"Story {n}") for n in range(6)),
    ]
    report = import_file(store, write(tmp_path / "v2.xml", wxr_xml(newer)))
    assert (report.articles_created, report.articles_updated, report.articles_unchanged) == (
        0,
        2,
        6,
    )
    assert (report.comments_created, report.comments_updated, report.comments_unchanged) == (
        1,
        1,
        3,
    )
    with store.session_factory() as session:
        assert dict(session.execute(select(Article.external_id, Article.id)).all()) == ids_before
        barrier = session.scalars(
            select(Article).where(Article.external_id.endswith(":post:10"))
        ).one()
        assert barrier.title == "Flood barrier passes its test"
        assert barrier.version == versions_before[barrier.external_id] + 1
        assert barrier.comment_count == 4  # 101, 102 (now approved), 103 and 105
        budget = session.scalars(
            select(Article).where(Article.external_id.endswith(":post:11"))
        ).one()
        assert budget.status is ArticleStatus.PUBLISHED and budget.published_at is not None
        comments = {c.external_id.rsplit(":", 1)[1]: c for c in session.scalars(select(Comment))}
    assert comments["102"].status is CommentStatus.APPROVED
    assert comments["105"].parent_id == comments["101"].id
    assert comments["103"].parent_id == comments["102"].id


def test_a_failure_leaves_the_store_as_it_was(
    store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(store, first_export(tmp_path))
    before = snapshot(store)
    # Small batches, so rows are already written (new and updated) when the error is met.
    monkeypatch.setattr(importer_module, "ARTICLE_BATCH_SIZE", 2)
    items = [item_xml(10, title="Changed title", comments=[comment_xml(101, approved="trash")])]
    items += [
        item_xml(30 + n, title=f"New story {n}", comments=[comment_xml(300 + n)]) for n in range(8)
    ]
    text = wxr_xml(items).replace("<wp:post_id>36</wp:post_id>", "<wp:post_id>36</wp:post_idd>")
    line = text[: text.index("</wp:post_idd>")].count("\n") + 1
    with pytest.raises(WxrRefused) as refused:
        import_file(store, write(tmp_path / "broken.xml", text))
    assert refused.value.line == line
    assert "not well-formed" in refused.value.reason
    assert snapshot(store) == before


def test_a_refused_meaning_leaves_the_store_as_it_was(store: Any, tmp_path: Path) -> None:
    import_file(store, first_export(tmp_path))
    before = snapshot(store)
    items = [item_xml(40, title="Fine"), item_xml(41, title="Odd", status="limbo")]
    text = wxr_xml(items)
    with pytest.raises(WxrRefused, match="'limbo'") as refused:
        import_file(store, write(tmp_path / "limbo.xml", text))
    assert refused.value.line == text[: text.index("<title><![CDATA[Odd")].count("\n")
    assert snapshot(store) == before


def test_cancelling_from_the_progress_callback_writes_nothing(
    opened_sqlite: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer_module, "ARTICLE_BATCH_SIZE", 2)
    monkeypatch.setattr(importer_module, "_PROGRESS_INTERVAL_S", 0.0)
    seen: list[ImportProgress] = []

    def progress(update: ImportProgress) -> bool:
        seen.append(update)
        return update.articles < 5

    before = snapshot(opened_sqlite)
    with pytest.raises(ImportCancelled):
        import_file(opened_sqlite, first_export(tmp_path), progress=progress)
    assert snapshot(opened_sqlite) == before
    assert seen[-1].articles >= 5 and seen[-1].phase is ImportPhase.READING


def test_progress_reports_phases_in_order(opened_sqlite: Any, wxr_dir: Path) -> None:
    seen: list[ImportProgress] = []
    import_file(opened_sqlite, wxr_dir / "themeunittestdata.wordpress.xml", progress=seen.append)
    assert seen[-1].phase is ImportPhase.DONE and seen[-1].fraction == 1.0
    assert seen[-1].articles == 79 and seen[-1].comments == 33
    fractions = [update.fraction for update in seen]
    assert fractions == sorted(fractions)
    assert [update.phase for update in seen][-2:] == [ImportPhase.LINKING, ImportPhase.DONE]


def test_local_moderation_and_local_edits_survive_reimport(
    opened_sqlite: Any, tmp_path: Path
) -> None:
    path = first_export(tmp_path)
    import_file(opened_sqlite, path)
    with opened_sqlite.session_factory.begin() as session:
        held = session.scalars(
            select(Comment).where(Comment.external_id.endswith(":comment:102"))
        ).one()
        held.status, held.moderated_by = CommentStatus.SPAM, "Sam Okafor"
        barrier = session.scalars(
            select(Article).where(Article.external_id.endswith(":post:10"))
        ).one()
        barrier.body = "Edited here."
    same = import_file(opened_sqlite, path)
    assert (same.created, same.updated) == (0, 0)
    newer = path.read_text().replace("Flood barrier tested", "Flood barrier retested")
    report = import_file(opened_sqlite, write(tmp_path / "v2.xml", newer))
    assert report.articles_updated == 1 and report.revisions_saved == 1
    assert report.kept_local_moderation == 1
    with opened_sqlite.session_factory() as session:
        held = session.scalars(
            select(Comment).where(Comment.external_id.endswith(":comment:102"))
        ).one()
        assert held.status is CommentStatus.SPAM
        barrier = session.scalars(
            select(Article).where(Article.external_id.endswith(":post:10"))
        ).one()
        assert barrier.title == "Flood barrier retested" and barrier.body == "Body."
        kept = session.scalars(select(Revision).where(Revision.article_id == barrier.id)).one()
        assert kept.body == "Edited here." and kept.author == "WordPress import"


def test_edge_cases_of_hand_made_exports(opened_sqlite: Any, tmp_path: Path) -> None:
    long_title = "Very long headline " * 40
    items = [
        item_xml(1, title="Same name", post_name="same"),
        item_xml(2, title="Same name again", post_name="same"),
        item_xml(3, title="Same", post_name="same", post_type="page"),
        item_xml(4, title="", post_name=""),
        item_xml(5, title="Fish &amp; Chips &#8211; <b>Friday</b>"),
        item_xml(6, title=long_title),
        item_xml(7, title="Placeholder", status="auto-draft"),
        item_xml(8, title="Members only", status="private"),
        item_xml(9, title="Waiting", status="pending"),
        item_xml(12, title="Binned", status="trash"),
        item_xml(
            13,
            title="Comments",
            comments=[
                comment_xml(501, approved="post-trashed"),
                comment_xml(502, approved="weird"),
                comment_xml(503, parent=999, comment_type="webmention"),
            ],
        ),
        item_xml(14, title="Menu", post_type="nav_menu_item"),
        item_xml(
            15,
            title="Photo",
            post_type="attachment",
            extra="<wp:attachment_url>https://news.example.org/p.jpg</wp:attachment_url><wp:post_parent>13</wp:post_parent>",
        ),
    ]
    report = import_file(opened_sqlite, write(tmp_path / "edge.xml", wxr_xml(items)))
    with opened_sqlite.session_factory() as session:
        articles = {a.extra["wp_post_id"]: a for a in session.scalars(select(Article))}
        comments = {c.external_id.rsplit(":", 1)[1]: c for c in session.scalars(select(Comment))}
    assert [articles[n].slug for n in (1, 2, 3)] == ["same", "same-2", "same-3"]
    assert (articles[4].title, articles[4].slug) == ("(untitled)", "post-4")
    assert articles[5].title == "Fish & Chips – Friday"
    assert (
        len(articles[6].title) == 500 and articles[6].extra["wp_title_full"] == long_title.strip()
    )
    assert 7 not in articles and report.skipped_items == {
        "post (auto-draft)": 1,
        "nav_menu_item": 1,
    }
    assert (articles[8].status, articles[8].extra["wp_status"]) == (ArticleStatus.DRAFT, "private")
    assert (articles[9].status, articles[9].extra["wp_status"]) == (ArticleStatus.DRAFT, "pending")
    assert (articles[12].status, articles[12].extra["wp_status"]) == (
        ArticleStatus.ARCHIVED,
        "trash",
    )
    assert report.flagged == {"private": 1, "pending": 1}
    assert articles[1].author == "Priya Natarajan" and articles[1].category == "News"
    assert comments["501"].status is CommentStatus.TRASH
    assert comments["502"].status is CommentStatus.PENDING
    assert comments["502"].reasons == [
        "imported from WordPress with the unknown status 'weird': held"
    ]
    assert comments["503"].parent_id is None
    assert (
        report.unmappable[
            "reply to a comment that is not in the export (kept as a top-level comment)"
        ]
        == 1
    )
    assert report.unmappable["comment type 'webmention' imported as a comment"] == 1
    assert report.attachments == 1 and report.media_to_fetch == 1


@pytest.mark.parametrize(
    ("items", "reason"),
    [
        ([item_xml(1), item_xml(1, title="Twin")], "wp:post_id 1 appears twice"),
        ([item_xml(None)], "no wp:post_id"),
        ([item_xml(1, comments=[comment_xml(5), comment_xml(5)])], "wp:comment_id 5 appears twice"),
        ([item_xml(1, date="someday", date_gmt="someday")], "unreadable date"),
        ([item_xml(1, status="future", date="", date_gmt="")], "no date to publish at"),
    ],
)
def test_unclear_meaning_is_refused(
    opened_sqlite: Any, tmp_path: Path, items: list[str], reason: str
) -> None:
    with pytest.raises(WxrRefused, match=reason):
        import_file(opened_sqlite, write(tmp_path / "unclear.xml", wxr_xml(items)))


def test_wxr_1_0_categories_and_tags(opened_sqlite: Any, tmp_path: Path) -> None:
    terms = (
        "<category><![CDATA[Local]]></category>"
        '<category domain="category" nicename="local"><![CDATA[Local]]></category>'
        '<category domain="tag"><![CDATA[rivers]]></category>'
        '<category domain="tag" nicename="rivers"><![CDATA[rivers]]></category>'
    )
    path = write(
        tmp_path / "old.xml",
        wxr_xml([item_xml(1, terms=terms)], version="1.0", scheme="http", authors=False),
    )
    report = import_file(opened_sqlite, path)
    assert report.wxr_version == "1.0"
    with opened_sqlite.session_factory() as session:
        [imported] = session.scalars(select(Article)).all()
        assert imported.category == "Local" and imported.extra["categories"] == ["Local"]
        assert [tag.name for tag in imported.tags] == ["rivers"]
        assert imported.author == "editor"  # no wp:author blocks in WXR 1.0: the login it is

"""Pre-flight: every problem listed with its line and severity; errors stop a publish before
anything is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from editor.core.articles.service import create_draft
from editor.core.images import ImageCache
from editor.core.models import Article, ArticleStatus, PublishRecord, Revision
from editor.core.publishing import (
    ArticleField,
    CheckKind,
    PreflightFailed,
    Severity,
    preflight,
    publish_article,
)
from editor.core.store import Store
from tests.core.publishing.conftest import make_article


def _draft(store: Store, *, title: str, body: str, slug: str | None = None) -> int:
    with store.session_factory.begin() as session:
        return create_draft(session, title=title, body=body, slug=slug).id


def test_a_clean_article_has_no_errors(store: Store, image_cache: ImageCache) -> None:
    article = make_article(store, image_cache)
    issues = preflight(store, article_id=article.id, target="this-store", cache=image_cache)
    assert [issue for issue in issues if issue.severity is Severity.ERROR] == []


def test_each_problem_is_listed_with_its_line_errors_first(
    store: Store, image_cache: ImageCache
) -> None:
    body = (
        "Intro.\n"  # 0
        "\n"  # 1
        "![](asset:0123456789ab)\n"  # 2: no alt text, and no such image
        "Caption.\n"  # 3
        "\n"  # 4
        "## \n"  # 5: empty heading
        "\n"  # 6
        "#### Deep\n"  # 7: skips from H2 to H4 (a warning)
        "\n"  # 8
        "See ![chart](asset:abcdefabcdef).\n"  # 9: inline image naming no image
    )
    article_id = _draft(store, title="   ", body=body)
    issues = preflight(store, article_id=article_id, target="this-store", cache=image_cache)
    found = {(issue.kind, issue.line) for issue in issues}
    assert (CheckKind.TITLE_MISSING, None) in found
    assert (CheckKind.ALT_TEXT_MISSING, 2) in found
    assert (CheckKind.ASSET_MISSING, 2) in found
    assert (CheckKind.ASSET_MISSING, 9) in found
    assert (CheckKind.EMPTY_HEADING, 5) in found
    assert (CheckKind.SKIPPED_HEADING_LEVEL, 7) in found
    severities = [issue.severity for issue in issues]
    assert severities == sorted(severities, key=lambda severity: severity is not Severity.ERROR)
    skipped = next(i for i in issues if i.kind is CheckKind.SKIPPED_HEADING_LEVEL)
    assert skipped.severity is Severity.WARNING and not skipped.blocks_publishing
    title = next(i for i in issues if i.kind is CheckKind.TITLE_MISSING)
    assert title.field is ArticleField.TITLE and title.as_text().startswith("title: error:")
    alt = next(i for i in issues if i.kind is CheckKind.ALT_TEXT_MISSING)
    assert alt.as_text().startswith("body:3: error:")


def test_a_malformed_slug_is_an_error(store: Store, image_cache: ImageCache) -> None:
    article_id = _draft(store, title="Fine", body="Text.")
    with store.session_factory.begin() as session:
        session.get(Article, article_id).slug = "Not A Slug"  # type: ignore[union-attr]
    issues = preflight(store, article_id=article_id, target="this-store", cache=image_cache)
    assert any(
        issue.kind is CheckKind.SLUG_INVALID and issue.field is ArticleField.SLUG
        for issue in issues
    )


def test_errors_stop_the_publish_before_anything_is_written(
    store: Store, image_cache: ImageCache
) -> None:
    article_id = _draft(store, title="Broken", body="![](asset:0123456789ab)\nCaption.\n")
    with store.session_factory() as session:
        version = session.get(Article, article_id).version  # type: ignore[union-attr]
    steps: list[str] = []
    with pytest.raises(PreflightFailed) as raised:
        publish_article(
            store,
            article_id=article_id,
            target="this-store",
            author="Ed",
            cache=image_cache,
            progress=lambda step, done, total: steps.append(step),
        )
    assert "alt text" in str(raised.value) and "1 more" in str(raised.value)
    assert {issue.kind for issue in raised.value.issues} >= {
        CheckKind.ALT_TEXT_MISSING,
        CheckKind.ASSET_MISSING,
    }
    assert steps == ["checking"]
    with store.session_factory() as session:
        article = session.get(Article, article_id)
        assert article is not None
        assert article.status is ArticleStatus.DRAFT and article.version == version
        assert session.scalar(select(func.count()).select_from(PublishRecord)) == 0
        assert session.scalar(select(func.count()).select_from(Revision)) == 0


def test_the_previews_layout_checks_are_part_of_preflight(
    store: Store, image_cache: ImageCache
) -> None:
    body = "Intro.\n\nSee [the map](#nowhere) below.\n\nA note.[^missing]\n"
    article_id = _draft(store, title="A headline " + "that goes on " * 12, body=body)
    issues = preflight(store, article_id=article_id, target="this-store", cache=image_cache)
    layout = [issue for issue in issues if issue.kind is CheckKind.LAYOUT]
    anchor = next(issue for issue in layout if "#nowhere" in issue.message)
    assert anchor.severity is Severity.ERROR and anchor.line == 2
    footnote = next(issue for issue in layout if "[^missing]" in issue.message)
    assert footnote.severity is Severity.ERROR and footnote.line == 4
    headline = next(issue for issue in layout if issue.field is ArticleField.TITLE)
    assert headline.severity is Severity.WARNING and "characters" in headline.message
    with pytest.raises(PreflightFailed):
        publish_article(
            store, article_id=article_id, target="this-store", author="Ed", cache=image_cache
        )

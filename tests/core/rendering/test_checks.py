"""The layout checks: each finds its problem, at the right line, with the right severity."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from editor.core.models import Article
from editor.core.rendering.article_data import article_page, asset_lookup
from editor.core.rendering.body import render_body
from editor.core.rendering.checks import (
    HEADLINE_MAX_LENGTH,
    AssetInfo,
    CheckField,
    CheckKind,
    LayoutIssue,
    Severity,
    blocks_publishing,
    check_layout,
)
from editor.core.rendering.media import media_folder_url
from editor.core.rendering.page import ArticlePage, HeroImage

MEDIA = media_folder_url("/media/")
STORE = {
    "0123456789ab": AssetInfo(1600, 900, "Engineers at the lock"),
    "abcdefabcdef": AssetInfo(640, 480, ""),
}


def lookup(reference: str) -> AssetInfo | None:
    return STORE.get(reference[:12])


def check(body: str, **changes: Any) -> list[LayoutIssue]:
    fields: dict[str, Any] = {"title": "A headline", "body_markdown": body}
    fields.update(changes)
    article = ArticlePage(**fields)
    return check_layout(article, render_body(body, media_url=MEDIA), asset_lookup=lookup)


def kinds(issues: list[LayoutIssue]) -> list[tuple[CheckKind, Severity, int | None]]:
    return [(issue.kind, issue.severity, issue.line) for issue in issues]


def test_a_tidy_article_passes() -> None:
    body = (
        "Intro paragraph.\n\n## First section\n\nText.\n\n"
        '![Engineers at the lock](asset:0123456789ab "Photo")\nCaption.\n\n'
        "### Detail\n\nMore.[^1] See [the first section](#first-section).\n\n[^1]: A note."
    )
    issues = check(body, hero=HeroImage("0123456789ab", "Engineers at the lock"))
    assert issues == []
    assert not blocks_publishing(issues)


def test_headline_missing_or_too_long() -> None:
    empty = check("Text.", title="  ")
    assert kinds(empty) == [(CheckKind.HEADLINE_EMPTY, Severity.ERROR, None)]
    assert empty[0].field is CheckField.TITLE and blocks_publishing(empty)
    long = check("Text.", title="x" * (HEADLINE_MAX_LENGTH + 1))
    assert kinds(long) == [(CheckKind.HEADLINE_TOO_LONG, Severity.WARNING, None)]
    assert check("Text.", title="x" * HEADLINE_MAX_LENGTH) == []


def test_hero_too_small_missing_alt_or_not_in_the_store() -> None:
    small = check("Text.", hero=HeroImage("abcdefabcdef", ""))
    assert [issue.kind for issue in small] == [CheckKind.HERO_TOO_SMALL, CheckKind.MISSING_ALT_TEXT]
    assert all(issue.field is CheckField.HERO for issue in small)
    assert "640 px" in small[0].message
    missing = check("Text.", hero=HeroImage("ffffffffffff", "alt"))
    assert kinds(missing) == [(CheckKind.HERO_MISSING_ASSET, Severity.ERROR, None)]


def test_body_images_missing_alt_missing_assets_and_refused_sources() -> None:
    body = (
        "Intro.\n\n"
        "![](asset:0123456789ab)\n\n"
        "Text.\n\n"
        '![Gone](asset:ffffffffffff "Credit")\nCaption.\n\n'
        "![Pasted](data:image/png;base64,AAAA)"
    )
    assert kinds(check(body)) == [
        (CheckKind.MISSING_ALT_TEXT, Severity.WARNING, 2),
        (CheckKind.MISSING_ASSET, Severity.ERROR, 6),
        (CheckKind.REFUSED_IMAGE_SOURCE, Severity.ERROR, 9),
    ]


def test_broken_anchors_and_footnotes_and_undefined_references() -> None:
    body = (
        "## Real heading\n\n"
        "Links to [here](#real-heading), [the comments](#comments) and [nowhere](#missing).\n\n"
        "A note[^gone] and an [undefined][ref].\n\n"
        "[^spare]: Never used."
    )
    assert kinds(check(body)) == [
        (CheckKind.BROKEN_ANCHOR, Severity.ERROR, 2),
        (CheckKind.MISSING_FOOTNOTE, Severity.ERROR, 4),
        (CheckKind.UNDEFINED_LINK_REFERENCE, Severity.WARNING, 4),
        (CheckKind.UNUSED_FOOTNOTE, Severity.WARNING, 6),
    ]


def test_heading_structure() -> None:
    body = "# Second headline\n\nText.\n\n## Empty section\n\n## Jumps\n\n#### Too deep\n\nText.\n\n##\n\nText."
    assert kinds(check(body)) == [
        (CheckKind.HEADLINE_LEVEL_IN_BODY, Severity.WARNING, 0),
        (CheckKind.EMPTY_SECTION, Severity.WARNING, 4),
        (CheckKind.SKIPPED_HEADING_LEVEL, Severity.WARNING, 8),
        (CheckKind.EMPTY_HEADING, Severity.WARNING, 12),
    ]
    # A heading at the very end has no section under it either.
    assert kinds(check("Text.\n\n## Last")) == [(CheckKind.EMPTY_SECTION, Severity.WARNING, 2)]


def test_headings_in_one_block_get_their_own_lines() -> None:
    issues = check("Text.\n\n## A\n## B\n### C\n## D\n\nText.")
    assert [issue.line for issue in issues if issue.kind is CheckKind.EMPTY_SECTION] == [2, 4]


def test_render_notices_are_listed() -> None:
    issues = check("Text.\n\n" + ">" * 50 + " deep")
    assert kinds(issues) == [(CheckKind.RENDER_NOTICE, Severity.WARNING, 2)]
    assert "flattened" in issues[0].message


def test_the_demo_lead_article_checks_against_the_store(demo_store: Any) -> None:
    with demo_store.session_factory() as session:
        lead = session.scalars(select(Article).order_by(Article.comment_count.desc())).first()
        page = article_page(lead)
        found = asset_lookup(session)
    issues = check_layout(
        page, render_body(page.body_markdown, media_url=MEDIA), asset_lookup=found
    )
    assert not blocks_publishing(issues), issues
    assert found(page.hero.reference) is not None  # type: ignore[union-attr]
    assert found("0" * 12) is None

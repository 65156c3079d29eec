"""Layout checks: what the "check layout" list shows beside the preview, and what
publishing refuses.

An ERROR blocks publishing (the page would be broken: an image that is not in
the store, a link to an anchor or a footnote that does not exist, no
headline); a WARNING is advice (alt text, image sizes, headline length,
heading structure). Every item carries the source line to jump to (0-based,
as ``QTextDocument`` block numbers are) or, for the headline and the featured
image, the field it is about.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

from editor.core.rendering.body import FOOTNOTES_BLOCK_ID, RenderedBody
from editor.core.rendering.media import asset_reference
from editor.core.rendering.page import ArticlePage
from editor.core.rendering.sanitize import RESERVED_IDS

HEADLINE_MAX_LENGTH = 110
# The hero slot is 1040 CSS px wide on desktop; 1200 px renditions keep it sharp.
HERO_MIN_WIDTH = 1200


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class CheckKind(enum.StrEnum):
    HEADLINE_EMPTY = "headline_empty"
    HEADLINE_TOO_LONG = "headline_too_long"
    HERO_MISSING_ASSET = "hero_missing_asset"
    HERO_TOO_SMALL = "hero_too_small"
    MISSING_ALT_TEXT = "missing_alt_text"
    MISSING_ASSET = "missing_asset"
    REFUSED_IMAGE_SOURCE = "refused_image_source"
    BROKEN_ANCHOR = "broken_anchor"
    MISSING_FOOTNOTE = "missing_footnote"
    UNUSED_FOOTNOTE = "unused_footnote"
    UNDEFINED_LINK_REFERENCE = "undefined_link_reference"
    EMPTY_HEADING = "empty_heading"
    EMPTY_SECTION = "empty_section"
    SKIPPED_HEADING_LEVEL = "skipped_heading_level"
    HEADLINE_LEVEL_IN_BODY = "headline_level_in_body"
    RENDER_NOTICE = "render_notice"


class CheckField(enum.StrEnum):
    """Where an item points when it is not about a line of the body."""

    BODY = "body"
    TITLE = "title"
    HERO = "hero"


@dataclass(frozen=True, slots=True)
class LayoutIssue:
    kind: CheckKind
    severity: Severity
    message: str
    field: CheckField = CheckField.BODY
    # Source line of the body (0-based); ``None`` for the headline and the hero.
    line: int | None = None
    block_id: str | None = None


@dataclass(frozen=True, slots=True)
class AssetInfo:
    width: int
    height: int
    alt_text: str = ""


# An asset's facts by the hex reference written after ``asset:`` (12 or more digits).
AssetLookup = Callable[[str], AssetInfo | None]

# Parts of the page outside the article that a link may point at.
_PAGE_ANCHORS = RESERVED_IDS | {"main", "comments", "respond"}
_HEADING_LINE = re.compile(r"^(?:#{1,6}|.+\n[=-]+[ ]*$)", re.MULTILINE)


def blocks_publishing(issues: list[LayoutIssue]) -> bool:
    return any(issue.severity is Severity.ERROR for issue in issues)


def check_layout(
    article: ArticlePage, body: RenderedBody, *, asset_lookup: AssetLookup
) -> list[LayoutIssue]:
    """Every layout problem of ``article`` rendered as ``body``: headline and featured image
    first, then the body in source order."""
    issues = _headline_issues(article) + _hero_issues(article, asset_lookup)
    body_issues = (
        _image_issues(body, asset_lookup)
        + _reference_issues(body)
        + _heading_issues(body)
        + _notice_issues(body)
    )
    body_issues.sort(key=lambda issue: issue.line if issue.line is not None else -1)
    return issues + body_issues


def _headline_issues(article: ArticlePage) -> list[LayoutIssue]:
    title = article.title.strip()
    if not title:
        return [
            LayoutIssue(
                CheckKind.HEADLINE_EMPTY,
                Severity.ERROR,
                "The article has no headline.",
                CheckField.TITLE,
            )
        ]
    if len(title) > HEADLINE_MAX_LENGTH:
        return [
            LayoutIssue(
                CheckKind.HEADLINE_TOO_LONG,
                Severity.WARNING,
                f"The headline is {len(title)} characters long; under {HEADLINE_MAX_LENGTH} "
                "it fits in three lines on a phone and in search results.",
                CheckField.TITLE,
            )
        ]
    return []


def _hero_issues(article: ArticlePage, asset_lookup: AssetLookup) -> list[LayoutIssue]:
    hero = article.hero
    if hero is None:
        return []
    info = asset_lookup(hero.reference)
    if info is None:
        return [
            LayoutIssue(
                CheckKind.HERO_MISSING_ASSET,
                Severity.ERROR,
                f"The featured image (asset:{hero.reference}) is not in the store.",
                CheckField.HERO,
            )
        ]
    issues = []
    if info.width < HERO_MIN_WIDTH:
        issues.append(
            LayoutIssue(
                CheckKind.HERO_TOO_SMALL,
                Severity.WARNING,
                f"The featured image is {info.width} px wide; the top of the page needs "
                f"{HERO_MIN_WIDTH} px to look sharp.",
                CheckField.HERO,
            )
        )
    if not (hero.alt_text or info.alt_text).strip():
        issues.append(
            LayoutIssue(
                CheckKind.MISSING_ALT_TEXT,
                Severity.WARNING,
                "The featured image has no alt text for readers who cannot see it.",
                CheckField.HERO,
            )
        )
    return issues


def _blocks_with_text(body: RenderedBody) -> list[tuple[int, str, str]]:
    """(start line, block id, source text) of every block, the footnote section without text."""
    result = []
    for index, block in enumerate(body.placed):
        start, _end = body.line_range(index)
        text = body.source_text(index)
        result.append((start, block.block_id, text))
    return result


def _line_in_block(start: int, text: str, needle: str) -> int:
    position = text.find(needle) if needle else -1
    return start + (text.count("\n", 0, position) if position > 0 else 0)


def _image_issues(body: RenderedBody, asset_lookup: AssetLookup) -> list[LayoutIssue]:
    issues = []
    for (start, block_id, text), block in zip(_blocks_with_text(body), body.placed, strict=True):
        for image in block.converted.images:
            line = _line_in_block(start, text, image.src)
            if image.refused:
                shown = image.src if len(image.src) <= 40 else image.src[:39] + "\u2026"
                issues.append(
                    LayoutIssue(
                        CheckKind.REFUSED_IMAGE_SOURCE,
                        Severity.ERROR,
                        f"The image source {shown} is not allowed; insert the picture as an "
                        "asset instead.",
                        line=line,
                        block_id=block_id,
                    )
                )
                continue
            reference = asset_reference(image.src)
            if reference is not None and asset_lookup(reference) is None:
                issues.append(
                    LayoutIssue(
                        CheckKind.MISSING_ASSET,
                        Severity.ERROR,
                        f"The image asset:{reference} is not in the store.",
                        line=line,
                        block_id=block_id,
                    )
                )
            if not image.alt.strip():
                issues.append(
                    LayoutIssue(
                        CheckKind.MISSING_ALT_TEXT,
                        Severity.WARNING,
                        "An image has no alt text for readers who cannot see it.",
                        line=line,
                        block_id=block_id,
                    )
                )
    return issues


def _reference_issues(body: RenderedBody) -> list[LayoutIssue]:
    anchors = set(_PAGE_ANCHORS)
    defined_footnotes: set[str] = set()
    referenced_footnotes: set[str] = set()
    for block in body.placed:
        anchors.update(block.heading_ids)
        anchors.update(block.converted.element_ids)
        anchors.update(block.footnote_reference_ids)
        defined_footnotes.update(
            identifier for identifier, _text in block.converted.footnote_definitions
        )
        referenced_footnotes.update(block.converted.footnote_references)
    issues = []
    for (start, block_id, text), block in zip(_blocks_with_text(body), body.placed, strict=True):
        converted = block.converted
        for target in converted.local_links:
            # The footnote list links back to every reference, even to none (unused notes).
            generated = block_id == FOOTNOTES_BLOCK_ID and target.startswith("fnref")
            if target not in anchors and not generated:
                issues.append(
                    LayoutIssue(
                        CheckKind.BROKEN_ANCHOR,
                        Severity.ERROR,
                        f"A link points to #{target}, which is not a heading or anchor in this "
                        "article.",
                        line=_line_in_block(start, text, f"#{target}"),
                        block_id=block_id,
                    )
                )
        for identifier in converted.unresolved_footnotes:
            issues.append(
                LayoutIssue(
                    CheckKind.MISSING_FOOTNOTE,
                    Severity.ERROR,
                    f"Footnote [^{identifier}] has no definition; add a paragraph "
                    f"“[^{identifier}]: …”.",
                    line=_line_in_block(start, text, f"[^{identifier}]"),
                    block_id=block_id,
                )
            )
        for reference in converted.unresolved_references:
            issues.append(
                LayoutIssue(
                    CheckKind.UNDEFINED_LINK_REFERENCE,
                    Severity.WARNING,
                    f"{reference} looks like a reference link with no definition; it shows "
                    "as plain text.",
                    line=_line_in_block(start, text, reference.split("]")[0]),
                    block_id=block_id,
                )
            )
        for identifier, _text in converted.footnote_definitions:
            if identifier not in referenced_footnotes and block_id != FOOTNOTES_BLOCK_ID:
                issues.append(
                    LayoutIssue(
                        CheckKind.UNUSED_FOOTNOTE,
                        Severity.WARNING,
                        f"Footnote [^{identifier}] is defined but never referenced.",
                        line=_line_in_block(start, text, f"[^{identifier}]:"),
                        block_id=block_id,
                    )
                )
    return issues


def _heading_issues(body: RenderedBody) -> list[LayoutIssue]:
    issues = []
    # (level, line, block id) of every heading, and the top-level sequence for sections:
    # a heading's level, or 0 for other content.
    headings: list[tuple[int, str, int, str]] = []
    sequence: list[tuple[int, int, str]] = []
    for (start, block_id, text), block in zip(_blocks_with_text(body), body.placed, strict=True):
        if block_id == FOOTNOTES_BLOCK_ID:
            continue
        heading_lines = [
            text.count("\n", 0, match.start()) for match in _HEADING_LINE.finditer(text)
        ]
        for index, heading in enumerate(block.converted.headings):
            offset = heading_lines[index] if index < len(heading_lines) else 0
            headings.append((heading.level, heading.text, start + offset, block_id))
        top_level = iter(headings[len(headings) - len(block.converted.headings) :])
        for level in block.converted.outline:
            if level:
                _level, _text, line, _block = next(top_level, (level, "", start, block_id))
                sequence.append((level, line, block_id))
            else:
                sequence.append((0, start, block_id))
    previous_level = 1  # the headline
    for level, heading_text, line, block_id in headings:
        if not heading_text.strip():
            issues.append(
                LayoutIssue(
                    CheckKind.EMPTY_HEADING,
                    Severity.WARNING,
                    "A heading has no text.",
                    line=line,
                    block_id=block_id,
                )
            )
        if level == 1:
            issues.append(
                LayoutIssue(
                    CheckKind.HEADLINE_LEVEL_IN_BODY,
                    Severity.WARNING,
                    "A level-1 heading in the body competes with the headline; start "
                    "sections with ##.",
                    line=line,
                    block_id=block_id,
                )
            )
        elif level > previous_level + 1:
            issues.append(
                LayoutIssue(
                    CheckKind.SKIPPED_HEADING_LEVEL,
                    Severity.WARNING,
                    f"The heading jumps from level {previous_level} to level {level}; screen "
                    "readers use the levels to navigate.",
                    line=line,
                    block_id=block_id,
                )
            )
        previous_level = level
    for index, (level, line, block_id) in enumerate(sequence):
        if not level:
            continue
        following = next((item for item in sequence[index + 1 :]), None)
        if following is None or (following[0] and following[0] <= level):
            issues.append(
                LayoutIssue(
                    CheckKind.EMPTY_SECTION,
                    Severity.WARNING,
                    "This section has a heading but no text before the next heading.",
                    line=line,
                    block_id=block_id,
                )
            )
    return issues


def _notice_issues(body: RenderedBody) -> list[LayoutIssue]:
    return [
        LayoutIssue(
            CheckKind.RENDER_NOTICE,
            Severity.WARNING,
            warning.message,
            line=warning.line,
            block_id=warning.block_id,
        )
        for warning in body.warnings
    ]

"""Pre-flight checks: what is looked at before anything is written to a target.

Each problem is a ``PreflightIssue`` with a severity and, when it sits in the
body, the 0-based source line (as ``QTextDocument`` block numbers are) so the
list can jump to it. Errors block publishing; warnings are shown and allowed.
The same list is what ``publish`` raises in ``PreflightFailed``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from editor.core.articles.figures import find_figures
from editor.core.articles.outline import OutlineWarningKind, parse_outline
from editor.core.articles.slugs import slug_problems
from editor.core.publishing.content import ArticleContent, asset_references


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class CheckKind(enum.StrEnum):
    TITLE_MISSING = "title_missing"
    SLUG_INVALID = "slug_invalid"
    SLUG_TAKEN = "slug_taken"
    ALT_TEXT_MISSING = "alt_text_missing"
    EMPTY_HEADING = "empty_heading"
    SKIPPED_HEADING_LEVEL = "skipped_heading_level"
    ASSET_MISSING = "asset_missing"
    BODY_EMPTY = "body_empty"
    LAYOUT = "layout"


class ArticleField(enum.StrEnum):
    """Where an issue sits when it is not a body line: the editor focuses that field."""

    TITLE = "title"
    SLUG = "slug"
    BODY = "body"
    FEATURED_IMAGE = "featured_image"


@dataclass(frozen=True, slots=True)
class PreflightIssue:
    kind: CheckKind
    severity: Severity
    message: str
    field: ArticleField
    # 0-based body line to jump to; None for a field-level issue.
    line: int | None = None

    @property
    def blocks_publishing(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        """One line for the command line: ``body:12: error: …`` (1-based line)."""
        where = self.field.value if self.line is None else f"body:{self.line + 1}"
        return f"{where}: {self.severity.value}: {self.message}"


def check_content(
    content: ArticleContent,
    *,
    slug_conflict: str | None = None,
    layout_issues: Iterable[PreflightIssue] = (),
) -> list[PreflightIssue]:
    """Every problem with publishing ``content``, errors first, then by line.

    ``slug_conflict`` is the target's sentence when the slug is taken there.
    """
    issues: list[PreflightIssue] = []
    if not content.title.strip():
        issues.append(
            PreflightIssue(
                CheckKind.TITLE_MISSING,
                Severity.ERROR,
                "The article has no title.",
                ArticleField.TITLE,
            )
        )
    for problem in slug_problems(content.slug):
        issues.append(
            PreflightIssue(CheckKind.SLUG_INVALID, Severity.ERROR, problem, ArticleField.SLUG)
        )
    if slug_conflict:
        issues.append(
            PreflightIssue(CheckKind.SLUG_TAKEN, Severity.ERROR, slug_conflict, ArticleField.SLUG)
        )
    if not content.body.strip():
        issues.append(
            PreflightIssue(
                CheckKind.BODY_EMPTY,
                Severity.WARNING,
                "The article has no text.",
                ArticleField.BODY,
            )
        )
    issues += _figure_issues(content)
    issues += _heading_issues(content.body)
    issues += _reference_issues(content)
    issues += layout_issues
    return sorted(
        _unique(issues),
        key=lambda issue: (
            issue.severity is not Severity.ERROR,
            -1 if issue.line is None else issue.line,
        ),
    )


def errors_in(issues: Iterable[PreflightIssue]) -> list[PreflightIssue]:
    return [issue for issue in issues if issue.blocks_publishing]


def _figure_issues(content: ArticleContent) -> list[PreflightIssue]:
    issues = []
    for figure in find_figures(content.body):
        if not figure.alt_text:
            issues.append(
                PreflightIssue(
                    CheckKind.ALT_TEXT_MISSING,
                    Severity.ERROR,
                    f"Line {figure.line + 1}: the image has no alt text "
                    "(describe it for readers who cannot see it).",
                    ArticleField.BODY,
                    figure.line,
                )
            )
    return issues


def _heading_issues(body: str) -> list[PreflightIssue]:
    issues = []
    for warning in parse_outline(body).warnings:
        empty = warning.kind is OutlineWarningKind.EMPTY_HEADING
        issues.append(
            PreflightIssue(
                CheckKind.EMPTY_HEADING if empty else CheckKind.SKIPPED_HEADING_LEVEL,
                Severity.ERROR if empty else Severity.WARNING,
                warning.message,
                ArticleField.BODY,
                warning.line,
            )
        )
    return issues


def _reference_issues(content: ArticleContent) -> list[PreflightIssue]:
    missing = [ref for ref in asset_references(content.body) if ref not in content.images]
    if not missing:
        return []
    lines = content.body.split("\n")
    issues = []
    for ref in missing:
        line = next(
            (number for number, text in enumerate(lines) if f"asset:{ref}" in text.lower()), None
        )
        where = f"Line {line + 1}: " if line is not None else ""
        issues.append(
            PreflightIssue(
                CheckKind.ASSET_MISSING,
                Severity.ERROR,
                f"{where}asset:{ref} names no image in the store "
                "(it was deleted, or the reference is mistyped or too short).",
                ArticleField.BODY,
                line,
            )
        )
    return issues


def _unique(issues: list[PreflightIssue]) -> list[PreflightIssue]:
    return list(dict.fromkeys(issues))

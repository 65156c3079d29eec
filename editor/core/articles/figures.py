"""Figures in an article's Markdown, as the editor and the media panel see them.

The syntax (see the README): an image line ``![alt](asset:<12 hex> "Credit")``
alone at the start of a paragraph, followed on the next lines of the same
paragraph by the caption. Fenced code is skipped. This module reads and writes
that source; rendering it to HTML is the renderer's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from editor.core.models import Asset, AssetId

ASSET_SCHEME = "asset:"
_IMAGE_LINE = re.compile(
    r'^ {0,3}!\[(?P<alt>(?:[^\]\\\n]|\\.)*)\]\(\s*(?P<target>[^\s)"]+)'
    r'(?:\s+"(?P<credit>(?:[^"\\\n]|\\.)*)")?\s*\)\s*$'
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ASSET_TARGET = re.compile(r"^asset:(?P<prefix>[0-9a-f]{6,64})$")


@dataclass(frozen=True, slots=True)
class FigureSource:
    """One figure: ``line`` is the image line (0-based); the caption runs to ``end_line``."""

    line: int
    end_line: int
    alt_text: str
    target: str
    credit: str
    caption: str

    @property
    def asset_prefix(self) -> str | None:
        match = _ASSET_TARGET.match(self.target)
        return match.group("prefix") if match else None


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _escape_alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("]", "\\]").replace("\n", " ").strip()


def _escape_credit(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").strip()


def find_figures(markdown_text: str) -> list[FigureSource]:
    figures: list[FigureSource] = []
    lines = markdown_text.split("\n")
    fence = ""
    previous_blank = True
    index = 0
    while index < len(lines):
        line = lines[index]
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = ""
            index += 1
            previous_blank = False
            continue
        if opener:
            fence = opener.group(1)
            index += 1
            previous_blank = False
            continue
        image = _IMAGE_LINE.match(line) if previous_blank else None
        if image is None:
            previous_blank = not line.strip()
            index += 1
            continue
        caption_lines = []
        end = index
        while (
            end + 1 < len(lines)
            and lines[end + 1].strip()
            and not _IMAGE_LINE.match(lines[end + 1])
        ):
            end += 1
            caption_lines.append(lines[end].strip())
        figures.append(
            FigureSource(
                line=index,
                end_line=end,
                alt_text=_unescape(image.group("alt")).strip(),
                target=image.group("target"),
                credit=_unescape(image.group("credit") or "").strip(),
                caption=" ".join(caption_lines),
            )
        )
        index = end + 1
        previous_blank = False
    return figures


def figure_markdown(*, target: str, alt_text: str, credit: str = "", caption: str = "") -> str:
    """The Markdown of one figure (no surrounding blank lines)."""
    title = f' "{_escape_credit(credit)}"' if credit.strip() else ""
    image = f"![{_escape_alt(alt_text)}]({target}{title})"
    caption_text = " ".join(caption.split())
    return f"{image}\n{caption_text}" if caption_text else image


def figures_missing_alt_text(markdown_text: str) -> list[FigureSource]:
    """Figures publishing will refuse: no alt text for readers who cannot see the image."""
    return [figure for figure in find_figures(markdown_text) if not figure.alt_text]


@dataclass(frozen=True, slots=True)
class FigureAsset:
    asset_id: AssetId
    sha256: str
    filename: str
    width: int
    height: int


def assets_for_prefixes(session: Session, prefixes: Iterable[str]) -> dict[str, FigureAsset]:
    """The stored images named by ``asset:`` prefixes; a prefix naming no image is left out."""
    wanted = sorted({prefix for prefix in prefixes if prefix})
    if not wanted:
        return {}
    rows = session.execute(
        select(Asset.id, Asset.sha256, Asset.filename, Asset.width, Asset.height).where(
            or_(*(Asset.sha256.startswith(prefix) for prefix in wanted))
        )
    ).all()
    found: dict[str, FigureAsset] = {}
    for prefix in wanted:
        matches = [row for row in rows if row.sha256.startswith(prefix)]
        if len(matches) == 1:
            row = matches[0]
            found[prefix] = FigureAsset(
                AssetId(row.id), row.sha256, row.filename, row.width, row.height
            )
    return found

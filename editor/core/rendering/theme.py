"""The site theme: Jinja2 templates and CSS in ``resources/themes/<name>/``.

The theme lives beside the package, not in it (``resources/`` at the top of the
source tree, shared with the icons), so it is found relative to the ``editor``
package of a source or editable install, or under ``<prefix>/share/newsdesk/``
where ``pip install`` puts the data files of a built wheel.

Templates see plain data only (the dataclasses of ``page``); every string is
escaped by Jinja unless it is ``Markup`` made here (the sanitised body, the
formatted comment bodies).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

import editor

DEFAULT_THEME = "default"
# The files a theme must have; publishing copies none of them (the CSS is inlined).
REQUIRED_TEMPLATES = (
    "base.html",
    "article.html",
    "index.html",
    "tag.html",
    "style.css",
    "print.css",
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ThemeNotFound(LookupError):
    pass


def theme_search_folders() -> list[Path]:
    """Where themes are looked for, in order."""
    source_tree = Path(editor.__file__).resolve().parents[1] / "resources" / "themes"
    installed = Path(sys.prefix) / "share" / "newsdesk" / "themes"
    return [source_tree, installed]


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    environment: jinja2.Environment

    def render(self, template: str, context: Mapping[str, Any]) -> str:
        return self.environment.get_template(template).render(context)


def load_theme(name: str = DEFAULT_THEME, *, folder: Path | None = None) -> Theme:
    """The theme ``name`` from the search folders, or the theme in ``folder`` itself."""
    candidates = [base / name for base in theme_search_folders()] if folder is None else [folder]
    for candidate in candidates:
        if candidate.is_dir():
            return _load(candidate.resolve(), name)
    searched = ", ".join(str(candidate) for candidate in candidates)
    raise ThemeNotFound(
        f"theme {name!r} not found (looked in {searched}); run Newsdesk from its source "
        f"tree or an install that includes resources/themes"
    )


@functools.lru_cache(maxsize=8)
def _load(folder: Path, name: str) -> Theme:
    missing = [file for file in REQUIRED_TEMPLATES if not (folder / file).is_file()]
    if missing:
        raise ThemeNotFound(f"theme {name!r} in {folder} lacks {', '.join(missing)}")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        thousands=thousands,
        initials=initials,
        iso_datetime=iso_datetime,
        long_date=_in_site_zone(long_date),
        long_datetime=_in_site_zone(long_datetime),
    )
    return Theme(name=name, folder=folder, environment=environment)


def thousands(number: int) -> str:
    return f"{number:,}"


def initials(name: str) -> str:
    """Up to two capital letters for an avatar: "Doreen Ashby" → "DA"."""
    words = [word for word in name.replace(".", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def iso_datetime(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def long_date(moment: datetime) -> str:
    """ "24 November 2026", the same in every locale (publishing must not vary with it)."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def long_datetime(moment: datetime) -> str:
    return f"{long_date(moment)} at {moment:%H:%M}"


def masthead_date(moment: datetime) -> str:
    return f"{_WEEKDAYS[moment.weekday()]}, {long_date(moment)}"


def site_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _in_site_zone(formatter: Any) -> Any:
    @jinja2.pass_context
    def format_in_zone(context: jinja2.runtime.Context, moment: datetime) -> str:
        zone = site_zone(context["site"].timezone)
        return str(formatter(moment.astimezone(zone) if moment.tzinfo else moment))

    return format_in_zone

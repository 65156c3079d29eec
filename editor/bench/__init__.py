"""``newsdesk bench``: the figures each feature promises, measured on this machine.

A group is a module ``editor.bench.<name>`` with a ``measure(context)``
function returning a list of ``Figure``. Benchmarks measure; they never fail
a build. The JSON keys of ``Figure.as_json`` are a contract scripts rely on.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

GROUPS = ("startup", "drafting", "preview", "moderation", "publishing", "wxr")


class UnknownGroup(ValueError):
    pass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    # The promised bound, in the same unit; the figure is within target when value <= target
    # (or >= target for figures where more is better).
    target: float | None
    higher_is_better: bool = False

    @property
    def ok(self) -> bool | None:
        if self.target is None or math.isnan(self.value):
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": None if math.isnan(self.value) else round(self.value, 6),
            "unit": self.unit,
            "target": self.target,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class BenchContext:
    """What every group may use: the store the user named (most groups build their own)."""

    store_url: str | None


def available_groups() -> list[str]:
    found = []
    for name in GROUPS:
        try:
            importlib.import_module(f"editor.bench.{name}")
        except ModuleNotFoundError:
            continue
        found.append(name)
    return found


def run_benchmarks(groups: Sequence[str], *, store_url: str | None = None) -> list[Figure]:
    available = available_groups()
    chosen = list(groups) or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        raise UnknownGroup(
            f"no benchmark group {', '.join(unknown)}; groups: {', '.join(available)}"
        )
    context = BenchContext(store_url=store_url)
    figures: list[Figure] = []
    for name in chosen:
        module = importlib.import_module(f"editor.bench.{name}")
        figures.extend(module.measure(context))
    return figures


def format_table(figures: Sequence[Figure]) -> str:
    rows = [("figure", "value", "unit", "target", "within target")]
    for figure in figures:
        target = (
            ""
            if figure.target is None
            else f"{'≥' if figure.higher_is_better else '≤'} {figure.target:g}"
        )
        verdict = {True: "yes", False: "NO", None: "-"}[figure.ok]
        rows.append((figure.name, f"{figure.value:.4g}", figure.unit, target, verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)

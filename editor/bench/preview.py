"""``newsdesk bench preview``: the live preview's figures.

The core figures (the renderer alone, no Qt) come from
``editor.core.rendering.bench``; names start with ``preview.``.
"""

from __future__ import annotations

from editor.bench import BenchContext, Figure


def measure(context: BenchContext) -> list[Figure]:
    from editor.core.rendering.bench import measure as measure_core
    from editor.ui.preview.bench import measure_live_preview

    core = [figure for figure in measure_core(Figure) if isinstance(figure, Figure)]
    # The real editor and QtWebEngine: keystroke to the page patched and laid out.
    return core + measure_live_preview()

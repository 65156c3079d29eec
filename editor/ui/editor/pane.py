from __future__ import annotations

from editor.ui.placeholder import PlaceholderPane


def make_editor_pane() -> PlaceholderPane:
    return PlaceholderPane(
        "Editor",
        "Open an article from the Articles list to draft it here: Markdown with headings, "
        "figures and pull quotes, the title, slug, dek and tags beside it, and a live preview.",
    )

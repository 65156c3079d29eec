from __future__ import annotations

from editor.ui.placeholder import PlaceholderPane


def make_publishing_pane() -> PlaceholderPane:
    return PlaceholderPane(
        "Publishing",
        "Where articles go live: this store, the newsroom's shared server, or a static site "
        "folder. Each publish is all-or-nothing.",
    )

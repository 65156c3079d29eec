from __future__ import annotations

from editor.ui.placeholder import PlaceholderPane


def make_moderation_pane() -> PlaceholderPane:
    return PlaceholderPane(
        "Moderation",
        "Reader comments waiting for a decision appear here: approve, spam or trash them "
        "from the keyboard, every action undoable.",
    )

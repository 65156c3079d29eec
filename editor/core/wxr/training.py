"""Teaching the spam filter from decisions imported from WordPress.

Imported approved comments are examples of ham and imported spam of spam. The
learned filter lives in ``editor.core.moderation``; it is looked up when the
hook runs (never at import time) so this package works with or without it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from editor.core.models import CommentStatus

# Only decisions a person made in WordPress teach the filter.
TRAINING_LABELS = frozenset({CommentStatus.APPROVED, CommentStatus.SPAM})


def train_from_imported(
    session: Session, comment_ids_with_labels: Sequence[tuple[int, CommentStatus]]
) -> bool:
    """Train the store's spam filter on imported decisions; True when it was trained.

    Runs inside the import's transaction after its rows are written, so the
    filter's state is committed or rolled back with the import.

    TODO: ``editor.core.moderation`` exposes no training entry point yet. Needed:
    a function taking the session and (comment id, approved/spam) pairs that
    updates the learned filter persisted in the store. Until then this is a no-op.
    """
    labelled = [
        (comment_id, label)
        for comment_id, label in comment_ids_with_labels
        if label in TRAINING_LABELS
    ]
    if not labelled:
        return False
    return False

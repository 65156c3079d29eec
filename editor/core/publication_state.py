"""How publish targets are named and what state an article has at one: a module of its own,
free of the store layer, so the Publishing area is built before SQLAlchemy and the renderer
are imported (the window shows first; the store opens after)."""

from __future__ import annotations

import enum

THIS_STORE = "this-store"
FOLDER_PREFIX = "folder:"
STORE_PREFIX = "store:"


class TargetState(enum.StrEnum):
    """An article's state at one target, as the publish log tells it."""

    NEVER_PUBLISHED = "never_published"
    # Published, and the article has not been edited since.
    LIVE = "live"
    # Published, but the article has been edited since: an update is pending.
    CHANGED_SINCE = "changed_since"
    # Waiting for its time (``ArticlePublication.scheduled_at``) to go to this target.
    SCHEDULED = "scheduled"
    # Was live there, then taken down.
    UNPUBLISHED = "unpublished"
    # Marked published in this store without Newsdesk having published it (imported or
    # sample content): it is on exported sites, but this store holds no page for it yet.
    MARKED_PUBLISHED = "marked_published"

    @property
    def is_live(self) -> bool:
        return self in (TargetState.LIVE, TargetState.CHANGED_SINCE)

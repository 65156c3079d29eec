"""The calls the Publish button, the progress dialog and ``newsdesk publish`` make.

Each runs a whole publish (several units of work, see ``targets``) and must
be called off the UI thread. ``target`` is a name (``this-store``,
``folder:PATH``, ``store:URL``) or a ``PublishTarget``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from editor.core.publishing.checks import PreflightIssue
from editor.core.publishing.progress import Cancelled, Progress
from editor.core.publishing.targets import (
    PublishOutcome,
    PublishTarget,
    TargetStatus,
    UnpublishOutcome,
    target_from_name,
)

if TYPE_CHECKING:
    from editor.core.images.cache import ImageCache
    from editor.core.store import Store


def resolve_target(
    target: str | PublishTarget, *, cache: ImageCache | None = None
) -> PublishTarget:
    return target if isinstance(target, PublishTarget) else target_from_name(target, cache=cache)


def preflight(
    store: Store, *, article_id: int, target: str | PublishTarget, cache: ImageCache | None = None
) -> list[PreflightIssue]:
    """Every problem publishing would meet (errors block it), each with its line to jump to."""
    return resolve_target(target, cache=cache).preflight(store, article_id=article_id)


def publish_article(
    store: Store,
    *,
    article_id: int,
    target: str | PublishTarget,
    author: str,
    expected_version: int | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    cache: ImageCache | None = None,
    now: datetime | None = None,
) -> PublishOutcome:
    """Publish (or update) the article as stored now; see ``PublishTarget.publish``.

    Save the editor first and pass the version it holds as ``expected_version``.
    Raises ``PreflightFailed`` (with ``.issues``), ``PublishConflict``,
    ``PublishFailed``, ``PublishCancelled`` — all ``PublishError``; ``str()`` is
    the message to show.
    """
    return resolve_target(target, cache=cache).publish(
        store,
        article_id=article_id,
        author=author,
        expected_version=expected_version,
        progress=progress,
        cancelled=cancelled,
        now=now,
    )


def unpublish_article(
    store: Store,
    *,
    article_id: int,
    target: str | PublishTarget,
    author: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    cache: ImageCache | None = None,
    now: datetime | None = None,
) -> UnpublishOutcome:
    return resolve_target(target, cache=cache).unpublish(
        store,
        article_id=article_id,
        author=author,
        progress=progress,
        cancelled=cancelled,
        now=now,
    )


def publication_status(
    store: Store, *, article_id: int, target: str | PublishTarget, cache: ImageCache | None = None
) -> TargetStatus:
    return resolve_target(target, cache=cache).status(store, article_id=article_id)

"""Publishing (no Qt): one small target interface, chosen by name; never half-published.

Targets (``targets``): ``this-store``, ``folder:/path/to/site`` (a static
site, swapped in whole), ``store:URL`` (another Newsdesk store, e.g. the
newsroom's PostgreSQL). The UI and the command line call only:

- ``preflight(store, article_id=, target=)`` → ``list[PreflightIssue]``
  (``severity``, ``message``, ``field``, ``line`` to jump to);
- ``publish_article(store, article_id=, target=, author=, expected_version=,
  progress=, cancelled=)`` → ``PublishOutcome`` (``url``, ``changed``, …);
  raises a ``PublishError`` whose ``str()`` is the message;
- ``unpublish_article(...)`` → ``UnpublishOutcome``;
- ``publication_status(store, article_id=, target=)`` → ``TargetStatus``;
- ``export_site(store, folder=, cache=, progress=, cancelled=)`` → ``ExportOutcome``;
- ``schedule_publication(session, …)``, ``cancel_schedule(session, …)``,
  ``publish_due(store, now=)`` → ``list[DueResult]``.

``progress(step, done, total)`` gets ``PublishStep`` values; ``cancelled()``
is polled; both run on the publishing thread. Everything here runs off the
UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from editor.core.lazy_exports import load_on_first_use

if TYPE_CHECKING:
    from editor.core.publishing.checks import ArticleField, CheckKind, PreflightIssue, Severity
    from editor.core.publishing.errors import (
        NotASite,
        PreflightFailed,
        PublishCancelled,
        PublishConflict,
        PublishError,
        PublishFailed,
        PublishRefused,
        SlugTaken,
        UnknownTarget,
    )
    from editor.core.publishing.folder import ExportOutcome, export_site
    from editor.core.publishing.progress import PublishStep
    from editor.core.publishing.scheduling import (
        DueResult,
        cancel_schedule,
        publish_due,
        schedule_publication,
    )
    from editor.core.publishing.service import (
        preflight,
        publication_status,
        publish_article,
        resolve_target,
        unpublish_article,
    )
    from editor.core.publishing.targets import (
        THIS_STORE,
        PublicationState,
        PublishOutcome,
        PublishTarget,
        TargetKind,
        TargetStatus,
        UnpublishOutcome,
        target_from_name,
    )

# Each public name and the module defining it, imported on first use (see lazy_exports).
_EXPORTS = {
    "ArticleField": "editor.core.publishing.checks",
    "CheckKind": "editor.core.publishing.checks",
    "PreflightIssue": "editor.core.publishing.checks",
    "Severity": "editor.core.publishing.checks",
    "NotASite": "editor.core.publishing.errors",
    "PreflightFailed": "editor.core.publishing.errors",
    "PublishCancelled": "editor.core.publishing.errors",
    "PublishConflict": "editor.core.publishing.errors",
    "PublishError": "editor.core.publishing.errors",
    "PublishFailed": "editor.core.publishing.errors",
    "PublishRefused": "editor.core.publishing.errors",
    "SlugTaken": "editor.core.publishing.errors",
    "UnknownTarget": "editor.core.publishing.errors",
    "ExportOutcome": "editor.core.publishing.folder",
    "export_site": "editor.core.publishing.folder",
    "PublishStep": "editor.core.publishing.progress",
    "DueResult": "editor.core.publishing.scheduling",
    "cancel_schedule": "editor.core.publishing.scheduling",
    "publish_due": "editor.core.publishing.scheduling",
    "schedule_publication": "editor.core.publishing.scheduling",
    "preflight": "editor.core.publishing.service",
    "publication_status": "editor.core.publishing.service",
    "publish_article": "editor.core.publishing.service",
    "resolve_target": "editor.core.publishing.service",
    "unpublish_article": "editor.core.publishing.service",
    "THIS_STORE": "editor.core.publishing.targets",
    "PublicationState": "editor.core.publishing.targets",
    "PublishOutcome": "editor.core.publishing.targets",
    "PublishTarget": "editor.core.publishing.targets",
    "TargetKind": "editor.core.publishing.targets",
    "TargetStatus": "editor.core.publishing.targets",
    "UnpublishOutcome": "editor.core.publishing.targets",
    "target_from_name": "editor.core.publishing.targets",
}


__getattr__ = load_on_first_use(__name__, _EXPORTS)


__all__ = [
    "THIS_STORE",
    "ArticleField",
    "CheckKind",
    "DueResult",
    "ExportOutcome",
    "NotASite",
    "PreflightFailed",
    "PreflightIssue",
    "PublicationState",
    "PublishCancelled",
    "PublishConflict",
    "PublishError",
    "PublishFailed",
    "PublishOutcome",
    "PublishRefused",
    "PublishStep",
    "PublishTarget",
    "Severity",
    "SlugTaken",
    "TargetKind",
    "TargetStatus",
    "UnknownTarget",
    "UnpublishOutcome",
    "cancel_schedule",
    "export_site",
    "preflight",
    "publication_status",
    "publish_article",
    "publish_due",
    "resolve_target",
    "schedule_publication",
    "target_from_name",
    "unpublish_article",
]

"""What can stop a publish, each with one line a person can act on (``str(error)``).

``PublishRefused``: publishing did not start or stopped before writing
anything because of the article or the target's state (pre-flight errors,
someone else's newer copy, a folder that is not a Newsdesk site): fix it and
publish again. ``PublishFailed``: the target broke underneath (unreachable,
credentials, disk full, read-only): nothing was half-published and Retry works
once the fault is gone. ``PublishCancelled``: the user stopped it before the
commit; nothing was published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.core.publishing.checks import PreflightIssue


class PublishError(Exception):
    """Base of every publishing error; ``str()`` is the message shown to the user."""


class PublishRefused(PublishError):
    pass


class UnknownTarget(PublishRefused):
    """A target name that names no target (``this-store``, ``folder:PATH``, ``store:URL``)."""


class PreflightFailed(PublishRefused):
    """Pre-flight errors; ``issues`` lists every problem (errors and warnings) with its line."""

    def __init__(self, issues: list[PreflightIssue]) -> None:
        from editor.core.publishing.checks import Severity

        errors = [issue for issue in issues if issue.severity is Severity.ERROR]
        first = errors[0].message if errors else "pre-flight checks failed"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"Not published: {first}{more}")
        self.issues = issues


class PublishConflict(PublishRefused):
    """Someone else's change got there first: another publisher, or an edit made at the target."""


class SlugTaken(PublishConflict):
    pass


class NotASite(PublishRefused):
    """The folder named for the static site holds something that is not a Newsdesk site."""


class PublishFailed(PublishError):
    pass


class PublishCancelled(PublishError):
    def __init__(self, message: str = "Publishing was cancelled; nothing was published.") -> None:
        super().__init__(message)

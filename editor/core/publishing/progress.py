"""Progress and cancellation, as the Publish dialog and ``newsdesk publish`` see them.

``progress(step, done, total)`` is called on the publishing thread (the UI
relays it through a queued signal); ``step`` is a ``PublishStep`` value, a
``str``. ``cancelled()`` is polled between steps and between images; once it
returns true the publish stops before its commit or swap and raises
``PublishCancelled`` with nothing published.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from editor.core.publishing.errors import PublishCancelled

Progress = Callable[[str, int, int], None]
Cancelled = Callable[[], bool]


class PublishStep(enum.StrEnum):
    CHECKING = "checking"
    IMAGES = "images"
    CONNECTING = "connecting"
    COPYING_IMAGES = "copying images"
    WRITING = "writing"
    BUILDING_SITE = "building site"
    SWAPPING = "swapping in"
    COMMITTING = "committing"
    DONE = "done"

    @property
    def label(self) -> str:
        """The step as a status line: "Making image renditions…"."""
        return _LABELS[self]


_LABELS = {
    PublishStep.CHECKING: "Checking the article",
    PublishStep.IMAGES: "Making image renditions",
    PublishStep.CONNECTING: "Connecting to the target",
    PublishStep.COPYING_IMAGES: "Copying images to the target",
    PublishStep.WRITING: "Writing the published page",
    PublishStep.BUILDING_SITE: "Building the site",
    PublishStep.SWAPPING: "Swapping the new site in",
    PublishStep.COMMITTING: "Committing",
    PublishStep.DONE: "Published",
}


class StepReporter:
    """One publish's progress callback and cancel check, both optional."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self._progress = progress
        self._cancelled = cancelled

    def step(self, step: PublishStep, done: int = 0, total: int = 1) -> None:
        """Report ``step`` after checking for a cancel (so a cancel stops before the step runs)."""
        self.check_cancelled()
        if self._progress is not None:
            self._progress(step.value, done, total)

    def report(self, step: PublishStep, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(step.value, done, total)

    def is_cancelled(self) -> bool:
        return self._cancelled is not None and self._cancelled()

    def check_cancelled(self) -> None:
        if self.is_cancelled():
            raise PublishCancelled()

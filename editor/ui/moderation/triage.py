"""The moderator's decisions: shown at once, then stored with what the moderator saw, undoable.

An action updates the queue first (``QueueView.apply_moves``) and then runs
``moderate`` in the store lane with ``expected_status`` = the statuses on
screen. If someone else moderated a comment meanwhile the store refuses as a
whole (``ModerationConflict``): the moderator is told and the queue reloads.
Each action is one entry on the undo stack; ``z`` reverts the latest batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from editor.core.models import CommentStatus
from editor.core.moderation.service import (
    ModerationAction,
    ModerationConflict,
    ModerationError,
    ModerationResult,
)
from editor.ui.background import Lane

if TYPE_CHECKING:
    from editor.core.moderation.learning import SharedSpamFilter
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.moderation.queue_view import QueueView

_log = logging.getLogger(__name__)

ACTION_PAST = {
    ModerationAction.APPROVE: "Approved",
    ModerationAction.SPAM: "Marked as spam",
    ModerationAction.TRASH: "Trashed",
    ModerationAction.PENDING: "Sent back to pending",
}


@dataclass
class UndoEntry:
    """One action on the undo stack. ``batch`` is filled in by the worker that ran the
    action; an undo runs later in the same lane, so it always sees the outcome."""

    description: str
    edit_serial: int | None
    batch: str | None = None
    failed: bool = False


def _comments(count: int) -> str:
    return f"{count} comment{'s' if count != 1 else ''}"


class Triage(QObject):
    moderated = Signal(object)  # ModerationResult
    refused = Signal(str)  # what the moderator was told
    undone = Signal(object)  # ModerationResult
    told = Signal(str)  # a passing message ("Approved 1 comment — z to undo.")

    def __init__(
        self,
        runner: BackgroundRunner,
        queue_view: QueueView,
        actor: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._queue = queue_view
        self._actor = actor
        self._store: Store | None = None
        self._spam_filter: SharedSpamFilter | None = None
        self.undo_stack: list[UndoEntry] = []

    def set_store(self, store: Store | None, spam_filter: SharedSpamFilter | None) -> None:
        self._store = store
        self._spam_filter = spam_filter
        self.undo_stack.clear()

    # --- deciding ---------------------------------------------------------------

    def act_on_current(self, action: ModerationAction) -> None:
        current = self._queue.current_comment()
        if current is None:
            return
        if current.status is action.target:
            self.told.emit(f"Already {action.target.value}.")
            self._queue.move_current(1)
            return
        self._moderate({int(current.id): current.status}, action)

    def act_on_marked(self, action: ModerationAction) -> None:
        marked = {
            comment_id: status
            for comment_id, status in self._queue.model.marked.items()
            if status is not action.target
        }
        if not marked:
            self.told.emit("Mark comments with x first.")
            return
        self._moderate(marked, action)

    def toggle_mark(self) -> None:
        row = self._queue.current_row()
        if row >= 0 and self._queue.model.toggle_mark(row):
            self._queue.move_current(1)

    def _moderate(self, seen: dict[int, CommentStatus], action: ModerationAction) -> None:
        store, spam_filter, actor = self._store, self._spam_filter, self._actor()
        if store is None:
            return
        serial = self._queue.apply_moves(seen, action.target)
        description = f"{ACTION_PAST[action]} {_comments(len(seen))}"
        entry = UndoEntry(description, serial)
        self.undo_stack.append(entry)
        self.told.emit(f"{description} — z to undo.")

        def work() -> ModerationResult:
            from editor.core.moderation.service import moderate

            try:
                with store.session_factory.begin() as session:
                    result = moderate(
                        list(seen),
                        action,
                        session=session,
                        actor=actor,
                        spam_filter=spam_filter,
                        expected_status=seen,
                    )
            except BaseException:
                entry.failed = True
                raise
            entry.batch = result.batch
            return result

        self._runner.run(
            "moderate comments",
            work,
            on_success=self.moderated.emit,
            on_failure=lambda error: self._refused(entry, error),
            lane=Lane.STORE,
            after_paint=True,
        )
        self._index_moved_comments()

    def act_on_author(
        self, comment_id: int, author: str, action: ModerationAction, *, in_tab: bool
    ) -> None:
        """ "All by this author": their comments in the current tab (every status in All)."""
        store, spam_filter, actor = self._store, self._spam_filter, self._actor()
        if store is None:
            return
        tab_status = self._queue.tab.status
        statuses = None if tab_status is None or not in_tab else (tab_status,)
        shown_author = " ".join(author.split()) or "this author"
        entry = UndoEntry(f"{ACTION_PAST[action]} comments by {shown_author}", None)
        self.undo_stack.append(entry)

        def work() -> ModerationResult:
            from editor.core.moderation.service import moderate_author

            try:
                with store.session_factory.begin() as session:
                    result = moderate_author(
                        comment_id,
                        action,
                        session=session,
                        actor=actor,
                        spam_filter=spam_filter,
                        statuses=statuses,
                    )
            except BaseException:
                entry.failed = True
                raise
            entry.batch = result.batch
            return result

        def done(result: ModerationResult) -> None:
            entry.description = (
                f"{ACTION_PAST[action]} {_comments(len(result.changes))} by {shown_author}"
            )
            self.told.emit(f"{entry.description} — z to undo.")
            self._queue.reload(keep_current=False)
            self.moderated.emit(result)

        self._runner.run(
            "moderate author",
            work,
            on_success=done,
            on_failure=lambda error: self._refused(entry, error),
            lane=Lane.STORE,
        )
        self._index_moved_comments()

    def _refused(self, entry: UndoEntry, error: BaseException) -> None:
        if entry in self.undo_stack:
            self.undo_stack.remove(entry)
        if entry.edit_serial is not None:
            self._queue.forget_edit(entry.edit_serial)
        if isinstance(error, ModerationError):
            message = str(error)
        else:
            message = f"Not saved ({entry.description.lower()}): {error}"
        self.refused.emit(message)
        self._queue.reload(keep_current=True)

    # --- undo -------------------------------------------------------------------

    def undo_last(self) -> None:
        store, spam_filter, actor = self._store, self._spam_filter, self._actor()
        if store is None:
            return
        if not self.undo_stack:
            self.told.emit("Nothing to undo.")
            return
        entry = self.undo_stack.pop()
        around = max(0, self._queue.current_row())

        def work() -> ModerationResult:
            from editor.core.moderation.service import NothingToUndo, undo

            if entry.failed:
                raise NothingToUndo("That action was refused, so there is nothing to undo.")
            if entry.batch is None:
                raise NothingToUndo("That action changed nothing, so there is nothing to undo.")
            with store.session_factory.begin() as session:
                return undo(entry.batch, session=session, actor=actor, spam_filter=spam_filter)

        def done(result: ModerationResult) -> None:
            self.told.emit(f"Undone: {entry.description[0].lower()}{entry.description[1:]}.")
            first = result.comment_ids[0] if result.comment_ids else None
            # Back where it was: the undone comment is current again.
            self._queue.load(
                keep_comment=None if first is None else int(first),
                around_row=around,
                with_counts=True,
            )
            self.undone.emit(result)

        def failed(error: BaseException) -> None:
            message = str(error) if isinstance(error, ModerationError) else f"Undo failed: {error}"
            self.refused.emit(message)
            if isinstance(error, ModerationConflict) or not isinstance(error, ModerationError):
                self._queue.reload(keep_current=True)

        self._runner.run("undo moderation", work, on_success=done, on_failure=failed)
        self._index_moved_comments()

    # --- search index -----------------------------------------------------------

    def _index_moved_comments(self) -> None:
        """Queued behind an action in the store lane: move the moderated comments' words to
        their new status's search index, a batch per job, so a load asked for meanwhile
        waits for one batch (~30 ms), not for all of them."""
        store = self._store
        if store is None:
            return

        def work() -> int:
            from editor.core.moderation.search_index import index_moved_comments

            with store.session_factory.begin() as session:
                return index_moved_comments(session)

        def done(waiting: int) -> None:
            if waiting and store is self._store:
                self._index_moved_comments()

        def failed(error: BaseException) -> None:
            # Searches read waiting comments beside the index, so they stay right; the next
            # action tries again.
            _log.warning("Moving moderated comments in the search index failed: %s", error)

        self._runner.run(
            "index moderated comments for search",
            work,
            on_success=done,
            on_failure=failed,
            lane=Lane.STORE,
        )

"""The moderation pane on a real store, driven from the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from editor.core.models import Comment, CommentStatus
from editor.core.store import Store
from editor.ui.background import BackgroundRunner
from editor.ui.moderation.pane import ModerationPane
from editor.ui.settings import Settings

MODERATOR = "Test Moderator"


@pytest.fixture
def pane(qtbot, runner: BackgroundRunner, settings: Settings) -> Iterator[ModerationPane]:  # type: ignore[no-untyped-def]
    settings.preferences.moderator_name = MODERATOR
    widget = ModerationPane(runner, settings)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    yield widget
    widget.shutdown()
    runner.wait_for_done(10_000)


@pytest.fixture
def open_queue(qtbot, pane: ModerationPane) -> Callable[[Store], ModerationPane]:  # type: ignore[no-untyped-def]
    """Show ``store`` in the pane and wait for the first rows and the first comment's detail."""

    def opened(store: Store) -> ModerationPane:
        with (
            qtbot.waitSignal(pane.queue_loaded, timeout=10_000),
            qtbot.waitSignal(pane.detail_shown, timeout=10_000),
        ):
            pane.set_store(store)
        pane.table.setFocus()
        return pane

    return opened


def settle(qtbot, runner: BackgroundRunner) -> None:  # type: ignore[no-untyped-def]
    """Until every queued store job has run and its callback has been handled."""
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)


def status_of(store: Store, comment_id: int) -> tuple[CommentStatus, str | None]:
    with store.session_factory() as session:
        row = session.execute(
            select(Comment.status, Comment.moderated_by).where(Comment.id == comment_id)
        ).one()
        return row[0], row[1]


def shown_ids(pane: ModerationPane) -> list[int]:
    """Ids of the rows the model holds, top to bottom (None for a row not fetched)."""
    return [
        None if (row := pane.model.row_at(index)) is None else int(row.id)  # type: ignore[misc]
        for index in range(pane.model.rowCount())
    ]

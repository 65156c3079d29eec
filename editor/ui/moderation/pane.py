"""The Moderation area: clear the comment queue from the keyboard.

j/k move, a/s/d/u approve, spam, trash or send back to pending, x marks,
Shift+A/S/D act on the marked comments, z undoes, / searches, ? lists it all.
An action shows at once (the row leaves its tab, the next comment is
focused) and then runs in the store lane with the status the moderator saw;
if someone else moderated the comment first, the store refuses, the
moderator is told and the queue reloads. Nothing is ever overwritten.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.models import CommentStatus
from editor.core.moderation.queue import QueueQuery, QueueTab
from editor.core.moderation.service import (
    ModerationAction,
    ModerationConflict,
    ModerationError,
    ModerationResult,
)
from editor.ui.background import Lane
from editor.ui.moderation.detail import CommentDetailView, ShownComment, prepare_detail
from editor.ui.moderation.live import NewCommentWatcher
from editor.ui.moderation.queue_view import QueueView

if TYPE_CHECKING:
    from editor.core.moderation.learning import SharedSpamFilter
    from editor.core.moderation.retention import PurgeCount
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.settings import Settings

ACTION_KEYS = {
    ModerationAction.APPROVE: "A",
    ModerationAction.SPAM: "S",
    ModerationAction.TRASH: "D",
    ModerationAction.PENDING: "U",
}
ACTION_PAST = {
    ModerationAction.APPROVE: "Approved",
    ModerationAction.SPAM: "Marked as spam",
    ModerationAction.TRASH: "Trashed",
    ModerationAction.PENDING: "Sent back to pending",
}
DATE_FILTERS = (
    ("Any time", None),
    ("Last 24 hours", timedelta(hours=24)),
    ("Last 7 days", timedelta(days=7)),
    ("Last 30 days", timedelta(days=30)),
)
SHORTCUTS = (
    ("j / k", "Next / previous comment"),
    ("a", "Approve"),
    ("s", "Spam"),
    ("d", "Trash"),
    ("u", "Back to pending"),
    ("z", "Undo the last action"),
    ("x", "Mark or unmark the comment"),
    ("Shift+A / S / D", "Approve, spam or trash the marked comments"),
    ("/", "Search"),
    ("Esc", "Back to the list from the search box"),
    ("Home / End", "First / last comment"),
    ("r", "Show new comments (reload)"),
    ("1 … 5", "Pending, Approved, Spam, Trash, All"),
    ("?", "This list"),
)
STYLE_SHEET = """
QLabel#moderationBanner { border-radius: 4px; padding: 6px 10px; }
QLabel#moderationBanner[kind="conflict"] { background: #fdecea; color: #8a1c13;
    border: 1px solid #f2b8b5; }
QLabel#moderationBanner[kind="news"] { background: #e8f1fb; color: #174a7c;
    border: 1px solid #b9d3ee; }
QLabel#moderationBanner[kind="info"] { background: #eef5ee; color: #1f5130;
    border: 1px solid #c4dfc8; }
QLabel#detailAuthor { font-size: 16px; font-weight: 600; }
QLabel#detailSection { font-weight: 600; padding-top: 6px; }
QPlainTextEdit#detailBody { background: #fbfbfa; border: 1px solid #dfe3e6; border-radius: 4px;
    padding: 6px; font-size: 13px; }
QTableView#queueTable { border: 1px solid #dfe3e6; selection-background-color: #d7e6f5;
    selection-color: black; alternate-background-color: #f7f9fa; }
QTabBar#queueTabs::tab { padding: 6px 14px; }
QLabel#shortcutHint { color: #5f6b76; padding: 4px 2px; }
"""


@dataclass
class _UndoEntry:
    """One action as the undo stack holds it. ``batch`` is filled in by the worker that
    ran the action; an undo runs later in the same lane, so it always sees the outcome."""

    description: str
    edit_serial: int | None
    batch: str | None = None
    failed: bool = False


class ModerationPane(QWidget):
    queue_loaded = Signal(int)  # rows in the view
    comment_moderated = Signal(object)  # ModerationResult
    action_refused = Signal(str)  # the message the moderator was shown
    undone = Signal(object)  # ModerationResult
    detail_shown = Signal(int)  # comment id
    purged = Signal(object)  # PurgeCount

    def __init__(
        self, runner: BackgroundRunner, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("moderationPane")
        self.setStyleSheet(STYLE_SHEET)
        self._runner = runner
        self._settings = settings
        self.store: Store | None = None
        self.spam_filter: SharedSpamFilter | None = None
        self.undo_stack: list[_UndoEntry] = []
        self._waiting_new = 0
        self._detail_loading = False
        self._first_load_pending = False
        self.retention_box: QMessageBox | None = None
        self.shortcuts_box: QMessageBox | None = None

        heading = QLabel("Moderation")
        heading.setObjectName("paneHeading")
        self.search_field = QLineEdit()
        self.search_field.setObjectName("moderationSearch")
        self.search_field.setPlaceholderText("Search comments and authors…  ( / )")
        self.search_field.setClearButtonEnabled(True)
        self.article_filter = QComboBox()
        self.article_filter.addItem("All articles", None)
        self.article_filter.setMinimumContentsLength(18)
        self.article_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.date_filter = QComboBox()
        for label, _ in DATE_FILTERS:
            self.date_filter.addItem(label)
        self.author_field = QLineEdit()
        self.author_field.setPlaceholderText("Author or email")
        self.author_field.setClearButtonEnabled(True)
        self.author_field.setMaximumWidth(200)
        filters = QHBoxLayout()
        filters.addWidget(heading)
        filters.addSpacing(12)
        filters.addWidget(self.search_field, 2)
        filters.addWidget(self.article_filter, 1)
        filters.addWidget(self.author_field, 1)
        filters.addWidget(self.date_filter)

        self.queue_view = QueueView(runner)
        self.model = self.queue_view.model
        self.table = self.queue_view.table
        self.detail = CommentDetailView()

        self.actions_by_name: dict[str, QAction] = {}
        action_bar = QHBoxLayout()
        action_bar.setSpacing(4)
        self._build_actions(action_bar)
        self.marked_label = QLabel()
        self.marked_label.setObjectName("muted")
        self.message_label = QLabel()
        self.message_label.setObjectName("muted")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        action_bar.addSpacing(8)
        action_bar.addWidget(self.marked_label)
        action_bar.addWidget(self.message_label, 1)
        self.empty_old_button = QPushButton()
        self.empty_old_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.empty_old_button.clicked.connect(self.ask_to_empty_old)
        action_bar.addWidget(self.empty_old_button)

        self.banner = QLabel()
        self.banner.setObjectName("moderationBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.hide()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("moderationSplitter")
        splitter.addWidget(self.queue_view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 300])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        hint = QLabel(
            "j/k move · a approve · s spam · d trash · u pending · x mark · "
            "Shift+A/S/D marked · z undo · / search · ? all keys"
        )
        hint.setObjectName("shortcutHint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(filters)
        layout.addLayout(action_bar)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)

        self.watcher = NewCommentWatcher(runner, self)
        self.watcher.comments_arrived.connect(self.queue_view.take_new_comments)
        self.watcher.listening_failed.connect(lambda message: self.show_banner(message, "conflict"))

        self.queue_view.loaded.connect(self._queue_loaded)
        self.queue_view.tab_changed.connect(self._tab_changed)
        self.queue_view.current_comment_changed.connect(self._current_changed)
        self.queue_view.new_comments_waiting.connect(self._new_comments_waiting)
        self.model.dataChanged.connect(lambda *_: self._update_marked_label())
        self.model.modelReset.connect(self._update_marked_label)
        self.detail.author_action_requested.connect(self.act_on_author)
        self.detail.author_filter_requested.connect(self._filter_author)

        self._filter_delay = QTimer(self)
        self._filter_delay.setSingleShot(True)
        self._filter_delay.setInterval(200)
        self._filter_delay.timeout.connect(self.apply_filters)
        self.search_field.textChanged.connect(self._filter_delay.start)
        self.author_field.textChanged.connect(self._filter_delay.start)
        self.article_filter.currentIndexChanged.connect(self.apply_filters)
        self.date_filter.currentIndexChanged.connect(self.apply_filters)
        self.search_field.returnPressed.connect(self._leave_search)
        for field in (self.search_field, self.author_field):
            leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), field)
            leave.setContext(Qt.ShortcutContext.WidgetShortcut)
            leave.activated.connect(self._leave_search)

        # Asks for the detail of the current comment once events settle (j held down
        # moves many rows; only where it stops is read).
        self._detail_delay = QTimer(self)
        self._detail_delay.setSingleShot(True)
        self._detail_delay.setInterval(0)
        self._detail_delay.timeout.connect(self._load_detail)
        self._tab_changed(self.queue_view.tab)
        self.detail.show_nothing("No store is open yet.")

    # --- actions and keys ------------------------------------------------------

    def _add_action(
        self, name: str, text: str, keys: list[str], slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        # Single letters work anywhere in the pane except where text is typed: line edits
        # claim printable keys before shortcuts see them.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self, bar: QHBoxLayout) -> None:
        for action, key in ACTION_KEYS.items():
            label = {
                ModerationAction.APPROVE: "Approve",
                ModerationAction.SPAM: "Spam",
                ModerationAction.TRASH: "Trash",
                ModerationAction.PENDING: "Pending",
            }[action]
            qt_action = self._add_action(
                action.value, label, [key], lambda action=action: self.act_on_current(action)
            )
            qt_action.setToolTip(f"{label} the current comment ({key.lower()})")
            button = QToolButton()
            button.setDefaultAction(qt_action)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
            if action is not ModerationAction.PENDING:
                self._add_action(
                    f"{action.value} marked",
                    f"{label} Marked",
                    [f"Shift+{key}"],
                    lambda action=action: self.act_on_marked(action),
                )
        undo = self._add_action("undo", "Undo", ["Z", "Ctrl+Z"], self.undo_last)
        undo.setToolTip("Undo the last action (z)")
        undo_button = QToolButton()
        undo_button.setDefaultAction(undo)
        undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addSpacing(8)
        bar.addWidget(undo_button)
        self._add_action("next", "Next", ["J"], lambda: self.queue_view.move(1))
        self._add_action("previous", "Previous", ["K"], lambda: self.queue_view.move(-1))
        self._add_action("mark", "Mark", ["X"], self.toggle_mark)
        self._add_action("search", "Search", ["/"], self.focus_search)
        self._add_action("shortcuts", "Keyboard Shortcuts", ["?", "Shift+?"], self.show_shortcuts)
        self._add_action("reload", "Reload", ["R"], self.show_new_comments)
        self._add_action("first", "First", ["Home", "Ctrl+Home"], self.queue_view.jump_to_start)
        self._add_action("last", "Last", ["End", "Ctrl+End"], self.queue_view.jump_to_end)
        for number, tab in enumerate(QueueTab, start=1):
            self._add_action(
                f"tab {tab.value}", tab.value, [str(number)], lambda tab=tab: self.set_tab(tab)
            )
        help_button = QToolButton()
        help_button.setDefaultAction(self.actions_by_name["shortcuts"])
        help_button.setText("?")
        help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(help_button)

    def set_tab(self, tab: QueueTab) -> None:
        self.queue_view.set_tab(tab)

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def _leave_search(self) -> None:
        self._filter_delay.stop()
        self.apply_filters()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focused = self.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{keys}</b></td><td style='padding-left:16px'>{what}</td></tr>"
            for keys, what in SHORTCUTS
        )
        box = QMessageBox(self)
        box.setWindowTitle("Moderation Shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{rows}</table>")
        self.shortcuts_box = box
        box.open()

    # --- the store --------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        from editor.core.moderation.learning import SharedSpamFilter

        self.watcher.stop()
        self.store = store
        self.spam_filter = SharedSpamFilter() if store is not None else None
        self.undo_stack.clear()
        self._waiting_new = 0
        self.banner.hide()
        self.message_label.clear()
        self.detail.show_nothing("Loading…" if store is not None else "No store is open yet.")
        self._first_load_pending = store is not None
        self.queue_view.set_store(store)
        self._load_articles()

    def shutdown(self) -> None:
        """Stop listening for new comments (the window is closing)."""
        self.watcher.stop()

    @property
    def actor(self) -> str:
        name = self._settings.preferences.moderator_name.strip()
        if name:
            return name
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return "moderator"

    def _queue_loaded(self, total: int) -> None:
        if self._first_load_pending and self.store is not None:
            self._first_load_pending = False
            self.watcher.start(self.store, after_id=self.queue_view.latest_id)
        if total == 0:
            self.detail.show_nothing(
                "No comments match." if self._filters_active() else "Nothing here. Well done."
            )
        self.queue_loaded.emit(total)

    def _load_articles(self) -> None:
        store = self.store
        self.article_filter.blockSignals(True)
        while self.article_filter.count() > 1:
            self.article_filter.removeItem(1)
        self.article_filter.setCurrentIndex(0)
        self.article_filter.blockSignals(False)
        if store is None:
            return

        def work() -> list[tuple[int, str]]:
            from editor.core.articles.service import list_articles

            with store.session_factory() as session:
                return [(int(row.id), row.title or row.slug) for row in list_articles(session)]

        def done(articles: list[tuple[int, str]]) -> None:
            if store is not self.store:
                return
            for article_id, title in articles:
                self.article_filter.addItem(" ".join(title.split())[:80], article_id)

        self._runner.run("list articles for moderation", work, on_success=done, lane=Lane.STORE)

    # --- filters ------------------------------------------------------------------------

    def current_filters(self) -> QueueQuery:
        delta = DATE_FILTERS[max(0, self.date_filter.currentIndex())][1]
        return QueueQuery(
            search=self.search_field.text().strip(),
            article_id=self.article_filter.currentData(),
            author=self.author_field.text().strip(),
            since=None if delta is None else datetime.now(UTC) - delta,
        )

    def _filters_active(self) -> bool:
        return self.current_filters() != QueueQuery()

    def apply_filters(self) -> None:
        self._filter_delay.stop()
        self.queue_view.set_filters(self.current_filters())

    def _filter_author(self, author: str) -> None:
        self.author_field.setText(author)
        self.apply_filters()

    def _tab_changed(self, tab: QueueTab) -> None:
        days = self._settings.preferences.retention_days
        self.empty_old_button.setText(f"Empty Spam and Trash Older Than {days} Days…")
        self.empty_old_button.setVisible(tab in (QueueTab.SPAM, QueueTab.TRASH))

    # --- the detail ---------------------------------------------------------------------

    def _current_changed(self, comment_id: int) -> None:
        if comment_id < 0:
            if self.model.rowCount() == 0:
                self.detail.show_nothing(
                    "No comments match." if self._filters_active() else "Nothing here."
                )
            return
        self._detail_delay.start()

    def _load_detail(self) -> None:
        store = self.store
        current = self.queue_view.current_comment()
        if store is None or current is None:
            return
        if self._detail_loading:
            return  # the running load re-checks the current comment when it ends
        shown = self.detail.shown
        if (
            shown is not None
            and shown.detail.id == current.id
            and shown.detail.status is current.status
        ):
            return
        self._detail_loading = True
        comment_id = int(current.id)

        def work() -> ShownComment | None:
            from editor.core.moderation.queue import detail

            with store.session_factory() as session:
                found = detail(comment_id, session=session)
            return None if found is None else prepare_detail(found)

        def done(shown: ShownComment | None) -> None:
            self._detail_loading = False
            now = self.queue_view.current_comment()
            if store is not self.store:
                return
            if now is not None and int(now.id) != comment_id:
                self._detail_delay.start()
                return
            if shown is None:
                self.detail.show_nothing("This comment is gone: someone deleted it.")
                return
            self.detail.show_comment(shown)
            self.detail_shown.emit(comment_id)

        def failed(error: BaseException) -> None:
            self._detail_loading = False
            self.detail.show_nothing(f"Could not read the comment: {error}")

        self._runner.run("read comment", work, on_success=done, on_failure=failed, lane=Lane.STORE)

    # --- moderating ---------------------------------------------------------------------

    def act_on_current(self, action: ModerationAction) -> None:
        current = self.queue_view.current_comment()
        if current is None:
            return
        if current.status is action.target:
            self.show_message(f"Already {action.target.value}.")
            self.queue_view.move(1)
            return
        self._moderate({int(current.id): current.status}, action)

    def act_on_marked(self, action: ModerationAction) -> None:
        marked = {
            comment_id: status
            for comment_id, status in self.model.marked.items()
            if status is not action.target
        }
        if not marked:
            self.show_message("Mark comments with x first.")
            return
        self._moderate(marked, action)

    def toggle_mark(self) -> None:
        row = self.queue_view.current_row()
        if row >= 0 and self.model.toggle_mark(row):
            self.queue_view.move(1)

    def _update_marked_label(self) -> None:
        count = len(self.model.marked)
        self.marked_label.setText(f"{count} marked" if count else "")

    def _moderate(self, seen: dict[int, CommentStatus], action: ModerationAction) -> None:
        store, spam_filter, actor = self.store, self.spam_filter, self.actor
        if store is None:
            return
        serial = self.queue_view.apply_moves(seen, action.target)
        count = len(seen)
        description = f"{ACTION_PAST[action].lower()} {count} comment{'s' if count != 1 else ''}"
        entry = _UndoEntry(description, serial)
        self.undo_stack.append(entry)
        self.show_message(f"{description[0].upper()}{description[1:]} — z to undo.")

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
            on_success=self._moderated,
            on_failure=lambda error: self._refused(entry, error),
            lane=Lane.STORE,
        )

    def _moderated(self, result: ModerationResult) -> None:
        self.comment_moderated.emit(result)

    def _refused(self, entry: _UndoEntry, error: BaseException) -> None:
        if entry in self.undo_stack:
            self.undo_stack.remove(entry)
        if entry.edit_serial is not None:
            self.queue_view.forget_edit(entry.edit_serial)
        message = str(error) if isinstance(error, ModerationError) else f"Not saved: {error}"
        if isinstance(error, ModerationConflict):
            self.show_banner(message, "conflict")
        else:
            self.show_banner(f"Could not {entry.description.split(' ')[0]}: {message}", "conflict")
        self.action_refused.emit(message)
        self.queue_view.reload(keep_current=True)

    def act_on_author(self, action: ModerationAction) -> None:
        """ "All by this author": their comments in this tab (every tab's, in All)."""
        store, spam_filter, actor = self.store, self.spam_filter, self.actor
        shown = self.detail.shown
        if store is None or shown is None:
            return
        comment_id = int(shown.detail.id)
        tab_status = self.queue_view.tab.status
        statuses = None if tab_status is None else (tab_status,)
        author = shown.detail.author_name or shown.detail.author_email or "this author"
        entry = _UndoEntry(f"{ACTION_PAST[action].lower()} comments by {author}", None)
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
            count = len(result.changes)
            self.show_message(
                f"{ACTION_PAST[action]} {count} comment{'s' if count != 1 else ''} by "
                f"{' '.join(author.split())} — z to undo."
            )
            self.queue_view.reload(keep_current=False)
            self.comment_moderated.emit(result)

        self._runner.run(
            "moderate author",
            work,
            on_success=done,
            on_failure=lambda error: self._refused(entry, error),
            lane=Lane.STORE,
        )

    def undo_last(self) -> None:
        store, spam_filter, actor = self.store, self.spam_filter, self.actor
        if store is None:
            return
        if not self.undo_stack:
            self.show_message("Nothing to undo.")
            return
        entry = self.undo_stack.pop()
        around = max(0, self.queue_view.current_row())

        def work() -> ModerationResult:
            from editor.core.moderation.service import NothingToUndo, undo

            if entry.failed:
                raise NothingToUndo("That action was refused, so there is nothing to undo.")
            if entry.batch is None:
                raise NothingToUndo("That action changed nothing, so there is nothing to undo.")
            with store.session_factory.begin() as session:
                return undo(entry.batch, session=session, actor=actor, spam_filter=spam_filter)

        def done(result: ModerationResult) -> None:
            self.show_message(f"Undone: {entry.description}.")
            first = result.comment_ids[0] if result.comment_ids else None
            self.queue_view.load(
                keep_comment=None if first is None else int(first),
                around_row=around,
                with_counts=True,
            )
            self.undone.emit(result)

        def failed(error: BaseException) -> None:
            message = str(error) if isinstance(error, ModerationError) else f"Undo failed: {error}"
            self.show_banner(message, "conflict")
            self.action_refused.emit(message)
            self.queue_view.reload(keep_current=True)

        self._runner.run("undo moderation", work, on_success=done, on_failure=failed)

    # --- messages and new comments -------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def show_banner(self, text: str, kind: str) -> None:
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()

    def _new_comments_waiting(self, count: int) -> None:
        self._waiting_new += count
        self.show_banner(
            f"{self._waiting_new} new comment{'s' if self._waiting_new != 1 else ''} — "
            "press R to show them.",
            "news",
        )

    def show_new_comments(self) -> None:
        """R: read the view again from the top (new comments included); hides the banner."""
        self._waiting_new = 0
        self.banner.hide()
        self.queue_view.load(with_counts=True)
        self.table.scrollToTop()

    # --- retention -----------------------------------------------------------------------

    def ask_to_empty_old(self) -> None:
        """Count what would go, then ask; nothing is deleted without a click on Delete."""
        store = self.store
        if store is None:
            return
        days = self._settings.preferences.retention_days

        def work() -> PurgeCount:
            from editor.core.moderation.retention import count_purgeable

            with store.session_factory() as session:
                return count_purgeable(session=session, older_than_days=days)

        self._runner.run(
            "count old spam and trash",
            work,
            on_success=lambda counted: self._confirm_empty(counted, days),
        )

    def _confirm_empty(self, counted: PurgeCount, days: int) -> None:
        if counted.total == 0:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Nothing to Empty",
                f"No spam or trash is older than {days} days.",
                QMessageBox.StandardButton.Ok,
                self,
            )
            self.retention_box = box
            box.open()
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Empty Spam and Trash",
            f"Delete {counted.spam:,} spam and {counted.trash:,} trashed comments older than "
            f"{days} days for good?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText("This cannot be undone.")
        delete_button = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            if box.clickedButton() is delete_button:
                self._empty_old(days)

        box.finished.connect(answered)
        self.retention_box = box
        box.open()

    def _empty_old(self, days: int) -> None:
        store = self.store
        if store is None:
            return

        def work() -> PurgeCount:
            from editor.core.moderation.retention import purge

            with store.session_factory.begin() as session:
                return purge(session=session, older_than_days=days)

        def done(deleted: PurgeCount) -> None:
            self.show_message(
                f"Deleted {deleted.spam:,} spam and {deleted.trash:,} trashed comments."
            )
            self.queue_view.reload(keep_current=False)
            self.purged.emit(deleted)

        self._runner.run("empty old spam and trash", work, on_success=done)

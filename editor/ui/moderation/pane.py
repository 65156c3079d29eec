"""The Moderation area: clear the comment queue from the keyboard.

j/k move, a/s/d/u approve, spam, trash or send back to pending, x marks,
Shift+A/S/D act on the marked comments, z undoes, / searches, ? lists it all.
What the moderator decides shows at once and is then stored with the status
they saw (``triage.py``); someone else's earlier decision is reported, never
overwritten. New comments arrive while the queue is open (``live.py``).

The pane's contents are built when the first store opens: they need the store
layer, which the window must not load before it is shown.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.ui.background import Lane

if TYPE_CHECKING:
    from editor.core.moderation.learning import SharedSpamFilter
    from editor.core.moderation.queue import QueueTab
    from editor.core.moderation.retention import PurgeCount
    from editor.core.moderation.service import ModerationAction
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.moderation.detail import CommentDetailView, ShownComment
    from editor.ui.moderation.filters import FilterBar
    from editor.ui.moderation.live import NewCommentWatcher
    from editor.ui.moderation.models import CommentQueueModel
    from editor.ui.moderation.queue_view import QueueView
    from editor.ui.moderation.retention import EmptyOldComments
    from editor.ui.moderation.triage import Triage, UndoEntry
    from editor.ui.settings import Settings

# Action (by ModerationAction value) -> button label and key.
ACTIONS = (("approve", "Approve", "A"), ("spam", "Spam", "S"), ("trash", "Trash", "D"))
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
QLabel#detailAuthor { font-size: 16px; font-weight: 600; }
QLabel#detailSection { font-weight: 600; padding-top: 6px; }
QPlainTextEdit#detailBody { background: #fbfbfa; border: 1px solid #dfe3e6; border-radius: 4px;
    padding: 6px; font-size: 13px; }
QTableView#queueTable { border: 1px solid #dfe3e6; selection-background-color: #d7e6f5;
    selection-color: black; alternate-background-color: #f7f9fa; outline: 0; }
QTabBar#queueTabs::tab { padding: 6px 14px; }
QLabel#shortcutHint { color: #5f6b76; padding: 4px 2px; }
"""


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
        self._runner = runner
        self._settings = settings
        self.store: Store | None = None
        self.spam_filter: SharedSpamFilter | None = None
        self.shortcuts_box: QMessageBox | None = None
        self._built = False
        self._waiting_new = 0
        self._detail_loading = False
        self._first_load_pending = False
        self.actions_by_name: dict[str, QAction] = {}

        self.heading = QLabel("Moderation")
        self.heading.setObjectName("paneHeading")
        self.no_store_label = QLabel("No store is open yet.")
        self.no_store_label.setObjectName("muted")
        self.no_store_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._top_row = QHBoxLayout()
        self._top_row.addWidget(self.heading)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 8)
        self._layout.addLayout(self._top_row)
        self._layout.addWidget(self.no_store_label, 1)

    # --- building ----------------------------------------------------------------

    def build(self) -> None:
        """Make the pane's contents now (idempotent). They need the store layer, so this
        happens no earlier than the first store opens (``set_store`` calls it)."""
        if not self._built:
            self._build()

    def _build(self) -> None:
        from editor.ui.moderation.detail import CommentDetailView
        from editor.ui.moderation.filters import FilterBar
        from editor.ui.moderation.live import NewCommentWatcher
        from editor.ui.moderation.queue_view import QueueView
        from editor.ui.moderation.retention import EmptyOldComments
        from editor.ui.moderation.triage import Triage

        self._built = True
        self.setStyleSheet(STYLE_SHEET)
        runner = self._runner
        self.filter_bar: FilterBar = FilterBar(runner)
        self.search_field = self.filter_bar.search_field
        self.article_filter = self.filter_bar.article_filter
        self.author_field = self.filter_bar.author_field
        self.date_filter = self.filter_bar.date_filter
        self._top_row.addSpacing(12)
        self._top_row.addWidget(self.filter_bar, 1)

        self.queue_view: QueueView = QueueView(runner)
        self.model: CommentQueueModel = self.queue_view.model
        self.table = self.queue_view.table
        self.detail: CommentDetailView = CommentDetailView()
        self.triage: Triage = Triage(runner, self.queue_view, lambda: self.actor, self)
        self.emptying: EmptyOldComments = EmptyOldComments(runner, self)
        self.watcher: NewCommentWatcher = NewCommentWatcher(runner, self)

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

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("moderationSplitter")
        self.splitter.addWidget(self.queue_view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([400, 330])
        self.splitter.setChildrenCollapsible(False)
        hint = QLabel(
            "j/k move · a approve · s spam · d trash · u pending · x mark · "
            "Shift+A/S/D marked · z undo · / search · ? all keys"
        )
        hint.setObjectName("shortcutHint")

        self._layout.removeWidget(self.no_store_label)
        self.no_store_label.hide()
        self._layout.addLayout(action_bar)
        self._layout.addWidget(self.banner)
        self._layout.addWidget(self.splitter, 1)
        self._layout.addWidget(hint)

        self.filter_bar.changed.connect(self.apply_filters)
        self.filter_bar.search_left.connect(
            lambda: self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.queue_view.loaded.connect(self._queue_loaded)
        self.queue_view.tab_changed.connect(self._tab_changed)
        self.queue_view.current_comment_changed.connect(self._current_changed)
        self.queue_view.new_comments_waiting.connect(self._new_comments_waiting)
        self.model.dataChanged.connect(lambda *_: self._update_marked_label())
        self.model.modelReset.connect(self._update_marked_label)
        self.detail.author_action_requested.connect(self._act_on_author)
        self.detail.author_filter_requested.connect(self.filter_bar.show_only_author)
        self.triage.told.connect(self.show_message)
        self.triage.refused.connect(self._refused)
        self.triage.moderated.connect(self.comment_moderated)
        self.triage.undone.connect(self.undone)
        self.emptying.purged.connect(self._purged)
        self.watcher.comments_arrived.connect(self.queue_view.take_new_comments)
        self.watcher.listening_failed.connect(lambda message: self.show_banner(message, "conflict"))

        # The detail of the current comment is read once events settle: j held down moves
        # through many rows and only where it stops is read.
        self._detail_delay = QTimer(self)
        self._detail_delay.setSingleShot(True)
        self._detail_delay.setInterval(0)
        self._detail_delay.timeout.connect(self._load_detail)
        self._tab_changed(self.queue_view.tab)

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

    def _tool_button(self, action: QAction, bar: QHBoxLayout) -> None:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(button)

    def _build_actions(self, bar: QHBoxLayout) -> None:
        from editor.core.moderation.queue import QueueTab
        from editor.core.moderation.service import ModerationAction

        triage = self.triage
        for value, label, key in (*ACTIONS, ("pending", "Pending", "U")):
            action = ModerationAction(value)
            qt_action = self._add_action(
                value, label, [key], partial(triage.act_on_current, action)
            )
            qt_action.setToolTip(f"{label} the current comment ({key.lower()})")
            self._tool_button(qt_action, bar)
        for value, label, key in ACTIONS:
            action = ModerationAction(value)
            self._add_action(
                f"{value} marked",
                f"{label} Marked",
                [f"Shift+{key}"],
                partial(triage.act_on_marked, action),
            )
        undo = self._add_action("undo", "Undo", ["Z", "Ctrl+Z"], triage.undo_last)
        undo.setToolTip("Undo the last action (z)")
        bar.addSpacing(8)
        self._tool_button(undo, bar)
        self._add_action("next", "Next", ["J"], lambda: self.queue_view.move_current(1))
        self._add_action("previous", "Previous", ["K"], lambda: self.queue_view.move_current(-1))
        self._add_action("mark", "Mark", ["X"], triage.toggle_mark)
        self._add_action("search", "Search", ["/"], self.filter_bar.focus_search)
        shortcuts = self._add_action("shortcuts", "?", ["?", "Shift+?"], self.show_shortcuts)
        shortcuts.setToolTip("Keyboard shortcuts (?)")
        self._add_action("reload", "Reload", ["R"], self.show_new_comments)
        self._add_action("first", "First", ["Home", "Ctrl+Home"], self.queue_view.jump_to_start)
        self._add_action("last", "Last", ["End", "Ctrl+End"], self.queue_view.jump_to_end)
        for number, tab in enumerate(QueueTab, start=1):
            self._add_action(
                f"tab {tab.value}", tab.value, [str(number)], partial(self.set_tab, tab)
            )
        self._tool_button(shortcuts, bar)

    # --- the store ---------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        if store is not None:
            self.build()
        self.store = store
        if not self._built:
            return
        from editor.core.moderation.learning import SharedSpamFilter

        self.watcher.stop()
        self.spam_filter = SharedSpamFilter() if store is not None else None
        self.triage.set_store(store, self.spam_filter)
        self._waiting_new = 0
        self.banner.hide()
        self.message_label.clear()
        self.detail.show_nothing("Loading…" if store is not None else "No store is open yet.")
        self._first_load_pending = store is not None
        self.queue_view.set_store(store)
        self.filter_bar.load_articles(store)

    def shutdown(self) -> None:
        """Stop listening for new comments (the window is closing)."""
        if self._built:
            self.watcher.stop()

    @property
    def actor(self) -> str:
        """Who the store records as moderator: the preference, else the account name."""
        name = self._settings.preferences.moderator_name.strip()
        if name:
            return name
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return "moderator"

    @property
    def undo_stack(self) -> list[UndoEntry]:
        return self.triage.undo_stack if self._built else []

    @property
    def retention_box(self) -> QMessageBox | None:
        return self.emptying.box if self._built else None

    def _queue_loaded(self, total: int) -> None:
        if self._first_load_pending and self.store is not None:
            self._first_load_pending = False
            self.watcher.start(self.store, after_id=self.queue_view.latest_id)
        if total == 0:
            self.detail.show_nothing(
                "No comments match." if self.filter_bar.is_filtering() else "Nothing here."
            )
        self.queue_loaded.emit(total)

    # --- tabs, filters, focus ---------------------------------------------------------

    def set_tab(self, tab: QueueTab) -> None:
        self.queue_view.set_tab(tab)

    def apply_filters(self) -> None:
        self.queue_view.set_filters(self.filter_bar.filters())

    def _tab_changed(self, tab: QueueTab) -> None:
        days = self._settings.preferences.retention_days
        self.empty_old_button.setText(f"Empty Spam and Trash Older Than {days} Days…")
        self.empty_old_button.setVisible(tab.value in ("spam", "trash"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focused = self.focusWidget()
        if self._built and (focused is None or not self.isAncestorOf(focused)):
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

    # --- the detail --------------------------------------------------------------------

    def _current_changed(self, comment_id: int) -> None:
        if comment_id >= 0:
            self._detail_delay.start()
        elif self.model.rowCount() == 0:
            self.detail.show_nothing(
                "No comments match." if self.filter_bar.is_filtering() else "Nothing here."
            )

    def _load_detail(self) -> None:
        store = self.store
        current = self.queue_view.current_comment()
        if store is None or current is None or self._detail_loading:
            return  # a running load looks at the current comment again when it ends
        shown = self.detail.shown
        if shown is not None and (shown.detail.id, shown.detail.status) == (
            current.id,
            current.status,
        ):
            return
        self._detail_loading = True
        comment_id = int(current.id)

        def work() -> ShownComment | None:
            from editor.core.moderation.queue import detail
            from editor.ui.moderation.detail import prepare_detail

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
            elif shown is None:
                self.detail.show_nothing("This comment is gone: someone deleted it.")
            else:
                self.detail.show_comment(shown)
                self.detail_shown.emit(comment_id)

        def failed(error: BaseException) -> None:
            self._detail_loading = False
            self.detail.show_nothing(f"Could not read the comment: {error}")

        self._runner.run("read comment", work, on_success=done, on_failure=failed, lane=Lane.STORE)

    def _act_on_author(self, action: ModerationAction) -> None:
        shown = self.detail.shown
        if shown is not None:
            author = shown.detail.author_name or shown.detail.author_email
            self.triage.act_on_author(int(shown.detail.id), author, action, in_tab=True)

    def _update_marked_label(self) -> None:
        count = len(self.model.marked)
        self.marked_label.setText(f"{count} marked" if count else "")

    # --- messages and new comments -------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def show_banner(self, text: str, kind: str) -> None:
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()

    def _refused(self, message: str) -> None:
        self.show_banner(message, "conflict")
        self.action_refused.emit(message)

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
        if self.store is not None:
            self.emptying.ask(self.store, days=self._settings.preferences.retention_days)

    def _purged(self, deleted: PurgeCount) -> None:
        self.show_message(f"Deleted {deleted.spam:,} spam and {deleted.trash:,} trashed comments.")
        self.queue_view.reload(keep_current=False)
        self.purged.emit(deleted)

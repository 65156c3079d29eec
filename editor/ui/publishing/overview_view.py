"""The "what is published where" table of the Publishing area, with its actions.

Loading runs in the store lane of the ``BackgroundRunner``; a refresh asked for
while one runs is merged into one more after it, so bursts of events cost at
most two reads. Publish and Unpublish go through the same ``PublishFlow`` as the
editor's buttons (checks, progress, result, Retry), to the target of the
column the user picked.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.core.publication_state import TargetState
from editor.ui.background import Lane
from editor.ui.publishing.elided_label import ElidedLabel
from editor.ui.publishing.flow import PublishFlow
from editor.ui.publishing.overview_model import (
    FIXED_COLUMNS,
    STATE_COLOURS,
    FixedColumn,
    PublicationTableModel,
    state_explanation,
)
from editor.ui.publishing.target_names import short_target_label

if TYPE_CHECKING:
    from editor.core.publishing.overview import ArticlePublication, TargetPublication
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner

OPENABLE_SCHEMES = ("file:", "http:", "https:")
# The widest text a column shows (a date outside this year carries its year).
LONGEST_STATE = "Unpublished · 30 Sep 23:59"
LONGEST_STATE_OTHER_YEAR = "Unpublished · 30 Sep 2025 23:59"
LONGEST_EDITED = "30 Sep, 23:59"

OVERVIEW_STYLE = """
QFrame#selectionCard { background: palette(base); border: 1px solid #d3d9df; border-radius: 6px; }
QLabel#cardTitle { font-weight: 600; }
QTableView#publicationTable { border: 1px solid #d3d9df; }
QTableView#publicationTable::item { padding: 0 6px; }
QTableView#publicationTable QHeaderView::section { background: #f3f5f7; color: #3c4650;
    border: none; border-bottom: 1px solid #d3d9df; padding: 5px 6px; font-weight: 600; }
"""


class PublicationOverview(QWidget):
    """Every article against every target. ``targets`` and ``preferred_target`` are asked
    when loading and acting (the pane owns the settings)."""

    overview_loaded = Signal(int)  # number of articles
    article_open_requested = Signal(int)
    publication_changed = Signal(object)  # PublishOutcome or UnpublishOutcome
    load_failed = Signal(str)

    def __init__(
        self,
        runner: BackgroundRunner,
        *,
        targets: Callable[[], list[str]],
        preferred_target: Callable[[], str],
        publisher_name: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._targets = targets
        self._preferred_target = preferred_target
        self._publisher_name = publisher_name
        self.store: Store | None = None
        self._loading = False
        self._load_again = False
        self.context_menu: QMenu | None = None

        self.model = PublicationTableModel(self)

        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Find an article…")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMaximumWidth(260)
        self.search_field.setMinimumWidth(150)
        self.summary.setWordWrap(True)
        self.search_field.textChanged.connect(self._search)

        self.table = QTableView()
        self.table.setObjectName("publicationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(FixedColumn.EDITED, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(90)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.activated.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)

        self.publish_button = QPushButton("Publish")
        self.publish_button.clicked.connect(self.publish_selected)
        self.unpublish_button = QPushButton("Unpublish")
        self.unpublish_button.clicked.connect(self.unpublish_selected)
        self.open_button = QPushButton("Open in Editor")
        self.open_button.clicked.connect(self.open_selected)
        self.live_page_button = QPushButton("Open Live Page")
        self.live_page_button.clicked.connect(self.open_live_page)
        self.copy_address_button = QPushButton("Copy Address")
        self.copy_address_button.clicked.connect(self.copy_address)
        # The selected article at the selected target: what it is, where, and what to do.
        self.card_title = ElidedLabel()
        self.card_title.setObjectName("cardTitle")
        self.target_badge = QLabel()
        self.details = ElidedLabel()
        self.location = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.location.linkActivated.connect(lambda _link: self.open_live_page())

        self.flow = PublishFlow(runner, self)
        self.flow.published.connect(self._publication_changed)
        self.flow.unpublished.connect(self._publication_changed)
        self.flow.failed.connect(lambda _message: self.refresh())
        # A problem found before publishing is fixed in the editor.
        self.flow.issue_chosen.connect(lambda _issue: self.open_selected())

        top = QHBoxLayout()
        heading = QLabel("What is published where")
        heading.setObjectName("sectionHeading")
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.search_field)
        actions = QHBoxLayout()
        for button in (
            self.publish_button,
            self.unpublish_button,
            self.live_page_button,
            self.copy_address_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        self.card = QFrame()
        self.card.setObjectName("selectionCard")
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(12, 10, 12, 10)
        card_layout.setSpacing(4)
        state_line = QHBoxLayout()
        state_line.setSpacing(6)
        state_line.addWidget(self.target_badge)
        state_line.addWidget(self.details, 1)
        card_layout.addWidget(self.card_title)
        card_layout.addLayout(state_line)
        card_layout.addWidget(self.location)
        card_layout.addSpacing(4)
        card_layout.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.card)
        self.setStyleSheet(OVERVIEW_STYLE)

        selection = self.table.selectionModel()
        selection.currentChanged.connect(lambda _now, _before: self._update_actions())
        self._update_actions()

    # --- loading -------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        """Read the overview again in the store lane (merged with one already running).

        Hidden, it reads nothing: showing it reads it, so a store opened while another area
        is in front does not queue this read before that area's own."""
        store, targets = self.store, self._targets()
        if store is None:
            self.model.set_rows([], targets)
            self._after_load()
            return
        if not self.isVisible():
            return
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        if not self.model.rows:
            self.summary.setText("Loading…")

        def load() -> list[ArticlePublication]:
            from editor.core.publishing.overview import publication_overview

            with store.session_factory() as session:
                return publication_overview(session, targets=targets)

        def loaded(rows: list[ArticlePublication]) -> None:
            self._loading = False
            if store is self.store:
                self._show(rows, targets)
            self._load_more_if_asked()

        def failed(error: BaseException) -> None:
            self._loading = False
            self.summary.setText(f"Could not read what is published: {error}")
            self.load_failed.emit(str(error))
            self._load_more_if_asked()

        self._runner.run(
            "read publication overview",
            load,
            lane=Lane.STORE,
            on_success=loaded,
            on_failure=failed,
        )

    def _load_more_if_asked(self) -> None:
        if self._load_again:
            self._load_again = False
            self.refresh()

    def _show(self, rows: list[ArticlePublication], targets: list[str]) -> None:
        article_id, target = self.selected_article_id(), self.action_target()
        self.model.set_rows(rows, targets)
        self._size_columns()
        if article_id is not None:
            self.select(article_id, target)
        self._after_load()
        self.overview_loaded.emit(len(rows))

    def _after_load(self) -> None:
        self.summary.setText(_summary(self.model.rows, self.model.targets))
        self._update_actions()

    def _size_columns(self) -> None:
        """Widths from the longest words a column can show, not from its rows: measuring
        thousands of rows would cost the UI thread more than the whole read."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        padding = 16 + 6 * 2 + 8  # the sort arrow, the items' padding, the style's margins
        header.setSectionResizeMode(FixedColumn.ARTICLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FixedColumn.EDITED, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            FixedColumn.EDITED, metrics.horizontalAdvance(LONGEST_EDITED) + padding
        )
        icon = self.table.iconSize().width() + 8
        this_year = datetime.now(UTC).astimezone().year
        for column, target in enumerate(self.model.targets, start=FIXED_COLUMNS):
            other_year = any(
                (at := row.at(target).at) is not None and at.astimezone().year != this_year
                for row in self.model.rows
            )
            longest = LONGEST_STATE_OTHER_YEAR if other_year else LONGEST_STATE
            label = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widest = max(
                metrics.horizontalAdvance(longest) + icon, metrics.horizontalAdvance(label)
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, widest + padding)

    def _search(self, text: str) -> None:
        article_id, target = self.selected_article_id(), self.action_target()
        self.model.set_search(text)
        if article_id is not None:
            self.select(article_id, target)
        self._update_actions()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Edits made in the editor change what is "changed since publish".
        self.refresh()

    # --- selection -----------------------------------------------------------

    def select(self, article_id: int, target: str | None = None) -> bool:
        """Make the article's row current, on ``target``'s column when given."""
        row = self.model.row_of(article_id)
        if row is None:
            return False
        column = self.model.column_of(target) if target else None
        index = self.model.index(row, FixedColumn.ARTICLE if column is None else column)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def selected(self) -> ArticlePublication | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row())

    def selected_article_id(self) -> int | None:
        article = self.selected()
        return None if article is None else int(article.article_id)

    def action_target(self) -> str | None:
        """The target the actions apply to: the column picked, else the preferred target."""
        targets = self.model.targets
        index = self.table.currentIndex()
        if index.isValid():
            picked = self.model.target_at(index.column())
            if picked is not None:
                return picked
        preferred = self._preferred_target()
        if preferred in targets:
            return preferred
        return targets[0] if targets else None

    def selected_publication(self) -> TargetPublication | None:
        article, target = self.selected(), self.action_target()
        if article is None or target is None:
            return None
        return article.at(target)

    def _update_actions(self) -> None:
        article, target = self.selected(), self.action_target()
        publication = self.selected_publication()
        has_store = self.store is not None
        if article is None or target is None or publication is None:
            for button in self._buttons():
                button.setEnabled(False)
            self.publish_button.setText("Publish")
            self.card_title.set_full_text("No article selected" if self.model.rows else "")
            self.target_badge.clear()
            self.details.set_full_text(
                "Pick an article, then a target's column, to publish, update or unpublish it there."
                if self.model.rows
                else ""
            )
            self.location.set_full_text("", as_link=False)
            return
        label = short_target_label(target)
        state = publication.state
        if state.is_live:
            self.publish_button.setText("Update")
        elif state is TargetState.SCHEDULED:
            self.publish_button.setText("Publish Now")
        else:
            self.publish_button.setText("Publish")
        self.publish_button.setToolTip(f"{self.publish_button.text()} on {label}")
        self.unpublish_button.setToolTip(f"Unpublish from {label}")
        self.publish_button.setEnabled(has_store)
        self.unpublish_button.setEnabled(
            has_store and (state.is_live or state is TargetState.MARKED_PUBLISHED)
        )
        self.open_button.setEnabled(True)
        openable = publication.location.startswith(OPENABLE_SCHEMES)
        self.live_page_button.setEnabled(openable)
        self.copy_address_button.setEnabled(bool(publication.location))
        self.card_title.set_full_text(article.title or "(untitled)")
        colour = STATE_COLOURS[state].name()
        self.target_badge.setText(
            f"<span style='color:{colour}'>●</span> <b>{html.escape(label)}</b> —"
        )
        # The explanation beside it stretches; the badge keeps its whole text.
        self.target_badge.setMinimumWidth(self.target_badge.sizeHint().width())
        self.details.set_full_text(state_explanation(publication))
        self.location.set_full_text(publication.location, as_link=openable)

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.publish_button,
            self.unpublish_button,
            self.open_button,
            self.live_page_button,
            self.copy_address_button,
        )

    # --- actions -------------------------------------------------------------

    def publish_selected(self) -> None:
        article, target, store = self.selected(), self.action_target(), self.store
        if article is None or target is None or store is None:
            return
        self.flow.publish(
            store,
            article_id=int(article.article_id),
            target=target,
            author=self._publisher_name() or article.author,
            expected_version=article.version,
        )

    def unpublish_selected(self) -> None:
        article, target, store = self.selected(), self.action_target(), self.store
        if article is None or target is None or store is None:
            return
        self.flow.unpublish(
            store,
            article_id=int(article.article_id),
            target=target,
            author=self._publisher_name() or article.author,
        )

    def open_selected(self) -> None:
        article_id = self.selected_article_id()
        if article_id is not None:
            self.article_open_requested.emit(article_id)

    def open_live_page(self) -> bool:
        """Open the live page in the system browser (a site folder's file, or a served URL)."""
        publication = self.selected_publication()
        if publication is None or not publication.location.startswith(OPENABLE_SCHEMES):
            return False
        return QDesktopServices.openUrl(QUrl(publication.location))

    def copy_address(self) -> None:
        publication = self.selected_publication()
        if publication is not None and publication.location:
            QGuiApplication.clipboard().setText(publication.location)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_selected()

    def _publication_changed(self, outcome: object) -> None:
        self.refresh()
        self.publication_changed.emit(outcome)

    def _show_context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        for button in self._buttons():
            action = menu.addAction(button.toolTip() or button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(position))


def _summary(rows: list[ArticlePublication], targets: list[str]) -> str:
    """ "12 articles · 3 changed since publish · 1 scheduled" over every target."""
    if not rows:
        return "No articles yet."
    counts = {state: 0 for state in TargetState}
    for row in rows:
        states = {row.at(target).state for target in targets}
        for state in states:
            counts[state] += 1
    parts = [f"{len(rows):,} article{'s' if len(rows) != 1 else ''}"]
    if counts[TargetState.LIVE] or counts[TargetState.CHANGED_SINCE]:
        live = sum(1 for row in rows if any(row.at(t).state.is_live for t in targets))
        parts.append(f"{live:,} live")
    if counts[TargetState.CHANGED_SINCE]:
        parts.append(f"{counts[TargetState.CHANGED_SINCE]:,} changed since publish")
    if counts[TargetState.SCHEDULED]:
        parts.append(f"{counts[TargetState.SCHEDULED]:,} scheduled")
    return " · ".join(parts)

"""The Publishing area: what is published where, where the Publish button sends articles,
whole-site export and scheduled articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.ui.background import Lane
from editor.ui.publishing.overview_view import PublicationOverview
from editor.ui.publishing.target_names import describe_target

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.settings import Settings

DUE_CHECK_MS = 60_000

__all__ = ["DUE_CHECK_MS", "PublishingPane", "describe_target"]


class PublishingPane(QWidget):
    target_chosen = Signal(str)
    site_exported = Signal(object)
    due_published = Signal(list)
    article_open_requested = Signal(int)
    # A publish or unpublish made from this area (PublishOutcome or UnpublishOutcome).
    publication_changed = Signal(object)

    def __init__(
        self, runner: BackgroundRunner, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._settings = settings
        self.store: Store | None = None
        self.result_box: QMessageBox | None = None

        heading = QLabel("Publishing")
        heading.setObjectName("paneHeading")
        intro = QLabel(
            "Each publish is all or nothing: a failure leaves the target as it was. The Publish "
            "button in the editor sends the article to the target marked ●."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.export_button = QPushButton("Export Whole Site…")
        self.export_button.clicked.connect(self.choose_and_export)
        self.due_button = QPushButton("Publish Scheduled Articles Now")
        self.due_button.clicked.connect(self.publish_due_now)

        self.targets = QListWidget()
        self.targets.setObjectName("targetList")
        self.targets.itemClicked.connect(self._choose)
        self.targets.itemActivated.connect(self._choose)
        add_folder = QPushButton("Add Site Folder…")
        add_folder.clicked.connect(self.add_folder_target)
        add_store = QPushButton("Add Another Store…")
        add_store.clicked.connect(self.add_store_target)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("muted")

        self.overview = PublicationOverview(
            runner,
            targets=self.target_names,
            preferred_target=lambda: self._settings.preferences.publish_target,
            publisher_name=lambda: self._settings.preferences.moderator_name,
        )
        self.overview.article_open_requested.connect(self.article_open_requested)
        self.overview.publication_changed.connect(self.publication_changed)
        self.site_exported.connect(lambda _outcome: self.overview.refresh())
        self.due_published.connect(lambda results: self.overview.refresh() if results else None)

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.due_button)
        target_buttons = QVBoxLayout()
        target_buttons.addWidget(add_folder)
        target_buttons.addWidget(add_store)
        target_buttons.addStretch(1)
        target_row = QHBoxLayout()
        target_row.addWidget(self.targets, 1)
        target_row.addLayout(target_buttons)
        targets_heading = QLabel("Targets")
        targets_heading.setObjectName("sectionHeading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(targets_heading)
        layout.addLayout(target_row)
        layout.addSpacing(10)
        layout.addWidget(self.overview, 1)
        layout.addWidget(self.status)
        self.setStyleSheet(PANE_STYLE)
        self._show_targets()

        # Scheduled articles go out the next time any Newsdesk on the store is running.
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(DUE_CHECK_MS)
        self._due_timer.timeout.connect(self.publish_due_now)

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.overview.set_store(store)
        if store is not None:
            self._due_timer.start()
            QTimer.singleShot(2_000, self.publish_due_now)
        else:
            self._due_timer.stop()

    # --- targets -----------------------------------------------------------

    def target_names(self) -> list[str]:
        extra = [
            line.strip()
            for line in self._settings.preferences.publish_targets.splitlines()
            if line.strip()
        ]
        chosen = self._settings.preferences.publish_target.strip()
        names = ["this-store", *[name for name in extra if name != "this-store"]]
        return names if not chosen or chosen in names else [*names, chosen]

    def _show_targets(self) -> None:
        chosen = self._settings.preferences.publish_target
        self.targets.clear()
        for name in self.target_names():
            item = QListWidgetItem(("● " if name == chosen else "○ ") + describe_target(name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(
                "The editor's Publish button sends articles here."
                if name == chosen
                else "Click to make this the target of the editor's Publish button."
            )
            self.targets.addItem(item)
        # As tall as its targets (up to five), so the overview below keeps the room.
        rows = min(max(self.targets.count(), 2), 5)
        row_height = max(self.targets.sizeHintForRow(0), 22)
        self.targets.setFixedHeight(rows * row_height + 2 * self.targets.frameWidth() + 4)

    def _choose(self, item: QListWidgetItem) -> None:
        self.choose_target(str(item.data(Qt.ItemDataRole.UserRole)))

    def choose_target(self, name: str) -> None:
        if name not in self.target_names():
            names = [*self.target_names()[1:], name]
            self._settings.preferences.publish_targets = "\n".join(names)
        self._settings.preferences.publish_target = name
        self._settings.save()
        self._show_targets()
        self.overview.refresh()  # a new target is a new column
        self.target_chosen.emit(name)

    def add_folder_target(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Site Folder")
        if folder:
            self.choose_target(f"folder:{folder}")

    def add_store_target(self) -> None:
        url, accepted = QInputDialog.getText(
            self,
            "Another Store",
            "Address of the store to publish to (the password comes from the system keyring):",
            text="postgresql+psycopg://user@host/newsdesk",
        )
        if accepted and url.strip():
            self.choose_target(f"store:{url.strip()}")

    # --- site export and scheduled articles ------------------------------------

    def choose_and_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export the Site to")
        if folder:
            self.export_site(folder)

    def export_site(self, folder: str) -> None:
        store = self.store
        if store is None:
            return
        self.status.setText(f"Exporting the site to {folder}…")
        self.export_button.setEnabled(False)

        def work() -> object:
            from pathlib import Path

            from editor.core.publishing import export_site

            return export_site(store, folder=Path(folder))

        def done(outcome: object) -> None:
            self.export_button.setEnabled(True)
            summary = getattr(outcome, "summary", None)
            self.status.setText(str(summary) if summary else f"Exported to {folder}.")
            self.site_exported.emit(outcome)

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.status.setText("")
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Export Failed",
                str(error),
                QMessageBox.StandardButton.Close,
                self,
            )
            box.setInformativeText("The site folder was left as it was.")
            self.result_box = box
            box.open()

        self._runner.run("export site", work, lane=Lane.COMPUTE, on_success=done, on_failure=failed)

    def publish_due_now(self) -> None:
        store = self.store
        if store is None:
            return

        def work() -> list[object]:
            from editor.core.publishing import publish_due

            return list(publish_due(store))

        def done(results: list[object]) -> None:
            if results:
                self.status.setText(f"Published {len(results)} scheduled article(s).")
            self.due_published.emit(results)

        self._runner.run(
            "publish scheduled",
            work,
            lane=Lane.COMPUTE,
            on_success=done,
            on_failure=lambda _e: None,
        )


PANE_STYLE = """
QLabel#sectionHeading { font-size: 14px; font-weight: 600; padding: 2px 0; }
QListWidget#targetList::item { padding: 3px 4px; }
"""

"""The Publishing area: where the Publish button sends articles, whole-site export, scheduling."""

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

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.settings import Settings

DUE_CHECK_MS = 60_000


def describe_target(name: str) -> str:
    if name == "this-store":
        return "This store (the articles go live here)"
    if name.startswith("folder:"):
        return f"Static site folder: {name.removeprefix('folder:')}"
    if name.startswith("store:"):
        from editor.core.store import display_url

        try:
            return f"Another store: {display_url(name.removeprefix('store:'))}"
        except Exception:
            return f"Another store: {name.removeprefix('store:')}"
    return name


class PublishingPane(QWidget):
    target_chosen = Signal(str)
    site_exported = Signal(object)
    due_published = Signal(list)

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
            "The Publish button in the editor sends the article to the chosen target. Each publish "
            "is all or nothing: a failure leaves the target as it was."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.targets = QListWidget()
        self.targets.itemClicked.connect(self._choose)
        self.targets.itemActivated.connect(self._choose)
        add_folder = QPushButton("Add Site Folder…")
        add_folder.clicked.connect(self.add_folder_target)
        add_store = QPushButton("Add Another Store…")
        add_store.clicked.connect(self.add_store_target)
        self.export_button = QPushButton("Export Whole Site…")
        self.export_button.clicked.connect(self.choose_and_export)
        self.due_button = QPushButton("Publish Scheduled Articles Now")
        self.due_button.clicked.connect(self.publish_due_now)
        self.status = QLabel()
        self.status.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (add_folder, add_store, self.export_button, self.due_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Publish to:"))
        layout.addWidget(self.targets, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._show_targets()

        # Scheduled articles go out the next time any Newsdesk on the store is running.
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(DUE_CHECK_MS)
        self._due_timer.timeout.connect(self.publish_due_now)

    def set_store(self, store: Store | None) -> None:
        self.store = store
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
        return ["this-store", *[name for name in extra if name != "this-store"]]

    def _show_targets(self) -> None:
        chosen = self._settings.preferences.publish_target
        self.targets.clear()
        for name in self.target_names():
            item = QListWidgetItem(("● " if name == chosen else "○ ") + describe_target(name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.targets.addItem(item)

    def _choose(self, item: QListWidgetItem) -> None:
        self.choose_target(str(item.data(Qt.ItemDataRole.UserRole)))

    def choose_target(self, name: str) -> None:
        if name not in self.target_names():
            names = [*self.target_names()[1:], name]
            self._settings.preferences.publish_targets = "\n".join(names)
        self._settings.preferences.publish_target = name
        self._settings.save()
        self._show_targets()
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

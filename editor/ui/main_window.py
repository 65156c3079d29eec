"""The main window: four areas (Articles, Editor, Moderation, Publishing) around one open store."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from editor import __version__
from editor.ui.articles.pane import ArticlesPane
from editor.ui.editor.pane import EditorPane
from editor.ui.moderation.pane import ModerationPane
from editor.ui.publishing.pane import PublishingPane
from editor.ui.wxr.import_flow import WordPressImport

if TYPE_CHECKING:
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.settings import Settings


class Area(enum.StrEnum):
    ARTICLES = "articles"
    EDITOR = "editor"
    MODERATION = "moderation"
    PUBLISHING = "publishing"


AREA_LABELS = {
    Area.ARTICLES: ("Articles", QStyle.StandardPixmap.SP_FileDialogDetailedView),
    Area.EDITOR: ("Editor", QStyle.StandardPixmap.SP_FileDialogContentsView),
    Area.MODERATION: ("Moderation", QStyle.StandardPixmap.SP_MessageBoxQuestion),
    Area.PUBLISHING: ("Publishing", QStyle.StandardPixmap.SP_DriveNetIcon),
}

STANDARD_KEY_FALLBACKS = {
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.HelpContents: "F1",
    QKeySequence.StandardKey.Open: "Ctrl+O",
    QKeySequence.StandardKey.Find: "Ctrl+F",
    QKeySequence.StandardKey.New: "Ctrl+N",
}

STYLE_SHEET = """
QListWidget#areaList { background: #1f2a36; color: #d8dee6; border: none; font-size: 14px;
    padding-top: 8px; }
QListWidget#areaList::item { padding: 10px 12px; }
QListWidget#areaList::item:selected { background: #33475c; color: white;
    border-left: 3px solid #e2a03f; }
QLabel#paneHeading { font-size: 20px; font-weight: 600; padding: 4px 0 8px 0; }
QLabel#muted { color: #5f6b76; }
QLabel#brand { color: white; font-size: 16px; font-weight: 700; padding: 14px 12px 4px 12px;
    background: #1f2a36; }
"""


class MainWindow(QMainWindow):
    store_opened = Signal(object)
    store_refused = Signal(str)

    def __init__(
        self, settings: Settings, runner: BackgroundRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.runner = runner
        self.store: Store | None = None
        self.store_error_box: QMessageBox | None = None
        self.setWindowTitle("Newsdesk[*]")
        self.setMinimumSize(QSize(720, 480))
        self.setStyleSheet(STYLE_SHEET)

        self.area_list = QListWidget()
        self.area_list.setObjectName("areaList")
        self.area_list.setFixedWidth(180)
        self.area_list.setIconSize(QSize(18, 18))
        self.area_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget()

        self.articles_pane = ArticlesPane(runner)
        self.editor_pane = EditorPane(runner)
        self.moderation_pane = ModerationPane(runner, settings)
        self.publishing_pane = PublishingPane(runner, settings)
        self.publishing_pane.due_published.connect(
            lambda results: self.articles_pane.refresh() if results else None
        )
        self._areas: dict[Area, QWidget] = {
            Area.ARTICLES: self.articles_pane,
            Area.EDITOR: self.editor_pane,
            Area.MODERATION: self.moderation_pane,
            Area.PUBLISHING: self.publishing_pane,
        }
        for area, pane in self._areas.items():
            label, icon = AREA_LABELS[area]
            item = QListWidgetItem(self.style().standardIcon(icon), label)
            item.setData(Qt.ItemDataRole.UserRole, area.value)
            self.area_list.addItem(item)
            self.stack.addWidget(pane)
        self.area_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.articles_pane.article_activated.connect(self.open_article)
        self.publishing_pane.article_open_requested.connect(self.open_article)
        # A publish from the Publishing area moves the stored version on: an editor holding
        # that article continues from it, as after its own Publish.
        self.publishing_pane.publication_changed.connect(self.editor_pane.publish_flow.published)
        self.publishing_pane.publication_changed.connect(
            lambda _outcome: self.articles_pane.refresh()
        )
        self.articles_pane.new_article_requested.connect(self.new_article)
        self.editor_pane.publish_target = lambda: self.settings.preferences.publish_target
        self.editor_pane.publisher_name = lambda: self.settings.preferences.moderator_name
        self.editor_pane.draft_saved.connect(lambda _draft: self.articles_pane.refresh())
        self.editor_pane.publication_changed.connect(lambda _draft: self.articles_pane.refresh())
        self.editor_pane.article_opened.connect(lambda _draft: self.articles_pane.refresh())
        self.editor_pane.undo_stack.cleanChanged.connect(
            lambda clean: self.setWindowModified(not clean)
        )

        brand = QLabel("Newsdesk")
        brand.setObjectName("brand")
        sidebar = QWidget()
        sidebar.setStyleSheet("background: #1f2a36;")
        sidebar_layout = QVBoxLayout(sidebar)
        sidebar_layout.setContentsMargins(0, 0, 0, 0)
        sidebar_layout.setSpacing(0)
        sidebar_layout.addWidget(brand)
        sidebar_layout.addWidget(self.area_list, 1)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.store_label = QLabel("Opening store…")
        self.store_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.store_label)
        runner.operation_failed.connect(self._show_operation_failure)

        self.wordpress_import = WordPressImport(runner, self)
        self.wordpress_import.finished.connect(lambda _report: self.articles_pane.refresh())
        self._build_menus()
        self._restore_window_state()

    # --- areas ---------------------------------------------------------------

    def show_area(self, area: Area) -> None:
        self.area_list.setCurrentRow(list(self._areas).index(area))

    @property
    def current_area(self) -> Area:
        return list(self._areas)[max(0, self.stack.currentIndex())]

    # --- store ---------------------------------------------------------------

    def open_store(self, url: str | None, *, demo: bool = False) -> None:
        """Open (and migrate) a store off the UI thread; the window stays usable meanwhile."""
        where = "a demo store" if demo else url
        self.store_label.setText(f"Opening {where}…")

        def work() -> Store:
            if demo:
                from editor.core.demo import open_demo_store

                return open_demo_store()
            from editor.core.store import open_store

            assert url is not None
            return open_store(url)

        self.runner.run("open store", work, on_success=self._use_store, on_failure=self._refuse)

    def _use_store(self, store: Store) -> None:
        previous, self.store = self.store, store
        self.store_label.setText(f"Store: {store.display_url}")
        self.articles_pane.set_store(store)
        self.editor_pane.set_store(store)
        self.publishing_pane.set_store(store)
        self.moderation_pane.set_store(store)
        self.store_opened.emit(store)
        if previous is not None:
            self.runner.run("close previous store", previous.close)

    def open_article(self, article_id: int) -> None:
        self.editor_pane.open_article(article_id)
        self.show_area(Area.EDITOR)

    def new_article(self) -> None:
        if self.store is None:
            return
        self.editor_pane.new_article(author=self.settings.preferences.moderator_name)
        self.show_area(Area.EDITOR)

    def _refuse(self, error: BaseException) -> None:
        from editor.core.store import StoreError

        message = (
            str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
        )
        self.store_label.setText("No store open")
        self.articles_pane.set_store(self.store)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Cannot open the store",
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setInformativeText(
            "Nothing was changed. Choose File → Open Store… to pick another store."
        )
        self.store_error_box = box
        box.open()
        self.store_refused.emit(message)

    def _show_operation_failure(self, name: str, error: BaseException) -> None:
        self.statusBar().showMessage(f"{name.capitalize()} failed: {error}", 10_000)

    def choose_store(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Open or Create a Store",
            "",
            "Newsdesk stores (*.sqlite3 *.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            from editor.core.store import sqlite_url

            self.open_store(sqlite_url(path))

    def choose_remote_store(self) -> None:
        url, accepted = QInputDialog.getText(
            self,
            "Connect to a Shared Store",
            "PostgreSQL address (the password is taken from the system keyring):",
            text="postgresql+psycopg://user@host/newsdesk",
        )
        if accepted and url.strip():
            self.open_store(url.strip())

    # --- menus ---------------------------------------------------------------

    def _action(
        self,
        menu_title: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        menu = self._menus.get(menu_title)
        if menu is None:
            menu = self.menuBar().addMenu(menu_title)
            self._menus[menu_title] = menu
        action = QAction(text, self)
        if shortcut is not None:
            sequence = QKeySequence(shortcut)
            if sequence.isEmpty() and isinstance(shortcut, QKeySequence.StandardKey):
                # Some platforms (and the offscreen one) define no key for a standard action.
                sequence = QKeySequence(STANDARD_KEY_FALLBACKS.get(shortcut, ""))
            action.setShortcut(sequence)
        # triggered(bool) would otherwise land in the slot's first parameter.
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        self._menus: dict[str, object] = {}
        self._action("&File", "&New Article", self.new_article, QKeySequence.StandardKey.New)
        self._action("&File", "&Open Store…", self.choose_store, QKeySequence.StandardKey.Open)
        self._action("&File", "Connect to &Shared Store…", self.choose_remote_store)
        self._action(
            "&File",
            "&Import from WordPress…",
            lambda: self.wordpress_import.choose_and_import(self.store),
        )
        self._action("&File", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self._action("&Edit", "&Find", self._find_articles, QKeySequence.StandardKey.Find)
        for number, area in enumerate(Area, start=1):
            label, _ = AREA_LABELS[area]
            self._action("&View", label, lambda area=area: self.show_area(area), f"Ctrl+{number}")
        self._action(
            "&Help",
            "&Keyboard Shortcuts",
            self.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
        )
        self._action("&Help", "&About Newsdesk", self.show_about)

    def _find_articles(self) -> None:
        if self.current_area is Area.EDITOR and self.editor_pane.draft is not None:
            self.editor_pane.find_bar.open_find()
            return
        self.show_area(Area.ARTICLES)
        self.articles_pane.focus_search()

    def shortcut_summary(self) -> list[tuple[str, str]]:
        rows = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            for action in menu.actions():
                if not action.shortcut().isEmpty():
                    rows.append(
                        (
                            action.text().replace("&", "").rstrip("…"),
                            action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                        )
                    )
        return rows

    def show_shortcuts(self) -> None:
        lines = "".join(
            f"<tr><td>{name}</td><td style='padding-left:16px'><b>{keys}</b></td></tr>"
            for name, keys in self.shortcut_summary()
        )
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard Shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{lines}</table>")
        box.open()

    def about_text(self) -> str:
        store = self.store.display_url if self.store else "none open"
        return (
            f"<h3>Newsdesk {__version__}</h3>"
            "<p>A desktop editorial workstation: draft articles, preview them as they will be "
            "published, moderate reader comments and publish with one click.</p>"
            f"<p>Store: {store}</p>"
            "<p>Free software under the GNU GPL v3 or later.</p>"
        )

    def show_about(self) -> None:
        QMessageBox.about(self, "About Newsdesk", self.about_text())

    # --- window state --------------------------------------------------------

    def _restore_window_state(self) -> None:
        state = self.settings.window
        if not state.geometry.isEmpty():
            self.restoreGeometry(state.geometry)
        else:
            self.resize(1280, 800)
        try:
            self.show_area(Area(state.current_area))
        except ValueError:
            self.show_area(Area.ARTICLES)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor_pane.save_now()
        if self.editor_pane.preview is not None:
            self.editor_pane.preview.shutdown()
        self.settings.window.geometry = self.saveGeometry()
        self.settings.window.state = self.saveState()
        self.settings.window.current_area = self.current_area.value
        self.settings.save()
        super().closeEvent(event)

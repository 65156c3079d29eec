"""Figures in the editor: insert (file dialog, drag-and-drop, paste), edit, and the media panel.

Ingest runs in two steps off the UI thread: decoding, orienting and stripping
in the compute lane, storing in the store lane. A refused file is a message
naming it and the reason; the text is untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from editor.ui.background import Lane
from editor.ui.editor.figure_dialog import FigureDialog
from editor.ui.editor.media_panel import MediaPanel

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from editor.core.articles.figures import FigureAsset, FigureSource
    from editor.core.images import IngestResult, PreparedImage
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.editor.markdown_edit import MarkdownEdit

IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.gif *.webp *.tif *.tiff *.bmp);;All files (*)"
MEDIA_REFRESH_MS = 300


def _image_cache() -> object:
    from editor.core.images import ImageCache

    return ImageCache.default()


class FigureSupport(QObject):
    figure_inserted = Signal(str)  # the Markdown inserted
    image_refused = Signal(str)  # the message shown
    figure_dialog_opened = Signal(object)  # FigureDialog
    media_refreshed = Signal()
    assets_found = Signal(object)  # asset prefix -> FigureAsset, for the featured-image choice

    def __init__(
        self,
        *,
        text: MarkdownEdit,
        undo_stack: QUndoStack,
        runner: BackgroundRunner,
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._text = text
        self._undo_stack = undo_stack
        self._runner = runner
        self._parent_widget = parent_widget
        self.store: Store | None = None
        self.panel = MediaPanel()
        self.dialog: FigureDialog | None = None
        self._prefixes_seen: set[str] | None = None
        self.refused_box: QMessageBox | None = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(MEDIA_REFRESH_MS)
        self._refresh.timeout.connect(self.refresh_media)
        text.textChanged.connect(self._refresh.start)
        text.image_files_dropped.connect(self.insert_files)
        text.image_data_pasted.connect(self.insert_data)
        self.panel.figure_chosen.connect(text.go_to_block)
        self.panel.edit_requested.connect(self.edit_figure_at_line)
        self.panel.insert_requested.connect(self.choose_and_insert)

    # --- inserting -----------------------------------------------------------

    def choose_and_insert(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent_widget, "Insert Image", "", IMAGE_FILTER
        )
        if paths:
            self.insert_files(paths)

    def insert_files(self, paths: list[str]) -> None:
        for path in paths:
            self._ingest(lambda path=path: _read_file(Path(path)), Path(path).name)

    def insert_data(self, data: bytes, name: str) -> None:
        self._ingest(lambda: data, name)

    def _ingest(self, read: object, name: str) -> None:
        store = self.store
        if store is None:
            return
        assert callable(read)
        insert_at = self._text.textCursor().position()

        def prepare() -> PreparedImage:
            from editor.core.images import ImageCache, prepare_image

            return prepare_image(read(), filename=name, cache=ImageCache.default())

        def stored(prepared: PreparedImage) -> None:
            def save() -> IngestResult:
                from editor.core.images import store_prepared

                with store.session_factory.begin() as session:
                    return store_prepared(session, prepared)

            self._runner.run(
                "store image",
                save,
                on_success=lambda result: self._ask_figure_details(result, insert_at),
                on_failure=self._refuse,
            )

        self._parent_widget.window().statusBar().showMessage(f"Adding {name}…", 5_000)  # type: ignore[attr-defined]
        self._runner.run(
            "prepare image", prepare, lane=Lane.COMPUTE, on_success=stored, on_failure=self._refuse
        )

    def _refuse(self, error: BaseException) -> None:
        from editor.core.images import ImageRejected

        if isinstance(error, ImageRejected):
            message = str(error)
        else:
            message = f"The image could not be added: {error}"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Image Not Added",
            message,
            QMessageBox.StandardButton.Ok,
            self._parent_widget,
        )
        box.setInformativeText("Nothing in the article was changed.")
        self.refused_box = box
        box.open()
        self.image_refused.emit(message)

    def _ask_figure_details(self, result: IngestResult, insert_at: int) -> None:
        self.panel.add_thumbnail(result.sha256[:12], result.thumbnail.data)
        notes = list(result.notes)
        if result.removed_metadata:
            removed = ", ".join(sorted(str(item) for item in result.removed_metadata))
            notes.append(f"Removed from the file: {removed}.")
        dialog = FigureDialog(
            thumbnail=result.thumbnail.data,
            filename=result.filename,
            alt_text=result.alt_text,
            caption=result.caption,
            credit=result.credit or result.suggested_credit,
            notes=tuple(notes),
            parent=self._parent_widget,
        )

        def done(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                self.insert_figure(
                    target=result.reference,
                    alt_text=dialog.alt_text,
                    caption=dialog.caption,
                    credit=dialog.credit,
                    position=insert_at,
                )

        dialog.finished.connect(done)
        self.dialog = dialog
        self.figure_dialog_opened.emit(dialog)
        dialog.open()

    def insert_figure(
        self, *, target: str, alt_text: str, caption: str, credit: str, position: int | None = None
    ) -> None:
        """Insert a figure as its own paragraph at ``position`` (or the cursor), as one undo step."""
        from editor.core.articles.figures import figure_markdown

        markdown = figure_markdown(target=target, alt_text=alt_text, credit=credit, caption=caption)
        document = self._text.document()
        cursor = QTextCursor(document)
        wanted = self._text.textCursor().position() if position is None else position
        cursor.setPosition(max(0, min(wanted, document.characterCount() - 1)))
        # A figure is its own paragraph: after the paragraph the cursor is in, blank lines around.
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        block = cursor.block()
        before = "\n\n" if block.text().strip() else ""
        following = block.next()
        after = "\n" if following.isValid() and following.text().strip() else ""
        self._undo_stack.beginMacro("Insert figure")
        try:
            cursor.insertText(f"{before}{markdown}{after}")
        finally:
            self._undo_stack.endMacro()
        self._text.setTextCursor(cursor)
        self.figure_inserted.emit(markdown)
        self.refresh_media()

    # --- editing -------------------------------------------------------------

    def edit_figure_at_line(self, line: int) -> None:
        figure = next((f for f in self.panel.figures if f.line == line), None)
        if figure is None:
            return
        pixmap_data = None
        dialog = FigureDialog(
            thumbnail=pixmap_data,
            filename=figure.target,
            alt_text=figure.alt_text,
            caption=figure.caption,
            credit=figure.credit,
            parent=self._parent_widget,
        )

        def done(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                self.rewrite_figure(
                    figure, alt_text=dialog.alt_text, caption=dialog.caption, credit=dialog.credit
                )

        dialog.finished.connect(done)
        self.dialog = dialog
        self.figure_dialog_opened.emit(dialog)
        dialog.open()

    def rewrite_figure(
        self, figure: FigureSource, *, alt_text: str, caption: str, credit: str
    ) -> None:
        from editor.core.articles.figures import figure_markdown

        document = self._text.document()
        first = document.findBlockByNumber(figure.line)
        last = document.findBlockByNumber(figure.end_line)
        if not first.isValid() or not last.isValid():
            return
        cursor = QTextCursor(document)
        cursor.setPosition(first.position())
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        self._undo_stack.beginMacro("Edit figure")
        try:
            cursor.insertText(
                figure_markdown(
                    target=figure.target, alt_text=alt_text, credit=credit, caption=caption
                )
            )
        finally:
            self._undo_stack.endMacro()
        self.refresh_media()

    # --- the media panel -----------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self._prefixes_seen: set[str] | None = None
        self.panel.show_figures([])

    def refresh_media(self) -> None:
        """Show the figures in the text; fetch thumbnails and asset facts only when the set changes."""
        from editor.core.articles.figures import find_figures

        self._refresh.stop()
        figures = find_figures(self._text.toPlainText())
        self.panel.show_figures(figures)
        prefixes = {f.asset_prefix for f in figures if f.asset_prefix}
        store = self.store
        if store is None or prefixes == self._prefixes_seen:
            self.media_refreshed.emit()
            return
        self._prefixes_seen = prefixes
        missing = prefixes - self.panel.known_prefixes()

        def fetch() -> tuple[dict[str, FigureAsset], dict[str, bytes]]:
            from editor.core.articles.figures import assets_for_prefixes
            from editor.core.images import AssetNotFound, ImageCache, thumbnail_for_asset

            cache = ImageCache.default()
            thumbnails: dict[str, bytes] = {}
            with store.session_factory() as session:
                assets = assets_for_prefixes(session, prefixes)
                for prefix in missing & set(assets):
                    try:
                        thumbnails[prefix] = thumbnail_for_asset(
                            session, asset_id=assets[prefix].asset_id, cache=cache
                        ).data
                    except AssetNotFound:
                        continue
            return assets, thumbnails

        def show(result: tuple[dict[str, FigureAsset], dict[str, bytes]]) -> None:
            assets, thumbnails = result
            for prefix, data in thumbnails.items():
                self.panel.add_thumbnail(prefix, data)
            self.assets_found.emit(assets)
            self.media_refreshed.emit()

        def failed(error: BaseException) -> None:
            self._prefixes_seen = None  # try again on the next change
            self.media_refreshed.emit()

        self._runner.run("media thumbnails", fetch, on_success=show, on_failure=failed)


def _read_file(path: Path) -> bytes:
    from editor.core.images import read_image_file

    return read_image_file(path)

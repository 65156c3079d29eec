"""Figures from a file, a drop and a paste; refused files; alt text flagged; edits undoable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QColor, QImage, QTextCursor
from sqlalchemy import func, select

from editor.core.articles.figures import find_figures
from editor.core.models import Asset
from editor.core.store import Store
from editor.ui.editor.pane import EditorPane
from editor.ui.main_window import MainWindow
from tests.ui.test_editor_pane import open_lead


def _accept_dialog(
    qtbot, pane: EditorPane, *, alt: str, caption: str = "", credit: str | None = None
) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: pane.figures.dialog is not None and pane.figures.dialog.isVisible(), timeout=15_000
    )
    dialog = pane.figures.dialog
    assert dialog is not None
    dialog.alt_field.setPlainText(alt)
    dialog.caption_field.setPlainText(caption)
    if credit is not None:
        dialog.credit_field.setText(credit)
    with qtbot.waitSignal(pane.figures.figure_inserted, timeout=5_000):
        dialog.accept()
    pane.figures.dialog = None


def _asset_count(store: Store) -> int:
    with store.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(Asset)) or 0)


def test_dropped_photo_becomes_a_figure_without_its_gps(
    qtbot, main_window: MainWindow, demo_store: Store, shared_data: Path
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    photo = sorted((shared_data / "images" / "camera" / "gps").glob("*.jpg"))[0]
    before_assets = _asset_count(demo_store)
    pane.text.moveCursor(QTextCursor.MoveOperation.Start)
    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(photo))])
    assert pane.text.canInsertFromMimeData(dropped)
    pane.text.insertFromMimeData(dropped)
    _accept_dialog(
        qtbot,
        pane,
        alt="A street seen from a hill",
        caption="The view north.",
        credit="Photo: Test",
    )
    figures = find_figures(pane.text.toPlainText())
    inserted = [f for f in figures if f.alt_text == "A street seen from a hill"]
    assert len(inserted) == 1 and inserted[0].caption == "The view north."
    assert inserted[0].line == 2  # its own paragraph after the first one
    assert _asset_count(demo_store) == before_assets + 1
    with demo_store.session_factory() as session:
        original = session.scalar(
            select(Asset.original).where(Asset.sha256.startswith(inserted[0].asset_prefix))
        )
    import io

    from PIL import Image

    with Image.open(io.BytesIO(original)) as image:
        assert 34853 not in image.getexif()  # GPSInfo
    # One undo removes the whole figure.
    pane.undo_stack.undo()
    assert not [
        f
        for f in find_figures(pane.text.toPlainText())
        if f.alt_text == "A street seen from a hill"
    ]


def test_pasted_image_and_the_same_file_twice_is_one_asset(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    image = QImage(640, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    before_assets = _asset_count(demo_store)
    for alt in ("A blue test card", "The same blue card"):
        pasted = QMimeData()
        pasted.setImageData(image)
        pane.text.moveCursor(QTextCursor.MoveOperation.End)
        pane.text.insertFromMimeData(pasted)
        _accept_dialog(qtbot, pane, alt=alt)
    assert _asset_count(demo_store) == before_assets + 1
    prefixes = {
        f.asset_prefix for f in find_figures(pane.text.toPlainText()) if "blue" in f.alt_text
    }
    assert len(prefixes) == 1


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("images/camera/corrupted.jpg", "corrupted.jpg"),
        ("images/pillow/bombs", ""),
        ("SOURCES.md", "SOURCES.md"),
    ],
)
def test_refused_files_get_a_message_and_change_nothing(
    qtbot, main_window: MainWindow, demo_store: Store, shared_data: Path, relative: str, reason: str
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    path = shared_data / relative
    if path.is_dir():
        path = sorted(p for p in path.iterdir() if p.is_file())[0]
        reason = path.name
    before_text = pane.text.toPlainText()
    before_assets = _asset_count(demo_store)
    with qtbot.waitSignal(pane.figures.image_refused, timeout=15_000) as refused:
        pane.figures.insert_files([str(path)])
    assert reason in refused.args[0]
    assert pane.figures.refused_box is not None and pane.figures.refused_box.isVisible()
    assert pane.text.toPlainText() == before_text
    assert _asset_count(demo_store) == before_assets


def test_media_panel_shows_figures_and_flags_missing_alt_text(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    panel = pane.figures.panel
    qtbot.waitUntil(
        lambda: panel.list.count() == 2 and len(panel.known_prefixes()) == 2, timeout=10_000
    )
    assert "all with alt text" in panel.summary.text()
    featured = pane.metadata.featured_image
    qtbot.waitUntil(lambda: featured.count() == 3, timeout=5_000)
    assert featured.itemText(1).startswith("Engineers lower the trial gate")
    first = panel.figures[0]
    pane.figures.rewrite_figure(first, alt_text="", caption=first.caption, credit=first.credit)
    assert "1 figure without alt text" in panel.summary.text()
    assert panel.list.item(0).text().startswith("No alt text!")
    pane.undo_stack.undo()
    pane.figures.refresh_media()
    assert "all with alt text" in panel.summary.text()

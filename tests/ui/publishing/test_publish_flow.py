"""One click from the editor: checks first, progress, the result, and a draft that stays editable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCursor
from sqlalchemy import func, select

from editor.core.models import Article, ArticleStatus, PublishRecord
from editor.core.store import Store
from editor.ui.main_window import MainWindow
from tests.ui.test_editor_pane import LEAD_SLUG, open_lead


def test_publish_to_this_store_then_keep_editing(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    flow = pane.publish_flow
    with qtbot.waitSignal(flow.published, timeout=60_000) as published:
        pane.actions_by_name["publish"].trigger()
    outcome = published.args[0]
    assert outcome.changed and outcome.target == "this-store"
    assert flow.result_box is not None and flow.result_box.windowTitle() == "Published"
    with demo_store.session_factory() as session:
        records = session.scalar(select(func.count()).select_from(PublishRecord))
        status = session.scalar(select(Article.status).where(Article.slug == LEAD_SLUG))
    assert records and status is ArticleStatus.PUBLISHED
    # The editor continues from the published version: the next save is not a conflict.
    qtbot.waitUntil(
        lambda: pane.draft is not None and pane.draft.version == outcome.version, timeout=5_000
    )
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(pane.draft_saved, timeout=5_000):
        qtbot.keyClicks(pane.text, " Updated after publishing.")
        pane.save_now()
    assert pane.save_label.text().startswith("Saved")


def test_missing_alt_text_blocks_publishing_and_jumps_to_the_figure(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, main_window, demo_store)
    qtbot.waitUntil(lambda: len(pane.figures.panel.figures) == 2, timeout=10_000)
    figure = pane.figures.panel.figures[0]
    pane.figures.rewrite_figure(figure, alt_text="", caption=figure.caption, credit=figure.credit)
    flow = pane.publish_flow
    with qtbot.waitSignal(flow.preflight_shown, timeout=30_000) as shown:
        pane.publish()
    dialog = shown.args[0]
    assert dialog.publish_anyway is None  # an error: no way round it
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("alt" in text.lower() for text in texts)
    item = next(
        dialog.list.item(i)
        for i in range(dialog.list.count())
        if "alt" in dialog.list.item(i).text().lower()
    )
    dialog.list.itemDoubleClicked.emit(item)
    assert pane.text.textCursor().blockNumber() == figure.line
    with demo_store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PublishRecord)) == 0


def test_publish_to_a_site_folder(
    qtbot, main_window: MainWindow, demo_store: Store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    main_window.settings.preferences.publish_target = f"folder:{site}"
    pane = open_lead(qtbot, main_window, demo_store)
    with qtbot.waitSignal(pane.publish_flow.published, timeout=60_000) as published:
        pane.publish()
    outcome = published.args[0]
    pages = list(site.rglob(f"{LEAD_SLUG}/index.html"))
    assert len(pages) == 1
    html = pages[0].read_text(encoding="utf-8")
    assert "Flood Barrier Holds" in html and "<script" not in html.lower()
    assert (site / "index.html").exists()
    assert outcome.url

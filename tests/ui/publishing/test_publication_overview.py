"""The Publishing area's table of what is published where, driven on the demo store: the
state of each article at this store and at a site folder after publishing, editing and
unpublishing from it, and its actions (open the live page, open in the editor)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor
from sqlalchemy import select

from editor.core.articles.service import load_draft, save_draft
from editor.core.models import Article
from editor.core.publishing.overview import TargetState, publication_overview
from editor.core.store import Store
from editor.ui.background import BackgroundRunner
from editor.ui.main_window import Area, MainWindow
from editor.ui.publishing.overview_model import (
    ARTICLE_ID_ROLE,
    FixedColumn,
    PublicationTableModel,
    state_text,
)
from editor.ui.publishing.pane import PublishingPane
from editor.ui.settings import Settings

LEAD_SLUG = "flood-barrier-first-full-test"
PUBLISH_TIMEOUT = 60_000


def _id_of(store: Store, slug: str) -> int:
    with store.session_factory() as session:
        return int(session.scalar(select(Article.id).where(Article.slug == slug)))  # type: ignore[arg-type]


@pytest.fixture
def site_target(tmp_path: Path) -> str:
    return f"folder:{tmp_path / 'public_html'}"


@pytest.fixture
def pane(
    qtbot, settings: Settings, runner: BackgroundRunner, demo_store: Store, site_target: str
) -> Iterator[PublishingPane]:  # type: ignore[no-untyped-def]
    settings.preferences.publish_targets = site_target
    shown = PublishingPane(runner, settings)
    qtbot.addWidget(shown)
    shown.resize(1100, 720)
    shown.show()
    qtbot.waitExposed(shown)
    # The overview alone gets the store: the pane's timer publishing due articles would
    # otherwise change the sample's scheduled article under the test once its time comes.
    with qtbot.waitSignal(shown.overview.overview_loaded, timeout=10_000):
        shown.overview.set_store(demo_store)
    yield shown
    runner.wait_for_done(10_000)


def _cell(pane: PublishingPane, article_id: int, target: str) -> str:
    model = pane.overview.model
    row, column = model.row_of(article_id), model.column_of(target)
    assert row is not None and column is not None
    return str(model.index(row, column).data())


def _act(qtbot, pane: PublishingPane, button_name: str) -> None:  # type: ignore[no-untyped-def]
    """Click an action and wait for its outcome and the table's reload after it."""
    overview = pane.overview
    button = getattr(overview, button_name)
    assert button.isEnabled(), f"{button_name} is disabled: {overview.details.full_text()}"
    with (
        qtbot.waitSignal(overview.overview_loaded, timeout=PUBLISH_TIMEOUT),
        qtbot.waitSignal(pane.publication_changed, timeout=PUBLISH_TIMEOUT),
    ):
        button.click()
    if overview.flow.result_box is not None:
        overview.flow.result_box.close()


def test_the_table_model_passes_the_model_tester(qtbot, qtmodeltester, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    targets = ["this-store", "folder:/srv/site"]
    with demo_store.session_factory() as session:
        rows = publication_overview(session, targets=targets)
    model = PublicationTableModel()
    model.set_rows(rows, targets)
    qtmodeltester.check(model)
    assert model.columnCount() == len(FixedColumn) + 2
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Site · site"
    model.set_rows([], [])
    qtmodeltester.check(model)


def test_states_after_publishing_editing_and_unpublishing(
    qtbot, pane: PublishingPane, demo_store: Store, site_target: str
) -> None:  # type: ignore[no-untyped-def]
    overview = pane.overview
    lead = _id_of(demo_store, LEAD_SLUG)
    draft = _id_of(demo_store, "market-square-roadworks")
    scheduled = _id_of(demo_store, "youth-orchestra-regional-final")
    assert overview.model.targets == ["this-store", site_target]
    # The sample content came in published, without a publish of Newsdesk's own.
    assert _cell(pane, lead, "this-store") == "Marked published"
    assert _cell(pane, lead, site_target) == "Never"
    assert _cell(pane, draft, "this-store") == "Never"
    assert _cell(pane, scheduled, "this-store").startswith("Scheduled · ")

    assert overview.select(lead, "this-store")
    assert overview.action_target() == "this-store"
    assert overview.publish_button.text() == "Publish"
    _act(qtbot, pane, "publish_button")
    live = overview.selected_publication()
    assert live is not None and live.state is TargetState.LIVE
    assert _cell(pane, lead, "this-store") == state_text(live)
    assert _cell(pane, lead, "this-store").startswith("Live · ")
    assert _cell(pane, lead, site_target) == "Never"
    assert overview.publish_button.text() == "Update"
    assert live.location and live.location in overview.location.full_text()

    # The site folder: its own column, and its page opens in the system browser.
    assert overview.select(lead, site_target)
    assert overview.publish_button.text() == "Publish"
    _act(qtbot, pane, "publish_button")
    on_site = overview.selected_publication()
    assert on_site is not None and on_site.state is TargetState.LIVE
    assert on_site.location.startswith("file://") and on_site.location.endswith("index.html")
    assert Path(QUrl(on_site.location).toLocalFile()).is_file()
    assert _cell(pane, lead, site_target).startswith("Live · ")
    opened = _OpenedUrls()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        assert overview.live_page_button.isEnabled()
        overview.live_page_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert opened.urls == [on_site.location]

    # An edit after publishing: both columns say an update is pending, until it goes out.
    with demo_store.session_factory.begin() as session:
        article = load_draft(session, article_id=lead)
        save_draft(
            session,
            draft=replace(article, body=article.body + "\n\nA late correction."),
            expected_version=article.version,
        )
    with qtbot.waitSignal(overview.overview_loaded, timeout=10_000):
        pane.hide()
        pane.show()  # showing the area reads it again
    assert _cell(pane, lead, "this-store") == "Changed since publish"
    assert _cell(pane, lead, site_target) == "Changed since publish"
    assert overview.select(lead, site_target)
    assert overview.publish_button.text() == "Update"
    _act(qtbot, pane, "publish_button")
    assert _cell(pane, lead, site_target).startswith("Live · ")
    assert _cell(pane, lead, "this-store").startswith("Live · ")

    assert overview.select(lead, "this-store")
    _act(qtbot, pane, "unpublish_button")
    assert _cell(pane, lead, "this-store").startswith("Unpublished · ")
    # The site shows what this store publishes: taken down here, it leaves the site too.
    assert _cell(pane, lead, site_target).startswith("Unpublished")
    assert not overview.unpublish_button.isEnabled()
    assert "1 live" not in overview.summary.text()


def test_sorting_by_a_target_puts_pending_updates_first(
    qtbot, pane: PublishingPane, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    overview = pane.overview
    library = _id_of(demo_store, "library-extends-weekend-hours")
    assert overview.select(library, "this-store")
    _act(qtbot, pane, "publish_button")
    with demo_store.session_factory.begin() as session:
        article = load_draft(session, article_id=library)
        save_draft(
            session,
            draft=replace(article, title=article.title + " (updated)"),
            expected_version=article.version,
        )
    with qtbot.waitSignal(overview.overview_loaded, timeout=10_000):
        overview.refresh()
    column = overview.model.column_of("this-store")
    assert column is not None
    overview.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    model = overview.model
    assert model.index(0, column).data() == "Changed since publish"
    assert model.index(0, 0).data(ARTICLE_ID_ROLE) == library
    # The selection follows its article through the sort.
    assert overview.selected_article_id() == library
    overview.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert model.index(0, column).data() == "Never"
    assert overview.selected_article_id() == library
    assert model.index(model.rowCount() - 1, column).data() == "Changed since publish"
    overview.search_field.setText("ORCHESTRA")
    assert model.rowCount() == 1 and "Orchestra" in model.index(0, 0).data()
    overview.search_field.clear()
    assert model.rowCount() == 4


def test_opening_an_article_from_the_publishing_area(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(main_window.articles_pane.articles_listed, timeout=20_000):
        main_window.open_store(demo_store.url)
    overview = main_window.publishing_pane.overview
    with qtbot.waitSignal(overview.overview_loaded, timeout=10_000):
        main_window.show_area(Area.PUBLISHING)
    lead = _id_of(demo_store, LEAD_SLUG)
    assert overview.select(lead)
    # The preferred target when no target column was clicked.
    assert overview.action_target() == main_window.settings.preferences.publish_target
    with qtbot.waitSignal(main_window.editor_pane.article_opened, timeout=10_000) as opened:
        overview.open_button.click()
    assert opened.args[0].id == lead
    assert main_window.current_area is Area.EDITOR


class _OpenedUrls(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_publishing_from_the_area_leaves_the_open_editor_saving(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(main_window.articles_pane.articles_listed, timeout=20_000):
        main_window.open_store(demo_store.url)
    # A draft: publishing it changes its status, so its stored version moves on.
    draft = _id_of(demo_store, "market-square-roadworks")
    editor = main_window.editor_pane
    with qtbot.waitSignal(editor.article_opened, timeout=10_000) as opened:
        main_window.open_article(draft)
    opened_version = opened.args[0].version
    overview = main_window.publishing_pane.overview
    with qtbot.waitSignal(overview.overview_loaded, timeout=10_000):
        main_window.show_area(Area.PUBLISHING)
    assert overview.select(draft, "this-store")
    with qtbot.waitSignal(
        main_window.publishing_pane.publication_changed, timeout=PUBLISH_TIMEOUT
    ) as published:
        overview.publish_button.click()
    outcome = published.args[0]
    assert outcome.version != opened_version
    # The editor continues from the version the publish left, so its next save is no conflict.
    qtbot.waitUntil(
        lambda: editor.draft is not None and editor.draft.version == outcome.version,
        timeout=5_000,
    )
    editor.text.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(editor.draft_saved, timeout=5_000):
        editor.text.insertPlainText(" Updated after publishing.")
        editor.save_now()
    assert editor.save_label.text().startswith("Saved")

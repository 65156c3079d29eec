"""Screenshots of the real window for the README, taken offscreen (``newsdesk screenshot``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def _run_until(
    *signals: object, then: Callable[[], object] | None = None, timeout_ms: int = 10_000
) -> None:
    """Run ``then``, then the event loop until one of ``signals`` fires or the time is up
    (no signals: just let the loop run ``timeout_ms``)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    for signal in signals:
        signal.connect(lambda *_args: loop.quit())  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    if then is not None:
        then()
    loop.exec()


def take_screenshots(folder: Path, *, width: int = 1280, height: int = 800) -> list[Path]:
    """Open the demo store in a fresh window and save one PNG per area. Returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    from editor.app import allow_web_engine_as_root

    allow_web_engine_as_root()
    from PySide6.QtCore import QCoreApplication, QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from editor.ui.background import BackgroundRunner
    from editor.ui.main_window import Area, MainWindow
    from editor.ui.settings import Settings

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(["newsdesk-screenshot"])
    folder.mkdir(parents=True, exist_ok=True)
    # A scratch settings file: screenshots never depend on, or change, the user's window state.
    scratch = QSettings(str(folder / ".screenshot-settings.ini"), QSettings.Format.IniFormat)
    scratch.clear()
    runner = BackgroundRunner()
    window = MainWindow(Settings(scratch), runner)
    window.resize(width, height)
    window.show()

    _run_until(
        window.articles_pane.articles_listed,
        window.store_refused,
        then=lambda: window.open_store(None, demo=True),
        timeout_ms=30_000,
    )

    lead_row = next(
        (
            row
            for row in window.articles_pane.model._rows
            if row.slug == "flood-barrier-first-full-test"
        ),
        None,
    )
    if lead_row is not None:
        _run_until(
            window.editor_pane.article_opened,
            then=lambda: window.open_article(int(lead_row.id)),
            timeout_ms=30_000,
        )
        _run_until(window.editor_pane.figures.media_refreshed)
    _show_a_held_comment(window)

    written = []
    for area in Area:
        window.show_area(area)
        app.processEvents()
        target = folder / f"{area.value}.png"
        window.grab().save(str(target))
        written.append(target)
    written += _preview_shots(app, window, folder)
    publishing_shot = _publishing_shot(window, folder)
    if publishing_shot is not None and publishing_shot not in written:
        written.append(publishing_shot)
    window.show_area(Area.ARTICLES)
    app.processEvents()
    main_shot = folder / "main-window.png"
    window.grab().save(str(main_shot))
    written.append(main_shot)
    window.close()
    runner.wait_for_done(10_000)
    if window.store is not None:
        window.store.close()
    (folder / ".screenshot-settings.ini").unlink(missing_ok=True)
    return written


def _show_a_held_comment(window: object) -> None:
    """The moderation queue with a comment held for its links in the detail pane."""

    pane = window.moderation_pane  # type: ignore[attr-defined]
    if pane.store is None:
        return

    if pane.model.rowCount() == 0 or pane.queue_view.is_loading:
        _run_until(pane.queue_loaded)
    held = next(
        (
            row
            for row in range(pane.model.rowCount())
            if (value := pane.model.row_at(row)) is not None
            and any("link" in reason for reason in value.reasons)
        ),
        0,
    )
    shown = pane.detail.comment_id
    current = pane.model.row_at(held)
    if current is not None and shown != current.id:
        _run_until(pane.detail_shown, then=lambda: pane.queue_view.select_row(held))


def _publishing_shot(window: object, folder: Path) -> Path | None:
    """The Publishing area once the newsroom has used it: the lead story and the library piece
    published to the store and to a site folder, the library piece edited since, and the
    roadworks piece on the site only (the orchestra piece is scheduled in the demo)."""
    import tempfile
    from dataclasses import replace

    from editor.core.articles.service import load_draft, save_draft
    from editor.core.models import Article
    from editor.core.publishing import publish_article
    from editor.ui.main_window import Area, MainWindow

    assert isinstance(window, MainWindow)
    store = window.store
    if store is None:
        return None
    site = Path(tempfile.mkdtemp(prefix="newsdesk-screenshot-")) / "public_html"
    folder_target = f"folder:{site}"
    with store.session_factory() as session:
        ids = {
            slug: article_id
            for slug, article_id in session.query(Article.slug, Article.id).filter(
                Article.slug.in_(
                    (
                        "flood-barrier-first-full-test",
                        "library-extends-weekend-hours",
                        "market-square-roadworks",
                    )
                )
            )
        }
    lead = ids.get("flood-barrier-first-full-test")
    library = ids.get("library-extends-weekend-hours")
    roadworks = ids.get("market-square-roadworks")
    for article_id, targets in (
        (lead, ("this-store", folder_target)),
        (library, ("this-store", folder_target)),
        (roadworks, (folder_target,)),
    ):
        for target in targets:
            if article_id is not None:
                publish_article(store, article_id=article_id, target=target, author="Sam Okafor")
    if library is not None:
        with store.session_factory.begin() as session:
            draft = load_draft(session, article_id=library)
            save_draft(
                session,
                draft=replace(draft, body=draft.body + "\n\nUpdated: Sunday hours start in May.\n"),
                expected_version=draft.version,
            )
    pane = window.publishing_pane
    pane.choose_target("this-store")
    names = [name for name in pane.target_names() if name != "this-store"]
    window.settings.preferences.publish_targets = "\n".join([*names, folder_target])
    window.settings.save()
    pane._show_targets()

    def show_overview() -> None:
        window.show_area(Area.PUBLISHING)
        pane.overview.refresh()

    _run_until(pane.overview.overview_loaded, then=show_overview)
    if library is not None:
        pane.overview.select(library, folder_target)
    _run_until(timeout_ms=200)  # the detail card lays itself out
    shot = folder / "publishing.png"
    window.grab().save(str(shot))
    return shot


def _preview_shots(app: object, window: object, folder: Path) -> list[Path]:
    """The editor with the live preview, and the page alone at each device width."""

    from editor.ui.main_window import Area, MainWindow
    from editor.ui.preview.pane import DeviceWidth

    assert isinstance(window, MainWindow)
    pane = window.editor_pane
    if pane.draft is None:
        return []
    window.show_area(Area.EDITOR)
    pane.show_preview(True)
    preview = pane.preview
    assert preview is not None

    deadline = 60
    while (preview.body is None or not preview._loaded) and deadline:
        _run_until(timeout_ms=250)
        deadline -= 1
    _run_until(timeout_ms=1500)  # images arrive through the media scheme
    written = []
    shot = folder / "editor-preview.png"
    window.grab().save(str(shot))
    written.append(shot)
    for device in DeviceWidth:
        preview.set_device(device)
        _run_until(timeout_ms=1200)
        target = folder / f"preview-{device.name.lower()}.png"
        assert preview.view is not None
        preview.view.grab().save(str(target))
        written.append(target)
    preview.set_device(DeviceWidth.DESKTOP)
    pane.show_preview(False)
    return written


def take_wordpress_screenshots(
    folder: Path, wxr_file: Path, *, title: str = "Template: Comments"
) -> list[Path]:
    """Import a WordPress export into a scratch store and show one imported article and its
    comment queue (for the README's "moving in from WordPress" section)."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    from editor.app import allow_web_engine_as_root

    allow_web_engine_as_root()
    from PySide6.QtCore import QCoreApplication, QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from editor.core.moderation.queue import QueueTab
    from editor.core.store import open_store, sqlite_url
    from editor.core.wxr import import_wxr
    from editor.ui.background import BackgroundRunner
    from editor.ui.main_window import Area, MainWindow
    from editor.ui.settings import Settings

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    if QApplication.instance() is None:
        QApplication(["newsdesk-screenshot"])
    folder.mkdir(parents=True, exist_ok=True)

    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-wxr-shot-") as scratch:
        url = sqlite_url(Path(scratch) / "imported.sqlite3")
        store = open_store(url)
        with store.session_factory.begin() as session:
            import_wxr(session, wxr_file)
        store.close()
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        runner = BackgroundRunner()
        window = MainWindow(Settings(settings), runner)
        window.resize(1280, 800)
        window.show()
        _run_until(
            window.articles_pane.articles_listed,
            then=lambda: window.open_store(url),
            timeout_ms=30_000,
        )
        article = next(
            (row for row in window.articles_pane.model._rows if row.title == title), None
        )
        if article is None:
            raise SystemExit(f"no article titled {title!r} in {wxr_file}")
        window.open_article(int(article.id))
        _run_until(timeout_ms=1500)
        shot = folder / "wordpress-article.png"
        window.grab().save(str(shot))
        written.append(shot)
        pane = window.moderation_pane
        window.show_area(Area.MODERATION)
        _run_until(timeout_ms=1500)
        index = pane.article_filter.findData(int(article.id))
        if index >= 0:
            pane.article_filter.setCurrentIndex(index)
        pane.set_tab(QueueTab.ALL)
        _run_until(timeout_ms=2500)
        shot = folder / "wordpress-queue.png"
        window.grab().save(str(shot))
        written.append(shot)
        window.close()
        runner.wait_for_done(10_000)
        if window.store is not None:
            window.store.close()
    return written

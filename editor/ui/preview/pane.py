"""The layout preview: the article as the site will show it, at three widths, live as you type.

The page shell is loaded once; after that each edit renders only the changed
Markdown blocks (in the compute lane, one render running and at most one
waiting) and swaps those nodes in the page, so the scroll position survives.
A structural change (footnotes, reference links) re-renders the whole body.
"""

from __future__ import annotations

import enum
import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.ui.background import Lane

if TYPE_CHECKING:
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from editor.core.rendering.body import BodyRenderer, BodyUpdate, RenderedBody
    from editor.core.rendering.checks import LayoutIssue
    from editor.core.store import Store
    from editor.ui.background import BackgroundRunner
    from editor.ui.preview.shell import PageFacts
    from editor.ui.preview.web import BlockRemoteRequests

PATCH_SCRIPT = (Path(__file__).with_name("patch.js")).read_text(encoding="utf-8")
# Bursts are merged by "one render running, the newest text waiting", not by a delay:
# a zero timer only gathers keystrokes already queued in the same event-loop pass.
RENDER_DELAY_MS = 0
CHECKS_DELAY_MS = 400


class DeviceWidth(enum.IntEnum):
    DESKTOP = 1200
    TABLET = 780
    PHONE = 360


DEVICE_LABELS = {
    DeviceWidth.DESKTOP: "Desktop",
    DeviceWidth.TABLET: "Tablet",
    DeviceWidth.PHONE: "Phone",
}


def _counted(method: Callable[..., None]) -> Callable[..., None]:
    """Adds the time ``method`` takes to ``self.ui_thread_ms`` (the benchmark's UI budget)."""

    @functools.wraps(method)
    def timed(self: PreviewPane, *args: object) -> None:
        started = time.perf_counter()
        try:
            method(self, *args)
        finally:
            self.ui_thread_ms += (time.perf_counter() - started) * 1000

    return timed


class PreviewPane(QWidget):
    """Shows one article; ``set_source`` after every edit. Emits ``preview_updated(ms, full)``
    with the time from the edit to the page patched and laid out."""

    page_loaded = Signal()
    preview_updated = Signal(float, bool)
    figure_clicked = Signal(int)  # first source line of the clicked figure
    checks_listed = Signal(int)
    check_chosen = Signal(int)  # source line

    def __init__(self, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.store: Store | None = None
        self.view: QWebEngineView | None = None
        self.interceptor: BlockRemoteRequests | None = None
        self._renderer: BodyRenderer | None = None
        self.body: RenderedBody | None = None
        self._loaded = False
        self._rendering = False
        self._render_again = False
        self._generation = 0
        self._pending_update: tuple[BodyUpdate, float] | None = None
        self._shell_key: tuple[object, ...] | None = None
        self._meta: dict[str, object] = {}
        self._facts: PageFacts | None = None
        self.issues: list[LayoutIssue] = []
        self._source: str | Callable[[], str] = ""
        self._edits = 0
        self.device = DeviceWidth.DESKTOP

        self.device_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        for device in DeviceWidth:
            button = QToolButton()
            button.setText(f"{DEVICE_LABELS[device]} {int(device)} px")
            button.setCheckable(True)
            button.setChecked(device is self.device)
            self.device_buttons.addButton(button, int(device))
            bar.addWidget(button)
        bar.addStretch(1)
        self.timing_label = QLabel()
        self.timing_label.setObjectName("muted")
        bar.addWidget(self.timing_label)
        self.device_buttons.idClicked.connect(lambda width: self.set_device(DeviceWidth(width)))

        self.frame = QWidget()
        self.frame.setStyleSheet("background: #d9dde2;")
        self.frame_layout = QHBoxLayout(self.frame)
        self.frame_layout.setContentsMargins(0, 0, 0, 0)
        self.frame.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.checks = QListWidget()
        self.checks.setWordWrap(True)
        self.checks.itemActivated.connect(self._check_chosen)
        self.checks.itemClicked.connect(self._check_chosen)
        checks_box = QWidget()
        checks_layout = QVBoxLayout(checks_box)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        checks_title = QLabel("Check layout")
        checks_title.setStyleSheet("font-weight: 600;")
        checks_layout.addWidget(checks_title)
        checks_layout.addWidget(self.checks, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.frame)
        self.splitter.addWidget(checks_box)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 110])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_DELAY_MS)
        self._render_timer.timeout.connect(self._start_render)
        self._edited_at = 0.0
        self.last_page_ms = 0.0  # time the page itself spent patching and laying out
        # When (wall clock, seconds) the page finished laying out its last patch.
        self.last_laid_out_at = 0.0
        # UI-thread time spent on rendering and patching so far (the key events aside).
        self.ui_thread_ms = 0.0
        self._checks_timer = QTimer(self)
        self._checks_timer.setSingleShot(True)
        self._checks_timer.setInterval(CHECKS_DELAY_MS)
        self._checks_timer.timeout.connect(self._run_checks)
        self._scrolled_to: int | None = None

    # --- the web view (made on first use: Chromium starts only when someone previews) ---

    def _ensure_view(self) -> QWebEngineView:
        if self.view is not None:
            return self.view
        from PySide6.QtWebEngineCore import QWebEngineScript
        from PySide6.QtWebEngineWidgets import QWebEngineView

        from editor.ui.preview.web import PreviewPage, make_profile, register_media_scheme

        # Registered here, before the first web engine object, not at start-up: importing
        # QtWebEngine costs ~0.25 s, which only people who open the preview should pay.
        register_media_scheme()
        profile, self.interceptor = make_profile(self._fetch_media, self)
        self.profile = profile
        view = QWebEngineView()
        # The page belongs to the view (inside the frame, made before the profile), so it is
        # destroyed before its profile, as QtWebEngine requires.
        page = PreviewPage(profile, view)
        self.page = page
        script = QWebEngineScript()
        script.setName("newsdesk-patch")
        script.setSourceCode(PATCH_SCRIPT)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
        script.setWorldId(QWebEngineScript.ScriptWorldId.ApplicationWorld)
        script.setRunsOnSubFrames(False)
        page.scripts().insert(script)
        view.setPage(page)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        view.loadFinished.connect(self._page_loaded)
        view.urlChanged.connect(self._url_changed)
        self.frame_layout.addStretch(1)
        self.frame_layout.addWidget(view)
        self.frame_layout.addStretch(1)
        self.view = view
        self._apply_device()
        return view

    def shutdown(self) -> None:
        """Delete the page, then its profile, now: QtWebEngine requires that order, and leaving
        it to object teardown at exit does not guarantee it (seen as crashes at exit)."""
        import shiboken6

        view, self.view = self.view, None
        if view is None:
            return
        self._renderer = None
        page = view.page()
        view.hide()
        if shiboken6.isValid(page):
            shiboken6.delete(page)
        if shiboken6.isValid(view):
            shiboken6.delete(view)
        if shiboken6.isValid(self.profile):
            shiboken6.delete(self.profile)

    def set_device(self, device: DeviceWidth) -> None:
        self.device = device
        button = self.device_buttons.button(int(device))
        if button is not None:
            button.setChecked(True)
        self._apply_device()

    def _apply_device(self) -> None:
        if self.view is None:
            return
        available = max(200, self.frame.width())
        width = int(self.device)
        # A device wider than the pane is shown whole, scaled down, as a device preview should.
        shown = min(width, available)
        # Zoom from the whole-pixel width, so the page lays out at exactly the device's width.
        self.view.setZoomFactor(shown / width)
        self.view.setFixedWidth(shown)

    def resizeEvent(self, event: object) -> None:  # type: ignore[override]
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._apply_device()

    def sizeHint(self) -> QSize:
        return QSize(560, 700)

    # --- content -----------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        self.store = store

    def show_article(self, meta: dict[str, object], source: str) -> None:
        """Load the page shell for this article (title, dek, byline…) and render its body."""
        from editor.core.rendering.body import BodyRenderer
        from editor.ui.preview.web import preview_media

        self._ensure_view()
        self._renderer = BodyRenderer(media_url=preview_media(self.store))
        self._generation += 1
        self._meta = dict(meta)
        self._facts = None
        self._loaded = False
        self._pending_update = None
        self._scrolled_to = None
        self._load_shell(reload_facts=True)
        self.set_source(source)

    def set_meta(self, meta: dict[str, object]) -> None:
        """Headline, dek, byline changed: reload the shell (rare; the body is kept rendered)."""
        if meta == self._meta or self.view is None:
            return
        featured_changed = meta.get("featured_asset_id") != self._meta.get("featured_asset_id")
        self._meta = dict(meta)
        self._loaded = False
        self._load_shell(reload_facts=featured_changed)
        if self.body is not None:
            from editor.core.rendering.body import BodyUpdate

            self._pending_update = (BodyUpdate(self.body, (), True), time.perf_counter())

    def _load_shell(self, *, reload_facts: bool = False) -> None:
        """Build the theme's page for the current headline, byline and comments off the UI
        thread, then load it; the body is filled in when it has loaded."""
        store, meta, facts, generation = self.store, dict(self._meta), self._facts, self._generation
        article_id = meta.get("id")

        def build() -> tuple[str, PageFacts | None]:
            from editor.ui.preview.shell import load_page_facts, preview_shell

            found = facts
            if (
                (reload_facts or found is None)
                and store is not None
                and isinstance(article_id, int)
            ):
                featured = meta.get("featured_asset_id")
                found = load_page_facts(
                    store, article_id, featured if isinstance(featured, int) else None
                )
            return preview_shell(meta, found), found

        def loaded(result: tuple[str, PageFacts | None]) -> None:
            from editor.ui.preview.web import shell_url

            if generation != self._generation or self.view is None:
                return
            html, self._facts = result
            self.view.setHtml(html, shell_url())
            # The checks need the store's image facts: run them again now that they are here.
            self.set_source(self._source)

        self._runner.run(
            "preview page",
            build,
            lane=Lane.COMPUTE,
            on_success=loaded,
            on_failure=self._render_failed,
        )

    def set_source(self, source: str | Callable[[], str]) -> None:
        """The article text changed. A callable is read only when a render starts, so a burst
        of keystrokes copies a long text once, not once per key."""
        self._source = source
        self._edits += 1
        self._edited_at = time.perf_counter()
        if self._renderer is None:
            return
        if not self._render_timer.isActive():
            self._render_timer.start()

    @_counted
    def _start_render(self) -> None:
        renderer = self._renderer
        if renderer is None:
            return
        if self._rendering:
            # One render runs; when it is done the newest text is rendered (never a stale one).
            self._render_again = True
            return
        self._rendering = True
        self._render_again = False
        if callable(self._source):
            self._source = self._source()
        source, edited_at, generation = self._source, self._edited_at, self._generation
        edits = self._edits

        def render() -> BodyUpdate:
            update = renderer.update(source)
            update.body.prepare_lookups()
            return update

        self._runner.run(
            "render preview",
            render,
            lane=Lane.COMPUTE,
            on_success=lambda result: self._rendered(result, edits, edited_at, generation),
            on_failure=self._render_failed,
        )

    @property
    def is_idle(self) -> bool:
        """No render running or due: the page shows the latest text (once its patch has run)."""
        return not self._rendering and not self._render_again and not self._render_timer.isActive()

    @_counted
    def _rendered(
        self,
        update: BodyUpdate,
        edits: int,
        edited_at: float,
        generation: int,
    ) -> None:
        self._rendering = False
        if self.view is None:
            return  # shut down meanwhile
        if generation != self._generation:
            self._start_render()  # the article changed meanwhile: render the new one
            return
        self.body = update.body
        if self._loaded:
            self._patch(update, edited_at)
        else:
            self._pending_update = (
                update if self._pending_update is None else _as_full(update),
                edited_at,
            )
        # The checks walk the whole body: run them after typing pauses, not on every key.
        self._checks_timer.start()
        if self._render_again or edits != self._edits:
            self._start_render()

    def _render_failed(self, error: BaseException) -> None:
        self._rendering = False
        self.timing_label.setText(f"Preview could not render: {error}")

    def _page_loaded(self, ok: bool) -> None:
        self._loaded = ok
        if not ok:
            return
        self.page_loaded.emit()
        if self._pending_update is not None:
            update, edited_at = self._pending_update
            self._pending_update = None
            self._patch(_as_full(update), edited_at)

    def _patch(self, update: BodyUpdate, edited_at: float) -> None:
        from PySide6.QtWebEngineCore import QWebEngineScript

        if self.view is None:
            return
        payload = json.dumps(update.as_json())
        full = update.full

        self.view.page().runJavaScript(
            f"window.__newsdesk ? window.__newsdesk.apply({payload}) : -1",
            QWebEngineScript.ScriptWorldId.ApplicationWorld,
            lambda reply: self._patched(reply, edited_at, full),
        )

    @_counted
    def _patched(self, reply: object, edited_at: float, full: bool) -> None:
        replied_at, replied_wall = time.perf_counter(), time.time()
        in_page_ms, laid_out_wall_ms = _page_timing(reply)
        self.last_page_ms = in_page_ms
        # From the edit to the page laid out (the page's clock, read back), not to this
        # reply: a busy UI thread may take a while to run the callback.
        edited_wall = replied_wall - (replied_at - edited_at)
        self.last_laid_out_at = laid_out_wall_ms / 1000 if laid_out_wall_ms > 0 else replied_wall
        elapsed = (min(self.last_laid_out_at, replied_wall) - edited_wall) * 1000
        self.timing_label.setText(f"{'full' if full else 'patched'} in {elapsed:.0f} ms")
        self.preview_updated.emit(elapsed, full)

    # --- reading the page back (tests, scroll sync) -------------------------------

    def run_in_page(self, script: str, callback: object) -> None:
        from PySide6.QtWebEngineCore import QWebEngineScript

        if self.view is None:
            return
        self.view.page().runJavaScript(
            script, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback
        )

    def scroll_to_line(self, line: int) -> None:
        """Show the block holding source ``line``; only when the cursor moved to another block,
        so typing inside a paragraph never makes the page scroll or lay out again."""
        if self.body is None or self.view is None or not self._loaded:
            return
        block = self.body.block_at_line(line)
        # By place, not id: an edited paragraph gets a new id but has not moved.
        if block is None or block.start_line == self._scrolled_to:
            return
        self._scrolled_to = block.start_line
        self.run_in_page(
            f"window.__newsdesk.scrollToBlock({json.dumps(block.id)})", lambda _r: None
        )

    def _url_changed(self, url: QUrl) -> None:
        fragment = url.fragment()
        if not fragment.startswith("newsdesk-select:") or self.body is None:
            return
        block_id = fragment.split(":")[1]
        block = self.body.block_by_id(block_id)
        if block is not None:
            self.figure_clicked.emit(block.start_line)

    # --- media -----------------------------------------------------------------

    def _fetch_media(self, reference: str, width: int, reply: object) -> None:
        store = self.store
        assert callable(reply)
        if store is None:
            reply(b"", "")
            return

        def fetch() -> tuple[bytes, str]:
            return preview_image(store, reference, width)

        self._runner.run(
            "preview image",
            fetch,
            lane=Lane.COMPUTE,
            on_success=lambda found: reply(*found),
            on_failure=lambda _error: reply(b"", ""),
        )

    # --- checks ------------------------------------------------------------------

    def _run_checks(self) -> None:
        body, meta, facts = self.body, dict(self._meta), self._facts
        if body is None:
            return

        def check() -> list[LayoutIssue]:
            from editor.ui.preview.shell import layout_checks

            return layout_checks(body, meta, facts)

        self._runner.run("check layout", check, lane=Lane.COMPUTE, on_success=self._show_checks)

    def _show_checks(self, issues: list[LayoutIssue]) -> None:
        self.issues = issues
        self.checks.clear()
        style = self.style()
        error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for issue in issues:
            error = issue.severity.value == "error"
            item = QListWidgetItem(error_icon if error else warning_icon, issue.message)
            line = issue.line if issue.line is not None else -1
            item.setData(Qt.ItemDataRole.UserRole, line)
            item.setToolTip(f"Line {line + 1}" if line >= 0 else issue.field.value)
            self.checks.addItem(item)
        if not issues:
            self.checks.addItem(
                QListWidgetItem(
                    style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                    "No layout problems found.",
                )
            )
        self.checks_listed.emit(len(issues))

    def _check_chosen(self, item: QListWidgetItem) -> None:
        line = item.data(Qt.ItemDataRole.UserRole)
        if line is not None and int(line) >= 0:
            self.check_chosen.emit(int(line))


def _page_timing(reply: object) -> tuple[float, float]:
    """``patch.js``'s "<ms in the page> <wall-clock ms laid out>", or -1s if unreadable."""
    try:
        in_page, laid_out = str(reply).split()
        return float(in_page), float(laid_out)
    except ValueError:
        return -1.0, -1.0


def _as_full(update: BodyUpdate) -> BodyUpdate:
    from editor.core.rendering.body import BodyUpdate

    return update if update.full else BodyUpdate(update.body, (), True)


def preview_image(store: Store, reference: str, width: int) -> tuple[bytes, str]:
    """The smallest cached-or-made rendition at least ``width`` wide (JPEG), for the preview."""
    from sqlalchemy import select

    from editor.core.images import ImageCache
    from editor.core.images.renditions import make_renditions
    from editor.core.models import Asset

    with store.session_factory() as session:
        row = session.execute(
            select(Asset.sha256, Asset.original).where(Asset.sha256.startswith(reference.lower()))
        ).first()
    if row is None:
        return b"", ""
    renditions = make_renditions(
        row.original, sha256=row.sha256, cache=ImageCache.default(), threads=1
    )
    jpegs = sorted((r for r in renditions if r.mime == "image/jpeg"), key=lambda r: r.width)
    chosen = next((r for r in jpegs if r.width >= width), jpegs[-1] if jpegs else None)
    if chosen is None:
        return b"", ""
    return chosen.path.read_bytes(), chosen.mime

"""The preview's web engine: article JavaScript never runs, nothing remote is loaded.

- JavaScript is off in the page's own world; our patching script runs in an
  isolated application world, which the page cannot reach.
- Every request that is not ours (``newsdesk-media:``, ``data:``, ``about:``) is
  blocked by an interceptor, so a remote image or font in an article is not fetched.
- Images come from the store through the ``newsdesk-media:`` scheme, which must
  be registered before the first web engine object is made (``register_media_scheme``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

if TYPE_CHECKING:
    from editor.core.rendering.media import MediaLocator
    from editor.core.store import Store

MEDIA_SCHEME = b"newsdesk-media"
ALLOWED_SCHEMES = {"newsdesk-media", "data", "about", "blob"}


def register_media_scheme() -> None:
    """Call before the first web engine object (profile, page, view) is created."""
    if QWebEngineUrlScheme.schemeByName(MEDIA_SCHEME).name() == MEDIA_SCHEME:
        return
    scheme = QWebEngineUrlScheme(MEDIA_SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.LocalAccessAllowed
        | QWebEngineUrlScheme.Flag.ContentSecurityPolicyIgnored
    )
    QWebEngineUrlScheme.registerScheme(scheme)


class BlockRemoteRequests(QWebEngineUrlRequestInterceptor):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() not in ALLOWED_SCHEMES:
            self.blocked.append(url.toString())
            info.block(True)


# (asset reference, width) -> encoded image bytes and mime, delivered later via the callback.
MediaFetcher = Callable[[str, int, Callable[[bytes, str], None]], None]


class MediaSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``newsdesk-media:/<reference>/<width>`` from the store, asynchronously."""

    def __init__(self, fetch: MediaFetcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._jobs: set[QWebEngineUrlRequestJob] = set()

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        parts = [part for part in job.requestUrl().path().split("/") if part]
        if len(parts) != 2 or not parts[1].isdigit():
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        self._jobs.add(job)
        job.destroyed.connect(lambda _obj=None, job=job: self._jobs.discard(job))

        def reply(data: bytes, mime: str) -> None:
            if job not in self._jobs:
                return
            self._jobs.discard(job)
            if not data:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                return
            buffer = QBuffer(job)
            buffer.setData(QByteArray(data))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            job.reply(mime.encode("ascii"), buffer)

        self._fetch(parts[0], int(parts[1]), reply)


def media_url(reference: str, width: int) -> str:
    return f"newsdesk-media:/{reference}/{width}"


def preview_media(store: Store | None) -> MediaLocator:
    """The preview body's ``MediaLocator``: ``media_url`` at every width, and the sizes of
    ``store``'s images (read in the render worker at the first figure, then for an image
    stored since), so figures carry the ``width``/``height`` the published page gives them.
    One per ``BodyRenderer``: it keeps its answers, as the renderer keeps what it rendered."""
    from editor.core.rendering.article_data import StoredImageSizes
    from editor.core.rendering.media import media_locator, sized_media_url

    if store is None:
        return media_locator(media_url)
    return sized_media_url(media_url, StoredImageSizes(store.session_factory))


def make_profile(
    fetch: MediaFetcher, parent: QObject
) -> tuple[QWebEngineProfile, BlockRemoteRequests]:
    profile = QWebEngineProfile(parent)  # off the record: nothing written to disk
    interceptor = BlockRemoteRequests(profile)
    profile.setUrlRequestInterceptor(interceptor)
    profile.installUrlSchemeHandler(MEDIA_SCHEME, MediaSchemeHandler(fetch, profile))
    settings = profile.settings()
    settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.AutoLoadIconsForPage, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.DnsPrefetchEnabled, False)
    return profile, interceptor


def shell_url() -> QUrl:
    """The base URL of the preview page (a scheme of ours, so relative URLs go nowhere)."""
    return QUrl("newsdesk-media:/page/0")


class PreviewPage(QWebEnginePage):
    """Keeps the page's console messages (a refused remote image, say) instead of logging them,
    so the preview can list what it did not load."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.console: list[str] = []

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        source: str,
    ) -> None:
        self.console.append(message)
        del self.console[:-200]

"""Building a static site generation from the store's published articles.

One builder serves ``newsdesk export-site DIR`` (the whole site) and the
folder target's publish of one article (the same build, with the article
now live): what did not change since the previous generation is hard-linked
from it instead of rendered and written again. An article page is skipped
without rendering when the key of everything it is made from (its published
content, comments, counts, images, the site settings and the renderer's own
files) is unchanged; any other file is hard-linked when its new bytes equal
the old ones. Images are named by content, so one already in the previous
generation is linked without being read.

Layout: ``index.html`` (and ``page/N/``), ``YYYY/MM/slug/index.html``,
``tag/<slug>/index.html`` (and ``tag/<slug>/page/N/``), ``feed.xml`` (Atom),
``sitemap.xml``, ``media/<sha12>-<width>w.<jpg|webp>`` (every rendition: the
pages' ``<picture>`` elements name both formats).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.publishing.content import ArticleContent, ImageRef, load_published
from editor.core.publishing.errors import PublishFailed
from editor.core.publishing.media import rendition_files
from editor.core.publishing.page import SiteSettings, media_url_for, render_article_page
from editor.core.publishing.progress import PublishStep, StepReporter
from editor.core.publishing.site.feeds import atom_feed, sitemap
from editor.core.publishing.site.layout import Manifest, SiteFolder
from editor.core.publishing.site.listing import (
    INDEX_FILE,
    MEDIA_FOLDER,
    article_path,
    index_file_for,
    index_path,
    listing_images,
    on_page,
    page_count,
    render_index,
    render_tag,
    root_of,
    tag_path,
    teaser_picture,
)
from editor.core.rendering.page import tag_slug

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from editor.core.images.cache import ImageCache

# Bump when the site's layout or any page's shape changes, so every page is made again.
SITE_FORMAT = 3
_FOLDER_THREADS = 4
CLEANUP_THREAD_NAME = "newsdesk-site-cleanup"


@dataclass
class SiteBuild:
    """A complete generation, not yet visible. ``swap`` shows it; ``undo`` puts the
    previous one back (a failed commit after the swap); ``finish`` removes the old ones."""

    folder: SiteFolder
    generation: str
    previous: str | None
    articles: int
    written: int
    linked: int
    swapped: bool = False

    def swap(self) -> None:
        self.folder.swap_to(self.generation)
        self.swapped = True

    def undo(self) -> None:
        if self.swapped:
            self.folder.swap_to(self.previous)
            self.swapped = False
        self.folder.discard(self.generation)

    def finish(self) -> threading.Thread:
        """Remove the generations before this one, on a thread of its own: readers no longer
        see them, and deleting a thousand folders can take longer than building did. A
        build that starts meanwhile leaves them alone (it only ever removes generations
        that are not live), and a process that exits first waits for it."""
        old = [name for name in self.folder.generations() if name != self.generation]

        def remove_old() -> None:
            for name in old:
                self.folder.discard(name)

        remover = threading.Thread(target=remove_old, name=CLEANUP_THREAD_NAME)
        remover.start()
        return remover

    def url_of(self, path: str) -> str:
        return (self.folder.path / path / INDEX_FILE).as_uri()


def fault_message(folder: SiteFolder, error: OSError, doing: str) -> str:
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename else ""
    return (
        f"Could not {doing} the site at {folder.path}: {reason}{where}. "
        "The site still shows its previous version; retry when this is fixed."
    )


def open_site(folder: SiteFolder) -> None:
    """Check the named folder can be our site and make its builds folder."""
    folder.check()
    try:
        folder.prepare_builds()
    except OSError as error:
        raise PublishFailed(fault_message(folder, error, "prepare")) from error


def build_generation(
    session: Session,
    folder: SiteFolder,
    *,
    cache: ImageCache,
    reporter: StepReporter,
    site: SiteSettings,
    contents: Sequence[ArticleContent] | None = None,
) -> SiteBuild:
    """Write a new generation (call under ``folder.locked()``). On any failure the
    half-written generation is removed and the live site is untouched; a disk fault
    is raised as ``PublishFailed`` naming it."""
    articles = list(load_published(session) if contents is None else contents)
    previous = folder.current_generation()
    old_manifest = folder.read_manifest(previous)
    try:
        generation = folder.new_generation()
    except OSError as error:
        raise PublishFailed(fault_message(folder, error, "write")) from error
    writer = _Writer(
        folder=folder,
        root=folder.generation_path(generation),
        old_root=None if previous is None else folder.generation_path(previous),
        old=old_manifest,
    )
    try:
        writer.make_folders([MEDIA_FOLDER, *(article_path(content) for content in articles)])
        _write_media(session, writer, articles, cache=cache, reporter=reporter)
        _write_articles(writer, articles, site=site, reporter=reporter)
        _write_listings(writer, articles, site=site, base=_base_url(folder, site))
        folder.write_manifest(generation, writer.manifest)
        reporter.check_cancelled()
    except OSError as error:
        folder.discard(generation)
        raise PublishFailed(fault_message(folder, error, "write")) from error
    except BaseException:
        folder.discard(generation)
        raise
    return SiteBuild(
        folder=folder,
        generation=generation,
        previous=previous,
        articles=len(articles),
        written=writer.written,
        linked=writer.linked,
    )


class _Writer:
    def __init__(
        self, *, folder: SiteFolder, root: Path, old_root: Path | None, old: Manifest
    ) -> None:
        self.files = folder.files
        self.root = root
        self.old_root = old_root
        self.old = old
        self.manifest = Manifest()
        self.written = 0
        self.linked = 0
        self._folders: set[Path] = {root}

    def make_folders(self, folders: Sequence[str]) -> None:
        """Make ``folders`` (relative, ending in "/") and their parents, shallowest first,
        each level on a few threads: a ``mkdir`` costs ~0.5 ms on a journalled file
        system, a thousand of them half a second, and they overlap well."""
        wanted: set[Path] = set()
        for folder in folders:
            path = self.root / folder
            while path != self.root and path not in wanted:
                wanted.add(path)
                path = path.parent
        by_depth: dict[int, list[Path]] = {}
        for path in wanted - self._folders:
            by_depth.setdefault(len(path.relative_to(self.root).parts), []).append(path)
        with ThreadPoolExecutor(max_workers=_FOLDER_THREADS, thread_name_prefix="site") as pool:
            for depth in sorted(by_depth):
                # list() re-raises the first OSError (disk full, read-only) here.
                list(pool.map(self.files.make_folder, by_depth[depth]))
        self._folders |= wanted

    def _place(self, relative: str) -> Path:
        path = self.root / relative
        if path.parent not in self._folders:
            self.files.make_folder(path.parent)
            self._folders.add(path.parent)
        return path

    def _link_old(self, relative: str, path: Path) -> bool:
        if self.old_root is None:
            return False
        try:
            self.files.link(self.old_root / relative, path)
        except FileNotFoundError:
            return False
        self.linked += 1
        return True

    def page(self, relative: str, key: str, produce: Callable[[], bytes]) -> None:
        """A file made from inputs summed up by ``key``: linked unread when the key is unchanged."""
        path = self._place(relative)
        old_digest = self.old.files.get(relative)
        if old_digest and self.old.keys.get(relative) == key and self._link_old(relative, path):
            self.manifest.files[relative] = old_digest
            self.manifest.keys[relative] = key
            return
        self._store(relative, path, produce())
        self.manifest.keys[relative] = key

    def data(self, relative: str, data: bytes) -> None:
        self._store(relative, self._place(relative), data)

    def _store(self, relative: str, path: Path, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.manifest.files[relative] = digest
        if self.old.files.get(relative) == digest and self._link_old(relative, path):
            return
        self.files.write(path, data)
        self.written += 1

    def media(self, relative: str, cached: Path) -> None:
        """An image named by its content: linked from the previous generation when there."""
        path = self._place(relative)
        marker = "content-named"
        self.manifest.files[relative] = marker
        if self.old.files.get(relative) == marker and self._link_old(relative, path):
            return
        self.files.copy(cached, path)
        self.written += 1


def _write_media(
    session: Session,
    writer: _Writer,
    articles: Sequence[ArticleContent],
    *,
    cache: ImageCache,
    reporter: StepReporter,
) -> None:
    from editor.core.publishing.renditions import renditions_for_images

    images: dict[str, ImageRef] = {}
    for content in articles:
        for image in content.all_images:
            images.setdefault(image.sha256, image)
    wanted = [(image, file) for image in images.values() for file in rendition_files(image)]
    unknown = {
        image.sha256: image
        for image, file in wanted
        if writer.old.files.get(MEDIA_FOLDER + file.filename) is None
        and not cache.rendition_path(image.sha256, file.width, file.format.extension).is_file()
    }
    if unknown:
        reporter.step(PublishStep.IMAGES, 0, len(unknown))
        renditions_for_images(session, list(unknown.values()), cache=cache, reporter=reporter)
    for image, file in wanted:
        writer.media(
            MEDIA_FOLDER + file.filename,
            cache.rendition_path(image.sha256, file.width, file.format.extension),
        )


def _write_articles(
    writer: _Writer,
    articles: Sequence[ArticleContent],
    *,
    site: SiteSettings,
    reporter: StepReporter,
) -> None:
    fingerprint = renderer_fingerprint()
    site_facts = asdict(site)
    # Every article page sits at YYYY/MM/slug/, three folders below the root.
    page_site = site.page_site(root="../../../", index_file=index_file_for(site))
    total = len(articles)
    reporter.step(PublishStep.BUILDING_SITE, 0, total)
    for done, content in enumerate(articles, start=1):
        path = article_path(content)
        prefix = root_of(path) + MEDIA_FOLDER
        writer.page(
            path + INDEX_FILE,
            page_key(content, fingerprint=fingerprint, site=site_facts, media_prefix=prefix),
            lambda content=content, prefix=prefix: render_article_page(  # type: ignore[misc]
                content, media_url=media_url_for(content, prefix), site=page_site
            ).encode(),
        )
        if done % 50 == 0 or done == total:
            reporter.report(PublishStep.BUILDING_SITE, done, total)
            reporter.check_cancelled()


def _write_listings(
    writer: _Writer, articles: Sequence[ArticleContent], *, site: SiteSettings, base: str
) -> None:
    images = listing_images(articles)
    fingerprint = renderer_fingerprint()
    site_facts = asdict(site)
    pages = page_count(len(articles))
    for number in range(1, pages + 1):
        front = on_page(articles, number)
        writer.page(
            index_path(number) + INDEX_FILE,
            listing_key(("index", number, pages), front, fingerprint=fingerprint, site=site_facts),
            partial(
                render_index, site=site, number=number, pages=pages, articles=front, images=images
            ),
        )
    by_tag: dict[str, tuple[str, list[ArticleContent]]] = {}
    for content in articles:
        for tag in content.tags:
            by_tag.setdefault(tag_slug(tag.name), (tag.name, []))[1].append(content)
    tag_pages: list[str] = []
    for tag_name, tagged in by_tag.values():
        tagged_pages = page_count(len(tagged))
        for number in range(1, tagged_pages + 1):
            tag_page = on_page(tagged, number)
            path = tag_path(tag_name, number)
            tag_pages.append(path)
            writer.page(
                path + INDEX_FILE,
                listing_key(
                    ("tag", tag_name, number, tagged_pages),
                    tag_page,
                    fingerprint=fingerprint,
                    site=site_facts,
                ),
                partial(
                    render_tag,
                    site=site,
                    tag_name=tag_name,
                    articles=tag_page,
                    images=images,
                    number=number,
                    pages=tagged_pages,
                ),
            )
    index_file = index_file_for(site)
    writer.data(
        "feed.xml",
        atom_feed(
            articles=articles,
            site_title=site.title,
            base=base,
            description=site.description,
            index_file=index_file,
        ),
    )
    newest: datetime | None = max((content.updated_at for content in articles), default=None)
    listed: list[tuple[str, datetime | None]] = [(index_path(1), newest)]
    listed += [(index_path(number), None) for number in range(2, pages + 1)]
    listed += [(article_path(content), content.updated_at) for content in articles]
    listed += [(path, None) for path in tag_pages]
    writer.data("sitemap.xml", sitemap(paths=listed, base=base, index_file=index_file))


def _base_url(folder: SiteFolder, site: SiteSettings) -> str:
    if site.base_url:
        return site.base_url.rstrip("/") + "/"
    return folder.path.as_uri() + "/"


def page_key(
    content: ArticleContent, *, fingerprint: str, site: dict[str, object], media_prefix: str
) -> str:
    """A digest of everything an article page is made from."""
    facts = {
        "format": SITE_FORMAT,
        "renderer": fingerprint,
        "site": site,
        "media": media_prefix,
        "uuid": content.uuid,
        "checksum": content.checksum,
        "published_at": content.published_at.isoformat() if content.published_at else None,
        "updated_at": content.updated_at.isoformat(),
        "views": content.view_count,
        "comment_count": content.comment_count,
        "tags": [(tag.name, tag.slug) for tag in content.tags],
        "images": [(image.sha256, image.width, image.height) for image in content.all_images],
        "comments": [
            (
                comment.id,
                comment.parent_id,
                comment.author_name,
                comment.author_url,
                comment.body,
                comment.created_at.isoformat(),
            )
            for comment in content.comments
        ],
    }
    encoded = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def listing_key(
    which: tuple[object, ...],
    articles: Sequence[ArticleContent],
    *,
    fingerprint: str,
    site: dict[str, object],
) -> str:
    """A digest of everything a listing page is made from: which page, and what its
    teasers show of each article."""
    facts = {
        "format": SITE_FORMAT,
        "renderer": fingerprint,
        "site": site,
        "page": list(which),
        "teasers": [
            (
                content.uuid,
                content.title,
                content.slug,
                content.dek,
                content.category,
                content.author,
                content.published_at.isoformat() if content.published_at else None,
                content.comment_count,
                None
                if (picture := teaser_picture(content)) is None
                else (
                    picture.sha256,
                    picture.width,
                    picture.height,
                    picture.alt_text,
                    picture.caption,
                    picture.credit,
                ),
            )
            for content in articles
        ],
    }
    encoded = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


@cache
def renderer_fingerprint() -> str:
    """A digest of the files that shape a page (renderer code, theme, this package's page
    code), so a new Newsdesk or theme re-renders every page once."""
    import editor
    from editor.core import rendering
    from editor.core.publishing import page
    from editor.core.rendering.theme import load_theme

    digest = hashlib.sha256(editor.__version__.encode())
    folders = [Path(rendering.__file__).parent, Path(page.__file__).parent, load_theme().folder]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".css", ".j2", ".jinja", ".js"}:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()

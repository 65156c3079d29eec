"""The static site folder: its layout, comments, the atomic swap, hard-linked unchanged files,
refusing folders that are not ours, and faults that never leave a half-built site."""

from __future__ import annotations

import errno
import os
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from editor.core.articles.service import create_draft, load_draft, save_draft
from editor.core.images import ImageCache
from editor.core.models import Article, ArticleStatus, PublishRecord
from editor.core.publishing import (
    NotASite,
    PublicationState,
    PublishCancelled,
    PublishFailed,
    export_site,
    publication_status,
    publish_article,
    unpublish_article,
)
from editor.core.publishing.folder import FolderTarget
from editor.core.publishing.site.layout import MARKER_NAME
from editor.core.store import Store, open_store
from tests.core.publishing.conftest import (
    XSS_COMMENT,
    FailingFiles,
    make_article,
    small_photo,
    wait_for_site_cleanup,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def local_store(sqlite_url: str) -> Store:
    opened = open_store(sqlite_url)
    yield opened  # type: ignore[misc]
    opened.close()


def _publish(store: Store, article_id: int, site: Path, cache: ImageCache, **options: object):  # type: ignore[no-untyped-def]
    target = FolderTarget(site, cache=cache, files=options.pop("files", None))  # type: ignore[arg-type]
    return publish_article(
        store, article_id=article_id, target=target, author="Ed", cache=cache, **options
    )


def _site_files(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _edit_body(store: Store, article_id: int, extra: str) -> None:
    with store.session_factory.begin() as session:
        draft = load_draft(session, article_id=article_id)
        save_draft(
            session, draft=replace(draft, body=draft.body + extra), expected_version=draft.version
        )


def test_a_published_article_gets_its_page_listings_feed_sitemap_and_images(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    article = make_article(store, image_cache)
    site = tmp_path / "site"
    outcome = _publish(store, article.id, site, image_cache)
    page_path = f"{outcome.published_at:%Y/%m}/{article.slug}/index.html"
    assert outcome.url == (site / page_path).as_uri()
    assert site.is_symlink() and os.readlink(site).startswith("site.builds/g")
    assert (tmp_path / "site.builds" / MARKER_NAME).is_file()

    page = (site / page_path).read_text()
    assert "Flood barrier trial begins" in page
    srcsets = [part for part in page.split('srcset="')[1:]]
    assert len(srcsets) == 4  # two figures × (WebP <source>, JPEG <img>)
    for srcset in srcsets:
        for candidate in srcset.split('"')[0].split(", "):
            url, _width = candidate.split(" ")
            assert (
                url.startswith("../../../media/")
                and (site / page_path).parent.joinpath(url).resolve().is_file()
            )
    media = sorted(path.name for path in (site / "media").iterdir())
    assert len(media) == 12  # two images × (400, 800, 900 px) × (JPEG, WebP)
    assert {name.rsplit(".", 1)[1] for name in media} == {"jpg", "webp"}

    index = (site / "index.html").read_text()
    assert f'href="{outcome.published_at:%Y/%m}/{article.slug}/index.html"' in index
    for tag_slug in ("flooding", "river-weir"):
        tag_page = (site / "tag" / tag_slug / "index.html").read_text()
        assert "Flood barrier trial begins" in tag_page

    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"urn:uuid:{article.uuid}"
    assert entry.findtext(f"{ATOM}title") == "Flood barrier trial begins"
    assert entry.find(f"{ATOM}link").get("href").endswith(page_path)  # type: ignore[union-attr]
    locations = [
        element.text for element in ElementTree.parse(site / "sitemap.xml").iter(f"{SITEMAP}loc")
    ]
    assert (site / page_path).as_uri() in locations
    assert (
        publication_status(store, article_id=article.id, target=f"folder:{site}").state
        is PublicationState.LIVE
    )


def test_each_figure_carries_the_size_of_its_widest_rendition(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    from html.parser import HTMLParser

    from PIL import Image

    from editor.core.images import ingest_image

    with store.session_factory.begin() as session:
        wide, small = (
            ingest_image(
                session, data=small_photo(seed, size), filename=f"{seed}.jpg", cache=image_cache
            )
            for seed, size in ((7, (2400, 1000)), (8, (500, 700)))
        )
        body = (
            f"Text.\n\n![A wide river]({wide.reference})\nWide.\n\n"
            f"![A tall tower]({small.reference})"
        )
        article_id = create_draft(session, title="Sizes", body=body).id
    site = tmp_path / "site"
    outcome = _publish(store, article_id, site, image_cache)
    page_file = site / f"{outcome.published_at:%Y/%m}/sizes/index.html"

    class Images(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[dict[str, str | None]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "img":
                self.found.append(dict(attrs))

    parser = Images()
    parser.feed(page_file.read_text())
    by_alt = {attrs["alt"]: attrs for attrs in parser.found}
    assert set(by_alt) == {"A wide river", "A tall tower"}
    for alt, expected in (("A wide river", (1600, 667)), ("A tall tower", (500, 700))):
        attrs = by_alt[alt]
        assert (attrs["width"], attrs["height"]) == tuple(str(n) for n in expected)
        # The widest file the srcset lists is exactly that size.
        widest = str(attrs["srcset"]).split(", ")[-1].split(" ")[0]
        with Image.open(page_file.parent / widest) as rendition:
            assert rendition.size == expected


def test_approved_comments_are_shown_threaded_and_escaped(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    article = make_article(store, image_cache)
    site = tmp_path / "site"
    outcome = _publish(store, article.id, site, image_cache)
    page = (site / f"{outcome.published_at:%Y/%m}/{article.slug}/index.html").read_text()
    assert "PENDING-TEXT" not in page
    assert "<script>" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(1)&gt;", ""
    )
    assert "&lt;script&gt;" in page and "Ada &lt;b&gt;Reader&lt;/b&gt;" in page
    assert "javascript:" not in page
    parent_start = page.index(f'id="comment-{article.approved_comment_id}"')
    reply_start = page.index(f'id="comment-{article.reply_id}"')
    parent_end = page.index("</li>", reply_start)  # the reply's own item closes first …
    assert parent_start < reply_start < parent_end
    assert page.index("</li>", parent_end + 5) > reply_start  # … then its parent's
    assert 'href="https://ben.example.org/"' in page
    assert XSS_COMMENT not in page


def test_unchanged_files_are_hard_linked_from_the_previous_build(
    local_store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    first = make_article(local_store, image_cache, title="First story", seed=1)
    second = make_article(local_store, image_cache, title="Second story", seed=2, tags=("Other",))
    site = tmp_path / "site"
    one = _publish(local_store, first.id, site, image_cache)
    _publish(local_store, second.id, site, image_cache)
    first_page = site / f"{one.published_at:%Y/%m}/{first.slug}/index.html"
    media_file = next((site / "media").iterdir())
    before = {path: os.stat(path).st_ino for path in (first_page, media_file)}
    generation = os.readlink(site)

    _edit_body(local_store, second.id, "\nAn update.\n")
    update = _publish(local_store, second.id, site, image_cache)
    assert update.changed and os.readlink(site) != generation
    assert {path: os.stat(path).st_ino for path in before} == before  # linked, not rewritten
    wait_for_site_cleanup()
    current = os.readlink(site).split("/")[1]
    builds = sorted(path.name for path in (tmp_path / "site.builds").iterdir())
    assert builds == sorted([".lock", MARKER_NAME, current, f"{current}.manifest.json"])


def test_export_of_a_whole_site_and_an_incremental_re_export(
    local_store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    ids = [
        make_article(local_store, image_cache, title=f"Story {n}", seed=n, with_comments=False).id
        for n in range(1, 4)
    ]
    for article_id in ids:
        publish_article(
            local_store, article_id=article_id, target="this-store", author="Ed", cache=image_cache
        )
    with local_store.session_factory.begin() as session:
        create_draft(session, title="Never published", body="Draft only.")
    folder = tmp_path / "export"
    full = export_site(local_store, folder=folder, cache=image_cache)
    assert full.articles == 3 and full.linked == 0
    assert "Never published" not in (folder / "index.html").read_text()

    again = export_site(local_store, folder=folder, cache=image_cache)
    assert again.written == 0 and again.linked == full.written

    _edit_body(local_store, ids[0], "\nEdited after publishing, not yet published.\n")
    draft_only = export_site(local_store, folder=folder, cache=image_cache)
    assert draft_only.written == 0  # the site shows what was published, not the draft
    publish_article(
        local_store, article_id=ids[0], target="this-store", author="Ed", cache=image_cache
    )
    incremental = export_site(local_store, folder=folder, cache=image_cache)
    # The changed article's page, the listings it appears on and the feed/sitemap dates.
    assert 1 <= incremental.written <= 6
    assert incremental.linked >= full.written - incremental.written
    assert b"Edited after publishing" in b"".join(_site_files(folder).values())


def test_unpublishing_removes_the_page_from_the_site(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    article = make_article(store, image_cache)
    site = tmp_path / "site"
    outcome = _publish(store, article.id, site, image_cache)
    page = site / f"{outcome.published_at:%Y/%m}/{article.slug}/index.html"
    assert page.is_file()
    target = f"folder:{site}"
    assert unpublish_article(store, article_id=article.id, target=target, author="Ed").changed
    assert not page.exists() and (site / "index.html").is_file()
    assert "Flood barrier" not in (site / "index.html").read_text()
    with store.session_factory() as session:
        assert session.get(Article, article.id).status is ArticleStatus.DRAFT  # type: ignore[union-attr]
    assert publication_status(store, article_id=article.id, target=target).state is (
        PublicationState.NOT_PUBLISHED
    )


@pytest.mark.parametrize("kind", ["non-empty folder", "file", "foreign link"])
def test_a_folder_that_is_not_a_newsdesk_site_is_refused(
    local_store: Store, image_cache: ImageCache, tmp_path: Path, kind: str
) -> None:
    article = make_article(local_store, image_cache)
    site = tmp_path / "site"
    if kind == "non-empty folder":
        site.mkdir()
        (site / "precious.txt").write_text("mine")
    elif kind == "file":
        site.write_text("a file")
    else:
        (tmp_path / "elsewhere").mkdir()
        site.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(NotASite, match=str(site)):
        _publish(local_store, article.id, site, image_cache)
    assert not (tmp_path / "site.builds").exists()
    if kind == "non-empty folder":
        assert (site / "precious.txt").read_text() == "mine"
    with local_store.session_factory() as session:
        assert session.get(Article, article.id).status is ArticleStatus.DRAFT  # type: ignore[union-attr]


def test_an_empty_folder_is_taken_over(
    local_store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    article = make_article(local_store, image_cache)
    site = tmp_path / "site"
    site.mkdir()
    _publish(local_store, article.id, site, image_cache)
    assert site.is_symlink() and (site / "index.html").is_file()


def _assert_nothing_changed(
    store: Store, article_id: int, site: Path, before: dict[str, bytes], version: int
) -> None:
    assert _site_files(site) == before
    wait_for_site_cleanup()
    builds = [
        path.name
        for path in (site.parent / f"{site.name}.builds").iterdir()
        if path.name.startswith("g") and path.is_dir()
    ]
    assert builds == [os.readlink(site).split("/")[1]]  # no half-built generation left
    with store.session_factory() as session:
        article = session.get(Article, article_id)
        assert article is not None and article.version == version
        assert article.status is ArticleStatus.PUBLISHED
        assert (
            session.scalar(select(func.count()).where(PublishRecord.article_id == article_id)) == 2
        )  # this-store and the folder, from the first publish only


@pytest.mark.parametrize(
    ("operation", "error", "fail_at"),
    [("write", errno.ENOSPC, 2), ("write", errno.EROFS, 1), ("replace", errno.EROFS, 1)],
    ids=["disk full", "read-only while writing", "read-only at the swap"],
)
def test_a_disk_fault_leaves_the_old_site_and_the_store_untouched_and_retry_works(
    store: Store, image_cache: ImageCache, tmp_path: Path, operation: str, error: int, fail_at: int
) -> None:
    fault = FailingFiles(operation=operation, error=error, fail_at=fail_at)
    article = make_article(store, image_cache)
    site = tmp_path / "site"
    _publish(store, article.id, site, image_cache)
    _edit_body(store, article.id, "\nThe second version.\n")
    with store.session_factory() as session:
        version = session.get(Article, article.id).version  # type: ignore[union-attr]
    before = _site_files(site)

    with pytest.raises(PublishFailed) as raised:
        _publish(store, article.id, site, image_cache, files=fault)
    message = str(raised.value)
    assert os.strerror(fault.error) in message and str(site) in message
    assert "previous version" in message
    _assert_nothing_changed(store, article.id, site, before, version)

    fault.armed = False  # the fault is gone: Retry
    retried = _publish(store, article.id, site, image_cache, files=fault)
    assert retried.changed
    assert b"The second version." in b"".join(_site_files(site).values())


def test_a_failure_between_the_swap_and_the_commit_swaps_the_old_site_back(
    store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    article = make_article(store, image_cache)
    site = tmp_path / "site"
    _publish(store, article.id, site, image_cache)
    _edit_body(store, article.id, "\nNever committed.\n")
    with store.session_factory() as session:
        version = session.get(Article, article.id).version  # type: ignore[union-attr]
    before = _site_files(site)

    def progress(step: str, done: int, total: int) -> None:
        if step == "committing":
            raise ConnectionError("the store went away at the commit")

    with pytest.raises(ConnectionError):
        _publish(store, article.id, site, image_cache, progress=progress)
    _assert_nothing_changed(store, article.id, site, before, version)


def test_cancelling_before_the_swap_leaves_the_old_site(
    local_store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    article = make_article(local_store, image_cache)
    site = tmp_path / "site"
    _publish(local_store, article.id, site, image_cache)
    _edit_body(local_store, article.id, "\nCancelled text.\n")
    with local_store.session_factory() as session:
        version = session.get(Article, article.id).version  # type: ignore[union-attr]
    before = _site_files(site)
    seen: list[str] = []
    with pytest.raises(PublishCancelled):
        _publish(
            local_store,
            article.id,
            site,
            image_cache,
            progress=lambda step, done, total: seen.append(step),
            cancelled=lambda: "building site" in seen,
        )
    _assert_nothing_changed(local_store, article.id, site, before, version)


def test_a_site_path_under_a_file_fails_with_a_clear_message(
    local_store: Store, image_cache: ImageCache, tmp_path: Path
) -> None:
    article = make_article(local_store, image_cache)
    (tmp_path / "not-a-folder").write_text("a file")
    with pytest.raises(PublishFailed, match=r"Not a directory|File exists"):
        _publish(local_store, article.id, tmp_path / "not-a-folder" / "site", image_cache)
    with local_store.session_factory() as session:
        assert session.get(Article, article.id).status is ArticleStatus.DRAFT  # type: ignore[union-attr]


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real 4 MB tmpfs (skipped where mounting is not allowed, e.g. without root)."""
    import shutil
    import subprocess

    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "newsdesk-test", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _remount(mount_point: Path, mode: str) -> None:
    import subprocess

    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount_point)], check=True)


def test_a_really_full_disk_and_a_really_read_only_folder(
    local_store: Store, image_cache: ImageCache, small_disk: Path
) -> None:
    article = make_article(local_store, image_cache)
    site = small_disk / "site"
    _publish(local_store, article.id, site, image_cache)
    _edit_body(local_store, article.id, "\nThe second version.\n" + "More words. " * 3000)
    with local_store.session_factory() as session:
        version = session.get(Article, article.id).version  # type: ignore[union-attr]
    before = _site_files(site)

    filler = small_disk / "filler"
    with filler.open("wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    with pytest.raises(PublishFailed, match="No space left on device"):
        _publish(local_store, article.id, site, image_cache)
    _assert_nothing_changed(local_store, article.id, site, before, version)
    filler.unlink()

    _remount(small_disk, "ro")
    try:
        with pytest.raises(PublishFailed, match="Read-only file system"):
            _publish(local_store, article.id, site, image_cache)
        assert _site_files(site) == before
    finally:
        _remount(small_disk, "rw")
    _assert_nothing_changed(local_store, article.id, site, before, version)

    assert _publish(local_store, article.id, site, image_cache).changed
    assert b"The second version." in b"".join(_site_files(site).values())

"""Fixtures for publishing: a private image cache, small pictures, an article with figures,
tags and a comment thread (approved, pending, hostile), and a disk that fails on cue."""

from __future__ import annotations

import errno
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from editor.core.articles.service import create_draft
from editor.core.images import ImageCache, ingest_image
from editor.core.models import Comment, CommentStatus
from editor.core.publishing.site.files import SiteFiles
from editor.core.store import Store

XSS_COMMENT = '<script>alert("x")</script><img src=x onerror=alert(1)> & friends'


@pytest.fixture
def image_cache(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "image-cache")


def small_photo(seed: int, size: tuple[int, int] = (900, 600)) -> bytes:
    """A small JPEG, different for every seed (so each has its own sha256)."""
    picture = Image.new("RGB", size, (30 + seed * 17 % 200, 90, 160))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((seed % 50, 10, size[0] // 2, size[1] // 2), fill=(220, 120 + seed % 100, 20))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass(frozen=True)
class SampleArticle:
    id: int
    uuid: str
    slug: str
    references: tuple[str, ...]
    approved_comment_id: int
    reply_id: int


def body_with_figures(references: tuple[str, ...]) -> str:
    first, second = references
    return (
        "The council opened the trial gate on Monday.\n\n"
        f'![Engineers lower a steel gate]({first} "Photo: Mara Quinn")\n'
        "Engineers lower the trial gate.\n\n"
        "## What happens next\n\n"
        "Residents will be asked in spring.\n\n"
        f"![Painted flood marks on a brick wall]({second})\n"
        "Marks of past floods.\n"
    )


def make_article(
    store: Store,
    cache: ImageCache,
    *,
    title: str = "Flood barrier trial begins",
    seed: int = 1,
    tags: tuple[str, ...] = ("Flooding", "River Weir"),
    with_comments: bool = True,
) -> SampleArticle:
    with store.session_factory.begin() as session:
        references = tuple(
            ingest_image(
                session, data=small_photo(seed * 10 + index), filename=f"p{index}.jpg", cache=cache
            ).reference
            for index in range(2)
        )
        draft = create_draft(
            session,
            title=title,
            author="Mara Quinn",
            dek="The river gate is tested before winter.",
            body=body_with_figures(references),
            tags=list(tags),
        )
        approved_id = reply_id = 0
        if with_comments:
            start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
            approved = Comment(
                article_id=draft.id,
                author_name="Ada <b>Reader</b>",
                author_url="javascript:alert(1)",
                body="Good news.\n\nSecond paragraph " + XSS_COMMENT,
                status=CommentStatus.APPROVED,
                created_at=start,
            )
            session.add(approved)
            session.flush()
            reply = Comment(
                article_id=draft.id,
                parent_id=approved.id,
                author_name="Ben",
                author_url="https://ben.example.org/",
                body="I agree.",
                status=CommentStatus.APPROVED,
                created_at=start + timedelta(hours=1),
            )
            pending = Comment(
                article_id=draft.id,
                author_name="Spammer",
                body="cheap pills PENDING-TEXT",
                status=CommentStatus.PENDING,
                created_at=start + timedelta(hours=2),
            )
            session.add_all([reply, pending])
            session.flush()
            approved_id, reply_id = approved.id, reply.id
        return SampleArticle(
            id=draft.id,
            uuid=draft.uuid,
            slug=draft.slug,
            references=references,
            approved_comment_id=approved_id,
            reply_id=reply_id,
        )


class FailingFiles(SiteFiles):
    """A disk that fails with ``error`` on the ``fail_at``-th call of ``operation``."""

    def __init__(self, *, operation: str, error: int, fail_at: int = 1) -> None:
        self.operation = operation
        self.error = error
        self.fail_at = fail_at
        self.calls = 0
        self.armed = True

    def _maybe_fail(self, operation: str, path: Path) -> None:
        if not self.armed or operation != self.operation:
            return
        self.calls += 1
        if self.calls >= self.fail_at:
            raise OSError(self.error, os_strerror(self.error), str(path))

    def write(self, path: Path, data: bytes) -> None:
        self._maybe_fail("write", path)
        super().write(path, data)

    def copy(self, existing: Path, path: Path) -> None:
        self._maybe_fail("write", path)
        super().copy(existing, path)

    def replace(self, source: Path, path: Path) -> None:
        self._maybe_fail("replace", path)
        super().replace(source, path)


def wait_for_site_cleanup() -> None:
    """Old site generations are removed on a thread after the swap; wait for it."""
    import threading

    from editor.core.publishing.site.builder import CLEANUP_THREAD_NAME

    for thread in threading.enumerate():
        if thread.name == CLEANUP_THREAD_NAME:
            thread.join()


def os_strerror(code: int) -> str:
    import os

    return os.strerror(code)


@pytest.fixture
def disk_full() -> FailingFiles:
    """Writes fail with ENOSPC from the third file on (the marker and a few files get through)."""
    return FailingFiles(operation="write", error=errno.ENOSPC, fail_at=3)


@pytest.fixture
def read_only_swap() -> FailingFiles:
    """The site folder's directory turns read-only: the final rename fails with EROFS."""
    return FailingFiles(operation="replace", error=errno.EROFS)

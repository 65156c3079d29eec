"""The sizes of a store's images as the preview's renderer asks for them: one query for all of
them at the first figure, one more for an image stored since, and the same answer every time."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from editor.core.models import Asset
from editor.core.rendering.article_data import StoredImageSizes
from editor.core.rendering.body import BodyRenderer, render_body
from editor.core.rendering.media import sized_media_url
from editor.core.store import Store


def add_image(store: Store, name: str, width: int, height: int, sha256: str | None = None) -> str:
    """Stores an image row of that size; returns its 12-digit ``asset:`` reference."""
    digest = sha256 or hashlib.sha256(name.encode()).hexdigest()
    with store.session_factory.begin() as session:
        session.add(
            Asset(sha256=digest, original=b"-", mime="image/jpeg", width=width, height=height)
        )
    return digest[:12]


@contextmanager
def counted_queries(store: Store) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_sizes_are_read_once_then_only_for_images_stored_since(store: Store) -> None:
    gate = add_image(store, "gate", 3000, 2000)
    wall = add_image(store, "wall", 640, 960)
    sizes = StoredImageSizes(store.session_factory)
    with counted_queries(store) as statements:
        assert sizes(gate) == (3000, 2000)
        assert sizes(wall.upper()) == (640, 960)
        assert sizes(gate) == (3000, 2000)
    assert len(statements) == 1

    later = add_image(store, "later", 1200, 900)
    with counted_queries(store) as statements:
        assert sizes(later) == (1200, 900)  # stored after the first read: looked up on its own
        assert sizes(later) == (1200, 900)
        assert sizes("0" * 12) is None
        assert sizes("0" * 12) is None  # a reference naming nothing is asked once
        assert sizes("%" * 12) is None  # not a reference: never asked
        assert sizes("abc") is None
    assert len(statements) == 2


def test_a_reference_names_an_image_only_when_one_sha256_starts_with_it(store: Store) -> None:
    shared = "ab" * 6
    add_image(store, "one", 100, 50, sha256=shared + "1" * 52)
    add_image(store, "two", 300, 100, sha256=shared + "2" * 52)
    sizes = StoredImageSizes(store.session_factory)
    assert sizes(shared) is None
    assert sizes(shared + "2") == (300, 100)
    assert sizes(shared + "1" * 52) == (100, 50)


def test_an_answer_is_kept_so_an_incremental_render_equals_a_fresh_one(store: Store) -> None:
    gate = add_image(store, "gate", 3000, 2000)
    renderer = BodyRenderer(
        media_url=sized_media_url(
            lambda ref, w: f"m:/{ref}/{w}", StoredImageSizes(store.session_factory)
        )
    )
    paragraphs = [f"Paragraph {n}." for n in range(30)]
    paragraphs[3] = f"![Gate](asset:{gate})\nThe gate."
    first = renderer.update("\n\n".join(paragraphs))
    assert 'width="1600" height="1067"' in first.body.html

    # A figure inserted after its image was stored (as the editor does): its size is known.
    wall = add_image(store, "wall", 640, 960)
    paragraphs.insert(20, f"![Wall](asset:{wall})")
    source = "\n\n".join(paragraphs)
    update = renderer.update(source)
    assert not update.full
    (inserted,) = [change.html for change in update.changes if change.html]
    assert 'width="640" height="960"' in inserted
    fresh = render_body(
        source,
        media_url=sized_media_url(
            lambda ref, w: f"m:/{ref}/{w}", StoredImageSizes(store.session_factory)
        ),
    )
    assert update.body.html == fresh.html

"""The live preview in a real QtWebEngine (offscreen): the DOM after edits equals a fresh render,
article scripts never run, remote resources are never fetched, widths and figure clicks work."""

from __future__ import annotations

import hashlib
import json

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from editor.core.rendering.body import render_body
from editor.core.store import Store
from editor.ui.editor.pane import EditorPane
from editor.ui.main_window import MainWindow
from editor.ui.preview.pane import DeviceWidth, PreviewPane
from editor.ui.preview.web import preview_media
from tests.ui.test_editor_pane import open_lead


def page_value(qtbot, preview: PreviewPane, script: str) -> object:  # type: ignore[no-untyped-def]
    box: dict[str, object] = {}
    preview.run_in_page(script, lambda result: box.setdefault("value", result))
    qtbot.waitUntil(lambda: "value" in box, timeout=10_000)
    return box["value"]


def fresh_body_html(source: str, store: Store) -> str:
    """The body a fresh full render gives (with the store's image sizes, as the preview's)."""
    return render_body(source, media_url=preview_media(store)).html


CHILDREN_JS = "JSON.stringify(Array.from({root}.children).map(function(e){{return e.outerHTML;}}))"


def page_blocks(qtbot, preview: PreviewPane) -> list[str]:  # type: ignore[no-untyped-def]
    """The body's elements as the page serialises them (whitespace between blocks aside)."""
    return list(
        json.loads(
            str(
                page_value(
                    qtbot,
                    preview,
                    CHILDREN_JS.format(root="document.getElementById('article-body')"),
                )
            )
        )
    )


def normalised(qtbot, preview: PreviewPane, html: str) -> list[str]:  # type: ignore[no-untyped-def]
    """``html`` parsed and serialised by the same page, block by block."""
    script = (
        "(function(){var t=document.createElement('div');t.innerHTML="
        + json.dumps(html)
        + ";return "
        + CHILDREN_JS.format(root="t")
        + ";})()"
    )
    return list(json.loads(str(page_value(qtbot, preview, script))))


def open_preview(qtbot, window: MainWindow, store: Store) -> tuple[EditorPane, PreviewPane]:  # type: ignore[no-untyped-def]
    pane = open_lead(qtbot, window, store)
    pane.show_preview(True)
    preview = pane.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.body is not None and preview._loaded, timeout=30_000)
    qtbot.waitUntil(
        lambda: (
            page_value(qtbot, preview, "window.__newsdesk ? window.__newsdesk.blocks().length : 0")
            == len(preview.body.blocks)
        ),  # type: ignore[union-attr]
        timeout=10_000,
    )
    return pane, preview


def test_preview_shows_the_rendered_article_and_patches_edits(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane, preview = open_preview(qtbot, main_window, demo_store)
    pane.text.moveCursor(QTextCursor.MoveOperation.Start)
    with qtbot.waitSignal(preview.preview_updated, timeout=10_000) as updated:
        qtbot.keyClicks(pane.text, "Breaking: ")
    qtbot.waitUntil(lambda: preview.is_idle, timeout=10_000)
    qtbot.wait(200)
    in_page = page_blocks(qtbot, preview)
    assert in_page == normalised(
        qtbot, preview, fresh_body_html(pane.text.toPlainText(), demo_store)
    )
    assert "Breaking: Riverside" in in_page[0]
    assert updated.args[1] is False  # a paragraph edit is a patch, not a full render
    title = page_value(qtbot, preview, "document.querySelector('h1').textContent")
    assert str(title).startswith("Flood Barrier Holds")


def test_typing_in_a_paragraph_refills_its_element_instead_of_replacing_it(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    # A new element would make the theme's :first-of-type rule restyle and re-lay out
    # every block after it: on a long article that is most of a frame per keystroke.
    pane, preview = open_preview(qtbot, main_window, demo_store)
    mark = (
        "(function(){var b=document.getElementById('article-body').children;"
        "for(var i=0;i<b.length;i++){b[i].__before=i;}return b.length;})()"
    )
    count = page_value(qtbot, preview, mark)
    pane.text.moveCursor(QTextCursor.MoveOperation.Start)
    with qtbot.waitSignal(preview.preview_updated, timeout=10_000) as updated:
        qtbot.keyClicks(pane.text, "Now: ")
    qtbot.waitUntil(lambda: preview.is_idle, timeout=10_000)
    assert updated.args[1] is False
    kept = json.loads(
        str(
            page_value(
                qtbot,
                preview,
                "JSON.stringify(Array.from(document.getElementById('article-body').children)"
                ".map(function(e){return e.__before === undefined ? -1 : e.__before;}))",
            )
        )
    )
    assert kept == list(range(int(count)))  # type: ignore[call-overload]
    assert page_blocks(qtbot, preview) == normalised(
        qtbot, preview, fresh_body_html(pane.text.toPlainText(), demo_store)
    )


def test_after_random_edits_the_page_equals_a_fresh_render(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    import random

    pane, preview = open_preview(qtbot, main_window, demo_store)
    rng = random.Random(4)
    inserts = [
        "\n\n## New section\n\n",
        "[^1]",
        "\n\n[^1]: A footnote.\n",
        " *emphasis* ",
        "\n\n> quoted\n",
        "x",
    ]
    for _ in range(12):
        document = pane.text.document()
        cursor = QTextCursor(document)
        cursor.setPosition(rng.randrange(document.characterCount() - 1))
        if rng.random() < 0.3:
            cursor.setPosition(
                min(cursor.position() + rng.randrange(1, 40), document.characterCount() - 1),
                QTextCursor.MoveMode.KeepAnchor,
            )
            cursor.removeSelectedText()
        else:
            cursor.insertText(rng.choice(inserts))
        QApplication.processEvents()
    qtbot.waitUntil(
        lambda: preview.is_idle,
        timeout=15_000,
    )
    qtbot.wait(300)
    assert page_blocks(qtbot, preview) == normalised(
        qtbot, preview, fresh_body_html(pane.text.toPlainText(), demo_store)
    )


FIGURE_SIZES_JS = (
    "JSON.stringify(Array.from(document.querySelectorAll('#article-body figure img'))"
    ".map(function(i){return [i.alt, i.getAttribute('width'), i.getAttribute('height'),"
    " i.getBoundingClientRect().height > 0];}))"
)


def test_figures_reserve_their_space_with_the_published_size(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    import io

    from PIL import Image

    from editor.core.images.renditions import plan_renditions
    from editor.core.models import Asset

    pane, preview = open_preview(qtbot, main_window, demo_store)
    with demo_store.session_factory() as session:
        assets = {asset.alt_text: asset for asset in session.scalars(select(Asset))}
    shown = json.loads(str(page_value(qtbot, preview, FIGURE_SIZES_JS)))
    assert shown
    for alt, width, height, laid_out in shown:
        widest = plan_renditions(assets[alt].width, assets[alt].height)[0]
        assert (width, height) == (str(widest.width), str(widest.height))
        assert laid_out  # the box has its height before (and whether or not) the image loads

    # An image stored while the article is open (as inserting a figure does): its figure
    # is patched in with its size.
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 400), (90, 120, 150)).save(buffer, "JPEG")
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    with demo_store.session_factory.begin() as session:
        session.add(Asset(sha256=digest, original=data, mime="image/jpeg", width=1000, height=400))
    pane.text.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(preview.preview_updated, timeout=10_000):
        pane.text.insertPlainText(f"\n\n![A new banner](asset:{digest[:12]})\nJust added.")
    qtbot.waitUntil(lambda: preview.is_idle, timeout=10_000)
    qtbot.wait(200)
    shown = json.loads(str(page_value(qtbot, preview, FIGURE_SIZES_JS)))
    assert ["A new banner", "1000", "400", True] in shown
    assert page_blocks(qtbot, preview) == normalised(
        qtbot, preview, fresh_body_html(pane.text.toPlainText(), demo_store)
    )


XSS_BODY = """Safe intro.

<script>document.title = 'pwned-script'</script>

<img src=x onerror="document.title='pwned-onerror'">

<svg onload="document.title='pwned-svg'"></svg>

<a href="javascript:document.title='pwned-link'">click</a>

<iframe src="https://evil.example/"></iframe>

![remote](https://evil.example/tracker.png)

<p style="background:url(https://evil.example/bg.png)">styled</p>
"""


def test_article_scripts_never_run_and_remote_resources_are_not_fetched(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane, preview = open_preview(qtbot, main_window, demo_store)
    with qtbot.waitSignal(preview.preview_updated, timeout=10_000):
        pane.text.setPlainText(XSS_BODY)
    qtbot.wait(800)
    title = page_value(qtbot, preview, "document.title")
    assert "pwned" not in str(title)
    body = str(page_value(qtbot, preview, "window.__newsdesk.body()"))
    for forbidden in ("<script", "onerror", "onload", "javascript:", "<iframe"):
        assert forbidden not in body.lower()
    # The remote image was refused by the page's policy or the request interceptor: never fetched.
    assert preview.interceptor is not None
    refused = " ".join(preview.page.console) + " ".join(preview.interceptor.blocked)
    assert "https://evil.example/tracker.png" in refused


def test_three_device_widths(qtbot, main_window: MainWindow, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    _pane, preview = open_preview(qtbot, main_window, demo_store)
    for device in (DeviceWidth.PHONE, DeviceWidth.TABLET, DeviceWidth.DESKTOP):
        preview.set_device(device)
        # The page lays itself out at the device's width (scaled down when the pane is narrower).
        qtbot.waitUntil(
            lambda device=device: (
                abs(float(page_value(qtbot, preview, "window.innerWidth")) - int(device)) <= 2  # type: ignore[arg-type]
            ),
            timeout=10_000,
        )


def test_clicking_a_figure_selects_it_in_the_editor(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    pane, preview = open_preview(qtbot, main_window, demo_store)
    with qtbot.waitSignal(preview.figure_clicked, timeout=10_000) as clicked:
        preview.run_in_page(
            "document.querySelector('#article-body figure img').click()", lambda _r: None
        )
    line = clicked.args[0]
    assert pane.text.textCursor().blockNumber() == line
    assert pane.text.textCursor().selectedText().startswith("![Engineers in orange jackets")


@pytest.mark.parametrize("depth", [10_000])
def test_absurd_nesting_renders_a_notice_not_a_hang(
    qtbot, main_window: MainWindow, demo_store: Store, depth: int
) -> None:  # type: ignore[no-untyped-def]
    pane, preview = open_preview(qtbot, main_window, demo_store)
    with qtbot.waitSignal(preview.preview_updated, timeout=30_000):
        pane.text.setPlainText("> " * depth + "deep\n\n" + "x" * 1_000_000)
    length = page_value(qtbot, preview, "window.__newsdesk.body().length")
    assert float(length) > 1_000_000  # type: ignore[arg-type]
    # The editor stays usable: one more keystroke still reaches the page.
    pane.text.moveCursor(QTextCursor.MoveOperation.Start)
    with qtbot.waitSignal(preview.preview_updated, timeout=30_000):
        qtbot.keyClicks(pane.text, "A")


def test_a_published_article_shows_its_publication_date_in_the_byline(
    qtbot, main_window: MainWindow, demo_store: Store
) -> None:  # type: ignore[no-untyped-def]
    from editor.core.models import Article

    pane, preview = open_preview(qtbot, main_window, demo_store)
    with demo_store.session_factory() as session:
        article = session.get(Article, pane.draft.id)  # type: ignore[union-attr]
        assert article is not None and article.published_at is not None
        year = str(article.published_at.year)
    shown = str(page_value(qtbot, preview, "document.querySelector('.byline-dates').textContent"))
    assert "Not yet published" not in shown and year in shown

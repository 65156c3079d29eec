"""The preview's page shell and its layout checks.

The shell comes from the site theme (the same page publishing writes) with an
empty ``<article id="article-body">``; the body is then filled and patched
block by block. While the theme's page function is not available, a plain
shell with the same body container is used so the preview still works.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.core.rendering.body import RenderedBody

HEADLINE_LIMIT = 110
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src newsdesk-media: data:; style-src 'unsafe-inline' newsdesk-media:; "
    "font-src newsdesk-media: data:; script-src 'none'; frame-src 'none'; object-src 'none'"
)


def preview_shell(meta: dict[str, object]) -> str:
    title = html.escape(str(meta.get("title") or "Untitled"))
    dek = html.escape(str(meta.get("dek") or ""))
    author = html.escape(str(meta.get("author") or ""))
    category = html.escape(str(meta.get("category") or ""))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; font: 18px/1.6 Georgia, 'DejaVu Serif', serif; color: #1d1d1f; background: #fff; }}
header.site {{ border-bottom: 3px solid #1f2a36; padding: 12px 24px; font: 700 22px/1 'DejaVu Sans', sans-serif; }}
main {{ max-width: 720px; margin: 0 auto; padding: 24px; }}
.category {{ font: 700 13px 'DejaVu Sans', sans-serif; text-transform: uppercase; color: #b3261e; letter-spacing: .06em; }}
h1 {{ font-size: 2.1em; line-height: 1.15; margin: .3em 0; }}
.dek {{ font-size: 1.2em; color: #444; }}
.byline {{ font: 14px 'DejaVu Sans', sans-serif; color: #666; border-bottom: 1px solid #ddd; padding-bottom: 12px; }}
figure {{ margin: 1.5em 0; }} figure img {{ width: 100%; height: auto; display: block; }}
figcaption {{ font: 14px/1.4 'DejaVu Sans', sans-serif; color: #555; margin-top: 6px; }}
blockquote {{ border-left: 4px solid #1f2a36; margin: 1.2em 0; padding: .2em 1em; font-style: italic; }}
@media (max-width: 760px) {{ main {{ padding: 14px; }} h1 {{ font-size: 1.6em; }} }}
</style></head>
<body><header class="site">Newsdesk</header>
<main><div class="category">{category}</div><h1>{title}</h1><p class="dek">{dek}</p>
<p class="byline">By {author}</p>
<article id="article-body"></article></main></body></html>"""


def layout_checks(body: RenderedBody, meta: dict[str, object]) -> list[tuple[str, str, int]]:
    """(severity "error" | "warning", message, source line or -1), errors first."""
    found: list[tuple[str, str, int]] = []
    title = str(meta.get("title") or "")
    if not title.strip():
        found.append(("error", "The article has no headline.", -1))
    elif len(title) > HEADLINE_LIMIT:
        found.append(
            (
                "warning",
                f"The headline is {len(title)} characters; keep it under {HEADLINE_LIMIT}.",
                -1,
            )
        )
    for warning in body.warnings:
        found.append(("warning", warning.message, warning.line))
    found.sort(key=lambda item: (item[0] != "error", item[2]))
    return found

"""Markdown → the published page: one renderer for the live preview and for publishing.

What the UI and publishing use (each name's module has the details):

- ``media_url``: a ``MediaLocator`` (publishing: the renditions each image has, per
  format, and its size) or a plain ``MediaUrl``; ``sized_media_url(MediaUrl, size)``
  adds sizes to one (the preview: its scheme and ``article_data.StoredImageSizes``);
  figures get ``width``/``height`` when the size is known. See ``media``.
- ``BodyRenderer(media_url=…)``: ``.update(markdown) -> BodyUpdate`` (the changes that
  turn the shown body into the new one, or ``full``), ``.render(markdown) ->
  RenderedBody``; ``render_body(markdown, media_url=…)`` renders once.
- ``render_article_page(ArticlePage, comments, media_url=…, site=…, body=…)``, and
  ``render_index_page`` / ``render_tag_page(…, pagination=Pagination(…))`` for
  publishing; ``load_theme``.
- ``check_layout(ArticlePage, RenderedBody, asset_lookup=…)`` -> ``LayoutIssue`` list.
- ``syntax_help()``: the writing help (Markdown).
- ``article_data``: page data, asset lookup and image sizes from the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from editor.core.lazy_exports import load_on_first_use

if TYPE_CHECKING:
    from editor.core.rendering.blocks import BlockKind
    from editor.core.rendering.body import (
        FOOTNOTES_BLOCK_ID,
        BodyRenderer,
        BodyUpdate,
        render_body,
    )
    from editor.core.rendering.checks import (
        AssetInfo,
        AssetLookup,
        CheckField,
        CheckKind,
        LayoutIssue,
        Severity,
        blocks_publishing,
        check_layout,
    )
    from editor.core.rendering.media import (
        RENDITION_WIDTHS,
        ImageFormat,
        MediaLocator,
        MediaUrl,
        media_folder_url,
        sized_media_url,
    )
    from editor.core.rendering.page import (
        ArticlePage,
        ArticleTeaser,
        HeroImage,
        Link,
        PageComment,
        Pagination,
        SiteInfo,
        render_article_page,
        render_index_page,
        render_tag_page,
    )
    from editor.core.rendering.rendered import (
        OutlineEntry,
        RenderedBlock,
        RenderedBody,
        RenderWarning,
    )
    from editor.core.rendering.sanitize import sanitize_html
    from editor.core.rendering.syntax import syntax_help
    from editor.core.rendering.theme import Theme, ThemeNotFound, load_theme
    from editor.core.rendering.updates import BlockChange, ChangeKind, apply_changes

# Each public name and the module defining it, imported on first use (see lazy_exports).
_EXPORTS = {
    "BlockKind": "editor.core.rendering.blocks",
    "FOOTNOTES_BLOCK_ID": "editor.core.rendering.body",
    "BodyRenderer": "editor.core.rendering.body",
    "BodyUpdate": "editor.core.rendering.body",
    "render_body": "editor.core.rendering.body",
    "AssetInfo": "editor.core.rendering.checks",
    "AssetLookup": "editor.core.rendering.checks",
    "CheckField": "editor.core.rendering.checks",
    "CheckKind": "editor.core.rendering.checks",
    "LayoutIssue": "editor.core.rendering.checks",
    "Severity": "editor.core.rendering.checks",
    "blocks_publishing": "editor.core.rendering.checks",
    "check_layout": "editor.core.rendering.checks",
    "RENDITION_WIDTHS": "editor.core.rendering.media",
    "ImageFormat": "editor.core.rendering.media",
    "MediaLocator": "editor.core.rendering.media",
    "MediaUrl": "editor.core.rendering.media",
    "media_folder_url": "editor.core.rendering.media",
    "sized_media_url": "editor.core.rendering.media",
    "ArticlePage": "editor.core.rendering.page",
    "ArticleTeaser": "editor.core.rendering.page",
    "HeroImage": "editor.core.rendering.page",
    "Link": "editor.core.rendering.page",
    "PageComment": "editor.core.rendering.page",
    "Pagination": "editor.core.rendering.page",
    "SiteInfo": "editor.core.rendering.page",
    "render_article_page": "editor.core.rendering.page",
    "render_index_page": "editor.core.rendering.page",
    "render_tag_page": "editor.core.rendering.page",
    "OutlineEntry": "editor.core.rendering.rendered",
    "RenderedBlock": "editor.core.rendering.rendered",
    "RenderedBody": "editor.core.rendering.rendered",
    "RenderWarning": "editor.core.rendering.rendered",
    "sanitize_html": "editor.core.rendering.sanitize",
    "syntax_help": "editor.core.rendering.syntax",
    "Theme": "editor.core.rendering.theme",
    "ThemeNotFound": "editor.core.rendering.theme",
    "load_theme": "editor.core.rendering.theme",
    "BlockChange": "editor.core.rendering.updates",
    "ChangeKind": "editor.core.rendering.updates",
    "apply_changes": "editor.core.rendering.updates",
}


__getattr__ = load_on_first_use(__name__, _EXPORTS)


__all__ = [
    "FOOTNOTES_BLOCK_ID",
    "RENDITION_WIDTHS",
    "ArticlePage",
    "ArticleTeaser",
    "AssetInfo",
    "AssetLookup",
    "BlockChange",
    "BlockKind",
    "BodyRenderer",
    "BodyUpdate",
    "ChangeKind",
    "CheckField",
    "CheckKind",
    "HeroImage",
    "ImageFormat",
    "LayoutIssue",
    "Link",
    "MediaLocator",
    "MediaUrl",
    "OutlineEntry",
    "PageComment",
    "Pagination",
    "RenderWarning",
    "RenderedBlock",
    "RenderedBody",
    "Severity",
    "SiteInfo",
    "Theme",
    "ThemeNotFound",
    "apply_changes",
    "blocks_publishing",
    "check_layout",
    "load_theme",
    "media_folder_url",
    "render_article_page",
    "render_body",
    "render_index_page",
    "render_tag_page",
    "sanitize_html",
    "sized_media_url",
    "syntax_help",
]

"""Writing imported posts and pages as articles, with unique slugs and their tags.

An article is inserted when its external id is new and rewritten when the
export's item changed since the last import (the importer compares
fingerprints). Rewriting bumps the version, so an editor with the article open
is told; if it was edited here since the last import, the edited text is kept
as a revision first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from editor.core.articles.slugs import MAX_SLUG_LENGTH, first_free_slug
from editor.core.articles.tags import clean_tag_names, tag_for_name
from editor.core.models import RevisionReason, Tag
from editor.core.wxr.errors import WxrRefused
from editor.core.wxr.import_state import (
    ARTICLE_TABLE,
    ARTICLE_TAG_TABLE,
    REVISION_TABLE,
    ImportState,
    Thumbnail,
    chunks,
)
from editor.core.wxr.mapping import MappedArticle, fit

IMPORT_ACTOR = "WordPress import"


class ArticleWriter:
    def __init__(self, state: ImportState) -> None:
        self.state = state
        self.taken_slugs: set[str] | None = None
        self.tag_ids: dict[str, int] | None = None

    def existing(self, external_ids: Sequence[str]) -> dict[str, Any]:
        table = ARTICLE_TABLE
        found: dict[str, Any] = {}
        for chunk in chunks(external_ids):
            query = select(
                table.c.id,
                table.c.external_id,
                table.c.slug,
                table.c.version,
                table.c.extra,
                table.c.status,
                table.c.title,
                table.c.body,
                table.c.dek,
                table.c.author,
                table.c.category,
            ).where(table.c.external_id.in_(chunk))
            for row in self.state.session.execute(query):
                found[row.external_id] = row
        return found

    def _slugs(self) -> set[str]:
        if self.taken_slugs is None:
            self.taken_slugs = set(self.state.session.scalars(select(ARTICLE_TABLE.c.slug)))
        return self.taken_slugs

    def _free_slug(self, wanted: str) -> str:
        taken = self._slugs()
        slug = first_free_slug(wanted[:MAX_SLUG_LENGTH].strip("-") or "untitled", taken)
        taken.add(slug)
        return slug

    def insert(self, articles: list[MappedArticle]) -> None:
        if not articles:
            return
        rows = []
        for mapped in articles:
            extra = dict(mapped.extra)
            extra.update(
                wxr_source_hash=mapped.source_hash,
                wxr_wanted_slug=mapped.wanted_slug,
                wxr_imported_version=1,
            )
            mapped.extra = extra
            rows.append(
                {
                    **mapped.values(),
                    "external_id": mapped.external_id,
                    "slug": self._free_slug(mapped.wanted_slug),
                    "version": 1,
                    "view_count": 0,
                    "comment_count": 0,
                }
            )
        statement = insert(ARTICLE_TABLE).returning(
            ARTICLE_TABLE.c.id, sort_by_parameter_order=True
        )
        ids = [row.id for row in self.state.session.execute(statement, rows)]
        for mapped, article_id in zip(articles, ids, strict=True):
            self.state.article_ids[mapped.post_id] = article_id
        self.state.report.articles_created += len(articles)

    def update(self, changed: list[tuple[MappedArticle, Any]]) -> None:
        if not changed:
            return
        rows = []
        for mapped, row in changed:
            old_extra = row.extra or {}
            if row.version != old_extra.get("wxr_imported_version"):
                self._keep_local_edit(row)
            slug = row.slug
            if mapped.wanted_slug != old_extra.get("wxr_wanted_slug"):
                self._slugs().discard(row.slug)
                slug = self._free_slug(mapped.wanted_slug)
            extra = dict(mapped.extra)
            for key in ("featured_media_url", "featured_media_external_id"):
                if key in old_extra:
                    extra[key] = old_extra[key]
            extra.update(
                wxr_source_hash=mapped.source_hash,
                wxr_wanted_slug=mapped.wanted_slug,
                wxr_imported_version=row.version + 1,
            )
            mapped.extra = extra
            values = mapped.values()
            rows.append(
                {
                    **{f"new_{key}": value for key, value in values.items()},
                    "new_slug": slug,
                    "row_id": row.id,
                    "old_version": row.version,
                    "new_version": row.version + 1,
                }
            )
            self.state.article_ids[mapped.post_id] = row.id
            self.state.updated_articles.add(row.id)
        table = ARTICLE_TABLE
        columns = [*changed[0][0].values().keys(), "slug"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("old_version"))
            .values(
                {
                    **{column: bindparam(f"new_{column}") for column in columns},
                    "version": bindparam("new_version"),
                }
            )
        )
        result = self.state.session.connection().execute(statement, rows)
        if result.rowcount not in (-1, len(rows)):
            raise WxrRefused(
                "an article being imported was changed by someone else at the same time; "
                "nothing was imported — import again"
            )
        self.state.report.articles_updated += len(rows)

    def _keep_local_edit(self, row: Any) -> None:
        """The article was edited here since the last import: keep that text as a revision."""
        self.state.session.execute(
            insert(REVISION_TABLE),
            [
                {
                    "article_id": row.id,
                    "title": row.title,
                    "body": row.body,
                    "meta": {
                        "dek": row.dek,
                        "slug": row.slug,
                        "author": row.author,
                        "category": row.category,
                        "note": "kept before a newer WordPress export replaced it",
                    },
                    "author": IMPORT_ACTOR,
                    "reason": RevisionReason.MANUAL,
                }
            ],
        )
        self.state.report.revisions_saved += 1

    def written(self, mapped: MappedArticle, *, is_new: bool) -> None:
        article_id = self.state.article_ids[mapped.post_id]
        self.state.touched_articles.add(article_id)
        if not is_new:
            self.state.rewritten_articles.append((article_id, mapped.post_id))
        for image in mapped.images:
            self.state.body_images.append((article_id, mapped.post_id, image))
        if mapped.thumbnail_id:
            self.state.thumbnails.append(
                Thumbnail(article_id, mapped.thumbnail_id, mapped.extra, is_new)
            )

    def _tag_ids(self) -> dict[str, int]:
        if self.tag_ids is None:
            self.tag_ids = {
                name.casefold(): tag_id
                for tag_id, name in self.state.session.execute(select(Tag.id, Tag.name))
            }
        return self.tag_ids

    def _tag_id(self, name: str) -> int:
        known = self._tag_ids()
        folded = name.casefold()
        if folded not in known:
            known[folded] = tag_for_name(self.state.session, name).id
        return known[folded]

    def write_tags(self, new: list[MappedArticle], changed: list[MappedArticle]) -> None:
        if changed:
            ids = [self.state.article_ids[mapped.post_id] for mapped in changed]
            self.state.session.execute(
                delete(ARTICLE_TAG_TABLE).where(ARTICLE_TAG_TABLE.c.article_id.in_(ids))
            )
        rows: list[dict[str, int]] = []
        for mapped in [*new, *changed]:
            names = clean_tag_names(fit(name, Tag.__table__.c.name) for name in mapped.tag_names)
            article_id = self.state.article_ids[mapped.post_id]
            tag_ids = list(dict.fromkeys(self._tag_id(name) for name in names))
            rows.extend(
                {"article_id": article_id, "tag_id": tag_id, "position": position}
                for position, tag_id in enumerate(tag_ids)
            )
        if rows:
            self.state.session.execute(insert(ARTICLE_TAG_TABLE), rows)

"""The sample newsroom shows every feature at once, shaped like the real article page."""

from __future__ import annotations

import io
import re
from collections import Counter

from PIL import Image
from sqlalchemy import func, select

from editor.core.models import Article, ArticleStatus, Asset, Comment, CommentStatus
from editor.core.store import Store


def test_lead_article_is_shaped_like_a_news_page(demo_store: Store) -> None:
    with demo_store.session_factory() as session:
        lead = session.scalar(
            select(Article).where(Article.slug == "flood-barrier-first-full-test")
        )
        assert lead is not None
        assert lead.title and lead.dek and lead.author and lead.published_at
        assert lead.view_count > 0 and lead.comment_count > 0
        headings = re.findall(r"^## (.+)$", lead.body, flags=re.MULTILINE)
        assert len(headings) == 4
        figures = re.findall(
            r'^!\[([^\]]+)\]\(asset:([0-9a-f]{12}) "([^"]+)"\)\n(.+)$', lead.body, re.M
        )
        assert len(figures) == 2
        for alt, prefix, credit, caption in figures:
            asset = session.scalar(select(Asset).where(Asset.sha256.startswith(prefix)))
            assert asset is not None and asset.alt_text == alt and asset.credit == credit
            assert caption == asset.caption
            with Image.open(io.BytesIO(asset.original)) as image:
                assert image.format == "JPEG" and image.size == (asset.width, asset.height)
        assert re.search(r'^> ".+', lead.body, re.M), "a quoted source"
        assert lead.featured_asset is not None
        assert [tag.name for tag in lead.tags] == ["Flooding", "Council", "Weir Street"]


def test_demo_has_more_articles_and_comments_in_every_status(demo_store: Store) -> None:
    with demo_store.session_factory() as session:
        statuses = Counter(session.scalars(select(Article.status)))
        assert statuses[ArticleStatus.PUBLISHED] >= 1 and statuses[ArticleStatus.DRAFT] >= 1
        assert sum(statuses.values()) >= 3
        comment_statuses = Counter(session.scalars(select(Comment.status)))
        assert set(comment_statuses) == set(CommentStatus)
        assert 50 <= sum(comment_statuses.values()) <= 70
        threaded = session.scalar(select(func.count()).where(Comment.parent_id.is_not(None)))
        assert threaded and threaded >= 3
        spam_bodies = session.scalars(
            select(Comment.body).where(Comment.status == CommentStatus.SPAM)
        )
        assert all(body.count("http") >= 2 for body in spam_bodies)
        flood = session.execute(
            select(Comment.author_ip, func.count())
            .group_by(Comment.author_ip)
            .having(func.count() >= 5)
        ).all()
        assert flood, "a flood from one author"
        lead_count = session.scalar(
            select(Article.comment_count).where(Article.slug == "flood-barrier-first-full-test")
        )
        approved_on_lead = session.scalar(
            select(func.count())
            .select_from(Comment)
            .join(Article)
            .where(
                Article.slug == "flood-barrier-first-full-test",
                Comment.status == CommentStatus.APPROVED,
            )
        )
        assert lead_count == approved_on_lead


def test_filling_twice_adds_nothing(demo_store: Store) -> None:
    from editor.core.demo import fill_demo_store

    with demo_store.session_factory.begin() as session:
        fill_demo_store(session)
    with demo_store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 4

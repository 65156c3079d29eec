from __future__ import annotations

from editor.core.models import Article, ArticleStatus
from editor.core.store import Store


def test_store_opens_migrated_and_round_trips_an_article(store: Store) -> None:
    assert store.schema_revision() == "0001"
    with store.session_factory.begin() as session:
        session.add(Article(title="Flood Barrier Holds", slug="flood-barrier", body="Text"))
    with store.session_factory() as session:
        article = session.query(Article).one()
        assert article.status is ArticleStatus.DRAFT
        assert article.version == 1
        assert article.created_at.tzinfo is not None

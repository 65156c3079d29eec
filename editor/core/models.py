"""The store's schema as typed SQLAlchemy models.

The schema itself is made only by the Alembic migrations in ``migrations/``;
``tests/core/test_migrations.py`` runs ``alembic check`` so the two never drift.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, NewType

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ArticleId = NewType("ArticleId", int)
CommentId = NewType("CommentId", int)
AssetId = NewType("AssetId", int)
RevisionId = NewType("RevisionId", int)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend.

    SQLite has no time zones, so values are stored as naive UTC and handed
    back aware; PostgreSQL stores ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use aware UTC datetimes")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class RevisionReason(enum.StrEnum):
    AUTOSAVE = "autosave"
    MANUAL = "manual"
    PUBLISH = "publish"


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"


class ArticleKind(enum.StrEnum):
    POST = "post"
    PAGE = "page"


class CommentType(enum.StrEnum):
    COMMENT = "comment"
    PINGBACK = "pingback"
    TRACKBACK = "trackback"


def _enum_column(enum_type: type[enum.Enum], name: str) -> SqlEnum:
    # Stored as plain strings with a CHECK constraint: adding a member later is
    # a simple migration on both SQLite and PostgreSQL.
    return SqlEnum(
        enum_type,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime()}


class ArticleTag(Base):
    __tablename__ = "article_tag"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)


class Asset(Base):
    """An image stored once by content hash; figures refer to it as ``asset:<sha256 prefix>``."""

    __tablename__ = "asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original: Mapped[bytes] = mapped_column(LargeBinary)
    mime: Mapped[str] = mapped_column(String(100))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255), default="")
    alt_text: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Article(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    title: Mapped[str] = mapped_column(String(500), default="")
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    dek: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ArticleStatus] = mapped_column(
        _enum_column(ArticleStatus, "article_status"), default=ArticleStatus.DRAFT, index=True
    )
    author: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(200), default="")
    featured_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("asset.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now, index=True)
    published_at: Mapped[datetime | None]
    scheduled_at: Mapped[datetime | None]
    # Optimistic locking: an UPDATE carries the version it read, so a second
    # editor's stale save fails with StaleDataError instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[ArticleKind] = mapped_column(
        _enum_column(ArticleKind, "article_kind"), default=ArticleKind.POST
    )
    # Where an imported article came from (e.g. "wxr:<site url>:post:<id>"), so importing the
    # same export again updates instead of duplicating.
    external_id: Mapped[str | None] = mapped_column(String(500), unique=True)
    # Facts an importer keeps that have no column of their own (sticky, password-protected,
    # the source's own status), as JSON.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    featured_asset: Mapped[Asset | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(
        secondary="article_tag", order_by="ArticleTag.position", lazy="selectin"
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Revision.created_at",
    )

    __mapper_args__ = {"version_id_col": version}


class Revision(Base):
    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    # dek, slug, author, tags, category, featured image at the time.
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    author: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[RevisionReason] = mapped_column(_enum_column(RevisionReason, "revision_reason"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    article: Mapped[Article] = relationship(back_populates="revisions")


class Comment(Base):
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="SET NULL"))
    comment_type: Mapped[CommentType] = mapped_column(
        _enum_column(CommentType, "comment_type"), default=CommentType.COMMENT
    )
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_email: Mapped[str] = mapped_column(String(320), default="")
    author_url: Mapped[str] = mapped_column(String(2000), default="")
    author_ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CommentStatus] = mapped_column(
        _enum_column(CommentStatus, "comment_status"), default=CommentStatus.PENDING
    )
    spam_score: Mapped[float | None] = mapped_column(Float)
    # Human-readable reasons for the intake decision, e.g. ["2 links", "flood: same ip within 15 s"].
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    moderated_by: Mapped[str | None] = mapped_column(String(200))
    moderated_at: Mapped[datetime | None]
    # The comment's id where it came from (an import), so re-importing updates in place.
    external_id: Mapped[str | None] = mapped_column(String(500), unique=True)

    article: Mapped[Article] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    __table_args__ = (
        Index("ix_comment_status_created_at", "status", "created_at"),
        Index("ix_comment_article_id_status", "article_id", "status"),
        Index("ix_comment_author_email", "author_email"),
        Index("ix_comment_author_ip", "author_ip"),
        # Replies only: most comments have no parent, and nothing looks up a NULL one.
        Index(
            "ix_comment_parent_id",
            "parent_id",
            postgresql_where=text("parent_id IS NOT NULL"),
            sqlite_where=text("parent_id IS NOT NULL"),
        ),
    )


class ModerationEvent(Base):
    """The audit trail: one row per status change, never updated or deleted by the app."""

    __tablename__ = "moderation_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    from_status: Mapped[CommentStatus | None] = mapped_column(
        _enum_column(CommentStatus, "event_from_status")
    )
    to_status: Mapped[CommentStatus] = mapped_column(_enum_column(CommentStatus, "event_to_status"))
    # Actions taken together (a bulk action) share a batch so undo reverts them together.
    batch: Mapped[str | None] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


class MediaReference(Base):
    """An image an import names by URL but could not fetch: listed as "media to fetch"."""

    __tablename__ = "media_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str | None] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    alt_text: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    # Set once the file has been fetched and stored.
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("asset.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class PublishRecord(Base):
    __tablename__ = "publish_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(200))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utc_now)
    checksum: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2000), default="")


class StoreSetting(Base):
    """Newsroom-wide settings that live in the store, shared by everyone who opens it
    (moderation rules, the custom spelling dictionary), as JSON under ``"Section/key"``."""

    __tablename__ = "store_setting"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class StoreBlob(Base):
    """Opaque state a feature keeps in the store (the learned spam filter's model).

    ``version`` guards against two apps saving over each other's state.
    """

    __tablename__ = "store_blob"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

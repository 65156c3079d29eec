"""The publish log: one ``PublishRecord`` per publish or unpublish, per target.

A publish record holds the content checksum of what went out and the URL it
went to. An unpublish is a record with an empty checksum and no URL (the
schema has no action column, and the log is never rewritten), so "is it live
there?" is "is the latest record for that target a publish?". Live pages
kept in the store itself are ``StoreBlob`` rows named ``published/<uuid>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from editor.core.models import PublishRecord, Revision, StoreBlob

UNPUBLISHED_CHECKSUM = ""
PAGE_BLOB_PREFIX = "published/"


@dataclass(frozen=True, slots=True)
class RecordFacts:
    target: str
    checksum: str
    url: str
    published_at: datetime
    revision_id: int | None
    # Who published it (the revision's author), when known.
    by: str

    @property
    def is_live(self) -> bool:
        return self.checksum != UNPUBLISHED_CHECKSUM


def latest_record(session: Session, *, article_id: int, target: str) -> RecordFacts | None:
    """The newest publish or unpublish of the article to ``target``."""
    return _latest(session, article_id, target, live_only=False)


def latest_publish(session: Session, *, article_id: int, target: str) -> RecordFacts | None:
    """The newest publish (not unpublish) of the article to ``target``."""
    return _latest(session, article_id, target, live_only=True)


def _latest(
    session: Session, article_id: int, target: str, *, live_only: bool
) -> RecordFacts | None:
    query = (
        select(PublishRecord, Revision.author)
        .outerjoin(Revision, Revision.id == PublishRecord.revision_id)
        .where(PublishRecord.article_id == article_id, PublishRecord.target == target)
        .order_by(PublishRecord.published_at.desc(), PublishRecord.id.desc())
        .limit(1)
    )
    if live_only:
        query = query.where(PublishRecord.checksum != UNPUBLISHED_CHECKSUM)
    row = session.execute(query).first()
    if row is None:
        return None
    record: PublishRecord = row[0]
    return RecordFacts(
        target=record.target,
        checksum=record.checksum,
        url=record.url,
        published_at=record.published_at,
        revision_id=record.revision_id,
        by=row[1] or "",
    )


def add_publish_record(
    session: Session,
    *,
    article_id: int,
    target: str,
    checksum: str,
    url: str,
    revision_id: int | None,
    at: datetime,
) -> None:
    session.add(
        PublishRecord(
            article_id=article_id,
            target=target,
            revision_id=revision_id,
            published_at=at,
            checksum=checksum,
            url=url,
        )
    )


def add_unpublish_record(session: Session, *, article_id: int, target: str, at: datetime) -> None:
    add_publish_record(
        session,
        article_id=article_id,
        target=target,
        checksum=UNPUBLISHED_CHECKSUM,
        url="",
        revision_id=None,
        at=at,
    )


def live_targets(session: Session, *, article_id: int) -> list[RecordFacts]:
    """Every target whose latest record for the article is a publish."""
    targets = session.scalars(
        select(PublishRecord.target).where(PublishRecord.article_id == article_id).distinct()
    )
    found = []
    for target in list(targets):
        latest = latest_record(session, article_id=article_id, target=target)
        if latest is not None and latest.is_live:
            found.append(latest)
    return found


def page_blob_name(uuid: str) -> str:
    return f"{PAGE_BLOB_PREFIX}{uuid}"


def stored_page(session: Session, *, uuid: str) -> bytes | None:
    return session.scalar(select(StoreBlob.data).where(StoreBlob.name == page_blob_name(uuid)))


def store_page(session: Session, *, uuid: str, page: bytes) -> None:
    blob = session.get(StoreBlob, page_blob_name(uuid))
    if blob is None:
        session.add(StoreBlob(name=page_blob_name(uuid), data=page))
    elif blob.data != page:
        blob.data = page


def remove_page(session: Session, *, uuid: str) -> None:
    session.execute(delete(StoreBlob).where(StoreBlob.name == page_blob_name(uuid)))

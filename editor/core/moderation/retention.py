"""Emptying spam and trash: counted first, deleted only when someone asks.

A comment's age here is the time since it was moderated into spam or trash
(or since it arrived, if intake put it there), as WordPress does for its trash.
Deleting a comment also deletes its moderation events (the foreign key
cascades) and detaches replies (``parent_id`` becomes NULL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from editor.core.models import Comment, CommentStatus, utc_now
from editor.core.moderation.rules import DEFAULT_RETENTION_DAYS

PURGEABLE = (CommentStatus.SPAM, CommentStatus.TRASH)
_CHUNK = 900


@dataclass(frozen=True)
class PurgeCount:
    spam: int
    trash: int
    older_than: datetime

    @property
    def total(self) -> int:
        return self.spam + self.trash


def _old(cutoff: datetime) -> ColumnElement[bool]:
    return func.coalesce(Comment.moderated_at, Comment.created_at) < cutoff


def count_purgeable(
    *, session: Session, older_than_days: int = DEFAULT_RETENTION_DAYS, now: datetime | None = None
) -> PurgeCount:
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    cutoff = (now or utc_now()) - timedelta(days=older_than_days)
    counts = dict(
        session.execute(
            select(Comment.status, func.count())
            .where(Comment.status.in_(PURGEABLE), _old(cutoff))
            .group_by(Comment.status)
        ).all()
    )
    return PurgeCount(
        spam=int(counts.get(CommentStatus.SPAM, 0)),
        trash=int(counts.get(CommentStatus.TRASH, 0)),
        older_than=cutoff,
    )


def purge(
    *, session: Session, older_than_days: int = DEFAULT_RETENTION_DAYS, now: datetime | None = None
) -> PurgeCount:
    """Delete spam and trash older than ``older_than_days``; returns what was deleted.

    Never called on a timer: the command line asks for ``--yes``, the app for a click.
    """
    counted = count_purgeable(session=session, older_than_days=older_than_days, now=now)
    if counted.total:
        ids = list(
            session.scalars(
                select(Comment.id).where(Comment.status.in_(PURGEABLE), _old(counted.older_than))
            )
        )
        for start in range(0, len(ids), _CHUNK):
            session.execute(
                delete(Comment)
                .where(
                    Comment.id.in_(ids[start : start + _CHUNK]),
                    # Someone may have rescued one from spam since it was counted.
                    Comment.status.in_(PURGEABLE),
                )
                .execution_options(synchronize_session=False)
            )
    return counted

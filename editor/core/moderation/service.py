"""Moderator actions: approve, spam, trash, back to pending, and undo, one or thousands at a time.

Every action is set-based (one conditional UPDATE and one INSERT ... SELECT per
chunk, never a row at a time) so 10,000 comments take a fraction of a second.
Each status change writes a ``ModerationEvent`` (who, when, from, to) sharing
one batch id, which ``undo`` uses to revert the batch as a whole.

Shared stores: an UPDATE only touches a comment still in the status the
moderator saw (``WHERE status = expected``). If another moderator got there
first, ``ModerationConflict`` is raised and the caller rolls back its unit of
work, so nothing is half-done and nobody's decision is overwritten.

The learned filter is taught in the same transaction: approved means ham, spam
means spam; moving a comment away from a moderator's earlier verdict (or
undoing) takes that lesson back.
"""

from __future__ import annotations

import enum
import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Table,
    any_,
    bindparam,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from editor.core.models import (
    Article,
    Comment,
    CommentId,
    CommentStatus,
    ModerationEvent,
    UtcDateTime,
    utc_now,
)
from editor.core.moderation.learning import SharedSpamFilter, lesson_for_comment
from editor.core.moderation.spam_filter import Lesson

# Ids per statement: few round trips, within SQLite's 32,766 bound parameters.
_CHUNK = 5_000
# One moderator judgement on 10,000 copies of one spam run is still one judgement:
# a batch teaches the filter from at most this many comments with distinct bodies
# (lowest ids first, so undo takes back exactly the same lessons).
MAX_LESSONS_PER_BATCH = 200
UNDO_ACTION_PREFIX = "undo "
_LABELLED = {CommentStatus.APPROVED: False, CommentStatus.SPAM: True}


class ModerationAction(enum.StrEnum):
    APPROVE = "approve"
    SPAM = "spam"
    TRASH = "trash"
    PENDING = "pending"

    @property
    def target(self) -> CommentStatus:
        return {
            ModerationAction.APPROVE: CommentStatus.APPROVED,
            ModerationAction.SPAM: CommentStatus.SPAM,
            ModerationAction.TRASH: CommentStatus.TRASH,
            ModerationAction.PENDING: CommentStatus.PENDING,
        }[self]


class ModerationError(Exception):
    """An action that cannot be done; ``str(error)`` is the message shown to the moderator."""


class ModerationConflict(ModerationError):
    """Comments changed by someone else since the moderator saw them; roll back and reload."""

    def __init__(self, current: Mapping[CommentId, CommentStatus | None]) -> None:
        self.current = dict(current)
        first_id, first_status = next(iter(self.current.items()))
        where = "was deleted" if first_status is None else f"is now {first_status.value}"
        others = f" (and {len(self.current) - 1} more)" if len(self.current) > 1 else ""
        super().__init__(
            f"Comment #{first_id} {where}: someone else moderated it{others}. "
            "Nothing was changed; the queue will reload."
        )


class NothingToUndo(ModerationError):
    pass


@dataclass(frozen=True, slots=True)
class StatusChange:
    comment_id: CommentId
    from_status: CommentStatus
    to_status: CommentStatus


@dataclass(frozen=True)
class ModerationResult:
    """What changed, for the UI to broadcast once. ``batch`` is None when nothing changed."""

    batch: str | None
    changes: tuple[StatusChange, ...]
    lessons: int

    @property
    def comment_ids(self) -> list[CommentId]:
        return [change.comment_id for change in self.changes]

    @property
    def count_deltas(self) -> dict[CommentStatus, int]:
        """How each status tab's count moves."""
        deltas: dict[CommentStatus, int] = defaultdict(int)
        for change in self.changes:
            deltas[change.from_status] -= 1
            deltas[change.to_status] += 1
        return {status: delta for status, delta in deltas.items() if delta}


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _among(session: Session, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL one array parameter (``= ANY``), which binds
    thousands of ids several times faster than as separate parameters."""
    if _is_postgres(session):
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))  # type: ignore[no-any-return]
    return column.in_(ids)  # type: ignore[no-any-return]


def _comment_table() -> Table:
    return Comment.__table__  # type: ignore[return-value]


def _event_table() -> Table:
    return ModerationEvent.__table__  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class _Current:
    status: CommentStatus
    moderated_by: str | None


def _read_current(session: Session, ids: Sequence[int]) -> dict[int, _Current]:
    current: dict[int, _Current] = {}
    for chunk in _chunks(ids):
        for comment_id, status, moderated_by in session.execute(
            select(Comment.id, Comment.status, Comment.moderated_by).where(
                _among(session, Comment.id, chunk)
            )
        ):
            current[comment_id] = _Current(status, moderated_by)
    return current


def _changed(
    session: Session, expected: Mapping[int, CommentStatus]
) -> dict[CommentId, CommentStatus | None]:
    """The comments no longer in the status expected of them: their status now, or None
    for one that is gone."""
    now = _read_current(session, list(expected))
    changed: dict[CommentId, CommentStatus | None] = {}
    for comment_id, status in expected.items():
        found = now.get(comment_id)
        if found is None or found.status is not status:
            changed[CommentId(comment_id)] = None if found is None else found.status
    return changed


def _conflict(session: Session, expected: Mapping[int, CommentStatus]) -> ModerationConflict:
    changed = _changed(session, expected)
    return ModerationConflict(changed or {CommentId(next(iter(expected))): None})


def _not_moved(
    moves: Mapping[int, tuple[CommentStatus, CommentStatus]], moved: set[int]
) -> dict[int, CommentStatus]:
    # What the moderator expected of the comments this write has not moved: the ones it
    # did move now read as moved by this very transaction, which is no conflict.
    return {
        comment_id: from_status
        for comment_id, (from_status, _) in moves.items()
        if comment_id not in moved
    }


def _event_rows(
    source_ids: Any,
    *,
    actor: str,
    action: str,
    from_status: CommentStatus,
    to_status: CommentStatus,
    batch: str,
    at: datetime,
) -> Any:
    return select(
        source_ids,
        literal(actor),
        literal(action),
        literal(from_status.value),
        literal(to_status.value),
        literal(batch),
        literal(at, UtcDateTime()),
    )


def _apply(
    session: Session,
    moves: Mapping[int, tuple[CommentStatus, CommentStatus]],
    *,
    actor: str,
    action: str,
    batch: str,
    at: datetime,
    restore_from_event_before: int | None = None,
) -> None:
    """Conditionally move each comment ``from -> to`` and record one event each.

    Raises ``ModerationConflict`` if any comment is no longer in its ``from`` status.
    """
    comments = _comment_table()
    moved_so_far: set[int] = set()
    groups: dict[tuple[CommentStatus, CommentStatus], list[int]] = defaultdict(list)
    for comment_id, pair in moves.items():
        groups[pair].append(comment_id)
    for (from_status, to_status), ids in groups.items():
        ids.sort()
        if restore_from_event_before is None:
            moderator_values: dict[str, object] = {"moderated_by": actor, "moderated_at": at}
        else:
            # Undo puts back who moderated it before (or nobody).
            earlier = (
                select(ModerationEvent.actor, ModerationEvent.at)
                .where(
                    ModerationEvent.comment_id == comments.c.id,
                    ModerationEvent.id < restore_from_event_before,
                )
                .order_by(ModerationEvent.id.desc())
                .limit(1)
            )
            moderator_values = {
                "moderated_by": earlier.with_only_columns(ModerationEvent.actor).scalar_subquery(),
                "moderated_at": earlier.with_only_columns(ModerationEvent.at).scalar_subquery(),
            }
        event_columns = [
            "comment_id",
            "actor",
            "action",
            "from_status",
            "to_status",
            "batch",
            "at",
        ]

        events_for = functools.partial(
            _event_rows,
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=to_status,
            batch=batch,
            at=at,
        )
        for chunk in _chunks(ids):
            moving = (
                update(comments)
                .where(
                    _among(session, comments.c.id, chunk), comments.c.status == from_status.value
                )
                .values(status=to_status.value, **moderator_values)
            )
            if _is_postgres(session):
                # One statement: the events come from the rows the UPDATE really moved.
                moved = moving.returning(comments.c.id).cte("moved")
                recorded = session.scalars(
                    insert(_event_table())
                    .from_select(event_columns, events_for(moved.c.id))
                    .returning(_event_table().c.comment_id)
                ).all()
                moved_so_far.update(recorded)
                if len(recorded) != len(chunk):
                    raise _conflict(session, _not_moved(moves, moved_so_far))
                continue
            moved_now = session.scalars(moving.returning(comments.c.id)).all()
            moved_so_far.update(moved_now)
            if len(moved_now) != len(chunk):
                raise _conflict(session, _not_moved(moves, moved_so_far))
            session.execute(
                insert(ModerationEvent).from_select(
                    event_columns,
                    events_for(comments.c.id).where(_among(session, comments.c.id, chunk)),
                )
            )
    approval_changed = [
        comment_id
        for comment_id, (from_status, to_status) in moves.items()
        if CommentStatus.APPROVED in (from_status, to_status)
    ]
    refresh_comment_counts(session, approval_changed)


def refresh_comment_counts(session: Session, comment_ids: Iterable[int]) -> None:
    """Recount the approved comments of the articles these comments belong to.

    ``Article.comment_count`` is what the site and the article list show. The count is
    written without touching the article's version or updated time: approving a comment is
    not an edit, and must not make an editor's next save a conflict.
    """
    ids = sorted(set(comment_ids))
    if not ids:
        return
    approved = (
        select(func.count())
        .select_from(Comment)
        .where(Comment.article_id == Article.id, Comment.status == CommentStatus.APPROVED)
        .scalar_subquery()
    )
    # One statement per chunk of comments (one round trip for a single approval); an
    # article whose comments span two chunks of a bulk action is simply counted twice.
    for chunk in _chunks(ids):
        their_articles = select(Comment.article_id).where(_among(session, Comment.id, chunk))
        session.execute(
            update(Article)
            .where(Article.id.in_(their_articles))
            .values(comment_count=approved, updated_at=Article.updated_at)
            .execution_options(synchronize_session=False)
        )


# (untrain, train) for a comment, given who moderated it last: True spam, False ham, None nothing.
_Labels = Callable[[int, str | None], tuple[bool | None, bool | None]]


def _lessons(session: Session, candidates: Sequence[int], labels: _Labels) -> list[Lesson]:
    """Lessons for the first ``MAX_LESSONS_PER_BATCH`` distinct bodies among ``candidates``
    that ``labels`` gives something to learn or unlearn."""
    wanted = sorted(candidates)
    lessons: list[Lesson] = []
    seen_bodies: set[str] = set()
    start = 0
    while start < len(wanted) and len(seen_bodies) < MAX_LESSONS_PER_BATCH:
        chunk = wanted[start : start + MAX_LESSONS_PER_BATCH]
        start += len(chunk)
        rows = session.execute(
            select(
                Comment.id,
                Comment.body,
                Comment.author_name,
                Comment.author_email,
                Comment.author_url,
                Comment.author_ip,
                Comment.moderated_by,
            )
            .where(Comment.id.in_(chunk))
            .order_by(Comment.id)
        )
        for comment_id, body, name, email, url, ip, moderated_by in rows:
            untrain, train = labels(comment_id, moderated_by)
            if (untrain is None and train is None) or body in seen_bodies:
                continue
            if len(seen_bodies) >= MAX_LESSONS_PER_BATCH:
                break
            seen_bodies.add(body)
            for label, weight in ((untrain, -1), (train, 1)):
                if label is not None:
                    lessons.append(
                        lesson_for_comment(
                            body=body,
                            author_name=name,
                            author_email=email,
                            author_url=url,
                            author_ip=ip,
                            is_spam=label,
                            weight=weight,
                        )
                    )
    return lessons


def moderate(
    comment_ids: Iterable[int],
    action: ModerationAction,
    *,
    session: Session,
    actor: str,
    spam_filter: SharedSpamFilter | None,
    expected_status: CommentStatus | Mapping[int, CommentStatus] | None = None,
) -> ModerationResult:
    """Move comments to ``action.target`` as one undoable batch.

    ``expected_status`` is what the moderator saw (one status for all, or per
    comment); if a comment is in another status now, ``ModerationConflict`` is
    raised. Without it, the status read now is used, which still stops a
    concurrent change between that read and the write. Comments already in the
    target status are left alone and not recorded.
    """
    ids = sorted(set(comment_ids))
    target = action.target
    if expected_status is None:
        current = _read_current(session, ids)
        missing = [comment_id for comment_id in ids if comment_id not in current]
        if missing:
            raise ModerationConflict({CommentId(comment_id): None for comment_id in missing})
        expected = {comment_id: found.status for comment_id, found in current.items()}
    elif isinstance(expected_status, CommentStatus):
        expected = dict.fromkeys(ids, expected_status)
    else:
        expected = {comment_id: expected_status[comment_id] for comment_id in ids}
    # The conditional UPDATE checks the comments that move; one the moderator saw already
    # in the target status is checked here (rarely any, so usually no read at all).
    staying = [comment_id for comment_id in ids if expected[comment_id] is target]
    if (
        staying
        and expected_status is not None
        and _changed(session, dict.fromkeys(staying, target))
    ):
        raise _conflict(session, expected)
    moves = {
        comment_id: (status, target) for comment_id, status in expected.items() if status != target
    }
    if not moves:
        return ModerationResult(batch=None, changes=(), lessons=0)
    train_label = _LABELLED.get(target)

    def labels(comment_id: int, moderated_by: str | None) -> tuple[bool | None, bool | None]:
        # Moving a comment away from a moderator's verdict takes that lesson back.
        from_status = moves[comment_id][0]
        return (_LABELLED.get(from_status) if moderated_by is not None else None), train_label

    # Read before the write, which replaces who moderated each comment last.
    lessons = _lessons(
        session,
        [
            comment_id
            for comment_id, (from_status, _) in moves.items()
            if train_label is not None or from_status in _LABELLED
        ],
        labels,
    )
    batch = str(uuid.uuid4())
    _apply(session, moves, actor=actor, action=action.value, batch=batch, at=utc_now())
    if spam_filter is not None:
        spam_filter.learn(lessons, session=session)
    return ModerationResult(
        batch=batch,
        changes=tuple(
            StatusChange(CommentId(comment_id), from_status, to_status)
            for comment_id, (from_status, to_status) in sorted(moves.items())
        ),
        lessons=len(lessons),
    )


def author_comment_ids(
    comment_id: int, *, session: Session, statuses: Iterable[CommentStatus] | None = None
) -> list[CommentId]:
    """Every comment by the same author as ``comment_id`` (same email, or same name when
    it has no email), optionally only in some statuses."""
    row = session.execute(
        select(Comment.author_name, Comment.author_email).where(Comment.id == comment_id)
    ).one_or_none()
    if row is None:
        raise ModerationConflict({CommentId(comment_id): None})
    name, email = row
    query = select(Comment.id)
    if email.strip():
        query = query.where(Comment.author_email == email)
    else:
        query = query.where(Comment.author_email == "", Comment.author_name == name)
    if statuses is not None:
        query = query.where(Comment.status.in_(list(statuses)))
    return [CommentId(found) for found in session.scalars(query.order_by(Comment.id))]


def moderate_author(
    comment_id: int,
    action: ModerationAction,
    *,
    session: Session,
    actor: str,
    spam_filter: SharedSpamFilter | None,
    statuses: Iterable[CommentStatus] | None = (CommentStatus.PENDING,),
) -> ModerationResult:
    """ "All by this author": by default every pending comment of the author of ``comment_id``."""
    ids = author_comment_ids(comment_id, session=session, statuses=statuses)
    return moderate(ids, action, session=session, actor=actor, spam_filter=spam_filter)


def undo(
    batch: str, *, session: Session, actor: str, spam_filter: SharedSpamFilter | None
) -> ModerationResult:
    """Revert a batch: every comment goes back to its status before it, lessons taken back.

    The undo is itself recorded (action ``"undo <batch>"``, a new batch). Raises
    ``ModerationConflict`` if any comment moved since, ``NothingToUndo`` if the
    batch is unknown or already undone.
    """
    already = session.scalar(
        select(func.count())
        .select_from(ModerationEvent)
        .where(ModerationEvent.action == UNDO_ACTION_PREFIX + batch)
    )
    if already:
        raise NothingToUndo("That action was already undone.")
    events = session.execute(
        select(
            ModerationEvent.id,
            ModerationEvent.comment_id,
            ModerationEvent.from_status,
            ModerationEvent.to_status,
        ).where(ModerationEvent.batch == batch)
    ).all()
    if not events:
        raise NothingToUndo("There is no such action to undo.")
    moves: dict[int, tuple[CommentStatus, CommentStatus]] = {}
    for _, comment_id, from_status, to_status in events:
        if from_status is None:
            raise NothingToUndo("Comments received at intake cannot be undone.")
        moves[comment_id] = (to_status, from_status)
    first_event = min(event_id for event_id, *_ in events)
    had_moderator_before: set[int] = set()
    for chunk in _chunks(sorted(moves)):
        had_moderator_before.update(
            session.scalars(
                select(ModerationEvent.comment_id)
                .where(
                    _among(session, ModerationEvent.comment_id, chunk),
                    ModerationEvent.id < first_event,
                )
                .distinct()
            )
        )
    undo_batch = str(uuid.uuid4())
    _apply(
        session,
        moves,
        actor=actor,
        action=UNDO_ACTION_PREFIX + batch,
        batch=undo_batch,
        at=utc_now(),
        restore_from_event_before=first_event,
    )

    def labels(comment_id: int, _moderated_by: str | None) -> tuple[bool | None, bool | None]:
        now, before = moves[comment_id]
        return _LABELLED.get(now), (
            _LABELLED.get(before) if comment_id in had_moderator_before else None
        )

    lessons = _lessons(session, list(moves), labels)
    if spam_filter is not None:
        spam_filter.learn(lessons, session=session)
    return ModerationResult(
        batch=undo_batch,
        changes=tuple(
            StatusChange(CommentId(comment_id), now, before)
            for comment_id, (now, before) in sorted(moves.items())
        ),
        lessons=len(lessons),
    )

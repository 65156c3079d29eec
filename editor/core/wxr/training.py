"""Teaching the spam filter from decisions imported from WordPress.

Imported approved comments are examples of ham and imported spam of spam
(pending and trashed comments teach nothing: nobody judged them, or the
judgement was not about spam). The learned filter lives in
``editor.core.moderation``; it is imported when the hook runs, never when this
module is, so the import works (and simply teaches nothing) without it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from editor.core.models import Comment, CommentStatus

if TYPE_CHECKING:
    from editor.core.moderation.learning import SharedSpamFilter

TRAINING_LABELS = frozenset({CommentStatus.APPROVED, CommentStatus.SPAM})
# Comments read and taught per round: bounds memory (a lesson holds every token of a comment).
TRAINING_CHUNK = 1000
# The newest decisions taught from one import. A naive Bayes filter has long settled by
# then, and each lesson costs ~0.15 ms of feature extraction: all 90,000 decisions of a
# 100,000-comment blog would add ~14 s to its import for no better filter.
TRAINING_LIMIT = 20_000
_COMMENTS = cast(Table, Comment.__table__)


def train_from_imported(
    session: Session,
    comment_ids_with_labels: Sequence[tuple[int, CommentStatus]],
    *,
    spam_filter: SharedSpamFilter | None = None,
) -> int:
    """Teach the store's spam filter the imported decisions; returns the lessons taught.

    Runs inside the import's transaction after its rows are written, so what the
    filter learned is committed or rolled back with the import. A body seen
    before in the same import teaches once (a spam run of a thousand copies is
    one judgement), and only the newest ``TRAINING_LIMIT`` decisions teach.
    ``spam_filter`` is the app's shared filter when it has one.
    """
    labels = {
        comment_id: label
        for comment_id, label in comment_ids_with_labels
        if label in TRAINING_LABELS
    }
    if not labels:
        return 0
    try:
        from editor.core.moderation.learning import SharedSpamFilter, lesson_for_comment
    except ImportError:  # a build without the moderation package: nothing to teach
        return 0
    shared = spam_filter if spam_filter is not None else SharedSpamFilter()
    ids = _newest(session, sorted(labels))
    seen_bodies: set[bytes] = set()
    taught = 0
    for start in range(0, len(ids), TRAINING_CHUNK):
        chunk = ids[start : start + TRAINING_CHUNK]
        rows = session.execute(
            select(
                _COMMENTS.c.id,
                _COMMENTS.c.body,
                _COMMENTS.c.author_name,
                _COMMENTS.c.author_email,
                _COMMENTS.c.author_url,
                _COMMENTS.c.author_ip,
            ).where(_COMMENTS.c.id.in_(chunk))
        )
        lessons = []
        for comment_id, body, name, email, url, ip in rows:
            digest = hashlib.blake2b(body.encode(), digest_size=16).digest()
            if digest in seen_bodies:
                continue
            seen_bodies.add(digest)
            lessons.append(
                lesson_for_comment(
                    body=body,
                    author_name=name,
                    author_email=email,
                    author_url=url,
                    author_ip=ip,
                    is_spam=labels[comment_id] is CommentStatus.SPAM,
                )
            )
        if lessons:
            shared.learn(lessons, session=session)
            taught += len(lessons)
    return taught


def _newest(session: Session, ids: list[int]) -> list[int]:
    if len(ids) <= TRAINING_LIMIT:
        return ids
    dated: list[tuple[object, int]] = []
    for start in range(0, len(ids), TRAINING_CHUNK):
        chunk = ids[start : start + TRAINING_CHUNK]
        query = select(_COMMENTS.c.created_at, _COMMENTS.c.id).where(_COMMENTS.c.id.in_(chunk))
        dated.extend((created_at, comment_id) for created_at, comment_id in session.execute(query))
    dated.sort(reverse=True)
    return sorted(comment_id for _created_at, comment_id in dated[:TRAINING_LIMIT])

"""The spam filter as a store keeps it, shared by every moderator and by intake.

Two ``StoreBlob`` rows hold it: a snapshot of the counts (hundreds of KB,
rewritten rarely) and a journal of the lessons since (a few KB, appended by
each decision). Rewriting the snapshot on every keypress would cost more than
the 5 ms an approve may take; appending a line costs little. When the journal
grows past ``FOLD_AT_BYTES`` it is folded into a new snapshot.

Both rows are written with a conditional ``UPDATE ... WHERE version = read
version``: when another moderator wrote first, the newer state is read and the
lesson appended to it (lessons commute, so nothing is lost). Everything is
written in the caller's transaction, so a rolled-back decision teaches nothing;
the in-memory copy notices (its version no longer matches) and reloads.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from editor.core.models import StoreBlob, utc_now
from editor.core.moderation.features import comment_features
from editor.core.moderation.spam_filter import Lesson, SpamFilterModel

SNAPSHOT_NAME = "moderation/spam-filter"
JOURNAL_NAME = "moderation/spam-filter-journal"
FOLD_AT_BYTES = 32 * 1024
_MAX_ATTEMPTS = 8
_BLOBS = cast(Table, StoreBlob.__table__)


class FilterStateConflict(RuntimeError):
    """Others kept rewriting the filter while this lesson was being saved."""


@dataclass(frozen=True, slots=True)
class _Stamp:
    version: int
    updated_at: datetime


def _encode(lessons: Sequence[Lesson]) -> bytes:
    # One lesson a line: "<weight> <h|s>\t<token>\x1f<token>...". Tokens never hold
    # control characters (features drop them), so these separators are safe.
    lines = [
        f"{lesson.weight} {'s' if lesson.is_spam else 'h'}\t" + "\x1f".join(sorted(lesson.tokens))
        for lesson in lessons
    ]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _decode(data: bytes) -> list[Lesson]:
    lessons = []
    for line in data.decode("utf-8").splitlines():
        if not line:
            continue
        head, _, body = line.partition("\t")
        weight, label = head.split(" ")
        tokens = frozenset(body.split("\x1f")) if body else frozenset()
        lessons.append(Lesson(tokens, label == "s", int(weight)))
    return lessons


class SharedSpamFilter:
    """One per open store (the app and the command line each hold one).

    Every method takes the caller's session and never commits it. Safe to share
    between threads: a lock serialises use of the in-memory model.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._model = SpamFilterModel()
        self._snapshot: _Stamp | None = None
        self._journal: _Stamp | None = None
        self._journal_bytes = b""

    def model(self, *, session: Session) -> SpamFilterModel:
        """The current model, refreshed from the store if anyone changed it. Read-only use."""
        with self._lock:
            self._refresh(session)
            return self._model

    def spam_probability(self, tokens: frozenset[str], *, session: Session) -> float | None:
        with self._lock:
            self._refresh(session)
            return self._model.spam_probability(tokens)

    def learn(self, lessons: Sequence[Lesson], *, session: Session) -> None:
        """Teach (or, with weight -1, un-teach) lessons, saved in the caller's transaction."""
        if not lessons:
            return
        lines = _encode(lessons)
        with self._lock:
            for _ in range(_MAX_ATTEMPTS):
                self._refresh(session)
                stamp = _Stamp(
                    version=(self._journal.version + 1) if self._journal else 1,
                    updated_at=utc_now(),
                )
                data = self._journal_bytes + lines
                if self._write(session, JOURNAL_NAME, self._journal, stamp, data):
                    self._model.learn_all(lessons)
                    self._journal, self._journal_bytes = stamp, data
                    break
            else:
                raise FilterStateConflict("the spam filter kept changing; try again")
            if len(self._journal_bytes) >= FOLD_AT_BYTES:
                self._fold(session)

    def _fold(self, session: Session) -> None:
        self._model.prune()
        snapshot_stamp = _Stamp(
            version=(self._snapshot.version + 1) if self._snapshot else 1, updated_at=utc_now()
        )
        if not self._write(
            session, SNAPSHOT_NAME, self._snapshot, snapshot_stamp, self._model.to_bytes()
        ):
            self._forget()  # someone else folded first; their snapshot has our lessons
            return
        journal_stamp = _Stamp(
            version=(self._journal.version + 1) if self._journal else 1,
            updated_at=snapshot_stamp.updated_at,
        )
        if not self._write(session, JOURNAL_NAME, self._journal, journal_stamp, b""):
            self._forget()
            return
        self._snapshot, self._journal, self._journal_bytes = snapshot_stamp, journal_stamp, b""

    def _write(
        self, session: Session, name: str, expected: _Stamp | None, stamp: _Stamp, data: bytes
    ) -> bool:
        if expected is None:
            self._create_rows(session)
            return False  # the caller refreshes (seeing the new rows) and tries again
        result = session.execute(
            update(_BLOBS)
            .where(_BLOBS.c.name == name, _BLOBS.c.version == expected.version)
            .values(data=data, version=stamp.version, updated_at=stamp.updated_at)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            self._forget()
            return False
        return True

    @staticmethod
    def _create_rows(session: Session) -> None:
        # Empty rows at version 0; "do nothing" when another moderator made them first.
        rows = [
            {"name": name, "data": b"", "version": 0, "updated_at": utc_now()}
            for name in (SNAPSHOT_NAME, JOURNAL_NAME)
        ]
        if session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            session.execute(postgresql_insert(_BLOBS).values(rows).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            session.execute(sqlite_insert(_BLOBS).values(rows).on_conflict_do_nothing())

    def _forget(self) -> None:
        self._model = SpamFilterModel()
        self._snapshot = self._journal = None
        self._journal_bytes = b""

    def _refresh(self, session: Session) -> None:
        stamps = {
            row.name: _Stamp(row.version, row.updated_at)
            for row in session.execute(
                select(_BLOBS.c.name, _BLOBS.c.version, _BLOBS.c.updated_at).where(
                    _BLOBS.c.name.in_((SNAPSHOT_NAME, JOURNAL_NAME))
                )
            )
        }
        snapshot, journal = stamps.get(SNAPSHOT_NAME), stamps.get(JOURNAL_NAME)
        if snapshot != self._snapshot:
            data = session.scalar(select(_BLOBS.c.data).where(_BLOBS.c.name == SNAPSHOT_NAME))
            self._model = SpamFilterModel.from_bytes(data) if data else SpamFilterModel()
            self._snapshot, self._journal, self._journal_bytes = snapshot, None, b""
        if journal == self._journal:
            return
        data = b""
        if journal is not None:
            data = session.scalar(select(_BLOBS.c.data).where(_BLOBS.c.name == JOURNAL_NAME)) or b""
        if data.startswith(self._journal_bytes):
            self._model.learn_all(_decode(data[len(self._journal_bytes) :]))
        else:
            # Not an extension of what we hold (our own write was rolled back):
            # start again from the snapshot.
            snapshot_data = session.scalar(
                select(_BLOBS.c.data).where(_BLOBS.c.name == SNAPSHOT_NAME)
            )
            self._model = (
                SpamFilterModel.from_bytes(snapshot_data) if snapshot_data else SpamFilterModel()
            )
            self._model.learn_all(_decode(data))
        self._journal, self._journal_bytes = journal, data


def lesson_for_comment(
    *,
    body: str,
    author_name: str,
    author_email: str,
    author_url: str,
    author_ip: str,
    is_spam: bool,
    weight: int = 1,
) -> Lesson:
    return Lesson(
        comment_features(
            body,
            author_name=author_name,
            author_email=author_email,
            author_url=author_url,
            author_ip=author_ip,
        ),
        is_spam,
        weight,
    )

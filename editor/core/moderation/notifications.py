"""New comments as they arrive on a PostgreSQL store: LISTEN for the trigger of migration 0002.

Each INSERT into ``comment`` sends one notification, at commit, carrying the
``"<min id>-<max id>"`` range it inserted. Ranges (not a watermark) because
transactions commit out of id order: a comment with a smaller id may become
visible after a bigger one, and its own notification still names it.

No Qt here: the UI runs ``listen_for_new_comments`` in a worker thread and
forwards each list of ids as a signal.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from editor.core.models import CommentId

CHANNEL = "newsdesk_comment_inserted"


def _conninfo(store_url: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(store_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("new-comment notifications need a PostgreSQL store; poll SQLite instead")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def listen_for_new_comments(
    store_url: str,
    *,
    stop: threading.Event,
    poll_seconds: float = 0.5,
    after_id: int | None = None,
    listening: threading.Event | None = None,
) -> Iterator[list[CommentId]]:
    """Yield the ids of newly committed comments until ``stop`` is set.

    Opens its own connection (LISTEN needs one that stays open and idle);
    checks ``stop`` at least every ``poll_seconds``. ``listening`` is set once
    LISTEN is in force. With ``after_id`` (the newest comment the caller has
    seen) the first batch is every comment committed past it before LISTEN
    took effect, so nothing committed in between is missed.
    """
    import psycopg

    with psycopg.connect(_conninfo(store_url), autocommit=True) as connection:
        connection.execute(f"LISTEN {CHANNEL}")
        if listening is not None:
            listening.set()
        if after_id is not None:
            missed = connection.execute(
                "SELECT id FROM comment WHERE id > %s ORDER BY id", (after_id,)
            ).fetchall()
            if missed:
                yield [CommentId(int(row[0])) for row in missed]
        while not stop.is_set():
            ranges: list[tuple[int, int]] = []
            for notice in connection.notifies(timeout=poll_seconds, stop_after=1):
                ranges.append(_parse_range(notice.payload))
            # Drain whatever else arrived, so a burst becomes one query.
            for notice in connection.notifies(timeout=0.0):
                ranges.append(_parse_range(notice.payload))
            ranges = [pair for pair in ranges if pair[0] <= pair[1]]
            if not ranges:
                continue
            ids: set[int] = set()
            for low, high in ranges:
                rows = connection.execute(
                    "SELECT id FROM comment WHERE id BETWEEN %s AND %s", (low, high)
                ).fetchall()
                ids.update(int(row[0]) for row in rows)
            if ids:
                yield [CommentId(found) for found in sorted(ids)]


def _parse_range(payload: str) -> tuple[int, int]:
    low, _, high = payload.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        return 1, 0  # not ours: an empty range

"""A stand-in editor for the kill -9 test: types words and journals them as the UI does.

Run as ``python journal_writer.py ROOT MODE``. MODE ``typing`` types a word
every 10 ms (each stamped with the wall-clock time it was typed) and journals
on the UI's timer period; MODE ``burst`` journals a 200 KB body as fast as it
can, so a kill lands in the middle of writes. Prints one line per word typed
(``typed N``) or per journal written (``wrote N``), flushed, for the test to follow.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from editor.core.articles.drafts import DraftData
from editor.core.articles.recovery import JOURNAL_INTERVAL_SECONDS, RecoveryJournal
from editor.core.models import ArticleId, ArticleStatus

ARTICLE_UUID = "5f0c7d1e-0000-4000-8000-00000000c0de"
STORE_KEY = "kill-test-store"


def main() -> None:
    root, mode = Path(sys.argv[1]), sys.argv[2]
    journal = RecoveryJournal(STORE_KEY, root=root)
    now = datetime.now(UTC)
    draft = DraftData(
        id=ArticleId(1),
        uuid=ARTICLE_UUID,
        title="Typing",
        slug="typing",
        dek="",
        body="",
        author="Mara",
        tags=[],
        category="",
        featured_asset_id=None,
        status=ArticleStatus.DRAFT,
        version=1,
        created_at=now,
        updated_at=now,
    )
    if mode == "burst":
        filler = "lorem ipsum dolor sit amet " * 8000
        written = 0
        while True:
            written += 1
            journal.write(replace(draft, body=f"{filler} end{written}"))
            print(f"wrote {written}", flush=True)
    words: list[str] = []
    next_write = time.monotonic() + JOURNAL_INTERVAL_SECONDS
    typed = 0
    while True:
        typed += 1
        words.append(f"w{typed}@{time.time():.3f}")
        print(f"typed {typed}", flush=True)
        if time.monotonic() >= next_write:
            journal.write(replace(draft, body=" ".join(words)))
            next_write += JOURNAL_INTERVAL_SECONDS
        time.sleep(0.01)  # the writer's typing pace, not a wait in the test


if __name__ == "__main__":
    main()

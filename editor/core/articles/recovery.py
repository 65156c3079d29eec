"""Crash recovery: a local journal of unsaved editor text, offered back after a crash.

How the UI uses it (one ``RecoveryJournal`` per open store):

* every ``JOURNAL_INTERVAL_SECONDS`` while an article is open, call
  ``journal.write(draft)`` with the editor's current state; it writes only
  when the content changed since the last write for that article, so an idle
  editor costs nothing;
* when taking the snapshot for an autosave, note ``taken_at = time.monotonic()``
  and after the save committed call ``journal.saved(saved.draft, taken_at=taken_at)``:
  the journal is removed when the save includes everything journaled, and
  re-based on the new version when the user typed on during the save;
* on closing an article cleanly (after its last save), ``journal.discard(uuid)``;
* at start, ``pending_recoveries(store_key, session=…)`` lists unsaved texts
  newer than the stored drafts; offer each, then ``discard`` it once the user
  took it (save it) or declined.

Each article's journal is one JSON file under the user state folder, keyed by
store and article uuid, replaced atomically (temp file, fsync, ``os.replace``,
fsync of the folder), so a ``kill -9`` at any instant leaves either the
previous or the new journal, never a torn one. With writes every second, at
most the last ~1–2 s of typing are lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.articles.drafts import DraftData, content_of
from editor.core.articles.service import load_draft
from editor.core.models import Article, ArticleId, ArticleStatus, AssetId

# The UI's timer period. One period plus one write is the most typing a crash can cost.
JOURNAL_INTERVAL_SECONDS = 1.0
JOURNAL_FORMAT = 1
# Journals older than the stored article are not offered; they are kept this
# long in case the user asks for them, then pruned.
STALE_JOURNAL_AGE = timedelta(days=14)


def store_key_for(url: str) -> str:
    """A stable, file-name-safe key for a store: the same database gives the same key
    whoever connects to it, and no credentials end up in a file name."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ":memory:"
        identity = "sqlite:" + (
            database if database == ":memory:" else str(Path(database).expanduser().resolve())
        )
    else:
        identity = (
            f"{parsed.get_backend_name()}://{parsed.host or 'localhost'}:{parsed.port or ''}"
            f"/{parsed.database or ''}"
        )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


def default_journal_root() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("newsdesk", appauthor=False)) / "recovery"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A journaled editor state; ``draft.version`` is the store version it was based on."""

    draft: DraftData
    written_at: datetime
    path: Path


@dataclass(frozen=True, slots=True)
class Recovery:
    """Unsaved text to offer back.

    ``stored`` is the article as stored now, None when it was deleted (offer it
    as a new draft). ``store_moved_on`` means someone saved the article after
    this text was based on it: saving the recovered text will meet a
    ``SaveConflict``, resolved as any other.
    """

    draft: DraftData
    written_at: datetime
    stored_version: int | None
    stored_updated_at: datetime | None

    @property
    def article_exists(self) -> bool:
        return self.stored_version is not None

    @property
    def store_moved_on(self) -> bool:
        return self.stored_version is not None and self.stored_version != self.draft.version


def _draft_json(draft: DraftData) -> dict[str, Any]:
    data = asdict(draft)
    data["status"] = draft.status.value
    data["created_at"] = draft.created_at.isoformat()
    data["updated_at"] = draft.updated_at.isoformat()
    return data


def _draft_from_json(data: dict[str, Any]) -> DraftData:
    featured = data.get("featured_asset_id")
    return DraftData(
        id=ArticleId(int(data["id"])),
        uuid=str(data["uuid"]),
        title=str(data["title"]),
        slug=str(data["slug"]),
        dek=str(data["dek"]),
        body=str(data["body"]),
        author=str(data["author"]),
        tags=[str(tag) for tag in data["tags"]],
        category=str(data["category"]),
        featured_asset_id=None if featured is None else AssetId(int(featured)),
        status=ArticleStatus(data["status"]),
        version=int(data["version"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_folder(path.parent)


class RecoveryJournal:
    """The journal of one store. Thread-safe: the UI thread may write while a
    worker reports a finished save."""

    def __init__(self, store_key: str, *, root: Path | None = None) -> None:
        self.store_key = store_key
        self.folder = (root or default_journal_root()) / store_key
        self._lock = threading.Lock()
        # Per article uuid: the content last written and when (monotonic).
        self._written: dict[str, tuple[tuple[object, ...], int, float]] = {}

    def path_for(self, article_uuid: str) -> Path:
        if not article_uuid or any(character in article_uuid for character in "/\\.:"):
            raise ValueError(f"not an article uuid: {article_uuid!r}")
        return self.folder / f"{article_uuid}.json"

    def write(self, draft: DraftData) -> bool:
        """Journal ``draft`` unless the same content (and base version) is journaled already.

        Returns whether a file was written. Raises ``OSError`` when the disk
        refuses (full, read-only): the UI should say so, the editor keeps the text.
        """
        content = content_of(draft)
        with self._lock:
            previous = self._written.get(draft.uuid)
            if previous is not None and previous[0] == content and previous[1] == draft.version:
                return False
            self._write_file(draft)
            self._written[draft.uuid] = (content, draft.version, time.monotonic())
            return True

    def _write_file(self, draft: DraftData) -> None:
        record = {
            "format": JOURNAL_FORMAT,
            "store_key": self.store_key,
            "written_at": datetime.now(UTC).isoformat(),
            "draft": _draft_json(draft),
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomically(self.path_for(draft.uuid), payload)

    def saved(self, saved: DraftData, *, taken_at: float) -> None:
        """The store now holds ``saved``, snapshotted from the editor at monotonic ``taken_at``.

        A journal written before ``taken_at`` holds nothing the store lacks: it
        is removed. One written later holds newer typing: it is kept, based on
        the new version, so a crash now offers it without a false conflict.
        """
        with self._lock:
            previous = self._written.get(saved.uuid)
            if previous is None or previous[2] <= taken_at or previous[0] == content_of(saved):
                self._remove(saved.uuid)
                return
            content, _version, written = previous
            journaled = self.read(saved.uuid)
            if journaled is None:
                return
            rebased = replace(journaled.draft, version=saved.version, updated_at=saved.updated_at)
            self._write_file(rebased)
            self._written[saved.uuid] = (content, saved.version, written)

    def discard(self, article_uuid: str) -> None:
        """Forget the article's journal (closed after saving, or recovery taken or declined)."""
        with self._lock:
            self._remove(article_uuid)

    def _remove(self, article_uuid: str) -> None:
        self._written.pop(article_uuid, None)
        with contextlib.suppress(FileNotFoundError):
            self.path_for(article_uuid).unlink()

    def read(self, article_uuid: str) -> JournalEntry | None:
        return _read_entry(self.path_for(article_uuid))

    def entries(self) -> list[JournalEntry]:
        """Every readable journal of this store; unreadable files are left alone, not guessed at."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            entry = _read_entry(path)
            if entry is not None:
                found.append(entry)
        return found


def _read_entry(path: Path) -> JournalEntry | None:
    try:
        record = json.loads(path.read_bytes())
        if record.get("format") != JOURNAL_FORMAT:
            return None
        written_at = datetime.fromisoformat(record["written_at"])
        return JournalEntry(
            draft=_draft_from_json(record["draft"]), written_at=written_at, path=path
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pending_recoveries(
    store_key: str, *, session: Session, root: Path | None = None
) -> list[Recovery]:
    """Unsaved texts newer than what the store holds, newest first.

    Journals whose content the store already has are removed. Journals older
    than a later save of their article are not offered and are pruned after
    ``STALE_JOURNAL_AGE``. A journal of a deleted article is offered
    (``article_exists`` False) so its text can become a new draft.
    """
    journal = RecoveryJournal(store_key, root=root)
    offered = []
    now = datetime.now(UTC)
    for entry in journal.entries():
        stored = session.execute(
            select(Article.version, Article.updated_at, Article.id).where(
                Article.uuid == entry.draft.uuid
            )
        ).first()
        if stored is None:
            offered.append(Recovery(entry.draft, entry.written_at, None, None))
            continue
        current = load_draft(session, article_id=stored.id)
        if current.same_content(entry.draft):
            with contextlib.suppress(FileNotFoundError):
                entry.path.unlink()
            continue
        newer = stored.version == entry.draft.version or entry.written_at > stored.updated_at
        if not newer:
            if now - entry.written_at > STALE_JOURNAL_AGE:
                with contextlib.suppress(FileNotFoundError):
                    entry.path.unlink()
            continue
        draft = entry.draft
        if draft.id != stored.id:
            # The same article under another id (a store restored from a copy): follow the uuid.
            draft = replace(draft, id=ArticleId(stored.id))
        offered.append(Recovery(draft, entry.written_at, stored.version, stored.updated_at))
    offered.sort(key=lambda recovery: recovery.written_at, reverse=True)
    return offered

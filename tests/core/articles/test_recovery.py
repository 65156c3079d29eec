"""Crash recovery: the journal survives kill -9 whole, loses at most ~2 s, and offers only what is unsaved."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from editor.core.articles.recovery import (
    RecoveryJournal,
    pending_recoveries,
    store_key_for,
    write_atomically,
)
from editor.core.articles.service import archive, create_draft, delete_archived, save_draft
from editor.core.store import Store
from tests.core.articles import journal_writer

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_store_keys_identify_the_database_not_the_login() -> None:
    one = store_key_for("postgresql+psycopg://mara:secret@db.example:5432/newsroom")
    same = store_key_for("postgresql+psycopg://sam:other@db.example:5432/newsroom")
    other = store_key_for("postgresql+psycopg://mara:secret@db.example:5432/archive")
    assert one == same != other
    assert "secret" not in one and len(one) == 20
    assert store_key_for("sqlite:////tmp/a.sqlite3") != store_key_for("sqlite:////tmp/b.sqlite3")


def test_write_skips_unchanged_content_and_is_atomic(store: Store, tmp_path: Path) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Journal", body="one")
    journal = RecoveryJournal("k", root=tmp_path)
    assert journal.write(replace(draft, body="one two"))
    assert not journal.write(replace(draft, body="one two"))
    assert journal.write(replace(draft, body="one two three"))
    entry = journal.read(draft.uuid)
    assert entry is not None and entry.draft.body == "one two three"
    assert sorted(path.name for path in journal.folder.iterdir()) == [f"{draft.uuid}.json"]
    with pytest.raises(ValueError):
        journal.path_for("../escape")


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "journal.json"
    write_atomically(target, b"old")

    def disk_full(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_saved_clears_what_the_store_has_and_keeps_newer_typing(
    store: Store, tmp_path: Path
) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Saved", body="a")
    journal = RecoveryJournal("k", root=tmp_path)

    journal.write(replace(draft, body="a b"))
    taken_at = time.monotonic()
    with store.session_factory.begin() as session:
        saved = save_draft(session, draft=replace(draft, body="a b"), expected_version=1)
    journal.saved(saved.draft, taken_at=taken_at)
    assert journal.read(draft.uuid) is None

    # Typing went on while the next save ran: the journal stays, based on the new version.
    taken_at = time.monotonic()
    snapshot = replace(saved.draft, body="a b c")
    journal.write(replace(saved.draft, body="a b c d"))
    with store.session_factory.begin() as session:
        saved_again = save_draft(session, draft=snapshot, expected_version=saved.draft.version)
    journal.saved(saved_again.draft, taken_at=taken_at)
    kept = journal.read(draft.uuid)
    assert kept is not None
    assert kept.draft.body == "a b c d"
    assert kept.draft.version == saved_again.draft.version


def test_pending_recoveries_offer_only_unsaved_text(store: Store, tmp_path: Path) -> None:
    with store.session_factory.begin() as session:
        unsaved = create_draft(session, title="Unsaved", body="stored")
        already_saved = create_draft(session, title="Saved", body="stored")
        deleted = create_draft(session, title="Deleted", body="stored")
    journal = RecoveryJournal("k", root=tmp_path)
    journal.write(replace(unsaved, body="stored and more"))
    journal.write(replace(already_saved, body="stored"))
    journal.write(replace(deleted, body="deleted but typed"))
    with store.session_factory.begin() as session:
        archive(session, article_id=deleted.id)
        delete_archived(session, article_id=deleted.id)

    with store.session_factory() as session:
        offered = pending_recoveries("k", session=session, root=tmp_path)
    by_title = {recovery.draft.title: recovery for recovery in offered}
    assert set(by_title) == {"Unsaved", "Deleted"}
    assert by_title["Unsaved"].draft.body == "stored and more"
    assert by_title["Unsaved"].article_exists and not by_title["Unsaved"].store_moved_on
    assert not by_title["Deleted"].article_exists
    # The journal of text the store already had is gone; the others stay until discarded.
    assert journal.read(already_saved.uuid) is None
    journal.discard(unsaved.uuid)
    with store.session_factory() as session:
        assert [r.draft.title for r in pending_recoveries("k", session=session, root=tmp_path)] == [
            "Deleted"
        ]


def test_recovery_after_someone_else_saved(store: Store, tmp_path: Path) -> None:
    with store.session_factory.begin() as session:
        draft = create_draft(session, title="Shared", body="base")
    journal = RecoveryJournal("k", root=tmp_path)
    # Another editor saved first; this editor's journal, written later, is still newer.
    with store.session_factory.begin() as session:
        save_draft(session, draft=replace(draft, body="theirs"), expected_version=1)
    journal.write(replace(draft, body="mine, unsaved"))
    with store.session_factory() as session:
        (offered,) = pending_recoveries("k", session=session, root=tmp_path)
    assert offered.store_moved_on
    assert offered.stored_version == 2

    # A journal older than a later save of the article is not offered.
    path = journal.path_for(draft.uuid)
    record = json.loads(path.read_bytes())
    record["written_at"] = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    path.write_text(json.dumps(record))
    with store.session_factory() as session:
        assert pending_recoveries("k", session=session, root=tmp_path) == []
    assert path.exists()  # kept for a while, in case it is asked for


def test_unreadable_journals_are_skipped_not_deleted(store: Store, tmp_path: Path) -> None:
    journal = RecoveryJournal("k", root=tmp_path)
    journal.folder.mkdir(parents=True)
    broken = journal.folder / "00000000-0000-4000-8000-000000000000.json"
    broken.write_text("{not json")
    with store.session_factory() as session:
        assert pending_recoveries("k", session=session, root=tmp_path) == []
    assert broken.exists()


def _start_writer(root: Path, mode: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen(
        [sys.executable, journal_writer.__file__, str(root), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def _journal(root: Path) -> dict[str, object]:
    path = root / journal_writer.STORE_KEY / f"{journal_writer.ARTICLE_UUID}.json"
    record = json.loads(path.read_bytes())
    assert isinstance(record, dict)
    return record


@pytest.mark.parametrize("kill_after_words", [230, 285])
def test_kill_minus_nine_loses_at_most_two_seconds(tmp_path: Path, kill_after_words: int) -> None:
    writer = _start_writer(tmp_path, "typing")
    try:
        assert writer.stdout is not None
        for line in writer.stdout:
            if line.strip() == f"typed {kill_after_words}":
                break
        killed_at = time.time()
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    draft = _journal(tmp_path)["draft"]
    assert isinstance(draft, dict)
    last_word = str(draft["body"]).split()[-1]
    typed_at = float(last_word.split("@")[1])
    assert killed_at - typed_at <= 2.0, f"lost {killed_at - typed_at:.2f} s of typing"


def test_kill_minus_nine_mid_write_leaves_a_whole_journal(tmp_path: Path) -> None:
    writer = _start_writer(tmp_path, "burst")
    try:
        assert writer.stdout is not None
        for line in writer.stdout:
            if line.strip() == "wrote 25":
                break
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=30)
    draft = _journal(tmp_path)["draft"]
    assert isinstance(draft, dict)
    assert str(draft["body"]).startswith("lorem ipsum")
    assert int(str(draft["body"]).rsplit("end", 1)[1]) >= 25

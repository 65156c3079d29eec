"""``newsdesk comments import``: good rows in, bad rows reported by line, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from editor.cli import main
from editor.core.models import Comment, CommentStatus
from editor.core.moderation.importing import ImportFileError, import_comments
from editor.core.store import Store


def run_import(store: Store, path: Path) -> object:
    with store.session_factory.begin() as session:
        return import_comments(path, session=session, spam_filter=None)


def stored_bodies(store: Store) -> list[str]:
    with store.session_factory() as session:
        return list(session.scalars(select(Comment.body).order_by(Comment.id)))


def test_csv_rows_are_imported_and_bad_ones_reported_with_their_line(
    store: Store, articles: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "comments.csv"
    path.write_bytes(
        b"article_id,author_name,author_email,body,created_at,status\n"
        b'1,Ann,ann@example.org,"Two lines,\nwith a comma",2026-01-01T10:00:00Z,\n'
        b"99,Bob,bob@example.org,no such article,,\n"
        b"1,Cy,cy@example.org,,,\n"
        b"1,Dee,dee@example.org,caf\xe9 in Latin-1,,\n"
        b"1,Eve,eve@example.org,\"<script>alert('x')</script>\",yesterday,\n"
        b"1,Fay,fay@example.org,kept as spam,2026-01-01T12:00:00,spam\n"
        b"1,Gus,gus@example.org,bad status,,maybe\n"
    )
    report = run_import(store, path)
    assert [(r.line, r.reason) for r in report.rejected] == [  # type: ignore[attr-defined]
        (4, "no article with id 99"),
        (5, "body is empty"),
        (6, "body is not valid UTF-8"),
        (7, "created_at is not an ISO 8601 time: 'yesterday'"),
        (9, "status must be one of pending, approved, spam, trash"),
    ]
    assert stored_bodies(store) == ["Two lines,\nwith a comma", "kept as spam"]
    with store.session_factory() as session:
        assert (
            session.scalar(select(Comment.status).where(Comment.body == "kept as spam"))
            is CommentStatus.SPAM
        )


def test_json_array_and_json_lines_report_lines(
    store: Store, articles: tuple[int, int], tmp_path: Path
) -> None:
    array = tmp_path / "comments.json"
    array.write_text(
        '[\n  {"article_slug": "flood-barrier", "body": "first \\u202e odd"},\n'
        '  {"article_slug": "nowhere", "body": "x"},\n'
        '  {"article_id": 1, "body": "has \\u0000 nul"},\n'
        '  "not an object"\n]\n',
        encoding="utf-8",
    )
    report = run_import(store, array)
    assert [(r.line, r.reason) for r in report.rejected] == [  # type: ignore[attr-defined]
        (3, "no article with slug 'nowhere'"),
        (4, "contains a NUL character, which a store cannot hold"),
        (5, "not a JSON object"),
    ]
    lines = tmp_path / "comments.jsonl"
    lines.write_text(
        json.dumps({"article_id": 2, "body": "line one \u2028 still one", "external_id": "x1"})
        + "\n{broken\n"
        + json.dumps({"article_id": 2, "body": "again", "external_id": "x1"})
        + "\n",
        encoding="utf-8",
    )
    report = run_import(store, lines)
    assert [r.line for r in report.rejected] == [2]  # type: ignore[attr-defined]
    assert report.imported == 1 and report.skipped == 1  # type: ignore[attr-defined]
    assert stored_bodies(store) == ["first \u202e odd", "line one \u2028 still one"]


def test_a_file_without_a_body_column_is_refused_whole(
    store: Store, articles: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("article_id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no 'body' column"):
        run_import(store, path)


def test_command_exit_codes(
    store: Store, articles: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("article_id,body\n1,Hello there\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("article_id,body\n1,Fine\n7777,Orphan\n", encoding="utf-8")
    assert main(["comments", "import", str(good), "--store", store.url]) == 0
    assert "Imported 1 comments (1 pending)" in capsys.readouterr().out
    assert main(["comments", "import", str(bad), "--store", store.url]) == 1
    captured = capsys.readouterr()
    assert f"{bad}:3: rejected: no article with id 7777" in captured.err
    assert "Imported 1 comments" in captured.out
    assert main(["comments", "import", str(tmp_path / "missing.csv"), "--store", store.url]) == 2
    assert stored_bodies(store) == ["Hello there", "Fine"]

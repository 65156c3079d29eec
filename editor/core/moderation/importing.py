"""``newsdesk comments import FILE``: comments from a CSV or JSON file, through intake.

Every row is checked before anything is written; bad rows are reported with
their line and reason, and the good ones are received in the caller's single
transaction, so a failure part-way leaves the store as it was.

Columns (CSV header) or keys (JSON objects): ``body`` (required), ``article_id``
or ``article_slug`` (one required), ``author_name``, ``author_email``,
``author_url``, ``author_ip``, ``user_agent``, ``parent_id``, ``created_at``
(ISO 8601; no zone means UTC), ``external_id``, ``status`` (keep the source's
decision), ``comment_type``.

JSON may be an array of objects or JSON Lines (one object a line). Text is
stored exactly as in the file; a row whose bytes are not UTF-8 is rejected
rather than guessed at.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from editor.core.models import Article, CommentStatus, CommentType
from editor.core.moderation.intake import (
    IncomingComment,
    ReceivedComment,
    receive_comments,
    validation_problems,
)
from editor.core.moderation.learning import SharedSpamFilter
from editor.core.moderation.search_index import comments_indexed_at_the_end

_BROKEN_BYTES = re.compile("[\udc80-\udcff]")
_TEXT_KEYS = ("body", "author_name", "author_email", "author_url", "author_ip", "user_agent")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV/JSON, no body column); nothing was written."""


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reason: str


@dataclass
class ImportReport:
    received: list[ReceivedComment] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(1 for item in self.received if item.comment_id is not None)

    @property
    def skipped(self) -> int:
        return sum(1 for item in self.received if item.comment_id is None)

    def by_status(self) -> dict[CommentStatus, int]:
        counts = {status: 0 for status in CommentStatus}
        for item in self.received:
            if item.status is not None and item.comment_id is not None:
                counts[item.status] += 1
        return counts


@dataclass(frozen=True, slots=True)
class _RawRow:
    line: int
    values: dict[str, Any] | None
    problem: str | None = None


def _decode(data: bytes) -> str:
    # surrogateescape keeps undecodable bytes visible as U+DC80..U+DCFF so the rows
    # holding them can be rejected by line, while the rest of the file imports.
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def _csv_rows(text: str) -> Iterator[_RawRow]:
    csv.field_size_limit(sys.maxsize)
    # StringIO splits on line ends only (str.splitlines would also split on the
    # control and separator characters a body may legitimately hold).
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    if "body" not in fields:
        raise ImportFileError(
            f"the header has no 'body' column (found: {', '.join(fields) or 'nothing'})"
        )
    previous_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield _RawRow(previous_end + 1, None, f"unreadable CSV: {error}")
            return
        start = previous_end + 1
        previous_end = reader.line_num
        if None in row:
            yield _RawRow(start, None, "more fields than the header has")
            continue
        yield _RawRow(start, dict(row))


def _json_rows(text: str) -> Iterator[_RawRow]:
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    if stripped.startswith("["):
        position = text.index("[") + 1
        while True:
            while position < len(text) and text[position] in " \t\r\n,":
                position += 1
            if position >= len(text):
                raise ImportFileError("the JSON array is not closed")
            if text[position] == "]":
                return
            line = text.count("\n", 0, position) + 1
            try:
                value, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError as error:
                yield _RawRow(line, None, f"not valid JSON: {error.msg}")
                return  # the rest cannot be found reliably
            yield _object_row(line, value)
        return
    for number, raw_line in enumerate(text.split("\n"), start=1):
        if not raw_line.strip():
            continue
        try:
            value = json.loads(raw_line)
        except json.JSONDecodeError as error:
            yield _RawRow(number, None, f"not valid JSON: {error.msg}")
            continue
        yield _object_row(number, value)


def _object_row(line: int, value: object) -> _RawRow:
    if not isinstance(value, dict):
        return _RawRow(line, None, "not a JSON object")
    return _RawRow(line, value)


def read_rows(path: Path) -> Iterator[_RawRow]:
    data = path.read_bytes()
    text = _decode(data)
    first = text.lstrip()[:1]
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson") or first in ("[", "{"):
        return _json_rows(text)
    return _csv_rows(text)


def _text(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(f"{key} must be text")
    return str(value)


def _optional_int(values: dict[str, Any], key: str) -> int | None:
    value = values.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{key} must be a whole number")
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{key} must be a whole number, not {str(value)[:40]!r}") from None


def _time(values: dict[str, Any]) -> datetime | None:
    value = _text(values, "created_at").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"created_at is not an ISO 8601 time: {value[:40]!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _incoming(values: dict[str, Any], article_ids_by_slug: dict[str, int]) -> IncomingComment:
    for key in _TEXT_KEYS:
        if _BROKEN_BYTES.search(_text(values, key)):
            raise ValueError(f"{key} is not valid UTF-8")
    body = _text(values, "body")
    if not body.strip():
        raise ValueError("body is empty")
    article_id = _optional_int(values, "article_id")
    if article_id is None:
        slug = _text(values, "article_slug").strip()
        if not slug:
            raise ValueError("no article_id or article_slug")
        if slug not in article_ids_by_slug:
            raise ValueError(f"no article with slug {slug!r}")
        article_id = article_ids_by_slug[slug]
    status_text = _text(values, "status").strip().lower()
    try:
        status = CommentStatus(status_text) if status_text else None
    except ValueError:
        raise ValueError(
            f"status must be one of {', '.join(s.value for s in CommentStatus)}"
        ) from None
    type_text = _text(values, "comment_type").strip().lower()
    try:
        comment_type = CommentType(type_text) if type_text else CommentType.COMMENT
    except ValueError:
        raise ValueError(
            f"comment_type must be one of {', '.join(t.value for t in CommentType)}"
        ) from None
    external_id = _text(values, "external_id").strip() or None
    return IncomingComment(
        article_id=article_id,
        body=body,
        author_name=_text(values, "author_name"),
        author_email=_text(values, "author_email").strip(),
        author_url=_text(values, "author_url").strip(),
        author_ip=_text(values, "author_ip").strip(),
        user_agent=_text(values, "user_agent"),
        parent_id=_optional_int(values, "parent_id"),
        comment_type=comment_type,
        created_at=_time(values),
        external_id=external_id,
        status=status,
    )


def import_comments(
    path: Path, *, session: Session, spam_filter: SharedSpamFilter | None
) -> ImportReport:
    """Read, check and receive every good row of ``path`` in the caller's transaction."""
    try:
        raw_rows = list(read_rows(path))
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from None
    slugs = {
        _text(row.values, "article_slug").strip()
        for row in raw_rows
        if row.values is not None and isinstance(row.values.get("article_slug"), str)
    } - {""}
    article_ids_by_slug: dict[str, int] = {}
    if slugs:
        article_ids_by_slug = dict(
            session.execute(
                select(Article.slug, Article.id).where(Article.slug.in_(sorted(slugs)))
            ).all()
        )
    report = ImportReport()
    good: list[tuple[int, IncomingComment]] = []
    for row in raw_rows:
        if row.values is None:
            report.rejected.append(RejectedRow(row.line, row.problem or "unreadable"))
            continue
        try:
            good.append((row.line, _incoming(row.values, article_ids_by_slug)))
        except ValueError as error:
            report.rejected.append(RejectedRow(row.line, str(error)))
    problems = validation_problems([comment for _, comment in good], session=session)
    accepted = []
    for index, (line, comment) in enumerate(good):
        if index in problems:
            report.rejected.append(RejectedRow(line, problems[index]))
        else:
            accepted.append(comment)
    report.rejected.sort(key=lambda rejected: rejected.line)
    with comments_indexed_at_the_end(session):
        report.received = receive_comments(accepted, session=session, spam_filter=spam_filter)
    return report

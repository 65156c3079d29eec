"""Intake: the one way a comment enters a store, judged and routed with reasons.

Importers, ``newsdesk comments import`` and a live site all call
``receive_comments``. Each comment is scored by the learned filter and checked
against the rules (``rules.py``); the outcome and every reason that fired are
stored on the comment (``status``, ``spam_score``, ``reasons``) so a moderator
can see why it landed where it did. Bodies are stored exactly as received:
nothing here cleans, trims or renders them.

A batch is judged as if its comments arrived one by one in time order: a
flood or a duplicate inside the batch counts like one against the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from editor.core.models import Article, Comment, CommentId, CommentStatus, CommentType, utc_now
from editor.core.moderation.features import comment_features, count_links
from editor.core.moderation.learning import SharedSpamFilter
from editor.core.moderation.rules import ModerationRules, load_rules

_CHUNK = 500
_TEXT_FIELDS = ("body", "author_name", "author_email", "author_url", "author_ip", "user_agent")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_FIELD_LIMITS = {
    "author_name": 200,
    "author_email": 320,
    "author_url": 2000,
    "author_ip": 64,
    "user_agent": 500,
    "external_id": 500,
}


class InvalidComment(ValueError):
    """A comment the store cannot hold (unknown article, field too long); nothing was written."""

    def __init__(self, problems: dict[int, str]) -> None:
        self.problems = problems
        first = next(iter(problems.items()))
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"comment {first[0] + 1}: {first[1]}{more}")


@dataclass(frozen=True, slots=True)
class IncomingComment:
    article_id: int
    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    user_agent: str = ""
    parent_id: int | None = None
    comment_type: CommentType = CommentType.COMMENT
    created_at: datetime | None = None
    # Where it came from (an export's comment id): a second import of it is skipped.
    external_id: str | None = None
    # A source's own decision (an export from a moderated site) is kept as given;
    # the score and reasons are still recorded.
    status: CommentStatus | None = None


@dataclass(frozen=True, slots=True)
class IntakeDecision:
    status: CommentStatus
    spam_score: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceivedComment:
    """What happened to one incoming comment; ``comment_id`` is None when it was skipped."""

    comment_id: CommentId | None
    status: CommentStatus | None
    spam_score: float | None
    reasons: tuple[str, ...]
    skipped: str | None = None


def _folded(text: str) -> str:
    # Matching only: look-alike and invisible characters must not hide a word.
    normalised = unicodedata.normalize("NFKC", text).casefold()
    if normalised.isprintable():
        return normalised
    return "".join(char for char in normalised if unicodedata.category(char) not in ("Cf", "Cc"))


def _author_key(name: str, email: str) -> str:
    email = email.strip().casefold()
    return f"email:{email}" if email else f"name:{name.strip().casefold()}"


def _approval_key(name: str, email: str) -> tuple[str, str]:
    return name.strip().casefold(), email.strip().casefold()


@dataclass
class _History:
    """What the store (and the batch so far) says about the authors in a batch."""

    approved_authors: set[tuple[str, str]] = field(default_factory=set)
    times_by_author: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    times_by_ip: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    # body -> [(created_at, author key, ip, comment id or None)]
    bodies: dict[str, list[tuple[datetime, str, str, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    unique = sorted(set(values))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


def _load_history(
    session: Session,
    comments: Sequence[tuple[IncomingComment, datetime]],
    rules: ModerationRules,
) -> _History:
    history = _History()
    emails = [c.author_email.strip() for c, _ in comments if c.author_email.strip()]
    for chunk in _chunks(emails):
        # The status is checked here, not in SQL: given both conditions, an analysed SQLite
        # store walks every approved comment (most of the table) on the status index.
        rows = session.execute(
            select(Comment.author_name, Comment.author_email, Comment.status)
            .where(Comment.author_email.in_(chunk))
            .distinct()
        )
        history.approved_authors.update(
            _approval_key(name, email)
            for name, email, status in rows
            if status is CommentStatus.APPROVED
        )
    earliest = min(moment for _, moment in comments)
    latest = max(moment for _, moment in comments)
    every_status = list(CommentStatus)
    if rules.flood_seconds:
        since = earliest - timedelta(seconds=rules.flood_seconds)
        ips = [c.author_ip.strip() for c, _ in comments if c.author_ip.strip()]
        for email_chunk, ip_chunk in _paired_chunks(emails, ips):
            flood_rows = session.execute(
                select(
                    Comment.author_name, Comment.author_email, Comment.author_ip, Comment.created_at
                ).where(
                    or_(Comment.author_email.in_(email_chunk), Comment.author_ip.in_(ip_chunk)),
                    Comment.created_at >= since,
                    Comment.created_at <= latest,
                )
            )
            for name, email, ip, moment in flood_rows:
                history.times_by_author[_author_key(name, email)].append(moment)
                if ip:
                    history.times_by_ip[ip].append(moment)
    if rules.duplicate_hours:
        since = earliest - timedelta(hours=rules.duplicate_hours)
        bodies = [c.body for c, _ in comments if c.body.strip()]
        for chunk in _chunks(bodies):
            duplicate_rows = session.execute(
                select(
                    Comment.id,
                    Comment.body,
                    Comment.author_name,
                    Comment.author_email,
                    Comment.author_ip,
                    Comment.created_at,
                ).where(
                    # Every status listed so the (status, created_at) index serves the range.
                    Comment.status.in_(every_status),
                    Comment.created_at >= since,
                    Comment.created_at <= latest,
                    Comment.body.in_(chunk),
                )
            )
            for comment_id, body, name, email, ip, moment in duplicate_rows:
                history.bodies[body].append((moment, _author_key(name, email), ip, comment_id))
    return history


def _paired_chunks(first: list[str], second: list[str]) -> Iterable[tuple[list[str], list[str]]]:
    first_chunks = list(_chunks(first)) or [[]]
    second_chunks = list(_chunks(second)) or [[]]
    for index in range(max(len(first_chunks), len(second_chunks))):
        yield (
            first_chunks[index] if index < len(first_chunks) else [],
            second_chunks[index] if index < len(second_chunks) else [],
        )


def _matches(words: Sequence[str], fields: dict[str, str]) -> tuple[str, str] | None:
    for word in words:
        needle = _folded(word).strip()
        if not needle:
            continue
        for field_name, value in fields.items():
            if needle in value:
                return word, field_name
    return None


def _within(moments: list[datetime], moment: datetime, window: timedelta) -> bool:
    return any(moment - window <= earlier <= moment for earlier in moments)


def _describe_age(seconds: float) -> str:
    if seconds < 90:
        return f"{max(0, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600)} h"


def judge(
    comment: IncomingComment,
    moment: datetime,
    *,
    history: _History,
    rules: ModerationRules,
    spam_probability: float | None,
) -> IntakeDecision:
    """Route one comment. Spam rules beat hold rules, which beat auto-approval."""
    spam_reasons: list[str] = []
    hold_reasons: list[str] = []
    fields = {
        "name": _folded(comment.author_name),
        "email": _folded(comment.author_email),
        "url": _folded(comment.author_url),
        "ip": _folded(comment.author_ip),
        "body": _folded(comment.body),
    }
    disallowed = _matches(rules.disallowed_words, fields)
    if disallowed:
        spam_reasons.append(f"disallowed word “{disallowed[0]}” in {disallowed[1]}")
    moderated = _matches(rules.moderation_words, fields)
    if moderated:
        hold_reasons.append(f"moderation word “{moderated[0]}” in {moderated[1]}")

    links = count_links(comment.body)
    if rules.hold_at_links and links >= rules.hold_at_links:
        hold_reasons.append(
            f"{links} link{'' if links == 1 else 's'} (hold at {rules.hold_at_links})"
        )

    author = _author_key(comment.author_name, comment.author_email)
    ip = comment.author_ip.strip()
    if rules.flood_seconds:
        window = timedelta(seconds=rules.flood_seconds)
        if author not in ("name:", "email:") and _within(
            history.times_by_author.get(author, []), moment, window
        ):
            hold_reasons.append(f"flood: same author within {rules.flood_seconds} s")
        elif ip and _within(history.times_by_ip.get(ip, []), moment, window):
            hold_reasons.append(f"flood: same ip within {rules.flood_seconds} s")

    if rules.duplicate_hours and comment.body.strip():
        window = timedelta(hours=rules.duplicate_hours)
        short = len(comment.body.strip()) < rules.duplicate_min_chars
        for earlier, earlier_author, earlier_ip, earlier_id in history.bodies.get(comment.body, []):
            if not moment - window <= earlier <= moment:
                continue
            if short and earlier_author != author and not (ip and earlier_ip == ip):
                continue
            which = f"comment #{earlier_id}" if earlier_id is not None else "a comment"
            age = _describe_age((moment - earlier).total_seconds())
            spam_reasons.append(f"exact duplicate of {which} from {age} before")
            break

    if spam_probability is None:
        filter_reason = "filter: not trained yet"
    elif spam_probability >= rules.spam_score:
        filter_reason = f"filter: spam score {spam_probability:.2f}"
        spam_reasons.append(filter_reason)
    elif spam_probability >= rules.hold_score:
        filter_reason = f"filter: doubtful, score {spam_probability:.2f}"
        hold_reasons.append(filter_reason)
    else:
        filter_reason = f"filter: likely legitimate, score {spam_probability:.2f}"

    reasons = [*spam_reasons, *hold_reasons]
    if spam_reasons:
        status = CommentStatus.SPAM
    elif hold_reasons:
        status = CommentStatus.PENDING
    elif _approval_key(comment.author_name, comment.author_email) in history.approved_authors:
        status = CommentStatus.APPROVED
        reasons.append("author has an approved comment")
    elif rules.require_previous_approval:
        status = CommentStatus.PENDING
        reasons.append("first comment from this author")
    else:
        status = CommentStatus.APPROVED
        reasons.append("no rule held it")
    if filter_reason not in reasons:
        reasons.append(filter_reason)
    if comment.status is not None and comment.status is not status:
        reasons.append(f"kept as {comment.status.value} by its source")
        status = comment.status
    return IntakeDecision(status, spam_probability, tuple(reasons))


def _remember(history: _History, comment: IncomingComment, moment: datetime) -> None:
    history.times_by_author[_author_key(comment.author_name, comment.author_email)].append(moment)
    if comment.author_ip.strip():
        history.times_by_ip[comment.author_ip.strip()].append(moment)
    history.bodies[comment.body].append(
        (moment, _author_key(comment.author_name, comment.author_email), comment.author_ip, None)
    )


def validation_problems(comments: Sequence[IncomingComment], *, session: Session) -> dict[int, str]:
    """Why each comment (by position) cannot be stored; empty when all can."""
    problems: dict[int, str] = {}
    article_ids = {c.article_id for c in comments}
    known_articles: set[int] = set()
    ordered = sorted(article_ids)
    for start in range(0, len(ordered), _CHUNK):
        known_articles.update(
            session.scalars(
                select(Article.id).where(Article.id.in_(ordered[start : start + _CHUNK]))
            )
        )
    parent_ids = sorted({c.parent_id for c in comments if c.parent_id is not None})
    known_parents: set[int] = set()
    for start in range(0, len(parent_ids), _CHUNK):
        known_parents.update(
            session.scalars(
                select(Comment.id).where(Comment.id.in_(parent_ids[start : start + _CHUNK]))
            )
        )
    for index, comment in enumerate(comments):
        if comment.article_id not in known_articles:
            problems[index] = f"no article with id {comment.article_id}"
        elif comment.parent_id is not None and comment.parent_id not in known_parents:
            problems[index] = f"no parent comment with id {comment.parent_id}"
        elif comment.created_at is not None and comment.created_at.tzinfo is None:
            problems[index] = "time has no time zone"
        elif any("\x00" in (getattr(comment, name) or "") for name in _TEXT_FIELDS):
            # PostgreSQL text cannot hold NUL; refused on SQLite too so stores agree.
            problems[index] = "contains a NUL character, which a store cannot hold"
        elif any(_LONE_SURROGATE.search(getattr(comment, name) or "") for name in _TEXT_FIELDS):
            problems[index] = "text is not valid Unicode (invalid UTF-8 or a lone surrogate)"
        else:
            for name, limit in _FIELD_LIMITS.items():
                value = getattr(comment, name) or ""
                if len(value) > limit:
                    problems[index] = f"{name.replace('_', ' ')} longer than {limit} characters"
                    break
    return problems


def judge_comments(
    comments: Sequence[IncomingComment],
    *,
    session: Session,
    spam_filter: SharedSpamFilter | None,
    rules: ModerationRules | None = None,
) -> list[IntakeDecision]:
    """Decisions for a batch, in its order, without storing anything."""
    if not comments:
        return []
    rules = rules if rules is not None else load_rules(session=session)
    now = utc_now()
    timed = [(comment, comment.created_at or now) for comment in comments]
    history = _load_history(session, timed, rules)
    model = spam_filter.model(session=session) if spam_filter is not None else None
    decisions: dict[int, IntakeDecision] = {}
    for index in sorted(range(len(timed)), key=lambda position: timed[position][1]):
        comment, moment = timed[index]
        probability = None
        if model is not None:
            probability = model.spam_probability(
                comment_features(
                    comment.body,
                    author_name=comment.author_name,
                    author_email=comment.author_email,
                    author_url=comment.author_url,
                    author_ip=comment.author_ip,
                )
            )
        decision = judge(
            comment, moment, history=history, rules=rules, spam_probability=probability
        )
        decisions[index] = decision
        _remember(history, comment, moment)
        if decision.status is CommentStatus.APPROVED:
            history.approved_authors.add(_approval_key(comment.author_name, comment.author_email))
    return [decisions[index] for index in range(len(timed))]


def receive_comments(
    comments: Sequence[IncomingComment],
    *,
    session: Session,
    spam_filter: SharedSpamFilter | None,
    rules: ModerationRules | None = None,
) -> list[ReceivedComment]:
    """Judge and store a batch in the caller's transaction; results in the batch's order.

    Raises ``InvalidComment`` (before writing anything) if any comment cannot be
    stored. Comments whose ``external_id`` is already in the store are skipped.
    """
    if not comments:
        return []
    problems = validation_problems(comments, session=session)
    if problems:
        raise InvalidComment(problems)
    already: set[str] = set()
    external_ids = [c.external_id for c in comments if c.external_id]
    for chunk in _chunks(external_ids):
        already.update(
            value
            for value in session.scalars(
                select(Comment.external_id).where(Comment.external_id.in_(chunk))
            )
            if value is not None
        )
    fresh_positions: list[int] = []
    seen_external: set[str] = set()
    results: dict[int, ReceivedComment] = {}
    for index, comment in enumerate(comments):
        if comment.external_id and (
            comment.external_id in already or comment.external_id in seen_external
        ):
            results[index] = ReceivedComment(None, None, None, (), skipped="already imported")
            continue
        if comment.external_id:
            seen_external.add(comment.external_id)
        fresh_positions.append(index)
    fresh = [comments[index] for index in fresh_positions]
    decisions = judge_comments(fresh, session=session, spam_filter=spam_filter, rules=rules)
    now = utc_now()
    rows = [
        {
            "article_id": comment.article_id,
            "parent_id": comment.parent_id,
            "comment_type": comment.comment_type,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
            "author_ip": comment.author_ip,
            "user_agent": comment.user_agent,
            "body": comment.body,
            "status": decision.status,
            "spam_score": decision.spam_score,
            "reasons": list(decision.reasons),
            "created_at": comment.created_at or now,
            "external_id": comment.external_id,
        }
        for comment, decision in zip(fresh, decisions, strict=True)
    ]
    if rows:
        new_ids = session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows
        ).all()
        for position, new_id, decision in zip(fresh_positions, new_ids, decisions, strict=True):
            results[position] = ReceivedComment(
                CommentId(new_id), decision.status, decision.spam_score, decision.reasons
            )
        from editor.core.moderation.service import refresh_comment_counts

        refresh_comment_counts(
            session,
            [
                new_id
                for new_id, decision in zip(new_ids, decisions, strict=True)
                if decision.status is CommentStatus.APPROVED
            ],
        )
    return [results[index] for index in range(len(comments))]


def receive_comment(
    comment: IncomingComment,
    *,
    session: Session,
    spam_filter: SharedSpamFilter | None,
    rules: ModerationRules | None = None,
) -> ReceivedComment:
    return receive_comments([comment], session=session, spam_filter=spam_filter, rules=rules)[0]

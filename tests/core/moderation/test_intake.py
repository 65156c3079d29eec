"""Intake routes each comment by the rules and the filter, with the reasons stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from editor.core.models import Comment, CommentStatus
from editor.core.moderation.intake import (
    InvalidComment,
    ReceivedComment,
    receive_comment,
    receive_comments,
)
from editor.core.moderation.learning import SharedSpamFilter, lesson_for_comment
from editor.core.moderation.rules import (
    InvalidRules,
    ModerationRules,
    load_rules,
    save_rules,
)
from editor.core.store import Store
from tests.core.moderation.conftest import incoming

PERMISSIVE = ModerationRules(require_previous_approval=False)


def receive(store: Store, *comments, rules=PERMISSIVE, spam_filter=None) -> list[ReceivedComment]:  # type: ignore[no-untyped-def]
    with store.session_factory.begin() as session:
        return receive_comments(
            list(comments), session=session, spam_filter=spam_filter, rules=rules
        )


def test_reasons_and_decision_are_stored_on_the_comment(
    store: Store, articles: tuple[int, int]
) -> None:
    [result] = receive(store, incoming(articles[0], "See http://a.example and www.b.example"))
    assert result.status is CommentStatus.PENDING
    assert "2 links (hold at 2)" in result.reasons
    with store.session_factory() as session:
        stored = session.get(Comment, result.comment_id)
        assert stored is not None
        assert stored.status is CommentStatus.PENDING
        assert stored.reasons == list(result.reasons)
        assert stored.moderated_by is None


def test_one_link_passes_and_the_link_rule_can_be_changed(
    store: Store, articles: tuple[int, int]
) -> None:
    [one] = receive(store, incoming(articles[0], "Photos: http://a.example"))
    [strict] = receive(
        store,
        incoming(articles[0], "More: http://b.example", minutes=5, author_email="x@example.org"),
        rules=ModerationRules(require_previous_approval=False, hold_at_links=1),
    )
    assert one.status is CommentStatus.APPROVED
    assert strict.status is CommentStatus.PENDING
    assert "1 link (hold at 1)" in strict.reasons


def test_disallowed_words_send_to_spam_from_every_field(
    store: Store, articles: tuple[int, int]
) -> None:
    rules = ModerationRules(disallowed_words=("casino", "203.0.113."), moderation_words=("x",))
    cases = [
        ("author_name", "Casino Bonus King"),
        ("author_email", "win@casino.example"),
        ("author_url", "http://best-casino.example"),
        ("author_ip", "203.0.113.7"),
        ("body", "Visit our CASINO tonight"),
    ]
    results = receive(
        store,
        *(
            incoming(articles[0], **({"body": f"A fine comment {n}"} | {field: value}))  # type: ignore[arg-type]
            for n, (field, value) in enumerate(cases)
        ),
        rules=rules,
    )
    for (field, _), result in zip(cases, results, strict=True):
        assert result.status is CommentStatus.SPAM, field
        reason = next(r for r in result.reasons if r.startswith("disallowed word"))
        assert reason.endswith(" in " + field.removeprefix("author_")), reason


def test_moderation_words_hold_even_when_hidden_by_zero_width_characters(
    store: Store, articles: tuple[int, int]
) -> None:
    rules = ModerationRules(require_previous_approval=False, moderation_words=("refund",))
    [result] = receive(store, incoming(articles[0], "I want a re\u200bfund"), rules=rules)
    assert result.status is CommentStatus.PENDING
    assert "moderation word “refund” in body" in result.reasons


def test_an_author_with_an_approved_comment_is_approved_unless_a_rule_fires(
    store: Store, articles: tuple[int, int]
) -> None:
    rules = ModerationRules()
    first = receive(store, incoming(articles[0], "First time here"), rules=rules)[0]
    assert first.status is CommentStatus.PENDING
    assert "first comment from this author" in first.reasons
    with store.session_factory.begin() as session:
        session.get(Comment, first.comment_id).status = CommentStatus.APPROVED  # type: ignore[union-attr]
    again, linked = receive(
        store,
        incoming(articles[0], "Back again", minutes=10),
        incoming(articles[0], "Two links http://a.example http://b.example", minutes=20),
        rules=rules,
    )
    assert again.status is CommentStatus.APPROVED
    assert "author has an approved comment" in again.reasons
    assert linked.status is CommentStatus.PENDING
    # Same email under another name is not the same author (WordPress checks both).
    [other_name] = receive(
        store, incoming(articles[0], "Hi", minutes=30, author_name="Someone Else"), rules=rules
    )
    assert other_name.status is CommentStatus.PENDING


def test_flood_from_the_same_author_or_ip_is_held(store: Store, articles: tuple[int, int]) -> None:
    results = receive(
        store,
        incoming(articles[0], "one", author_ip="198.51.100.1"),
        incoming(articles[0], "two", minutes=0.1, author_ip="198.51.100.2"),
        incoming(
            articles[1],
            "three",
            minutes=0.2,
            author_email="other@example.org",
            author_name="Other",
            author_ip="198.51.100.2",
        ),
        incoming(articles[0], "four", minutes=5, author_ip="198.51.100.1"),
    )
    assert [r.status for r in results] == [
        CommentStatus.APPROVED,
        CommentStatus.PENDING,
        CommentStatus.PENDING,
        CommentStatus.APPROVED,
    ]
    assert "flood: same author within 15 s" in results[1].reasons
    assert "flood: same ip within 15 s" in results[2].reasons
    # Against the store too, not only within one batch.
    [later] = receive(store, incoming(articles[0], "five", minutes=5.1, author_ip="192.0.2.9"))
    assert later.status is CommentStatus.PENDING


def test_exact_duplicate_of_a_recent_comment_is_spam(
    store: Store, articles: tuple[int, int]
) -> None:
    body = "Great article, everyone should read it twice!"
    [original] = receive(store, incoming(articles[0], body))
    copy, old_copy, short_other = receive(
        store,
        incoming(articles[1], body, minutes=30, author_email="b@example.org", author_name="B"),
        incoming(articles[1], body, minutes=60 * 30, author_email="c@example.org", author_name="C"),
        incoming(articles[1], "Thanks!", minutes=90, author_email="d@example.org", author_name="D"),
    )
    assert original.status is CommentStatus.APPROVED
    assert copy.status is CommentStatus.SPAM
    assert f"exact duplicate of comment #{original.comment_id} from 30 min before" in copy.reasons
    assert old_copy.status is not CommentStatus.SPAM  # outside the 24 h window
    [short_again] = receive(
        store,
        incoming(articles[0], "Thanks!", minutes=95, author_email="e@example.org", author_name="E"),
    )
    assert short_other.status is CommentStatus.APPROVED
    assert short_again.status is CommentStatus.APPROVED  # short and from someone else


def test_filter_score_sends_to_spam_or_holds(
    store: Store, articles: tuple[int, int], spam_filter: SharedSpamFilter
) -> None:
    lessons = [
        lesson_for_comment(
            body=f"cheap replica watches discount offer {n}",
            author_name="Deals",
            author_email="d@deals.example",
            author_url="",
            author_ip="",
            is_spam=True,
        )
        for n in range(5)
    ] + [
        lesson_for_comment(
            body=f"the council meeting on the barrier was informative {n}",
            author_name="Ann",
            author_email="ann@example.org",
            author_url="",
            author_ip="",
            is_spam=False,
        )
        for n in range(5)
    ]
    with store.session_factory.begin() as session:
        spam_filter.learn(lessons, session=session)
    spam, ham = receive(
        store,
        incoming(articles[0], "replica watches cheap discount", author_email="z@deals.example"),
        incoming(articles[0], "informative meeting about the barrier", minutes=3),
        spam_filter=spam_filter,
    )
    assert spam.status is CommentStatus.SPAM
    assert spam.spam_score is not None and spam.spam_score >= 0.95
    assert any(reason.startswith("filter: spam score") for reason in spam.reasons)
    assert ham.status is CommentStatus.APPROVED
    assert ham.spam_score is not None and ham.spam_score < 0.5
    [doubtful] = receive(
        store,
        incoming(articles[0], "what did the meeting decide", minutes=9),
        spam_filter=spam_filter,
        rules=ModerationRules(require_previous_approval=False, hold_score=0.0),
    )
    assert doubtful.status is CommentStatus.PENDING
    assert any(reason.startswith("filter: doubtful") for reason in doubtful.reasons)


def test_source_status_is_kept_and_external_ids_are_imported_once(
    store: Store, articles: tuple[int, int]
) -> None:
    first = incoming(
        articles[0], "From the old site", external_id="wp:1", status=CommentStatus.SPAM
    )
    results = receive(store, first, first)
    assert results[0].status is CommentStatus.SPAM
    assert "kept as spam by its source" in results[0].reasons
    assert results[1].skipped == "already imported"
    [again] = receive(store, first)
    assert again.comment_id is None and again.skipped == "already imported"


def test_invalid_comments_raise_before_anything_is_written(
    store: Store, articles: tuple[int, int]
) -> None:
    with pytest.raises(InvalidComment) as raised, store.session_factory.begin() as session:
        receive_comments(
            [
                incoming(articles[0], "fine"),
                incoming(99_999, "no such article"),
                incoming(articles[0], "nul \x00 inside"),
                incoming(articles[0], "x", parent_id=424242),
            ],
            session=session,
            spam_filter=None,
        )
    assert set(raised.value.problems) == {1, 2, 3}
    with store.session_factory() as session:
        assert session.scalars(select(Comment)).all() == []


def test_rules_are_stored_as_changed_values_only_and_read_back(store: Store) -> None:
    rules = ModerationRules(moderation_words=("refund", "lawyer"), hold_at_links=3)
    with store.session_factory.begin() as session:
        assert load_rules(session=session) == ModerationRules()
        save_rules(rules, session=session)
    with store.session_factory.begin() as session:
        assert load_rules(session=session) == rules
        assert rules.to_json() == {"hold_at_links": 3, "moderation_words": ["refund", "lawyer"]}
    assert ModerationRules.from_json(
        {"moderation_words": "a\n\nb\n", "future": 1}
    ).moderation_words == ("a", "b")
    with pytest.raises(InvalidRules):
        ModerationRules(hold_score=0.9, spam_score=0.5)


def test_a_single_live_comment_uses_the_store_rules(
    store: Store, articles: tuple[int, int]
) -> None:
    with store.session_factory.begin() as session:
        save_rules(ModerationRules(disallowed_words=("forbidden",)), session=session)
    with store.session_factory.begin() as session:
        result = receive_comment(
            incoming(articles[0], "this is Forbidden"), session=session, spam_filter=None
        )
    assert result.status is CommentStatus.SPAM

"""The learned filter as a pure model: learning, exact un-learning, snapshots, spam-eval."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.moderation.evaluation import (
    LabelledFileError,
    evaluate_file,
    evaluate_prequentially,
)
from editor.core.moderation.features import comment_features, text_features
from editor.core.moderation.spam_filter import Lesson, SpamFilterModel

SMS = Path("spam") / "SMSSpamCollection.tsv"


def test_filter_is_useful_from_its_first_two_decisions() -> None:
    model = SpamFilterModel()
    assert model.spam_probability(text_features("anything")) is None
    model.learn(Lesson(text_features("Cheap pills, buy now at http://pills.example"), True))
    model.learn(Lesson(text_features("Thanks for the clear report on the barrier"), False))
    spam = model.spam_probability(text_features("buy cheap pills http://pills.example/now"))
    ham = model.spam_probability(text_features("a clear report, thanks"))
    assert spam is not None and spam > 0.9
    assert ham is not None and ham < 0.1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=80), st.booleans()), min_size=1, max_size=12),
    st.data(),
)
def test_unlearning_takes_back_exactly_what_learning_added(
    examples: list[tuple[str, bool]], data: st.DataObject
) -> None:
    model = SpamFilterModel()
    lessons = [Lesson(text_features(text), is_spam) for text, is_spam in examples]
    model.learn_all(lessons)
    order = data.draw(st.permutations(lessons))
    model.learn_all(Lesson(lesson.tokens, lesson.is_spam, -1) for lesson in order)
    assert model.counts == {}
    assert model.documents == [0, 0]
    assert model.token_totals == [0, 0]


def test_snapshot_round_trips_counts_including_unusual_tokens() -> None:
    model = SpamFilterModel()
    model.learn(
        Lesson(text_features("Ünïcödé 😀 مرحبا \u202egnp.exe www.example.com 0800123456"), True)
    )
    model.learn(Lesson(comment_features("ok", author_name="Zoë", author_ip="10.0.0.1"), False))
    copy = SpamFilterModel.from_bytes(model.to_bytes())
    assert copy.counts == model.counts
    assert copy.documents == model.documents
    assert copy.token_totals == model.token_totals
    assert SpamFilterModel.from_bytes(SpamFilterModel().to_bytes()).counts == {}
    with pytest.raises(ValueError):
        SpamFilterModel.from_bytes(b"something else")


def test_invisible_characters_do_not_hide_a_word_from_the_filter() -> None:
    plain = text_features("viagra")
    hidden = text_features("vi\u200bag\u200dra")
    assert "viagra" in plain
    assert "viagra" in hidden and "#invisible" in hidden


def test_a_huge_body_is_judged_quickly_on_its_start() -> None:
    tokens = text_features("word " * 250_000)
    assert "word" in tokens and "word word" in tokens


def test_metrics_are_computed_from_the_confusion_counts() -> None:
    result = evaluate_prequentially([("a", False)] * 3)
    assert result.total == 3 and result.ham_passed == 3
    assert result.accuracy == 1.0 and result.f1 == 0.0


def test_sms_collection_meets_the_targets_from_a_cold_start(shared_data: Path) -> None:
    result = evaluate_file(
        shared_data / SMS, text_column="message", label_column="output", spam_value="spam"
    )
    assert result.total == 5574
    assert result.spam_caught + result.spam_missed == 747
    assert result.accuracy >= 0.96
    assert result.ham_wrongly_spam_rate <= 0.01
    assert result.spam_recall >= 0.9


def test_spam_eval_reads_csv_with_quotes_and_reports_a_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    rows = [
        "text,label",
        '"Hello, lovely piece",ham',
        '"BUY ""cheap"" pills http://x.example",spam',
    ]
    path.write_text("\n".join(rows * 1) + "\n", encoding="utf-8")
    result = evaluate_file(path, text_column="text", label_column="label", spam_value="SPAM")
    assert result.total == 2
    assert result.spam_caught + result.spam_missed == 1
    with pytest.raises(LabelledFileError, match="no column 'body'"):
        evaluate_file(path, text_column="body", label_column="label", spam_value="spam")


def test_spam_eval_command_prints_the_four_figures(shared_data: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "editor",
            "spam-eval",
            str(shared_data / SMS),
            "--text-column",
            "message",
            "--label-column",
            "output",
            "--spam-value",
            "spam",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    for label in ("Accuracy:", "Spam recall:", "Ham wrongly spam:", "F1:"):
        assert label in completed.stdout
    accuracy_line = next(line for line in completed.stdout.splitlines() if "Accuracy" in line)
    assert float(accuracy_line.split()[-1].rstrip("%")) >= 96.0

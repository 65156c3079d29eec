"""``newsdesk spam-eval``: how the learned filter would have done as a moderator's assistant.

Each labelled message is shown to the filter before its label (as a new comment
would be), then learnt (as the moderator's decision would be), from a cold
start, in file order.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from editor.core.moderation.features import text_features
from editor.core.moderation.spam_filter import Lesson, SpamFilterModel

# The filter calls a message spam when it is more likely spam than not.
SPAM_CALL_THRESHOLD = 0.5


class LabelledFileError(ValueError):
    """The file cannot be evaluated (missing column, no rows); the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    spam_caught: int
    spam_missed: int
    ham_called_spam: int
    ham_passed: int

    @property
    def total(self) -> int:
        return self.spam_caught + self.spam_missed + self.ham_called_spam + self.ham_passed

    @property
    def accuracy(self) -> float:
        return (self.spam_caught + self.ham_passed) / self.total if self.total else 0.0

    @property
    def spam_recall(self) -> float:
        spam = self.spam_caught + self.spam_missed
        return self.spam_caught / spam if spam else 0.0

    @property
    def ham_wrongly_spam_rate(self) -> float:
        ham = self.ham_called_spam + self.ham_passed
        return self.ham_called_spam / ham if ham else 0.0

    @property
    def precision(self) -> float:
        called = self.spam_caught + self.ham_called_spam
        return self.spam_caught / called if called else 0.0

    @property
    def f1(self) -> float:
        precision, recall = self.precision, self.spam_recall
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def as_json(self) -> dict[str, float | int]:
        return {
            "messages": self.total,
            "accuracy": self.accuracy,
            "spam_recall": self.spam_recall,
            "ham_wrongly_spam_rate": self.ham_wrongly_spam_rate,
            "precision": self.precision,
            "f1": self.f1,
            "spam_caught": self.spam_caught,
            "spam_missed": self.spam_missed,
            "ham_called_spam": self.ham_called_spam,
            "ham_passed": self.ham_passed,
        }


def evaluate_prequentially(messages: Iterable[tuple[str, bool]]) -> Evaluation:
    """Predict each ``(text, is_spam)`` before learning it, starting from an empty filter."""
    model = SpamFilterModel()
    caught = missed = wrongly = passed = 0
    for text, is_spam in messages:
        tokens = text_features(text)
        probability = model.spam_probability(tokens)
        called_spam = probability is not None and probability > SPAM_CALL_THRESHOLD
        if is_spam:
            caught += called_spam
            missed += not called_spam
        else:
            wrongly += called_spam
            passed += not called_spam
        model.learn(Lesson(tokens, is_spam))
    return Evaluation(caught, missed, wrongly, passed)


def _delimiter(path: Path, sample: str) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    first_line = sample.split("\n", 1)[0]
    if path.suffix.lower() != ".csv" and "\t" in first_line and "," not in first_line:
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def read_labelled_messages(
    path: Path, *, text_column: str, label_column: str, spam_value: str
) -> Iterator[tuple[str, bool]]:
    """Rows of a CSV or TSV file (with a header line) as ``(text, is_spam)``, in file order.

    Bytes that are not UTF-8 are replaced rather than stopping the evaluation.
    """
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        sample = handle.read(65536)
        handle.seek(0)
        delimiter = _delimiter(path, sample)
        # TSV files like the SMS collection quote nothing: a quote is text.
        reader = (
            csv.DictReader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE)
            if delimiter == "\t"
            else csv.DictReader(handle, delimiter=delimiter)
        )
        columns = reader.fieldnames or []
        for wanted in (text_column, label_column):
            if wanted not in columns:
                raise LabelledFileError(
                    f"{path} has no column {wanted!r}; its columns are: {', '.join(columns)}"
                )
        wanted_label = spam_value.strip().casefold()
        for row in reader:
            text = row.get(text_column)
            label = row.get(label_column)
            if text is None or label is None:
                continue  # a short row: nothing to learn from
            yield text, label.strip().casefold() == wanted_label


def evaluate_file(
    path: Path, *, text_column: str, label_column: str, spam_value: str
) -> Evaluation:
    evaluation = evaluate_prequentially(
        read_labelled_messages(
            path, text_column=text_column, label_column=label_column, spam_value=spam_value
        )
    )
    if evaluation.total == 0:
        raise LabelledFileError(f"{path} holds no labelled rows")
    return evaluation

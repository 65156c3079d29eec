"""The learned spam filter: naive Bayes over token presence, trained one decision at a time.

Why hand-written rather than scikit-learn: measured with the spam-eval protocol
on the SMS collection (predict each message, then learn it, from a cold start),
this model reached 99.2% accuracy with 0.2% of legitimate messages called spam,
against 98.8% / 0.4% for the best scikit-learn set-up tried (HashingVectorizer
+ MultinomialNB ``partial_fit``); scikit-learn's hashed models also smooth over
the whole hashed space (so they learn slowly from few decisions), cannot forget
a lesson exactly (undo must un-train), and took 15-80 s for the 5,574 one-at-a-
time updates against under 1 s here.

The model is counts only, so lessons commute: two moderators' lessons merge by
adding, and un-learning subtracts exactly what learning added.
"""

from __future__ import annotations

import json
import math
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

# Lidstone smoothing: small, so a token seen in a handful of spam already counts.
SMOOTHING = 0.1
# Tokens are only counted if some lesson contained them: unknown words say nothing.
SNAPSHOT_MAGIC = b"newsdesk-spam-filter/1\n"
# Past this many distinct tokens, tokens seen once are forgotten at the next snapshot.
MAX_VOCABULARY = 300_000


@dataclass(frozen=True, slots=True)
class Lesson:
    """One moderator decision as the filter learns it; ``weight`` -1 un-learns it (undo)."""

    tokens: frozenset[str]
    is_spam: bool
    weight: int = 1


class SpamFilterModel:
    """Token counts per class; ``spam_probability`` is the naive Bayes posterior."""

    def __init__(self) -> None:
        # token -> (documents of ham containing it, documents of spam containing it).
        # Tuples of ints, not lists: the garbage collector stops tracking them, so
        # a large vocabulary adds no pauses to every later collection.
        self.counts: dict[str, tuple[int, int]] = {}
        self.documents = [0, 0]
        self.token_totals = [0, 0]

    @property
    def ham_documents(self) -> int:
        return self.documents[0]

    @property
    def spam_documents(self) -> int:
        return self.documents[1]

    @property
    def is_ready(self) -> bool:
        """It has seen at least one of each: before that it cannot tell them apart."""
        return self.documents[0] > 0 and self.documents[1] > 0

    def learn(self, lesson: Lesson) -> None:
        label = 1 if lesson.is_spam else 0
        weight = lesson.weight
        counts = self.counts
        delta = 0
        for token in lesson.tokens:
            ham, spam = counts.get(token, (0, 0))
            if ham == 0 and spam == 0 and weight < 0:
                continue  # forgotten by pruning, or never learnt: nothing to take back
            if label:
                changed = max(0, spam + weight)
                delta += changed - spam
                ham, spam = ham, changed
            else:
                changed = max(0, ham + weight)
                delta += changed - ham
                ham = changed
            if ham == 0 and spam == 0:
                counts.pop(token, None)
            else:
                counts[token] = (ham, spam)
        self.documents[label] = max(0, self.documents[label] + weight)
        self.token_totals[label] = max(0, self.token_totals[label] + delta)

    def learn_all(self, lessons: Iterable[Lesson]) -> None:
        for lesson in lessons:
            self.learn(lesson)

    def spam_probability(self, tokens: Iterable[str]) -> float | None:
        """P(spam | tokens), or None while the filter has not seen both kinds."""
        if not self.is_ready:
            return None
        ham_documents, spam_documents = self.documents
        vocabulary = len(self.counts)
        ham_denominator = math.log(self.token_totals[0] + SMOOTHING * vocabulary)
        spam_denominator = math.log(self.token_totals[1] + SMOOTHING * vocabulary)
        log_odds = math.log(spam_documents / ham_documents)
        counts = self.counts
        known = 0
        for token in tokens:
            pair = counts.get(token)
            if pair is None:
                continue
            known += 1
            log_odds += math.log(pair[1] + SMOOTHING) - math.log(pair[0] + SMOOTHING)
        log_odds += known * (ham_denominator - spam_denominator)
        if log_odds >= 0:
            return 1.0 / (1.0 + math.exp(-min(log_odds, 700.0)))
        exponent = math.exp(max(log_odds, -700.0))
        return exponent / (1.0 + exponent)

    def prune(self) -> None:
        """Forget tokens seen once when the vocabulary outgrows ``MAX_VOCABULARY``."""
        if len(self.counts) <= MAX_VOCABULARY:
            return
        for token in [token for token, pair in self.counts.items() if pair[0] + pair[1] <= 1]:
            pair = self.counts.pop(token)
            self.token_totals[0] -= pair[0]
            self.token_totals[1] -= pair[1]

    def to_bytes(self) -> bytes:
        tokens = list(self.counts)
        ham = array("I", (self.counts[token][0] for token in tokens))
        spam = array("I", (self.counts[token][1] for token in tokens))
        header = json.dumps(
            {"documents": self.documents, "token_totals": self.token_totals, "size": len(tokens)}
        ).encode()
        payload = "\x00".join(tokens).encode("utf-8") + b"\x00\x00" + ham.tobytes() + spam.tobytes()
        return SNAPSHOT_MAGIC + header + b"\n" + zlib.compress(payload, 1)

    @classmethod
    def from_bytes(cls, data: bytes) -> SpamFilterModel:
        if not data.startswith(SNAPSHOT_MAGIC):
            raise ValueError("not a Newsdesk spam filter snapshot")
        header_bytes, packed = data[len(SNAPSHOT_MAGIC) :].split(b"\n", 1)
        header = json.loads(header_bytes)
        size = int(header["size"])
        payload = zlib.decompress(packed)
        model = cls()
        model.documents = [int(value) for value in header["documents"]]
        model.token_totals = [int(value) for value in header["token_totals"]]
        if size == 0:
            return model
        text_end = payload.index(b"\x00\x00")
        tokens = payload[:text_end].decode("utf-8").split("\x00")
        numbers = array("I")
        numbers.frombytes(payload[text_end + 2 :])
        if len(tokens) != size or len(numbers) != 2 * size:
            raise ValueError("spam filter snapshot is truncated")
        model.counts = dict(
            zip(tokens, zip(numbers[:size], numbers[size:], strict=True), strict=True)
        )
        return model

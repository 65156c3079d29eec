"""English spell checking for Markdown prose, with a newsroom dictionary kept in the store.

The word list is pyspellchecker's English frequency dictionary (shipped inside
the package, ~160,000 words, nothing downloaded). Suggestions rank words
within two edits (Damerau/OSA distance via ``rapidfuzz``, a C scan of the list
in ~10 ms whatever the word's length) by distance, then by how common they
are. British spellings are accepted when their American form is known
("colour", "organise", "centre", "defence"), as a newsroom may use either.

Not checked, because they are not prose: URLs, e-mail addresses, code spans,
Markdown link and image targets, reference definitions, ``asset:`` references,
HTML tags and entities, footnote markers, words with digits (``mp3``, ``2nd``),
ALL-CAPS acronyms (``NASA``, ``URLs``), mixed-case names (``PostgreSQL``,
``iPhone``), dotted words (``e.g``, ``example.com``) and paths (``and/or``).
The UI checks one block (paragraph line) at a time and skips blocks inside
fenced code itself; ``misspellings_in_document`` does both for a whole text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from editor.core.models import StoreSetting

CUSTOM_WORDS_KEY = "Spelling/custom_words"
MAX_CUSTOM_WORD_LENGTH = 100
MAX_EDIT_DISTANCE = 2
# A "paragraph" longer than this is pasted data, not prose; checking it would also make the
# path pattern below scan quadratically (a 1 MB line took minutes).
MAX_CHECKED_BLOCK = 20_000

_IGNORED = re.compile(
    r"``[^\n]*?``|`[^`\n]*`"  # code spans
    r"|\b(?:https?|ftp)://[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\]\(\s*<?[^)\s>]*>?"  # link and image targets (the quoted title stays checked)
    r"|\]\[[^\]\n]*\]"  # reference link labels
    r"|^\s{0,3}\[[^\]\n]+\]:[^\n]*"  # reference definitions
    r"|\[\^[^\]\n]*\]"  # footnote markers
    r"|<[^>\n]*>"  # HTML tags and autolinks
    r"|&#?\w+;"  # HTML entities
    r"|\{[:#.][^}\n]*\}"  # attribute lists
    r"|\basset:[0-9a-fA-F]+"  # our figure references
    r"|(?<![\w@#])[@#][^\W_][\w-]*"  # mentions and hashtags
    r"|[^\s/]*[^\W_]/[^\s]*",  # paths and "and/or"
    re.MULTILINE,
)
# Everyday newsroom words the shipped dictionary predates or lacks.
_SUPPLEMENT = frozenset(
    [
        "etc",
        "approx",
        "dept",
        "app",
        "apps",
        "covid",
        "livestream",
        "livestreamed",
        "livestreaming",
        "smartphone",
        "smartphones",
        "hashtag",
        "hashtags",
        "selfie",
        "selfies",
        "cryptocurrency",
        "cryptocurrencies",
        "ebook",
        "ebooks",
        "barista",
        "baristas",
        "instagram",
        "tiktok",
        "wifi",
        "backend",
        "backends",
        "frontend",
        "online",
        "offline",
        "homepage",
        "lockdown",
        "lockdowns",
        "ceasefire",
        "ceasefires",
        "wildfire",
        "wildfires",
    ]
)
_TOKEN = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_HYPHEN_PART = re.compile(r"[^-]+")
_ACRONYM = re.compile(r"[A-Z]{2,}s?")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)

# British endings and the American ones they stand for; a word is accepted when
# its American form is in the dictionary.
_BRITISH_ENDINGS = (
    (re.compile(r"our(s|ed|ing|ite|ites|ful|able|er|ers|less)?$"), r"or\1"),
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"tre(s|d)?$"), r"ter\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"mme(s)?$"), r"m\1"),
)


class Misspelling(NamedTuple):
    """``start`` and ``length`` index the checked text (code points, or UTF-16 units if asked)."""

    start: int
    length: int
    word: str


_dictionary_lock = threading.Lock()
_dictionary: dict[str, int] | None = None
_words_by_length: dict[int, list[str]] | None = None


def english_words() -> dict[str, int]:
    """The shipped English dictionary (word → frequency), loaded once per process (~0.2 s)."""
    global _dictionary
    if _dictionary is None:
        with _dictionary_lock:
            if _dictionary is None:
                from spellchecker import SpellChecker

                _dictionary = dict(SpellChecker(language="en").word_frequency.dictionary)
    return _dictionary


def _length_buckets() -> dict[int, list[str]]:
    global _words_by_length
    if _words_by_length is None:
        words = english_words()
        with _dictionary_lock:
            if _words_by_length is None:
                buckets: dict[int, list[str]] = {}
                for word in words:
                    buckets.setdefault(len(word), []).append(word)
                _words_by_length = buckets
    return _words_by_length


def _normalise(word: str) -> str:
    return word.replace("’", "'").lower()


def _to_utf16(text: str, ranges: list[Misspelling]) -> list[Misspelling]:
    if text.isascii() or max(text) <= "\uffff":
        return ranges
    converted = []
    for start, length, word in ranges:
        before = text[:start]
        start16 = start + sum(1 for character in before if character > "\uffff")
        length16 = length + sum(1 for character in word if character > "\uffff")
        converted.append(Misspelling(start16, length16, word))
    return converted


class SpellingChecker:
    """Checks prose against the English dictionary plus the newsroom's own words.

    Answers for each distinct word are cached, so re-checking a paragraph while
    typing costs a regex scan and a few dictionary hits. Not thread-safe for
    concurrent ``set_custom_words``; reads from several threads are fine.
    """

    def __init__(self, custom_words: Iterable[str] = ()) -> None:
        self._custom: set[str] = set()
        self._custom_spelling: list[str] = []
        self._known: dict[str, bool] = {}
        self._suggested: dict[str, list[str]] = {}
        self.set_custom_words(custom_words)

    def preload(self) -> None:
        """Load the dictionary now (call off the UI thread at start)."""
        english_words()
        _length_buckets()

    def set_custom_words(self, words: Iterable[str]) -> None:
        self._custom_spelling = sorted({word.strip() for word in words if word.strip()})
        self._custom = {_normalise(word) for word in self._custom_spelling}
        self._known = {}
        self._suggested = {}

    def add_custom_word(self, word: str) -> None:
        self.set_custom_words([*self._custom_spelling, word])

    def is_known(self, word: str) -> bool:
        """Whether ``word`` (any case, straight or curly apostrophe) is spelled right."""
        key = _normalise(word)
        answer = self._known.get(key)
        if answer is None:
            answer = self._lookup(key)
            self._known[key] = answer
        return answer

    def _lookup(self, key: str) -> bool:
        words = english_words()
        if key in words or key in self._custom or key in _SUPPLEMENT:
            return True
        if key.endswith("'s") and len(key) > 2:
            return self._lookup(key[:-2])
        if key.endswith("'") and len(key) > 1:
            return self._lookup(key[:-1])
        for pattern, american in _BRITISH_ENDINGS:
            variant = pattern.sub(american, key, count=1)
            if variant != key and variant in words:
                return True
        return False

    def _needs_checking(self, word: str) -> bool:
        if len(word) < 2 or any(character.isdigit() for character in word):
            return False
        if _ACRONYM.fullmatch(word):
            return False
        # Mixed case after the first letter: a product or code name, not prose.
        return not any(character.isupper() for character in word[1:])

    def misspelled_ranges(self, text: str, *, utf16: bool = False) -> list[Misspelling]:
        """Misspelled words of one block of Markdown text, in order.

        With ``utf16`` the offsets count UTF-16 code units, as ``QString`` and
        ``QSyntaxHighlighter.setFormat`` do (they differ from Python's only
        around emoji and other characters beyond U+FFFF).
        """
        if not text.strip() or len(text) > MAX_CHECKED_BLOCK:
            return []
        prose = _IGNORED.sub(lambda match: " " * len(match.group()), text)
        found = []
        for token in _TOKEN.finditer(prose):
            word = token.group()
            if "." in word:
                continue
            if "-" in word:
                for part in _HYPHEN_PART.finditer(word):
                    piece = part.group()
                    if self._needs_checking(piece) and not self.is_known(piece):
                        found.append(Misspelling(token.start() + part.start(), len(piece), piece))
                continue
            if self._needs_checking(word) and not self.is_known(word):
                found.append(Misspelling(token.start(), len(word), word))
        return _to_utf16(text, found) if utf16 else found

    def misspellings_in_document(self, text: str) -> list[Misspelling]:
        """Misspelled words of a whole Markdown text, skipping fenced code; offsets into ``text``."""
        found: list[Misspelling] = []
        offset = 0
        fence = ""
        for line in text.splitlines(keepends=True):
            opener = _FENCE.match(line)
            if fence:
                if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                    fence = ""
            elif opener:
                fence = opener.group(1)
            else:
                found.extend(
                    Misspelling(offset + start, length, word)
                    for start, length, word in self.misspelled_ranges(line)
                )
            offset += len(line)
        return found

    def suggestions(self, word: str, *, limit: int = 6) -> list[str]:
        """Likely intended words, best first, in the case the word was typed in."""
        key = _normalise(word)
        cached = self._suggested.get(key)
        if cached is None:
            cached = self._rank(key, limit=max(limit, 6))
            self._suggested[key] = cached
        return [_match_case(word, suggestion) for suggestion in cached[:limit]]

    def _rank(self, key: str, *, limit: int) -> list[str]:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        words = english_words()
        buckets = _length_buckets()
        scored: dict[str, tuple[int, int]] = {}
        for length in range(len(key) - MAX_EDIT_DISTANCE, len(key) + MAX_EDIT_DISTANCE + 1):
            bucket = buckets.get(length)
            if not bucket:
                continue
            for match, distance, _index in process.extract(
                key, bucket, scorer=OSA.distance, score_cutoff=MAX_EDIT_DISTANCE, limit=None
            ):
                scored[match] = (int(distance), -words[match])
        for custom in self._custom_spelling:
            distance = OSA.distance(key, _normalise(custom))
            if distance <= MAX_EDIT_DISTANCE:
                # The newsroom's own words are what its writers most often mean.
                scored[custom] = (int(distance), -(10**12))
        scored.pop(key, None)
        return sorted(scored, key=lambda candidate: scored[candidate])[:limit]


def _match_case(typed: str, suggestion: str) -> str:
    if any(character.isupper() for character in suggestion):
        return suggestion  # a custom word keeps its own spelling ("McNulty")
    if typed.isupper() and len(typed) > 1:
        return suggestion.upper()
    if typed[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def custom_words(session: Session) -> list[str]:
    """The store's custom dictionary (shared by everyone using the store)."""
    value = session.scalar(select(StoreSetting.value).where(StoreSetting.key == CUSTOM_WORDS_KEY))
    if not isinstance(value, list):
        return []
    return [str(word) for word in value]


def _custom_word_problem(word: str) -> str | None:
    if not word:
        return "Nothing to add: the word is empty."
    if any(character.isspace() for character in word):
        return f"“{word}” is more than one word; add the words one at a time."
    if len(word) > MAX_CUSTOM_WORD_LENGTH:
        return f"That word is {len(word)} characters long; the limit is {MAX_CUSTOM_WORD_LENGTH}."
    return None


def _store_custom_words(session: Session, change: set[str], *, add: bool) -> list[str]:
    from editor.core.articles.service import start_writing

    start_writing(session)
    for _attempt in range(3):
        setting = session.scalars(
            select(StoreSetting)
            .where(StoreSetting.key == CUSTOM_WORDS_KEY)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        current = (
            set(setting.value) if setting is not None and isinstance(setting.value, list) else set()
        )
        updated = current | change if add else current - change
        words = sorted(updated, key=lambda word: (word.casefold(), word))
        if setting is not None:
            if updated != current:
                setting.value = words
                session.flush()
            return words
        try:
            with session.begin_nested():
                session.add(StoreSetting(key=CUSTOM_WORDS_KEY, value=words))
                session.flush()
            return words
        except IntegrityError:
            continue  # another editor created the setting first: add to theirs
    raise RuntimeError("the custom dictionary kept changing under us; try again")


def add_to_dictionary(session: Session, *, word: str) -> list[str]:
    """Add ``word`` to the store's custom dictionary; returns the whole list.

    Raises ``ValueError`` with a sentence for an empty, multi-word or overlong word.
    """
    word = word.strip().replace("’", "'")
    problem = _custom_word_problem(word)
    if problem:
        raise ValueError(problem)
    return _store_custom_words(session, {word}, add=True)


def remove_from_dictionary(session: Session, *, word: str) -> list[str]:
    return _store_custom_words(session, {word.strip().replace("’", "'")}, add=False)

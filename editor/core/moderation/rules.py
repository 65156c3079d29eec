"""The intake rules, modelled on WordPress's discussion settings, kept in the store.

They live in ``StoreSetting`` under ``"Moderation/rules"`` so every moderator
and the live site share one set. Only values that differ from the defaults are
written, so a later change of default reaches stores that never touched it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from editor.core.models import StoreSetting

RULES_KEY = "Moderation/rules"
RETENTION_KEY = "Moderation/retention_days"
DEFAULT_RETENTION_DAYS = 30


class InvalidRules(ValueError):
    """A rule value that cannot work; the message names the rule."""


@dataclass(frozen=True)
class ModerationRules:
    # Hold a comment with at least this many links (WordPress: "Hold a comment in the
    # queue if it contains 2 or more links"). 0 turns the rule off.
    hold_at_links: int = 2
    # Words or phrases (one per entry) that send a comment to the queue; matched
    # case-insensitively inside words, in name, email, url, ip and body, as WordPress does.
    moderation_words: tuple[str, ...] = ()
    # Same matching; a match sends the comment straight to spam.
    disallowed_words: tuple[str, ...] = ()
    # WordPress: "Comment author must have a previously approved comment". When off,
    # comments no rule holds are approved at once.
    require_previous_approval: bool = True
    # The same author (email, else name) or ip again within this many seconds is held.
    flood_seconds: int = 15
    # The same body again within this many hours is spam (short bodies like "Thanks!"
    # only count from the same author or ip).
    duplicate_hours: int = 24
    duplicate_min_chars: int = 20
    # The learned filter's score: at or above spam_score → spam, at or above hold_score → held.
    spam_score: float = 0.95
    hold_score: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.hold_at_links < 0:
            raise InvalidRules("hold_at_links must be 0 (off) or more")
        if self.flood_seconds < 0 or self.duplicate_hours < 0:
            raise InvalidRules("flood_seconds and duplicate_hours must be 0 (off) or more")
        if not 0.0 <= self.hold_score <= self.spam_score <= 1.0:
            raise InvalidRules("scores must satisfy 0 <= hold_score <= spam_score <= 1")

    def to_json(self) -> dict[str, Any]:
        defaults = ModerationRules()
        changed: dict[str, Any] = {}
        for item in dataclasses.fields(self):
            if item.name == "extra":
                continue
            value = getattr(self, item.name)
            if value != getattr(defaults, item.name):
                changed[item.name] = list(value) if isinstance(value, tuple) else value
        return changed

    @classmethod
    def from_json(cls, value: object) -> ModerationRules:
        """Unknown keys (from a newer Newsdesk) are kept aside, not refused."""
        if not isinstance(value, dict):
            return cls()
        known = {item.name: item for item in dataclasses.fields(cls) if item.name != "extra"}
        arguments: dict[str, Any] = {}
        for key, raw in value.items():
            if key not in known:
                continue
            default = getattr(cls(), key)
            if isinstance(default, tuple):
                if isinstance(raw, str):
                    raw = raw.splitlines()
                arguments[key] = tuple(str(word).strip() for word in raw if str(word).strip())
            elif isinstance(default, bool):
                arguments[key] = bool(raw)
            elif isinstance(default, int):
                arguments[key] = int(raw)
            else:
                arguments[key] = float(raw)
        extra = {key: raw for key, raw in value.items() if key not in known}
        return cls(**arguments, extra=extra)


def load_rules(*, session: Session) -> ModerationRules:
    setting = session.get(StoreSetting, RULES_KEY)
    return ModerationRules.from_json(setting.value if setting is not None else None)


def save_rules(rules: ModerationRules, *, session: Session) -> None:
    value = {**rules.extra, **rules.to_json()}
    setting = session.get(StoreSetting, RULES_KEY)
    if setting is None:
        session.add(StoreSetting(key=RULES_KEY, value=value))
    else:
        setting.value = value


def load_retention_days(*, session: Session) -> int:
    setting = session.get(StoreSetting, RETENTION_KEY)
    if setting is None or not isinstance(setting.value, int) or setting.value < 1:
        return DEFAULT_RETENTION_DAYS
    return setting.value


def save_retention_days(days: int, *, session: Session) -> None:
    if days < 1:
        raise InvalidRules("spam and trash are kept at least 1 day")
    setting = session.get(StoreSetting, RETENTION_KEY)
    if setting is None:
        session.add(StoreSetting(key=RETENTION_KEY, value=days))
    else:
        setting.value = days

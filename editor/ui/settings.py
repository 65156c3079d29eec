"""One typed settings object over QSettings.

Preferences (what the user chose) are kept apart from UI state (geometry,
splitters); keys are grouped ``"Section/key"`` and only values that differ
from the defaults are written, so a changed default reaches every user.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from PySide6.QtCore import QByteArray, QSettings


@dataclass
class Preferences:
    store_url: str = ""  # empty: $NEWSDESK_STORE, else the default SQLite file
    moderator_name: str = ""
    autosave_seconds: int = 2
    # The target the Publish button uses: "this-store", "folder:/path", "store:postgresql+psycopg://…"
    publish_target: str = "this-store"
    # Other targets the newsroom has set up, one per line.
    publish_targets: str = ""
    retention_days: int = 30  # spam and trash older than this may be emptied (after asking)


@dataclass
class WindowState:
    geometry: QByteArray = field(default_factory=QByteArray)
    state: QByteArray = field(default_factory=QByteArray)
    current_area: str = "articles"


PREFERENCES_GROUP = "Preferences"
WINDOW_GROUP = "Window"


class Settings:
    """Read once at start, written when changed. Never reads or writes at import time."""

    def __init__(self, backing: QSettings | None = None) -> None:
        self._backing = backing if backing is not None else QSettings("Newsdesk", "Newsdesk")
        self.preferences = Preferences()
        self.window = WindowState()
        self._read(PREFERENCES_GROUP, self.preferences)
        self._read(WINDOW_GROUP, self.window)

    def save(self) -> None:
        self._write(PREFERENCES_GROUP, self.preferences, Preferences())
        self._write(WINDOW_GROUP, self.window, WindowState())
        self._backing.sync()

    @property
    def path(self) -> str:
        return self._backing.fileName()

    def _read(self, group: str, target: Any) -> None:
        for item in fields(target):
            key = f"{group}/{item.name}"
            if not self._backing.contains(key):
                continue
            default = getattr(target, item.name)
            value = self._backing.value(key)
            try:
                if isinstance(default, QByteArray):
                    value = QByteArray(value) if value is not None else QByteArray()
                elif isinstance(default, bool):
                    value = value in (True, "true", "1", 1)
                elif isinstance(default, int):
                    value = int(value)
                else:
                    value = str(value)
            except (TypeError, ValueError):
                continue  # a hand-edited or stale value: keep the default
            setattr(target, item.name, value)

    def _write(self, group: str, source: Any, defaults: Any) -> None:
        for item in fields(source):
            key = f"{group}/{item.name}"
            value = getattr(source, item.name)
            if value == getattr(defaults, item.name):
                self._backing.remove(key)
            else:
                self._backing.setValue(key, value)

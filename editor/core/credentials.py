"""Remote store passwords live in the system keyring, never in settings files."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

KEYRING_SERVICE = "newsdesk"


def keyring_account(url: URL) -> str:
    """The keyring account for a server: ``user@host:port/database``."""
    port = url.port or 5432
    return f"{url.username}@{url.host or 'localhost'}:{port}/{url.database or ''}"


def stored_password(url: URL) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_account(url))
    except (KeyringError, RuntimeError):
        # No usable keyring backend (a headless server): behave as if none stored.
        return None


def remember_password(url: URL, password: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, keyring_account(url), password)


def forget_password(url: URL) -> None:
    import keyring
    from keyring.errors import PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError):
        keyring.delete_password(KEYRING_SERVICE, keyring_account(url))

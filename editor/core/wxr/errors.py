"""The one error the WordPress import raises for a file it cannot take."""

from __future__ import annotations


class WxrRefused(Exception):
    """The file cannot be imported as it is; nothing was written.

    ``line`` is the 1-based line in the file where the problem was found (None
    when it concerns the whole file); ``str(error)`` is one line for the user.
    """

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)

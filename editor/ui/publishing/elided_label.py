"""A one-line label that shortens its text with "…" to the width it is given.

Wrapped labels inside a box that shares height with a stretching table get clipped
(Qt lays the box out by its width-less size hint); one elided line per fact always
fits, and the whole text stays in the tooltip.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Plain text, elided at ``mode``; with ``as_link`` the text is shown as a link to itself
    (``linkActivated`` carries the full text)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
        as_link: bool = False,
    ) -> None:
        super().__init__(parent)
        self._full_text = ""
        self._mode = mode
        self._as_link = as_link
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextFormat(Qt.TextFormat.RichText if as_link else Qt.TextFormat.PlainText)

    def full_text(self) -> str:
        return self._full_text

    def set_full_text(self, text: str, *, as_link: bool | None = None) -> None:
        self._full_text = text
        if as_link is not None:
            self._as_link = as_link
            self.setTextFormat(Qt.TextFormat.RichText if as_link else Qt.TextFormat.PlainText)
        self.setToolTip(text)
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full_text, self._mode, max(self.width(), 40))
        if self._as_link and self._full_text:
            href = html.escape(self._full_text, quote=True)
            super().setText(f'<a href="{href}">{html.escape(shown)}</a>')
        else:
            super().setText(shown)

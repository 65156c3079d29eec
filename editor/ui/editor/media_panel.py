"""The media panel: the article's figures as thumbnails, missing alt text flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from editor.core.articles.figures import FigureSource

LINE_ROLE = Qt.ItemDataRole.UserRole + 1
PREFIX_ROLE = Qt.ItemDataRole.UserRole + 2


class MediaPanel(QWidget):
    figure_chosen = Signal(int)  # 0-based line of the figure
    edit_requested = Signal(int)
    insert_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(144, 96))
        self.list.setGridSize(QSize(168, 150))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(
            lambda item: self.figure_chosen.emit(int(item.data(LINE_ROLE)))
        )
        self.list.itemDoubleClicked.connect(
            lambda item: self.edit_requested.emit(int(item.data(LINE_ROLE)))
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        insert = QPushButton("Insert Image…")
        insert.clicked.connect(self.insert_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        layout.addWidget(insert)
        self._thumbnails: dict[str, QPixmap] = {}
        self._figures: list[FigureSource] = []

    @property
    def figures(self) -> list[FigureSource]:
        return list(self._figures)

    def known_prefixes(self) -> set[str]:
        return set(self._thumbnails)

    def add_thumbnail(self, prefix: str, data: bytes) -> None:
        pixmap = QPixmap()
        if pixmap.loadFromData(data):
            self._thumbnails[prefix] = pixmap
            self.show_figures(self._figures)

    def show_figures(self, figures: list[FigureSource]) -> None:
        self._figures = list(figures)
        self.list.clear()
        missing = 0
        warning_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for figure in figures:
            prefix = figure.asset_prefix or ""
            label = figure.caption[:60] or figure.alt_text[:60] or "(no caption)"
            item = QListWidgetItem(label)
            pixmap = self._thumbnails.get(prefix)
            if not figure.alt_text:
                missing += 1
                item.setIcon(QIcon(pixmap) if pixmap is not None else warning_icon)
                item.setText(f"No alt text!\n{label}")
                item.setForeground(Qt.GlobalColor.darkRed)
            elif pixmap is not None:
                item.setIcon(QIcon(pixmap))
            item.setToolTip(
                f"Alt: {figure.alt_text or '(missing)'}\nCredit: {figure.credit or '(none)'}\n"
                f"Line {figure.line + 1}"
            )
            item.setData(LINE_ROLE, figure.line)
            item.setData(PREFIX_ROLE, prefix)
            self.list.addItem(item)
        if not figures:
            self.summary.setText("No figures yet. Drop or paste an image into the text.")
            self.summary.setStyleSheet("")
        elif missing:
            self.summary.setText(
                f"{missing} figure{'s' if missing != 1 else ''} without alt text: "
                "publishing will refuse them. Double-click to add it."
            )
            self.summary.setStyleSheet("color: #b3261e;")
        else:
            self.summary.setText(
                f"{len(figures)} figure{'s' if len(figures) != 1 else ''}, all with alt text."
            )
            self.summary.setStyleSheet("")

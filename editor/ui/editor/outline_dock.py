"""The heading outline beside the editor: H1–H4 as a tree, warnings below, click to jump."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from editor.core.articles.outline import Outline, OutlineNode

LINE_ROLE = Qt.ItemDataRole.UserRole + 1


class OutlinePanel(QWidget):
    heading_chosen = Signal(int)  # 0-based line (QTextDocument block number)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._chosen)
        self.tree.itemClicked.connect(self._chosen)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = QLabel("No headings yet. Start a line with ## for a section heading.")
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.warnings)
        self._shape: tuple[tuple[int, str], ...] | None = None
        self._items: list[QTreeWidgetItem] = []

    def show_outline(self, outline: Outline) -> None:
        """Rebuild the tree only when headings changed; otherwise just move their line numbers."""
        if outline.shape == self._shape:
            for item, heading in zip(self._items, outline.headings, strict=True):
                item.setData(0, LINE_ROLE, heading.line)
        else:
            self._shape = outline.shape
            self._rebuild(outline)
        self.empty.setVisible(not outline.headings)
        self.tree.setVisible(bool(outline.headings))
        if outline.warnings:
            self.warnings.setText(
                "\n".join(f"Line {w.line + 1}: {w.message}" for w in outline.warnings[:20])
            )
        self.warnings.setVisible(bool(outline.warnings))

    def _rebuild(self, outline: Outline) -> None:
        self.tree.clear()
        self._items = []

        def add(node: OutlineNode, parent: QTreeWidget | QTreeWidgetItem) -> None:
            heading = node.heading
            item = QTreeWidgetItem(parent, [heading.text or "(empty heading)"])
            item.setData(0, LINE_ROLE, heading.line)
            item.setToolTip(0, f"H{heading.level} · line {heading.line + 1}")
            self._items.append(item)
            for child in node.children:
                add(child, item)

        for root in outline.roots:
            add(root, self.tree)
        self.tree.expandAll()
        # Items were created in tree order, which is document order: keep them aligned with
        # ``outline.headings`` for the line-number fast path.
        order = {id(item): index for index, item in enumerate(self._items)}
        self._items.sort(key=lambda item: (int(item.data(0, LINE_ROLE)), order[id(item)]))

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        line = item.data(0, LINE_ROLE)
        if line is not None:
            self.heading_chosen.emit(int(line))

"""The metadata panel beside the text: slug, dek, author, category, tags, featured image."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class MetadataPanel(QWidget):
    changed = Signal()
    slug_regenerate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slug_field = QLineEdit()
        self.slug_field.setPlaceholderText("made from the headline")
        self.slug_regenerate = QPushButton("From headline")
        self.slug_regenerate.setToolTip("Make the slug from the headline again")
        self.slug_problem = QLabel()
        self.slug_problem.setObjectName("problem")
        self.slug_problem.setStyleSheet("color: #b3261e;")
        self.slug_problem.setWordWrap(True)
        self.slug_problem.hide()
        self.dek_field = QPlainTextEdit()
        self.dek_field.setPlaceholderText("One or two sentences under the headline")
        self.dek_field.setFixedHeight(72)
        self.dek_field.setTabChangesFocus(True)
        self.author_field = QLineEdit()
        self.category_field = QLineEdit()
        self.tags_field = QLineEdit()
        self.tags_field.setPlaceholderText("comma-separated, e.g. Flooding, Council")
        self.featured_image = QComboBox()
        self.featured_image.addItem("(none)", None)
        self.status_label = QLabel()

        slug_row = QHBoxLayout()
        slug_row.setContentsMargins(0, 0, 0, 0)
        slug_row.addWidget(self.slug_field, 1)
        slug_row.addWidget(self.slug_regenerate)

        form = QFormLayout()
        form.addRow("Slug", slug_row)
        form.addRow("", self.slug_problem)
        form.addRow("Dek", self.dek_field)
        form.addRow("Author", self.author_field)
        form.addRow("Category", self.category_field)
        form.addRow("Tags", self.tags_field)
        form.addRow("Featured image", self.featured_image)
        form.addRow("Status", self.status_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)

        for field in (self.slug_field, self.author_field, self.category_field, self.tags_field):
            field.textEdited.connect(self.changed)
        self.dek_field.textChanged.connect(self._dek_changed)
        self.featured_image.activated.connect(lambda _index: self.changed.emit())
        self.slug_regenerate.clicked.connect(self.slug_regenerate_requested)
        self._loading = False

    def _dek_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    def load(
        self,
        *,
        slug: str,
        dek: str,
        author: str,
        category: str,
        tags: list[str],
        status: str,
    ) -> None:
        self._loading = True
        try:
            self.slug_field.setText(slug)
            self.slug_field.setCursorPosition(0)
            self.dek_field.setPlainText(dek)
            self.author_field.setText(author)
            self.category_field.setText(category)
            self.tags_field.setText(", ".join(tags))
            self.status_label.setText(status.capitalize())
            self.show_slug_problems([])
        finally:
            self._loading = False

    def set_featured_choices(self, choices: list[tuple[int, str]], selected: int | None) -> None:
        self.featured_image.clear()
        self.featured_image.addItem("(none)", None)
        for asset_id, label in choices:
            self.featured_image.addItem(label, asset_id)
        index = self.featured_image.findData(selected) if selected is not None else 0
        if index < 0 and selected is not None:
            self.featured_image.addItem(f"Image #{selected}", selected)
            index = self.featured_image.count() - 1
        self.featured_image.setCurrentIndex(max(0, index))

    def tags(self) -> list[str]:
        return [tag.strip() for tag in self.tags_field.text().split(",") if tag.strip()]

    def featured_asset_id(self) -> int | None:
        value = self.featured_image.currentData()
        return int(value) if value is not None else None

    def show_slug_problems(self, problems: list[str]) -> None:
        self.slug_problem.setText(" ".join(problems))
        self.slug_problem.setVisible(bool(problems))

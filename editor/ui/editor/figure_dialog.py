"""The figure dialog: alt text, caption and credit for an image, with the image beside them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class FigureDialog(QDialog):
    def __init__(
        self,
        *,
        thumbnail: bytes | None,
        filename: str,
        alt_text: str = "",
        caption: str = "",
        credit: str = "",
        notes: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Figure — {filename}")
        preview = QLabel()
        preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        preview.setMinimumSize(240, 180)
        if thumbnail:
            pixmap = QPixmap()
            pixmap.loadFromData(thumbnail)
            preview.setPixmap(pixmap)
        self.alt_field = QPlainTextEdit(alt_text)
        self.alt_field.setPlaceholderText(
            "Describe the image for readers who cannot see it (required to publish)"
        )
        self.alt_field.setTabChangesFocus(True)
        self.alt_field.setFixedHeight(64)
        self.caption_field = QPlainTextEdit(caption)
        self.caption_field.setPlaceholderText("Shown under the image")
        self.caption_field.setTabChangesFocus(True)
        self.caption_field.setFixedHeight(64)
        self.credit_field = QLineEdit(credit)
        self.credit_field.setPlaceholderText("Photo: Name / Agency")
        self.alt_warning = QLabel("Alt text is missing: publishing will refuse this figure.")
        self.alt_warning.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow("Alt text", self.alt_field)
        form.addRow("", self.alt_warning)
        form.addRow("Caption", self.caption_field)
        form.addRow("Credit", self.credit_field)
        if notes:
            note = QLabel("\n".join(notes))
            note.setObjectName("muted")
            note.setWordWrap(True)
            form.addRow("", note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(preview)
        top.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.alt_field.textChanged.connect(self._check_alt)
        self._check_alt()

    def _check_alt(self) -> None:
        self.alt_warning.setVisible(not self.alt_text.strip())

    @property
    def alt_text(self) -> str:
        return " ".join(self.alt_field.toPlainText().split())

    @property
    def caption(self) -> str:
        return " ".join(self.caption_field.toPlainText().split())

    @property
    def credit(self) -> str:
        return self.credit_field.text().strip()

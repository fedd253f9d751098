"""Small widgets and the page base class of the Settings dialog."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trayapp.ui.settings.draft import Draft

ERROR_COLOUR = "#b3261e"
OK_COLOUR = "#1b6e20"

# The look of a field with a problem; set through the "invalid" dynamic property.
INVALID_STYLE = (
    '*[invalid="true"] { border: 2px solid #b3261e; border-radius: 3px; background-color: #fdecea; }\n'
    'QAbstractItemView[invalid="true"] { background-color: palette(base); }'  # rows keep their own colours
)


def mark_invalid(widget: QWidget, message: str | None) -> None:
    """Highlight a field (message: its problem, shown as tooltip) or clear it (None)."""
    invalid = message is not None
    if bool(widget.property("invalid")) == invalid and (not invalid or widget.toolTip() == message):
        return
    widget.setProperty("invalid", invalid)
    if invalid:
        if widget.property("normalToolTip") is None:
            widget.setProperty("normalToolTip", widget.toolTip())
        widget.setToolTip(message)
    else:
        widget.setToolTip(widget.property("normalToolTip") or "")
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def note(text: str) -> QLabel:
    """A greyed explanatory line under a group of fields."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)
    return label


class ResultLabel(QLabel):
    """The readable outcome of Test connection / List databases (selectable, word-wrapped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.message = ""  # the text shown, without markup

    def show_busy(self, text: str) -> None:
        self.kind, self.message = "busy", text
        self.setText(html(text))

    def show_ok(self, text: str) -> None:
        self.kind, self.message = "ok", text
        self.setText(f"<span style='color:{OK_COLOUR}'>✔ {html(text)}</span>")

    def show_error(self, text: str) -> None:
        self.kind, self.message = "error", text
        self.setText(f"<span style='color:{ERROR_COLOUR}'>✖ {html(text)}</span>")

    def clear_result(self) -> None:
        self.kind, self.message = "", ""
        self.clear()


class DurationEdit(QWidget):
    """A duration as a whole number and a unit (seconds, minutes, hours). It keeps the exact
    seconds it was given until the user changes it, so loading and saving never rounds."""

    changed = Signal()
    UNITS = (3600, 60, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = QSpinBox()
        self.number.setRange(0, 99_999)
        self.unit = QComboBox()
        for factor in self.UNITS:
            self.unit.addItem(self._unit_name(factor), factor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.number)
        layout.addWidget(self.unit)
        self._seconds = 0.0
        self._loading = False
        self.number.valueChanged.connect(self._edited)
        self.unit.currentIndexChanged.connect(self._edited)

    @staticmethod
    def _unit_name(factor: int) -> str:
        return {3600: QCoreApplication.translate("DurationEdit", "hours"),
                60: QCoreApplication.translate("DurationEdit", "minutes"),
                1: QCoreApplication.translate("DurationEdit", "seconds")}[factor]

    def seconds(self) -> float:
        return self._seconds

    def set_seconds(self, seconds: float) -> None:
        self._loading = True
        try:
            self._seconds = float(seconds)
            factor = next((f for f in self.UNITS if seconds >= f and float(seconds) % f == 0), 1)
            self.unit.setCurrentIndex(self.UNITS.index(factor))
            self.number.setValue(min(math.ceil(seconds / factor) if seconds else 0, self.number.maximum()))
        finally:
            self._loading = False

    def set_value(self, number: int, factor: int) -> None:
        """As a user would: number and unit (1, 60 or 3600)."""
        self.unit.setCurrentIndex(self.UNITS.index(factor))
        self.number.setValue(number)

    def _edited(self) -> None:
        if self._loading:
            return
        self._seconds = float(self.number.value() * int(self.unit.currentData()))
        self.changed.emit()


class ListEdit(QLineEdit):
    """A list of texts typed as 'a, b, c'."""

    def values(self) -> list[str]:
        return [part.strip() for part in self.text().split(",") if part.strip()]

    def set_values(self, values: Sequence[str]) -> None:
        self.setText(", ".join(values))


class Page(QWidget):
    """One tab of an integration. `load` fills the widgets from a draft (signals blocked by the
    dialog's loading flag), every edit writes straight back into the draft and emits `changed`."""

    changed = Signal()
    key = ""  # its name for tests, screenshots and page_problems

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: Draft | None = None
        self.loading = False
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self.outer = QVBoxLayout(self)
        self.outer.addWidget(self.error_label)

    def title(self) -> str:
        raise NotImplementedError

    def load(self, draft: Draft) -> None:
        self.draft = draft
        self.loading = True
        try:
            self.fill(draft)
        finally:
            self.loading = False

    def fill(self, draft: Draft) -> None:
        raise NotImplementedError

    def edited(self, *_args: object) -> None:
        """Connected to every input's change signal."""
        if self.loading or self.draft is None:
            return
        self.store(self.draft)
        self.changed.emit()

    def store(self, draft: Draft) -> None:
        raise NotImplementedError

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        """The widget showing a key relative to the integration, and the field's name for messages."""
        return None

    def all_fields(self) -> list[QWidget]:
        """Every widget that can be highlighted (to clear old highlights)."""
        return []

    def show_problems(self, problems: Sequence[tuple[QWidget | None, str, str]]) -> None:
        """(widget, field name, message) for this page: highlight the widgets, list the messages."""
        marked = {id(w): m for w, _, m in problems if w is not None}
        for widget in self.all_fields():
            mark_invalid(widget, marked.get(id(widget)))
        if problems:
            lines = "<br>".join(f"<b>{html(name)}</b>: {html(message)}" if name else html(message)
                                for _, name, message in problems)
            self.error_label.setText(f"<span style='color:{ERROR_COLOUR}'>⚠ {lines}</span>")
            self.error_label.show()
        else:
            self.error_label.clear()
            self.error_label.hide()

"""The integration's tabs other than ERP and shop: General, Operations, Schedule, Data scope,
Status mapping, Field ownership, Notifications."""

from __future__ import annotations

import re
from datetime import time

from PySide6.QtCore import QCoreApplication, Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from trayapp.config import OPERATIONS, WEEKDAYS
from trayapp.model import PRODUCT_FIELDS
from trayapp.ui.settings.draft import Draft
from trayapp.ui.settings.widgets import DurationEdit, ListEdit, Page, html, note
from trayapp.ui.texts import operation_label

CONFLICT_BRUSH = QBrush(QColor("#fdecea"))


def field_label(name: str) -> str:
    labels = {
        "name": QCoreApplication.translate("ProductField", "Name"),
        "price": QCoreApplication.translate("ProductField", "Price"),
        "sale_price": QCoreApplication.translate("ProductField", "Sale price"),
        "description": QCoreApplication.translate("ProductField", "Description"),
        "short_description": QCoreApplication.translate("ProductField", "Short description"),
        "categories": QCoreApplication.translate("ProductField", "Categories"),
        "tax_class": QCoreApplication.translate("ProductField", "Tax class"),
        "weight": QCoreApplication.translate("ProductField", "Weight"),
        "ean": QCoreApplication.translate("ProductField", "EAN (barcode)"),
        "active": QCoreApplication.translate("ProductField", "Published (active)"),
    }
    return labels.get(name, name)


def weekday_label(day: str) -> str:
    labels = {
        "mon": QCoreApplication.translate("Weekday", "Mon"),
        "tue": QCoreApplication.translate("Weekday", "Tue"),
        "wed": QCoreApplication.translate("Weekday", "Wed"),
        "thu": QCoreApplication.translate("Weekday", "Thu"),
        "fri": QCoreApplication.translate("Weekday", "Fri"),
        "sat": QCoreApplication.translate("Weekday", "Sat"),
        "sun": QCoreApplication.translate("Weekday", "Sun"),
    }
    return labels[day]


def direction_label(operation: str) -> str:
    to_erp = QCoreApplication.translate("Operations", "shop → ERP")
    to_shop = QCoreApplication.translate("Operations", "ERP → shop")
    return to_erp if operation in ("import-orders", "import-products") else to_shop


# ---------------------------------------------------------------- General

class GeneralPage(Page):
    key = "general"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(64)
        self.name_edit.setToolTip(self.tr("Used in the menu, the event history, the command line "
                                          "(trayapp sync NAME) and the keyring entries' names."))
        self.rename_note = note("")
        self.active_box = QCheckBox(self.tr("Active"))
        self.auto_box = QCheckBox(self.tr("Automatic sync"))
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name_edit)
        form.addRow("", self.rename_note)
        form.addRow("", self.active_box)
        form.addRow("", self.auto_box)
        self.outer.addLayout(form)
        self.outer.addWidget(note(self.tr(
            "Operations run on their own only while the integration is active and automatic sync is on. "
            "An inactive integration is not synchronised at all; with automatic sync off it is synchronised "
            "only when you ask (Sync now, Manual sync).")))
        self.outer.addStretch(1)
        self.name_edit.textEdited.connect(self.edited)
        self.active_box.toggled.connect(self.edited)
        self.auto_box.toggled.connect(self.edited)

    def title(self) -> str:
        return self.tr("General")

    def fill(self, draft: Draft) -> None:
        self.name_edit.setText(draft.name)
        self.active_box.setChecked(bool(draft.raw.get("active", True)))
        self.auto_box.setChecked(bool(draft.raw.get("automatic_sync", True)))
        self._update_note(draft)

    def store(self, draft: Draft) -> None:
        draft.raw["name"] = self.name_edit.text().strip()
        draft.raw["active"] = self.active_box.isChecked()
        draft.raw["automatic_sync"] = self.auto_box.isChecked()
        self._update_note(draft)

    def _update_note(self, draft: Draft) -> None:
        renamed = draft.original is not None and draft.name != draft.original
        self.rename_note.setVisible(renamed)
        if renamed:
            self.rename_note.setText(self.tr(
                "Renamed from '%s'. On Save its passwords and keys move to the new name in the keyring. Its "
                "sync state starts afresh: products are matched again by SKU and orders already in the ERP "
                "are recognised by their reference, so nothing is duplicated.") % draft.original)

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        if key in ("name", ""):
            return self.name_edit, self.tr("Name")
        if key == "active":
            return self.active_box, self.tr("Active")
        if key == "automatic_sync":
            return self.auto_box, self.tr("Automatic sync")
        return None

    def all_fields(self) -> list[QWidget]:
        return [self.name_edit, self.active_box, self.auto_box]


# ---------------------------------------------------------------- Operations

class OperationsPage(Page):
    key = "operations"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("<b>Operation</b>")), 0, 0)
        grid.addWidget(QLabel(self.tr("<b>Direction</b>")), 0, 1)
        grid.addWidget(QLabel(self.tr("<b>Runs every</b>")), 0, 2)
        self.enabled: dict[str, QCheckBox] = {}
        self.intervals: dict[str, DurationEdit] = {}
        for row, op in enumerate(OPERATIONS, start=1):
            box = QCheckBox(operation_label(op))
            interval = DurationEdit()
            direction = QLabel(direction_label(op))
            direction.setEnabled(False)
            grid.addWidget(box, row, 0)
            grid.addWidget(direction, row, 1)
            grid.addWidget(interval, row, 2)
            box.toggled.connect(self.edited)
            box.toggled.connect(interval.setEnabled)
            interval.changed.connect(self.edited)
            self.enabled[op], self.intervals[op] = box, interval
        grid.setColumnStretch(3, 1)
        self.outer.addLayout(grid)
        self.outer.addWidget(note(self.tr(
            "Each operation runs on its own schedule: 5 minutes unless you choose otherwise, at least 1 second. "
            "A run never overlaps itself; a run that takes longer than its interval is not stacked up.")))
        self.outer.addStretch(1)

    def title(self) -> str:
        return self.tr("Operations")

    def fill(self, draft: Draft) -> None:
        for op in OPERATIONS:
            entry = draft.operation(op)
            self.enabled[op].setChecked(bool(entry.get("enabled", True)))
            self.intervals[op].set_seconds(float(entry.get("interval", 300)))
            self.intervals[op].setEnabled(self.enabled[op].isChecked())

    def store(self, draft: Draft) -> None:
        for op in OPERATIONS:
            entry = draft.operation(op)
            entry["enabled"] = self.enabled[op].isChecked()
            seconds = self.intervals[op].seconds()
            entry["interval"] = int(seconds) if seconds.is_integer() else seconds

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        match = re.match(r"^operations(?:\.([a-z-]+))?(?:\.(\w+))?", key)
        if not match:
            return None
        op, leaf = match[1], match[2]
        if op not in self.enabled:
            return (self.enabled[OPERATIONS[0]], self.tr("Operations")) if op is None else None
        if leaf == "interval":
            return self.intervals[op], self.tr("%s: interval") % operation_label(op)
        if leaf in (None, "enabled"):
            return self.enabled[op], operation_label(op)
        return None

    def all_fields(self) -> list[QWidget]:
        return [*self.enabled.values(), *self.intervals.values()]


# ---------------------------------------------------------------- Schedule

class SchedulePage(Page):
    key = "schedule"
    TIME_FORMAT = "HH:mm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(WEEKDAYS) + 2)
        self.table.setHorizontalHeaderLabels([*(weekday_label(d) for d in WEEKDAYS), self.tr("From"), self.tr("To")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for column in range(len(WEEKDAYS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (len(WEEKDAYS), len(WEEKDAYS) + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("Add time window"))
        self.weekdays_button = QPushButton(self.tr("Add working hours (Mon-Fri 7:00-19:00)"))
        self.remove_button = QPushButton(self.tr("Remove"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.weekdays_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.outer.addWidget(self.summary)
        self.outer.addWidget(self.table, 1)
        self.outer.addLayout(buttons)
        self.outer.addWidget(note(self.tr(
            "Times are this computer's local time. A window whose end is before its start runs over midnight; "
            "an end of 00:00 means midnight at the end of the day.")))
        self.add_button.clicked.connect(lambda: self.add_window(WEEKDAYS, time(0, 0), time(0, 0)))
        self.weekdays_button.clicked.connect(lambda: self.add_window(WEEKDAYS[:5], time(7, 0), time(19, 0)))
        self.remove_button.clicked.connect(self.remove_window)
        self.table.itemChanged.connect(self.edited)

    def title(self) -> str:
        return self.tr("Schedule")

    def _time_edit(self, value: time) -> QTimeEdit:
        edit = QTimeEdit(QTime(0, 0) if value == time.max else QTime(value.hour, value.minute))
        edit.setDisplayFormat(self.TIME_FORMAT)
        edit.timeChanged.connect(self.edited)
        return edit

    def _append(self, days: tuple[str, ...] | list[str], start: time, end: time) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, day in enumerate(WEEKDAYS):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if day in days else Qt.CheckState.Unchecked)
            self.table.setItem(row, column, item)
        self.table.setCellWidget(row, len(WEEKDAYS), self._time_edit(start))
        self.table.setCellWidget(row, len(WEEKDAYS) + 1, self._time_edit(end))

    def add_window(self, days: tuple[str, ...] | list[str], start: time, end: time) -> None:
        self.loading = True
        try:
            self._append(days, start, end)
        finally:
            self.loading = False
        self.edited()

    def remove_window(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self.edited()

    def fill(self, draft: Draft) -> None:
        self.table.setRowCount(0)
        for window in draft.raw.get("windows", []):
            days = window.get("days", list(WEEKDAYS))
            self._append(list(days), _clock(window.get("start", "00:00")), _clock(window.get("end", "24:00")))
        self._update_summary()

    def store(self, draft: Draft) -> None:
        windows = []
        problems: list[tuple[str, str]] = []
        for row in range(self.table.rowCount()):
            days = [day for column, day in enumerate(WEEKDAYS)
                    if self.table.item(row, column).checkState() == Qt.CheckState.Checked]
            start = self.table.cellWidget(row, len(WEEKDAYS)).time()
            end = self.table.cellWidget(row, len(WEEKDAYS) + 1).time()
            end_text = "24:00" if end == QTime(0, 0) else end.toString("HH:mm")
            windows.append({"days": days, "start": start.toString("HH:mm"), "end": end_text})
            if not days:
                problems.append((f"windows[{row}].days", self.tr("choose at least one day")))
        if windows:
            draft.raw["windows"] = windows
        else:
            draft.raw.pop("windows", None)
        draft.page_problems[self.key] = problems
        self._update_summary()

    def _update_summary(self) -> None:
        if self.table.rowCount():
            self.summary.setText(self.tr("Operations run on their own only inside these time windows:"))
        else:
            self.summary.setText(self.tr("No time window: operations run at any time of day, every day. "
                                         "Add a window to limit them to certain days and hours."))

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        match = re.match(r"^windows(?:\[(\d+)\])?(?:\.(\w+))?", key)
        if not match:
            return None
        row = int(match[1]) if match[1] is not None else None
        label = self.tr("Time window %d") % (row + 1) if row is not None else self.tr("Time windows")
        if row is not None and row < self.table.rowCount() and match[2] in ("start", "end"):
            column = len(WEEKDAYS) + (0 if match[2] == "start" else 1)
            return self.table.cellWidget(row, column), label
        return self.table, label

    def all_fields(self) -> list[QWidget]:
        widgets: list[QWidget] = [self.table]
        for row in range(self.table.rowCount()):
            widgets += [self.table.cellWidget(row, len(WEEKDAYS)), self.table.cellWidget(row, len(WEEKDAYS) + 1)]
        return widgets


def _clock(text: str) -> time:
    hour, _, minute = str(text).partition(":")
    try:
        h, m = int(hour), int(minute or 0)
    except ValueError:
        return time(0, 0)
    return time.max if h >= 24 else time(h, m)


# ---------------------------------------------------------------- Data scope

class ScopePage(Page):
    key = "scope"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.export_labels = ListEdit()
        self.export_labels.setPlaceholderText(self.tr("all products"))
        self.stock_labels = ListEdit()
        self.stock_labels.setPlaceholderText(self.tr("all products"))
        self.buffer = QDoubleSpinBox()
        self.buffer.setRange(0, 1_000_000)
        self.buffer.setDecimals(2)
        self.buffer.setSuffix(self.tr(" units"))
        self.statuses = ListEdit()
        self.statuses.setPlaceholderText(self.tr("every status"))

        def group(title: str, rows: list[tuple[str, QWidget]], text: str) -> QGroupBox:
            box = QGroupBox(title)
            layout = QVBoxLayout(box)
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for label, widget in rows:
                form.addRow(label, widget)
            layout.addLayout(form)
            layout.addWidget(note(text))
            return box

        self.outer.addWidget(group(
            self.tr("Product export"), [(self.tr("Only products with these labels:"), self.export_labels)],
            self.tr("ERP labels (groups, tags), separated by commas. Empty: every product.")))
        self.outer.addWidget(group(
            self.tr("Stock"), [(self.tr("Only products with these labels:"), self.stock_labels),
                               (self.tr("Keep back (buffer):"), self.buffer)],
            self.tr("The shop gets the available quantity: on hand - reserved - buffer, never below 0.")))
        self.outer.addWidget(group(
            self.tr("Order import"), [(self.tr("Import orders in these shop statuses:"), self.statuses)],
            self.tr("WooCommerce statuses: pending, processing, on-hold, completed, cancelled, refunded, failed. "
                    "Usually: processing, on-hold.")))
        self.outer.addStretch(1)
        for edit in (self.export_labels, self.stock_labels, self.statuses):
            edit.textEdited.connect(self.edited)
        self.buffer.valueChanged.connect(self.edited)

    def title(self) -> str:
        return self.tr("Data scope")

    def fill(self, draft: Draft) -> None:
        self.export_labels.set_values(draft.operation("export-products").get("labels", []))
        self.stock_labels.set_values(draft.operation("update-stock").get("labels", []))
        self.buffer.setValue(float(draft.operation("update-stock").get("buffer", 0)))
        self.statuses.set_values(draft.operation("import-orders").get("statuses", ["processing", "on-hold"]))

    def store(self, draft: Draft) -> None:
        draft.operation("export-products")["labels"] = self.export_labels.values()
        stock = draft.operation("update-stock")
        stock["labels"] = self.stock_labels.values()
        buffer = self.buffer.value()
        stock["buffer"] = int(buffer) if float(buffer).is_integer() else buffer
        draft.operation("import-orders")["statuses"] = self.statuses.values()

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        fields = {
            "operations.export-products.labels": (self.export_labels, self.tr("Product export labels")),
            "operations.update-stock.labels": (self.stock_labels, self.tr("Stock labels")),
            "operations.update-stock.buffer": (self.buffer, self.tr("Stock buffer")),
            "operations.import-orders.statuses": (self.statuses, self.tr("Order statuses to import")),
        }
        return fields.get(key)

    def all_fields(self) -> list[QWidget]:
        return [self.export_labels, self.stock_labels, self.buffer, self.statuses]


# ---------------------------------------------------------------- Status mapping

class _PairTable(QWidget):
    """An editable two-column table of status pairs, with Add / Remove."""

    def __init__(self, page: Page, left: str, right: str) -> None:
        super().__init__()
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([left, right])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_button = QPushButton(QCoreApplication.translate("StatusMapPage", "Add"))
        self.remove_button = QPushButton(QCoreApplication.translate("StatusMapPage", "Remove"))
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.page = page
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.table.itemChanged.connect(page.edited)

    def set_pairs(self, pairs: dict[str, str]) -> None:
        self.table.setRowCount(0)
        for key, value in pairs.items():
            self._append(key, value)

    def _append(self, key: str, value: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))

    def add_row(self) -> None:
        self.page.loading = True
        try:
            self._append("", "")
        finally:
            self.page.loading = False
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.editItem(self.table.item(self.table.rowCount() - 1, 0))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.page.edited()

    def pairs(self, key: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """The mapping and its problems (half-filled rows, a status mapped twice)."""
        out: dict[str, str] = {}
        problems: list[tuple[str, str]] = []
        for row in range(self.table.rowCount()):
            left = (self.table.item(row, 0).text() if self.table.item(row, 0) else "").strip()
            right = (self.table.item(row, 1).text() if self.table.item(row, 1) else "").strip()
            if not left and not right:
                continue
            if not left or not right:
                problems.append((key, QCoreApplication.translate(
                    "StatusMapPage", "row %d: give both statuses, or remove the row") % (row + 1)))
            elif left in out:
                problems.append((key, QCoreApplication.translate(
                    "StatusMapPage", "status '%s' is mapped twice") % left))
            else:
                out[left] = right
        return out, problems


class StatusMapPage(Page):
    key = "status_map"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.to_shop = _PairTable(self, self.tr("ERP status"), self.tr("Shop status"))
        self.to_erp = _PairTable(self, self.tr("Shop status"), self.tr("ERP status"))
        shop_group = QGroupBox(self.tr("ERP → shop (update order statuses)"))
        layout = QVBoxLayout(shop_group)
        layout.addWidget(self.to_shop)
        layout.addWidget(note(self.tr("When an order's status changes in the ERP, the shop gets the status on the "
                                      "right. ERP statuses not listed are not sent.")))
        erp_group = QGroupBox(self.tr("Shop → ERP (import orders)"))
        layout = QVBoxLayout(erp_group)
        layout.addWidget(self.to_erp)
        layout.addWidget(note(self.tr("An imported order gets the ERP status on the right of its shop status.")))
        self.outer.addWidget(shop_group, 1)
        self.outer.addWidget(erp_group, 1)

    def title(self) -> str:
        return self.tr("Status mapping")

    def fill(self, draft: Draft) -> None:
        status_map = draft.raw.get("status_map", {})
        self.to_shop.set_pairs(dict(status_map.get("to_shop", {})))
        self.to_erp.set_pairs(dict(status_map.get("to_erp", {})))

    def store(self, draft: Draft) -> None:
        to_shop, problems = self.to_shop.pairs("status_map.to_shop")
        to_erp, more = self.to_erp.pairs("status_map.to_erp")
        draft.raw["status_map"] = {"to_shop": to_shop, "to_erp": to_erp}
        draft.page_problems[self.key] = problems + more

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        if key.startswith("status_map.to_erp"):
            return self.to_erp.table, self.tr("Shop → ERP")
        if key.startswith("status_map"):
            return self.to_shop.table, self.tr("ERP → shop")
        return None

    def all_fields(self) -> list[QWidget]:
        return [self.to_shop.table, self.to_erp.table]


# ---------------------------------------------------------------- Field ownership

class OwnershipPage(Page):
    key = "ownership"
    ERP_COLUMN, SHOP_COLUMN, RESULT_COLUMN = 1, 2, 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(len(PRODUCT_FIELDS), 4)
        self.table.setHorizontalHeaderLabels([self.tr("Product field"), self.tr("ERP is master"),
                                              self.tr("Shop is master"), self.tr("Result")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.RESULT_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, name in enumerate(PRODUCT_FIELDS):
            label = QTableWidgetItem(field_label(name))
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            label.setData(Qt.ItemDataRole.UserRole, name)
            self.table.setItem(row, 0, label)
            for column in (self.ERP_COLUMN, self.SHOP_COLUMN):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.table.setItem(row, column, item)
            result = QTableWidgetItem()
            result.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, self.RESULT_COLUMN, result)
        self.outer.addWidget(self.table, 1)
        self.outer.addWidget(note(self.tr(
            "Each product field has one master side: export products sends the ERP's fields to the shop, "
            "import products writes the shop's fields into the ERP. A field with both sides as master would "
            "make them overwrite each other, so it is refused; a field with neither is not synchronised.")))
        self.table.itemChanged.connect(self._item_changed)

    def title(self) -> str:
        return self.tr("Field ownership")

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() in (self.ERP_COLUMN, self.SHOP_COLUMN) and not self.loading:
            self._update_results()
            self.edited()

    def checked(self, row: int, column: int) -> bool:
        return self.table.item(row, column).checkState() == Qt.CheckState.Checked

    def set_master(self, field: str, erp: bool, shop: bool) -> None:
        """As a user ticking the boxes."""
        row = PRODUCT_FIELDS.index(field)
        for column, on in ((self.ERP_COLUMN, erp), (self.SHOP_COLUMN, shop)):
            self.table.item(row, column).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def conflicts(self) -> list[str]:
        return [name for row, name in enumerate(PRODUCT_FIELDS)
                if self.checked(row, self.ERP_COLUMN) and self.checked(row, self.SHOP_COLUMN)]

    def _update_results(self) -> None:
        was = self.table.blockSignals(True)
        try:
            for row in range(len(PRODUCT_FIELDS)):
                erp, shop = self.checked(row, self.ERP_COLUMN), self.checked(row, self.SHOP_COLUMN)
                if erp and shop:
                    text = self.tr("⚠ two masters: choose one")
                elif erp:
                    text = self.tr("ERP → shop")
                elif shop:
                    text = self.tr("shop → ERP")
                else:
                    text = self.tr("not synchronised")
                result = self.table.item(row, self.RESULT_COLUMN)
                result.setText(text)
                brush = CONFLICT_BRUSH if erp and shop else QBrush()
                for column in range(4):
                    self.table.item(row, column).setBackground(brush)
        finally:
            self.table.blockSignals(was)

    def fill(self, draft: Draft) -> None:
        ownership = draft.raw.get("ownership", {})
        erp, shop = set(ownership.get("erp", PRODUCT_FIELDS)), set(ownership.get("shop", ()))
        for name in PRODUCT_FIELDS:
            self.set_master(name, name in erp, name in shop)
        self._update_results()

    def store(self, draft: Draft) -> None:
        draft.raw["ownership"] = {
            "erp": [n for r, n in enumerate(PRODUCT_FIELDS) if self.checked(r, self.ERP_COLUMN)],
            "shop": [n for r, n in enumerate(PRODUCT_FIELDS) if self.checked(r, self.SHOP_COLUMN)]}

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        if key.startswith("ownership"):
            return self.table, self.tr("Field ownership")
        return None

    def all_fields(self) -> list[QWidget]:
        return [self.table]

    def show_problems(self, problems) -> None:
        super().show_problems(problems)
        conflicts = self.conflicts()
        if conflicts:  # name the fields in the user's words too
            names = ", ".join(field_label(n) for n in conflicts)
            extra = self.tr("Two masters: %s. Untick ERP or shop for each.") % names
            self.error_label.setText(self.error_label.text() + f"<br><span style='color:#b3261e'>{html(extra)}</span>")


# ---------------------------------------------------------------- Notifications

class NotificationsPage(Page):
    key = "notifications"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notify_box = QCheckBox(self.tr("Desktop notifications"))
        self.outer.addWidget(self.notify_box)
        self.outer.addWidget(note(self.tr(
            "A notification when an operation of this integration starts failing, and one when it works again; "
            "none for runs that succeed (the tray icon shows that synchronisation runs). Whether every run is "
            "kept in the event history is set for all integrations, on the left.")))
        self.outer.addStretch(1)
        self.notify_box.toggled.connect(self.edited)

    def title(self) -> str:
        return self.tr("Notifications")

    def fill(self, draft: Draft) -> None:
        self.notify_box.setChecked(bool(draft.raw.get("notifications", True)))

    def store(self, draft: Draft) -> None:
        draft.raw["notifications"] = self.notify_box.isChecked()

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        return (self.notify_box, self.tr("Notifications")) if key == "notifications" else None

    def all_fields(self) -> list[QWidget]:
        return [self.notify_box]

"""The Manual sync dialog: pick an integration, operations and a scope; Preview (a dry run listing what
would be created, updated, skipped or would fail) or Run, with progress and Cancel.

Threading: the work runs on SchedulerService.run_now's worker thread. That thread only *emits*
signals (progress, done); queued connections deliver them to this dialog on the GUI thread, which
alone touches widgets. Cancel sets the threading.Event passed to run_now: the engine stops at its
next check (between records or batches). Manual runs are recorded in the event history by the
engine, like scheduled ones (previews are not: they write nothing). Closing the dialog while a run
goes on only hides it: the run continues, and reopening the dialog shows it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trayapp.config import OPERATIONS
from trayapp.errors import ConfigError
from trayapp.operations.base import MAX_LISTED_SKIPS, RunResult, Scope
from trayapp.scheduler import SchedulerService
from trayapp.ui.bridge import EngineBridge
from trayapp.ui.icons import app_icon
from trayapp.ui.texts import operation_label, shorten, status_label

log = logging.getLogger(__name__)

ACTIONS = ("create", "update", "skip", "fail")
PROBLEM_COLOUR = QColor("#b3261e")
STEPS = 1000  # progress bar units per operation
Index = QModelIndex | QPersistentModelIndex


def action_label(action: str, *, preview: bool = True) -> str:
    if preview:
        labels = {
            "create": QCoreApplication.translate("ManualSync", "Create"),
            "update": QCoreApplication.translate("ManualSync", "Update"),
            "skip": QCoreApplication.translate("ManualSync", "Skip"),
            "fail": QCoreApplication.translate("ManualSync", "Would fail"),
        }
    else:
        labels = {"fail": QCoreApplication.translate("ManualSync", "Failed")}
    return labels.get(action, action)


def preview_status_label(status: str) -> str:
    """A dry run's outcome: what the real run would do."""
    labels = {
        "ok": QCoreApplication.translate("ManualSync", "ready"),
        "partial": QCoreApplication.translate("ManualSync", "some records would fail"),
    }
    return labels.get(status) or status_label(status)


_DETAIL_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^stock -> (.*)$"),
     lambda m: QCoreApplication.translate("ManualSync", "stock → %s") % m[1]),
    (re.compile(r"^status -> (.*)$"),
     lambda m: QCoreApplication.translate("ManualSync", "status → %s") % m[1]),
    (re.compile(r"^already in the ERP as (.*)$"),
     lambda m: QCoreApplication.translate("ManualSync", "already in the ERP as %s") % m[1]),
    (re.compile(r"^ERP status '(.*)' is not mapped to a shop status$"),
     lambda m: QCoreApplication.translate("ManualSync", "ERP status '%s' is not mapped to a shop status") % m[1]),
)


def detail_label(detail: str) -> str:
    """The engine's few fixed planning notes in the user's language (names and reasons stay as they are)."""
    fixed = {
        "unchanged": QCoreApplication.translate("ManualSync", "unchanged"),
        "not in the shop": QCoreApplication.translate("ManualSync", "not in the shop"),
        "already imported": QCoreApplication.translate("ManualSync", "already imported"),
        "held back: younger than the settle delay": QCoreApplication.translate(
            "ManualSync", "held back: younger than the settle delay"),
    }
    if detail in fixed:
        return fixed[detail]
    for pattern, render in _DETAIL_PATTERNS:
        match = pattern.match(detail)
        if match:
            return render(match)
    return detail


@contextlib.contextmanager
def filter_change(proxy: QSortFilterProxyModel) -> Iterator[None]:
    """Around a change of a proxy's filter criteria (Qt 6.10 API; invalidateFilter before it)."""
    begin = getattr(proxy, "beginFilterChange", None)
    if begin is None:
        yield
        proxy.invalidateFilter()
        return
    begin()
    yield
    proxy.endFilterChange()


@dataclass(frozen=True, slots=True)
class SyncRequest:
    integration: str
    operations: tuple[str, ...]
    scope: Scope


@dataclass(frozen=True, slots=True)
class PlanRow:
    operation: str
    action: str  # create | update | skip | fail
    key: str
    detail: str


# ---------------------------------------------------------------------------------------------- models

class SummaryModel(QAbstractTableModel):
    """One row per chosen operation: its result (or that it has not run yet) and its counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = True
        self.operations: list[str] = []
        self.results: dict[str, RunResult] = {}
        self.pending_text = ""

    def headers(self) -> list[str]:
        if self.preview:
            return [self.tr("Operation"), self.tr("Result"), self.tr("To create"), self.tr("To update"),
                    self.tr("Skipped"), self.tr("Would fail"), self.tr("Duration"), self.tr("Note")]
        return [self.tr("Operation"), self.tr("Result"), self.tr("Created"), self.tr("Updated"),
                self.tr("Skipped"), self.tr("Failed"), self.tr("Duration"), self.tr("Note")]

    def reset(self, operations: Sequence[str], *, preview: bool, pending: str) -> None:
        self.beginResetModel()
        self.preview = preview
        self.operations = list(operations)
        self.results = {}
        self.pending_text = pending
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers()) - 1)

    def set_result(self, result: RunResult) -> None:
        if result.operation not in self.operations:
            return
        self.results[result.operation] = result
        row = self.operations.index(result.operation)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_pending(self, text: str) -> None:
        self.pending_text = text
        if self.operations:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.operations) - 1, 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.operations)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        operation = self.operations[index.row()]
        result = self.results.get(operation)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return operation_label(operation)
            if result is None:
                return self.pending_text if column == 1 else ""
            if column == 1:
                return preview_status_label(result.status) if self.preview else status_label(result.status)
            if 2 <= column <= 5:
                return (result.created, result.updated, result.skipped, result.failed)[column - 2]
            if column == 6:
                return self.tr("%.1f s") % result.duration
            return shorten(result.error, 200)
        if role == Qt.ItemDataRole.ToolTipRole and column == 7 and result is not None and result.error:
            return result.error
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and result is not None and (
                (column == 1 and result.status in ("failed", "partial", "busy"))
                or (column == 5 and result.failed)):
            return QBrush(PROBLEM_COLOUR)
        return None


class PlanModel(QAbstractTableModel):
    """The records of a preview (every planned change) or of a run (the records that failed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PlanRow] = []
        self.preview = True

    def set_rows(self, rows: Sequence[PlanRow], *, preview: bool) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.preview = preview
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Operation"), self.tr("Action"), self.tr("Record"),
                    self.tr("Details") if self.preview else self.tr("Reason"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return operation_label(row.operation)
            if column == 1:
                return action_label(row.action, preview=self.preview)
            if column == 2:
                return row.key
            return detail_label(row.detail)
        if role == Qt.ItemDataRole.ForegroundRole and row.action == "fail":
            return QBrush(PROBLEM_COLOUR)
        if role == Qt.ItemDataRole.UserRole:
            return row.action
        return None


class PlanFilter(QSortFilterProxyModel):
    """Rows of one action (or all), containing a text (in the record or its details)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = ""
        self.text = ""

    def set_filter(self, action: str, text: str) -> None:
        with filter_change(self):
            self.action, self.text = action, text.strip().casefold()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, PlanModel)
        row = model.rows[source_row]
        if self.action and row.action != self.action:
            return False
        return not self.text or self.text in f"{row.key}\n{detail_label(row.detail)}\n{row.detail}".casefold()


# ---------------------------------------------------------------------------------------------- dialog

class ManualSyncDialog(QDialog):
    finished_work = Signal(bool, list)  # (preview?, list[RunResult]) once a preview or run has ended

    _progress = Signal(int, str, int, object)  # job, operation, done, total (None); emitted on the worker
    _done = Signal(int, object)  # job, Future; emitted on the worker

    def __init__(self, service: SchedulerService, bridge: EngineBridge, *, integration: str | None = None,
                 open_history: Callable[[], object] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.bridge = bridge
        self._open_history = open_history
        self.future: Future | None = None
        self.request_running: SyncRequest | None = None
        self.preview_running = False
        self.cancel_event: threading.Event | None = None
        self._job = 0  # which preview/run the worker's signals belong to
        self._current = ""  # the operation running now
        self.results: list[RunResult] = []
        self.setWindowTitle(self.tr("Manual sync - trayapp"))
        self.setWindowIcon(app_icon())
        self.setModal(False)

        self._built = False
        self._build(integration)
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        bridge.run_started.connect(self._on_run_started)
        bridge.run_finished.connect(self._on_run_finished)
        bridge.state_changed.connect(self.refresh_integrations)
        self._set_running(False)
        self.resize(960, 680)

    # ------------------------------------------------------------------ building

    def _build(self, integration: str | None) -> None:
        self.integration_combo = QComboBox()
        self.integration_combo.currentTextChanged.connect(self._on_integration_changed)
        integration_row = QHBoxLayout()
        label = QLabel(self.tr("&Integration:"))
        label.setBuddy(self.integration_combo)
        integration_row.addWidget(label)
        integration_row.addWidget(self.integration_combo, 1)

        self.operations_box = QGroupBox(self.tr("Operations"))
        ops_layout = QVBoxLayout(self.operations_box)
        self.op_checks: dict[str, QCheckBox] = {}
        for op in OPERATIONS:
            check = QCheckBox(operation_label(op))
            check.toggled.connect(self._validate)
            self.op_checks[op] = check
            ops_layout.addWidget(check)
        ops_layout.addStretch(1)

        self.scope_box = QGroupBox(self.tr("Which records"))
        scope = QGridLayout(self.scope_box)
        self.scope_group = QButtonGroup(self)
        self.scope_changes = QRadioButton(self.tr("Changed since the last scheduled run"))
        self.scope_all = QRadioButton(self.tr("All records"))
        self.scope_range = QRadioButton(self.tr("Number range:"))
        self.scope_since = QRadioButton(self.tr("Changed since:"))
        for button in (self.scope_changes, self.scope_all, self.scope_range, self.scope_since):
            self.scope_group.addButton(button)
            button.toggled.connect(self._validate)
        self.scope_changes.setChecked(True)
        self.range_from = QLineEdit()
        self.range_from.setPlaceholderText(self.tr("from, e.g. 1000"))
        self.range_to = QLineEdit()
        self.range_to.setPlaceholderText(self.tr("to, e.g. 1200"))
        for edit in (self.range_from, self.range_to):
            edit.textEdited.connect(lambda *_: self.scope_range.setChecked(True))
            edit.textChanged.connect(self._validate)
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_from)
        range_row.addWidget(QLabel("–"))
        range_row.addWidget(self.range_to)
        self.since_edit = QDateTimeEdit(QDateTime.currentDateTime().addDays(-1))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.since_edit.dateTimeChanged.connect(lambda *_: self.scope_since.setChecked(True))
        self.since_edit.dateTimeChanged.connect(self._validate)
        range_hint = QLabel(self.tr("Order numbers for orders; SKUs (product codes) for products and stock."))
        range_hint.setWordWrap(True)
        range_hint.setEnabled(False)
        self.force_check = QCheckBox(self.tr("Send even unchanged records"))
        self.force_check.setToolTip(self.tr(
            "Normally records the other side already has in this version are not sent again. "
            "Tick this to send them all the same (e.g. after someone edited them by hand in the shop)."))
        scope.addWidget(self.scope_changes, 0, 0, 1, 2)
        scope.addWidget(self.scope_all, 1, 0, 1, 2)
        scope.addWidget(self.scope_range, 2, 0)
        scope.addLayout(range_row, 2, 1)
        scope.addWidget(range_hint, 3, 1)
        scope.addWidget(self.scope_since, 4, 0)
        scope.addWidget(self.since_edit, 4, 1)
        scope.addWidget(self.force_check, 5, 0, 1, 2)
        scope.setColumnStretch(1, 1)

        choices = QHBoxLayout()
        choices.addWidget(self.operations_box, 2)
        choices.addWidget(self.scope_box, 3)

        self.problem_label = QLabel()
        self.problem_label.setStyleSheet(f"color: {PROBLEM_COLOUR.name()}")
        self.problem_label.setWordWrap(True)

        self.preview_button = QPushButton(self.tr("&Preview"))
        self.preview_button.setToolTip(self.tr("List what would be created, updated or skipped, without "
                                               "writing anything"))
        self.preview_button.clicked.connect(self.preview)
        self.run_button = QPushButton(self.tr("&Run"))
        self.run_button.setToolTip(self.tr("Synchronise now; the result is kept in the event history"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop after the record or batch in progress; what is done stays done"))
        self.cancel_button.clicked.connect(self.cancel)
        self.history_button = QPushButton(self.tr("Event &history…"))
        self.history_button.clicked.connect(self._show_history)
        self.history_button.setVisible(self._open_history is not None)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.close)
        self.run_button.setDefault(True)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.run_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.close_button)

        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel(self.tr("Choose what to synchronise, then Preview or Run."))
        self.progress_label.setWordWrap(True)
        self.progress_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.summary_model = SummaryModel(self)
        self.summary_view = self._table(self.summary_model)
        self.summary_view.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        # one row per operation, all of them always in view (the splitter never squeezes it below that)
        self.summary_view.setMinimumHeight(
            self.summary_view.horizontalHeader().sizeHint().height() + 2 * self.summary_view.frameWidth()
            + len(OPERATIONS) * self.summary_view.verticalHeader().defaultSectionSize())
        self.summary_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.plan_model = PlanModel(self)
        self.plan_filter = PlanFilter(self)
        self.plan_filter.setSourceModel(self.plan_model)
        self.plan_filter.setSortRole(Qt.ItemDataRole.DisplayRole)
        self.plan_view = self._table(self.plan_filter)
        self.plan_view.setSortingEnabled(True)
        self.plan_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the engine's order until a header is clicked
        self.plan_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.action_combo = QComboBox()
        self.action_combo.addItem(self.tr("All records"), "")
        for action in ACTIONS:
            self.action_combo.addItem(action_label(action), action)
        self.action_combo.currentIndexChanged.connect(self._apply_plan_filter)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Find a record…"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.textChanged.connect(self._apply_plan_filter)
        self.plan_title = QLabel()
        plan_bar = QHBoxLayout()
        plan_bar.addWidget(self.plan_title, 1)
        plan_bar.addWidget(self.action_combo)
        plan_bar.addWidget(self.find_edit)
        plan_box = QWidget()
        plan_layout = QVBoxLayout(plan_box)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addLayout(plan_bar)
        plan_layout.addWidget(self.plan_view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.summary_view)
        self.splitter.addWidget(plan_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([150, 400])

        layout = QVBoxLayout(self)
        layout.addLayout(integration_row)
        layout.addLayout(choices)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.splitter, 1)

        self._show_plan_title(None)
        self._built = True
        self.refresh_integrations(select=integration)

    def _table(self, model: QAbstractTableModel | QSortFilterProxyModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setHighlightSections(False)
        return view

    # ------------------------------------------------------------------ choices

    @Slot()
    def refresh_integrations(self, select: str | None = None) -> None:
        """The integrations of the configuration (kept in sync with it; the choice stays if it can)."""
        wanted = select or self.integration_combo.currentText()
        names = [i.name for i in self.service.config.integrations]
        if names == [self.integration_combo.itemText(i) for i in range(self.integration_combo.count())]:
            if wanted in names and wanted != self.integration_combo.currentText():
                self.integration_combo.setCurrentText(wanted)
            return
        self.integration_combo.blockSignals(True)
        self.integration_combo.clear()
        self.integration_combo.addItems(names)
        if wanted in names:
            self.integration_combo.setCurrentText(wanted)
        self.integration_combo.blockSignals(False)
        self._on_integration_changed(self.integration_combo.currentText())

    @Slot(str)
    def _on_integration_changed(self, name: str) -> None:
        """Tick the operations the integration has enabled; the others can still be chosen by hand."""
        try:
            integration = self.service.config.integration(name) if name else None
        except ConfigError:
            integration = None
        for op, check in self.op_checks.items():
            enabled = integration is not None and integration.operation(op).enabled
            check.setChecked(enabled)
            check.setText(operation_label(op) if enabled or integration is None
                          else self.tr("%s (not scheduled)") % operation_label(op))
            check.setToolTip("" if enabled else self.tr(
                "This operation is switched off in the integration's settings; it runs only if you tick it."))
        self._validate()

    def select(self, integration: str, operations: Sequence[str] | None = None) -> None:
        """Preselect an integration (and, if given, exactly these operations)."""
        self.refresh_integrations(select=integration)
        if operations is not None:
            for op, check in self.op_checks.items():
                check.setChecked(op in operations)

    def chosen_operations(self) -> tuple[str, ...]:
        return tuple(op for op, check in self.op_checks.items() if check.isChecked())

    def scope(self) -> Scope:
        force = self.force_check.isChecked()
        if self.scope_all.isChecked():
            return Scope("all", force=force)
        if self.scope_range.isChecked():
            return Scope("range", first=self.range_from.text().strip(), last=self.range_to.text().strip(),
                         force=force)
        if self.scope_since.isChecked():
            local = self.since_edit.dateTime().toPython()
            assert isinstance(local, datetime)
            return Scope("since", since=local.astimezone().astimezone(UTC), force=force)
        return Scope(force=force)

    def problem(self) -> str:
        """Why the current choice cannot run (empty when it can)."""
        if not self.integration_combo.currentText():
            return self.tr("No integration is configured; set one up in the settings first.")
        if not self.chosen_operations():
            return self.tr("Choose at least one operation.")
        if self.scope_range.isChecked():
            first, last = self.range_from.text().strip(), self.range_to.text().strip()
            if not first or not last:
                return self.tr("Enter both ends of the number range (the same number twice for one record).")
            if "import-orders" in self.chosen_operations() and not (first.isdigit() and last.isdigit()):
                return self.tr("Orders are chosen by their number: give the range in numbers, e.g. 1000 to 1200.")
            if first.isdigit() and last.isdigit() and int(first) > int(last):
                return self.tr("The range starts after it ends: %(first)s is larger than %(last)s.") % {
                    "first": first, "last": last}
            if not (first.isdigit() and last.isdigit()) and first > last:
                return self.tr("The range starts after it ends: %(first)s sorts after %(last)s.") % {
                    "first": first, "last": last}
        if self.scope_since.isChecked():
            local = self.since_edit.dateTime().toPython()
            assert isinstance(local, datetime)
            if local > datetime.now() + timedelta(minutes=1):
                return self.tr("The date is in the future: nothing can have changed since then.")
        return ""

    def request(self) -> SyncRequest | None:
        if self.problem():
            return None
        return SyncRequest(self.integration_combo.currentText(), self.chosen_operations(), self.scope())

    @Slot()
    def _validate(self) -> None:
        if not self._built:
            return
        problem = self.problem()
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        idle = self.future is None
        self.preview_button.setEnabled(idle and not problem)
        self.run_button.setEnabled(idle and not problem)

    # ------------------------------------------------------------------ preview / run / cancel

    @Slot()
    def preview(self) -> Future | None:
        """A dry run of the current choice: nothing is written, nothing is recorded."""
        return self._start(dry_run=True)

    @Slot()
    def run(self) -> Future | None:
        return self._start(dry_run=False)

    @Slot()
    def cancel(self) -> None:
        if self.cancel_event is None or self.future is None or self.cancel_event.is_set():
            return
        self.cancel_event.set()
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(self.tr("Stopping after the record or batch in progress…"))
        log.info("manual sync: cancel requested")

    def _start(self, *, dry_run: bool) -> Future | None:
        if self.future is not None:
            return None
        request = self.request()
        if request is None:
            self._validate()
            return None
        self._job += 1
        job = self._job
        cancel = threading.Event()

        def report(operation: str, done: int, total: int | None) -> None:  # on the worker thread: only emit
            with contextlib.suppress(RuntimeError):  # the dialog is gone
                self._progress.emit(job, operation, done, total)

        try:
            future = self.service.run_now(request.integration, request.operations, scope=request.scope,
                                          dry_run=dry_run, cancel=cancel, progress=report)
        except (ConfigError, RuntimeError) as exc:  # removed integration; the service is shutting down
            self.progress_label.setText(self.tr("Could not start: %s") % exc)
            return None
        self.future = future
        self.cancel_event = cancel
        self.request_running = request
        self.preview_running = dry_run
        self._current = ""
        self.results = []
        pending = self.tr("waiting")
        self.summary_model.reset(request.operations, preview=dry_run, pending=pending)
        self.plan_model.set_rows([], preview=dry_run)
        self._show_plan_title(None)
        self._set_running(True)
        self.progress_bar.setRange(0, len(request.operations) * STEPS)
        self.progress_bar.setValue(0)
        self.progress_label.setText(self.tr("Previewing…") if dry_run else self.tr("Starting…"))
        log.info("manual sync: %s %s %s (%s)", "preview of" if dry_run else "run of", request.integration,
                 ", ".join(request.operations), request.scope.describe())

        def done(f: Future) -> None:  # on the worker thread (or here, if already done): only emit
            with contextlib.suppress(RuntimeError):
                self._done.emit(job, f)

        future.add_done_callback(done)
        return future

    def _set_running(self, running: bool) -> None:
        for widget in (self.integration_combo, self.operations_box, self.scope_box):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.close_button.setText(self.tr("Hide") if running else self.tr("Close"))
        self.close_button.setToolTip(self.tr("The run goes on; open Manual sync again to see it") if running else "")
        self._validate()

    def _ours(self, result: RunResult) -> bool:
        request = self.request_running
        return (request is not None and self.future is not None and result.integration == request.integration
                and result.operation in request.operations and result.trigger == "manual"
                and result.dry_run == self.preview_running)

    @Slot(object)
    def _on_run_started(self, result: RunResult) -> None:
        if not self._ours(result):
            return
        assert self.request_running is not None
        self._current = result.operation
        ops = self.request_running.operations
        step = ops.index(result.operation)
        self.summary_model.set_pending(self.tr("waiting"))
        self.progress_label.setText(self._step_text(result.operation, self.tr("reading…")))
        if len(ops) == 1:
            self.progress_bar.setRange(0, 0)  # busy until the operation says how far it is
        else:
            self.progress_bar.setRange(0, len(ops) * STEPS)
            self.progress_bar.setValue(step * STEPS)

    @Slot(object)
    def _on_run_finished(self, result: RunResult) -> None:
        if self._ours(result):
            self.summary_model.set_result(result)

    @Slot(int, str, int, object)
    def _on_progress(self, job: int, operation: str, done: int, total: int | None) -> None:
        if job != self._job or self.future is None or self.request_running is None:
            return
        ops = self.request_running.operations
        if operation not in ops:
            return
        step = ops.index(operation)
        if total:
            done = min(done, total)
            text = self.tr("%(done)s of %(total)s") % {"done": done, "total": total}
        else:
            text = self.tr("%n record(s) so far", "", done)
        if self.cancel_event is None or not self.cancel_event.is_set():
            self.progress_label.setText(self._step_text(operation, text))
        if total:
            self.progress_bar.setRange(0, len(ops) * STEPS)
            self.progress_bar.setValue(step * STEPS + done * STEPS // total)

    def _step_text(self, operation: str, text: str) -> str:
        assert self.request_running is not None
        ops = self.request_running.operations
        line = self.tr("%(operation)s: %(progress)s") % {"operation": operation_label(operation), "progress": text}
        if len(ops) > 1:
            line += " " + self.tr("(operation %(step)s of %(count)s)") % {
                "step": ops.index(operation) + 1, "count": len(ops)}
        return line

    @Slot(int, object)
    def _on_done(self, job: int, future: Future) -> None:
        if job != self._job:
            return
        request, preview = self.request_running, self.preview_running
        cancelled = self.cancel_event is not None and self.cancel_event.is_set()
        self.future = None
        self.cancel_event = None
        assert request is not None
        error = ""
        results: list[RunResult] = []
        if future.cancelled():
            error = self.tr("the service stopped before the run began")
        elif future.exception() is not None:
            error = str(future.exception())
            log.warning("manual sync failed: %s", error)
        else:
            results = list(future.result())
        self.results = results
        for result in results:
            self.summary_model.set_result(result)
        not_run = [op for op in request.operations if op not in {r.operation for r in results}]
        self.summary_model.set_pending(self.tr("not run (stopped before it)") if not_run else "")
        self.progress_bar.setRange(0, len(request.operations) * STEPS)
        self.progress_bar.setValue(self.progress_bar.maximum())
        self._set_running(False)
        self.plan_model.set_rows(_plan_rows(results, preview=preview), preview=preview)
        self._show_plan_title(results)
        self.progress_label.setText(self._summary_text(results, preview=preview, cancelled=cancelled, error=error))
        log.info("manual sync: %s of %s finished", "preview" if preview else "run", request.integration)
        self.finished_work.emit(preview, results)

    def _summary_text(self, results: list[RunResult], *, preview: bool, cancelled: bool, error: str) -> str:
        if error:
            return self.tr("The sync could not run: %s") % error
        created = sum(r.created for r in results)
        updated = sum(r.updated for r in results)
        skipped = sum(r.skipped for r in results)
        failed = sum(r.failed for r in results)
        whole = [r for r in results if r.status in ("failed", "busy")]
        if preview:
            text = self.tr("Preview - nothing was written: %(create)s to create, %(update)s to update, "
                           "%(skip)s skipped, %(fail)s would fail.") % {
                "create": created, "update": updated, "skip": skipped, "fail": failed}
        else:
            text = self.tr("Finished: %(create)s created, %(update)s updated, %(skip)s skipped, "
                           "%(fail)s failed. The runs are in the event history.") % {
                "create": created, "update": updated, "skip": skipped, "fail": failed}
        if cancelled or any(r.status == "cancelled" for r in results):
            text = self.tr("Stopped on request.") + " " + text
        if whole:
            text += " " + self.tr("%n operation(s) could not run; see the Note column.", "", len(whole))
        return text

    def _show_plan_title(self, results: list[RunResult] | None) -> None:
        preview = self.plan_model.preview
        if results is None:
            self.plan_title.setText(self.tr("Records: run a Preview to see what would change."))
        elif preview:
            truncated = any(r.skipped > sum(1 for p in r.planned if p.action == "skip") for r in results)
            text = self.tr("Records the sync would touch (%n):", "", len(self.plan_model.rows))
            if truncated:
                text += " " + self.tr("(only the first %s skipped records of each operation are listed)") % \
                    MAX_LISTED_SKIPS
            self.plan_title.setText(text)
        else:
            self.plan_title.setText(self.tr("Records that failed (%n):", "", len(self.plan_model.rows)))
        self.action_combo.setVisible(preview and results is not None)

    @Slot()
    def _apply_plan_filter(self) -> None:
        self.plan_filter.set_filter(self.action_combo.currentData() or "", self.find_edit.text())

    @Slot()
    def _show_history(self) -> None:
        if self._open_history is not None:
            self._open_history()

    # ------------------------------------------------------------------ window

    def show_and_raise(self) -> None:
        self.refresh_integrations()
        self.show()
        self.raise_()
        self.activateWindow()

    def dispose(self) -> None:
        """Stop listening to the bridge (before the bridge or the dialog goes away)."""
        for signal, slot in ((self.bridge.run_started, self._on_run_started),
                             (self.bridge.run_finished, self._on_run_finished),
                             (self.bridge.state_changed, self.refresh_integrations)):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        if self.cancel_event is not None:
            self.cancel_event.set()


def _plan_rows(results: Sequence[RunResult], *, preview: bool) -> list[PlanRow]:
    """Per operation: what would be created, updated, what would fail, then what is skipped."""
    rows: list[PlanRow] = []
    order = {action: n for n, action in enumerate(("create", "update", "fail", "skip"))}
    for result in results:
        if preview:
            planned = sorted(result.planned, key=lambda p: order.get(p.action, len(order)))  # stable
            rows.extend(PlanRow(result.operation, p.action, p.key, p.detail) for p in planned)
        else:
            rows.extend(PlanRow(result.operation, "fail", key, reason) for key, reason in result.failures)
    return rows

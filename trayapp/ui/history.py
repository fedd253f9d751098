"""The Event history window: the journal's runs in a table (a model, not a widget per cell), filters,
the failed records of the selected run with their reasons, CSV export, the log folder.

Live: on every run the EngineBridge reports (and every few seconds, for runs made by another
process such as the background service or the command line) the window asks the journal for runs
after the newest it shows - plus any it shows as still running - and merges them in.
Integration, operation and result filters are applied by the journal query (so they reach past the
loaded window of recent runs); the text filter works on the loaded rows.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelection,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QUrl,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trayapp.config import OPERATIONS
from trayapp.journal import Journal, RunRecord
from trayapp.operations.base import RunResult
from trayapp.ui.bridge import EngineBridge
from trayapp.ui.icons import app_icon
from trayapp.ui.manual_sync import filter_change
from trayapp.ui.texts import operation_label, shorten, status_label

log = logging.getLogger(__name__)

RUN_LIMIT = 2000  # runs loaded at a time (newest first); filters narrow the query itself
POLL_MS = 5000  # while shown: look for runs made by other processes
PROBLEM_STATUSES = ("failed", "partial", "interrupted")
FILTER_STATUSES = ("ok", "partial", "failed", "cancelled", "interrupted", "running")
PROBLEMS = "problems"  # the result filter "with problems": any of PROBLEM_STATUSES
PROBLEM_COLOUR = QColor("#b3261e")
MUTED_COLOUR = QColor("#7a5c00")
SORT_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("time", "integration", "operation", "trigger", "result", "created", "updated", "skipped", "failed",
           "duration", "error")
NUMERIC = {"created", "updated", "skipped", "failed", "duration"}


def trigger_label(trigger: str) -> str:
    labels = {"scheduled": QCoreApplication.translate("History", "Scheduled"),
              "manual": QCoreApplication.translate("History", "Manual")}
    return labels.get(trigger, trigger)


_SINCE = re.compile(r"^since (\S+)$")
_RANGE = re.compile(r"^range (.*)\.\.(.*)$")


def scope_label(scope: str) -> str:
    """The journal's scope text ("changes", "all", "since <UTC ISO>", "range A..B", "... (forced)") in the
    user's language and local time."""
    forced = scope.endswith(" (forced)")
    base = scope.removesuffix(" (forced)")
    if base in ("", "changes"):
        text = QCoreApplication.translate("History", "changes since the last run")
    elif base == "all":
        text = QCoreApplication.translate("History", "all records")
    elif match := _SINCE.match(base):
        try:
            when = datetime.fromisoformat(match[1]).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = match[1]
        text = QCoreApplication.translate("History", "changed since %s") % when
    elif match := _RANGE.match(base):
        text = QCoreApplication.translate("History", "numbers %(first)s to %(last)s") % {
            "first": match[1], "last": match[2]}
    else:
        text = base
    if forced:
        text += QCoreApplication.translate("History", ", unchanged ones too")
    return text


def local_time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return QCoreApplication.translate("History", "%s s") % QLocale().toString(seconds, "f", 1)
    minutes, rest = divmod(round(seconds), 60)
    return QCoreApplication.translate("History", "%(min)s min %(s)s s") % {"min": minutes, "s": rest}


def csv_delimiter() -> str:
    """';' where the decimal separator is a comma (Polish, German... spreadsheets expect it), else ','."""
    return ";" if QLocale().decimalPoint() == "," else ","


# ---------------------------------------------------------------------------------------------- models

class RunsModel(QAbstractTableModel):
    """Runs, newest first as loaded; a proxy sorts and filters them for the view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs: list[RunRecord] = []
        self._rows: dict[int, int] = {}  # run id -> row

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Integration"), self.tr("Operation"), self.tr("Started by"),
                self.tr("Result"), self.tr("Created"), self.tr("Updated"), self.tr("Skipped"), self.tr("Failed"),
                self.tr("Duration"), self.tr("Error")]

    def set_runs(self, runs: Sequence[RunRecord]) -> None:
        self.beginResetModel()
        self.runs = list(runs)
        self._reindex()
        self.endResetModel()

    def merge(self, runs: Iterable[RunRecord]) -> list[RunRecord]:
        """Update the rows of runs already shown, add the others; returns those added."""
        added = []
        for run in runs:
            row = self._rows.get(run.id)
            if row is None:
                added.append(run)
            elif run != self.runs[row]:
                self.runs[row] = run
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        if added:
            added.sort(key=lambda r: r.id)
            start = len(self.runs)
            self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
            self.runs.extend(added)
            self._reindex()
            self.endInsertRows()
        return added

    def remove(self, run_ids: Iterable[int]) -> None:
        for run_id in sorted(run_ids, key=lambda i: self._rows.get(i, -1), reverse=True):
            row = self._rows.get(run_id)
            if row is None:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.runs[row]
            self._reindex()
            self.endRemoveRows()

    def _reindex(self) -> None:
        self._rows = {run.id: row for row, run in enumerate(self.runs)}

    def run(self, run_id: int) -> RunRecord | None:
        row = self._rows.get(run_id)
        return None if row is None else self.runs[row]

    @property
    def newest_id(self) -> int:
        return max(self._rows, default=0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run = self.runs[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(run, column)
        if role == SORT_ROLE:
            return sort_value(run, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "error" and run.error:
                return run.error
            if column == "trigger":
                return self.tr("Records: %s") % scope_label(run.scope)
            if column == "time" and run.finished_at:
                return self.tr("Finished %s") % local_time(run.finished_at)
            return display(run, column) if column in ("integration", "operation", "result") else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if (column == "result" and run.status in PROBLEM_STATUSES) or (column == "failed" and run.failed) \
                    or column == "error":
                return QBrush(PROBLEM_COLOUR)
            if column == "result" and run.status == "cancelled":
                return QBrush(MUTED_COLOUR)
        return None


def display(run: RunRecord, column: str) -> str:
    """A run's cell as shown (and exported)."""
    if column == "time":
        return local_time(run.started_at)
    if column == "integration":
        return run.integration
    if column == "operation":
        return operation_label(run.operation)
    if column == "trigger":
        return trigger_label(run.trigger)
    if column == "result":
        return status_label(run.status)
    if column in ("created", "updated", "skipped", "failed"):
        return "" if run.status == "running" else str(getattr(run, column))
    if column == "duration":
        return duration_text(run.duration)
    if column == "error":
        return shorten(run.error, 160)
    raise KeyError(column)


def sort_value(run: RunRecord, column: str) -> Any:
    if column == "time":
        return run.id  # ids grow with the start time, and never tie
    if column in ("created", "updated", "skipped", "failed"):
        return getattr(run, column)
    if column == "duration":
        return run.duration if run.duration is not None else -1.0
    return display(run, column).casefold()


class RunsFilter(QSortFilterProxyModel):
    """The text filter (any shown column, the run number, the records' scope) and "with problems"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.problems_only = False
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        with filter_change(self):
            self.text = text.strip().casefold()

    def set_problems_only(self, on: bool) -> None:
        with filter_change(self):
            self.problems_only = on

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RunsModel)
        run = model.runs[source_row]
        if self.problems_only and run.status not in PROBLEM_STATUSES:
            return False
        if not self.text:
            return True
        haystack = "\n".join([*(display(run, c) for c in COLUMNS), run.error, run.operation, run.status,
                              run.trigger, scope_label(run.scope), f"#{run.id}"])
        return self.text in haystack.casefold()

    def run_at(self, row: int) -> RunRecord:
        model = self.sourceModel()
        assert isinstance(model, RunsModel)
        return model.runs[self.mapToSource(self.index(row, 0)).row()]


class FailuresModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures: list[tuple[str, str]] = []

    def set_failures(self, failures: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self.failures = list(failures)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.failures)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Record"), self.tr("Reason"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.failures[index.row()][index.column()]
        return None


# ---------------------------------------------------------------------------------------------- window

class HistoryWindow(QWidget):
    def __init__(self, journal: Journal, bridge: EngineBridge | None, *, log_dir: Path,
                 integrations: Callable[[], Iterable[str]] = tuple,
                 open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.journal = journal
        self.bridge = bridge
        self.log_dir = Path(log_dir)
        self._integrations = integrations
        self._open_url = open_url
        self.selected_run: RunRecord | None = None
        self.setWindowTitle(self.tr("Event history - trayapp"))
        self.setWindowIcon(app_icon())

        self._build()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.refresh_new)
        self._truncated = False
        self._fitted = False  # columns fitted to the first runs shown; the user's widths are kept after
        self._horizon = 0
        self._open: set[int] = set()
        self._listening = False
        self.close_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)  # Ctrl+W, Ctrl+F4
        self.close_shortcut.activated.connect(self.close)
        self.resize(1280, 720)
        self.reload()

    def _build(self) -> None:
        self.integration_combo = QComboBox()
        self.integration_combo.addItem(self.tr("All integrations"), "")
        for name in sorted(set(self._integrations())):
            self.integration_combo.addItem(name, name)
        self.operation_combo = QComboBox()
        self.operation_combo.addItem(self.tr("All operations"), "")
        for op in OPERATIONS:
            self.operation_combo.addItem(operation_label(op), op)
        self.result_combo = QComboBox()
        self.result_combo.addItem(self.tr("All results"), "")
        self.result_combo.addItem(self.tr("With problems"), PROBLEMS)
        for status in FILTER_STATUSES:
            self.result_combo.addItem(status_label(status), status)
        for combo in (self.integration_combo, self.operation_combo, self.result_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.reload)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(self.tr("Filter: text in any column, e.g. an error or #run number"))
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.textChanged.connect(self._on_text)
        filters = QHBoxLayout()
        filters.addWidget(self.integration_combo)
        filters.addWidget(self.operation_combo)
        filters.addWidget(self.result_combo)
        filters.addWidget(self.text_edit, 1)

        self.model = RunsModel(self)
        self.proxy = RunsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.verticalHeader().setResizeContentsPrecision(100)  # column widths from 100 rows, not 2000
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)

        self.count_label = QLabel()
        self.export_runs_button = QPushButton(self.tr("Export to CSV…"))
        self.export_runs_button.setToolTip(self.tr("Save the runs shown (as filtered) to a CSV file"))
        self.export_runs_button.clicked.connect(self._ask_export_runs)
        self.log_button = QPushButton(self.tr("Open log folder"))
        self.log_button.clicked.connect(self.open_log_folder)
        runs_bar = QHBoxLayout()
        runs_bar.addWidget(self.count_label, 1)
        runs_bar.addWidget(self.export_runs_button)
        runs_bar.addWidget(self.log_button)

        self.failures_title = QLabel()
        font = self.failures_title.font()
        font.setBold(True)
        self.failures_title.setFont(font)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(f"color: {PROBLEM_COLOUR.name()}")
        self.export_failures_button = QPushButton(self.tr("Export failures to CSV…"))
        self.export_failures_button.clicked.connect(self._ask_export_failures)
        failures_bar = QHBoxLayout()
        failures_bar.addWidget(self.failures_title, 1)
        failures_bar.addWidget(self.export_failures_button)
        self.failures_model = FailuresModel(self)
        self.failures_view = QTableView()
        self.failures_view.setModel(self.failures_model)
        self.failures_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.failures_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.failures_view.setAlternatingRowColors(True)
        self.failures_view.verticalHeader().hide()
        self.failures_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.failures_view.horizontalHeader().setStretchLastSection(True)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addLayout(failures_bar)
        details_layout.addWidget(self.error_label)
        details_layout.addWidget(self.failures_view)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.view)
        top_layout.addLayout(runs_bar)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([460, 200])

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message_label)
        self._show_failures(None)

    # ------------------------------------------------------------------ loading

    def _filters(self) -> dict[str, str | None]:
        return {"integration": self.integration_combo.currentData() or None,
                "operation": self.operation_combo.currentData() or None}

    def _status_filter(self) -> str | None:
        status = self.result_combo.currentData() or None
        return None if status == PROBLEMS else status

    @Slot()
    def reload(self) -> None:
        """Load the newest runs matching the integration/operation/result filters."""
        self.proxy.set_problems_only(self.result_combo.currentData() == PROBLEMS)
        runs = self.journal.runs(limit=RUN_LIMIT, status=self._status_filter(), **self._filters())
        self.model.set_runs(runs)
        if not self._fitted and runs:
            self._fit_columns()
        self._truncated = len(runs) >= RUN_LIMIT
        # Where the next refresh starts: after the newest run of these integrations/operations, and
        # before any of them that are still running (whatever the result filter says now).
        latest = self.journal.runs(limit=1, **self._filters())
        self._horizon = latest[0].id if latest else 0
        self._open = {r.id for r in self.journal.runs(limit=RUN_LIMIT, status="running", **self._filters())}
        self._learn_integrations(runs)
        self._update_count()
        self._show_failures(None)

    @Slot()
    def refresh_new(self) -> None:
        """Merge in the runs started since the last look, and the current state of those that were
        running then; runs that no longer match the result filter (a running one that finished) go."""
        after = min([self._horizon, *(run_id - 1 for run_id in self._open)])
        fetched = self.journal.runs(limit=RUN_LIMIT, after_id=after, **self._filters())
        if not fetched:
            self._open.clear()
            return
        self._horizon = max(self._horizon, fetched[0].id)
        self._open = {r.id for r in fetched if r.status == "running"}
        status = self._status_filter()
        matching = [r for r in fetched if status is None or r.status == status]
        self.model.remove(r.id for r in fetched if status is not None and r.status != status)
        added = self.model.merge(matching)
        if not self._fitted and added:
            self._fit_columns()
        self._learn_integrations(added)
        self._update_count()
        if self.selected_run is not None:
            now = self.model.run(self.selected_run.id)
            if now is None:
                self._show_failures(None)
            elif now != self.selected_run:
                self._show_failures(now)

    @Slot(object)
    def _on_run(self, result: RunResult) -> None:
        if result.run_id is not None:  # previews are not recorded
            self.refresh_new()

    def _fit_columns(self) -> None:
        """Columns as wide as their contents (the user may resize them after), narrowing the widest text
        columns where that would leave the error column too little room."""
        self._fitted = True
        self.view.resizeColumnsToContents()  # from the first rows only (resizeContentsPrecision)
        header = self.view.horizontalHeader()
        widths = {c: min(header.sectionSize(c), 260) for c in range(len(COLUMNS) - 1)}
        excess = sum(widths.values()) - (max(self.width(), 800) - 220)  # ~200 px left for the error
        for column in sorted((COLUMNS.index(n) for n in ("operation", "result", "integration")),
                             key=lambda c: -widths[c]):
            least = max(header.sectionSizeHint(column), 90)
            cut = max(0, min(excess, widths[column] - least))
            widths[column] -= cut
            excess -= cut
        for column, width in widths.items():
            header.resizeSection(column, width)

    def _learn_integrations(self, runs: Iterable[RunRecord]) -> None:
        known = {self.integration_combo.itemData(i) for i in range(self.integration_combo.count())}
        for name in sorted({r.integration for r in runs} - known):
            self.integration_combo.addItem(name, name)

    def _update_count(self) -> None:
        shown, loaded = self.proxy.rowCount(), self.model.rowCount()
        text = self.tr("%n run(s) shown", "", shown)
        if shown != loaded:
            text += " " + self.tr("(of %s loaded)") % loaded
        if self._truncated:
            text += " - " + self.tr("only the latest %s runs are loaded; narrow the filters to see older ones") \
                % RUN_LIMIT
        self.count_label.setText(text)

    @Slot(str)
    def _on_text(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()
        if self.selected_run is not None and not self._selected_visible():
            self._show_failures(None)

    def _selected_visible(self) -> bool:
        return any(self.proxy.run_at(row).id == self.selected_run.id  # type: ignore[union-attr]
                   for row in range(self.proxy.rowCount()))

    # ------------------------------------------------------------------ selection and failures

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, *_: object) -> None:
        rows = self.view.selectionModel().selectedRows()
        self._show_failures(self.proxy.run_at(rows[0].row()) if rows else None)

    def select_run(self, run_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.run_at(row).id == run_id:
                self.view.selectRow(row)
                self.view.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    def _show_failures(self, run: RunRecord | None) -> None:
        self.selected_run = run
        if run is None:
            self.failures_model.set_failures([])
            self.failures_title.setText(self.tr("Select a run to see the records that failed in it."))
            self.error_label.hide()
            self.export_failures_button.setEnabled(False)
            return
        failures = self.journal.run_failures(run.id)
        self.failures_model.set_failures(failures)
        head = self.tr("Run #%(id)s: %(integration)s - %(operation)s, %(time)s") % {
            "id": run.id, "integration": run.integration, "operation": operation_label(run.operation),
            "time": local_time(run.started_at)}
        if failures:
            head += " - " + self.tr("%n record(s) failed:", "", len(failures))
        elif run.status == "running":
            head += " - " + self.tr("still running")
        else:
            head += " - " + self.tr("no record failed")
        self.failures_title.setText(head)
        self.error_label.setText(run.error)
        self.error_label.setVisible(bool(run.error))
        self.export_failures_button.setEnabled(bool(failures))

    # ------------------------------------------------------------------ export, log folder

    def export_runs(self, path: Path) -> int:
        """The runs shown (filtered, in the view's order) as CSV; returns how many."""
        columns = ["id", *COLUMNS, "scope"]
        headers = [self.tr("Run"), *self.model.headers(), self.tr("Records")]
        rows = []
        for row in range(self.proxy.rowCount()):
            run = self.proxy.run_at(row)
            values = {c: display(run, c) for c in COLUMNS}
            values.update(id=str(run.id), error=run.error, scope=scope_label(run.scope))
            rows.append([values[c] for c in columns])
        _write_csv(path, headers, rows)
        return len(rows)

    def export_failures(self, path: Path) -> int:
        """The selected run's failed records as CSV; returns how many."""
        run = self.selected_run
        if run is None:
            return 0
        headers = [self.tr("Run"), self.tr("Time"), self.tr("Integration"), self.tr("Operation"),
                   self.tr("Record"), self.tr("Reason")]
        rows = [[str(run.id), local_time(run.started_at), run.integration, operation_label(run.operation), key,
                 reason] for key, reason in self.failures_model.failures]
        _write_csv(path, headers, rows)
        return len(rows)

    def _ask_path(self, name: str) -> Path | None:
        start = str(Path.home() / name)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to CSV"), start,
                                              self.tr("CSV files (*.csv);;All files (*)"))
        if not path:
            return None
        return Path(path) if Path(path).suffix else Path(path + ".csv")

    @Slot()
    def _ask_export_runs(self) -> None:
        path = self._ask_path(f"trayapp-history-{datetime.now():%Y%m%d-%H%M}.csv")
        if path is not None:
            self._export(lambda: self.export_runs(path), path)

    @Slot()
    def _ask_export_failures(self) -> None:
        if self.selected_run is None:
            return
        path = self._ask_path(f"trayapp-run-{self.selected_run.id}-failures.csv")
        if path is not None:
            self._export(lambda: self.export_failures(path), path)

    def _export(self, write: Callable[[], int], path: Path) -> None:
        try:
            count = write()
        except OSError as exc:
            self.show_message(self.tr("Could not save %(path)s: %(error)s. Choose another folder.") % {
                "path": path, "error": exc.strerror or exc}, warning=True)
            return
        self.show_message(self.tr("Saved %(count)s row(s) to %(path)s") % {"count": count, "path": path})

    @Slot()
    def open_log_folder(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if not self._open_url(QUrl.fromLocalFile(str(self.log_dir))):
            self.show_message(self.tr("No file manager could open the log folder. It is: %s") % self.log_dir,
                              warning=True)

    def show_message(self, text: str, *, warning: bool = False) -> None:
        self.message_label.setStyleSheet(f"color: {PROBLEM_COLOUR.name()}" if warning else "")
        self.message_label.setText(text)
        self.message_label.show()

    # ------------------------------------------------------------------ window

    def showEvent(self, event: QShowEvent) -> None:
        """Live while shown: runs from the bridge, and a poll for other processes' runs; what happened
        while hidden is caught up at once."""
        super().showEvent(event)
        if self.bridge is not None and not self._listening:
            self.bridge.run_started.connect(self._on_run)
            self.bridge.run_finished.connect(self._on_run)
            self._listening = True
            self.refresh_new()
        self._poll.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.dispose()
        super().hideEvent(event)

    def show_and_raise(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    def dispose(self) -> None:
        """Stop listening (hidden, or before the bridge goes away)."""
        self._poll.stop()
        if self.bridge is not None and self._listening:
            for signal in (self.bridge.run_started, self.bridge.run_finished):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(self._on_run)
            self._listening = False


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """UTF-8 with a byte order mark (so spreadsheets read Polish letters right), the locale's delimiter;
    written to a temporary file first, so a failed export leaves no half file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=csv_delimiter())
            writer.writerow(headers)
            writer.writerows(rows)
        tmp.replace(path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()

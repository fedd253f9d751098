"""The Event history window over a real journal filled by real runs (demo ERP + contract shop): the
table, its filters, the failed records of a run, CSV export, the log folder, live updates."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QKeySequence

from tests.conftest import Rig
from trayapp.demo.shop_server import Fault
from trayapp.journal import RunRecord
from trayapp.operations.base import Scope
from trayapp.paths import AppPaths
from trayapp.ui import history as history_module
from trayapp.ui.history import HistoryWindow, csv_delimiter, duration_text, local_time, scope_label


@pytest.fixture
def runs(rig: Rig) -> dict[str, RunRecord]:
    """ok export; export with one refused record; failed stock (HTTP 403); ok manual stock."""
    assert rig.run("export-products").status == "ok"
    rig.sql("UPDATE products SET price_gross = -1, modified_at = datetime('now') WHERE id = 5")
    assert rig.run("export-products").status == "partial"
    rig.shop.inject(Fault.http(403), count=10_000)
    assert rig.run("update-stock").status == "failed"
    rig.shop.clear_faults()
    assert rig.run("update-stock", trigger="manual", scope=Scope("all", force=True)).status == "ok"
    by_id = {r.id: r for r in rig.journal.runs()}
    ids = sorted(by_id)
    return dict(zip(("export_ok", "export_partial", "stock_failed", "stock_manual"),
                    (by_id[i] for i in ids), strict=True))


@pytest.fixture
def window(qtbot, rig: Rig, paths: AppPaths, runs) -> HistoryWindow:
    window = HistoryWindow(rig.journal, None, log_dir=paths.log_dir, integrations=lambda: ["t", "other"])
    qtbot.addWidget(window)
    window.show()
    return window


def shown(window: HistoryWindow) -> list[int]:
    return [window.proxy.run_at(row).id for row in range(window.proxy.rowCount())]


def cells(window: HistoryWindow, row: int) -> list[str]:
    return [window.proxy.index(row, c).data() for c in range(window.proxy.columnCount())]


def choose(combo, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_the_table_shows_every_run_newest_first(window: HistoryWindow, runs, rig: Rig) -> None:
    assert shown(window) == [runs[k].id for k in ("stock_manual", "stock_failed", "export_partial", "export_ok")]
    assert [window.model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(11)] == ["Time", "Integration", "Operation", "Started by", "Result", "Created",
                                    "Updated", "Skipped", "Failed", "Duration", "Error"]
    manual, failed, partial, ok = (cells(window, r) for r in range(4))
    run = runs["stock_manual"]
    assert manual[:5] == [local_time(run.started_at), "t", "Update stock", "Manual", "OK"]
    assert manual[9] == duration_text(run.duration) and manual[9].endswith(" s")
    assert failed[2:5] == ["Update stock", "Scheduled", "failed"] and "HTTP 403" in failed[10]
    assert partial[4:9] == ["some records failed", "0", "0", str(runs["export_partial"].skipped), "1"]
    assert ok[5] == "60"
    assert window.count_label.text() == "4 run(s) shown"
    # the time is local, the scope of a manual run is in the tooltip
    assert local_time(run.started_at) == run.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    tip = window.proxy.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Records: all records, unchanged ones too"


def test_filters_by_integration_operation_result_and_text(window: HistoryWindow, runs) -> None:
    integrations = [window.integration_combo.itemText(i) for i in range(window.integration_combo.count())]
    assert integrations == ["All integrations", "other", "t"]
    choose(window.operation_combo, "export-products")
    assert shown(window) == [runs["export_partial"].id, runs["export_ok"].id]
    choose(window.result_combo, "partial")
    assert shown(window) == [runs["export_partial"].id]
    choose(window.operation_combo, "")
    choose(window.result_combo, "problems")
    assert shown(window) == [runs["stock_failed"].id, runs["export_partial"].id]
    choose(window.result_combo, "failed")
    assert shown(window) == [runs["stock_failed"].id]
    choose(window.result_combo, "")
    choose(window.integration_combo, "other")
    assert shown(window) == []
    choose(window.integration_combo, "t")
    assert len(shown(window)) == 4

    window.text_edit.setText("403")  # in the error
    assert shown(window) == [runs["stock_failed"].id]
    assert window.count_label.text() == "1 run(s) shown (of 4 loaded)"
    window.text_edit.setText("manual")  # "Started by"
    assert shown(window) == [runs["stock_manual"].id]
    window.text_edit.setText(f"#{runs['export_ok'].id}")  # the run number
    assert shown(window) == [runs["export_ok"].id]
    window.text_edit.clear()
    assert len(shown(window)) == 4


def test_the_failed_records_of_the_selected_run_with_their_reasons(window: HistoryWindow, runs, rig: Rig) -> None:
    assert window.failures_model.rowCount() == 0 and not window.export_failures_button.isEnabled()
    assert window.select_run(runs["export_partial"].id)
    bad = rig.sql("SELECT code FROM products WHERE id = 5")[0][0]
    assert window.failures_model.failures == [(bad, f"product {bad} has a negative price (-1)")]
    assert window.failures_title.text().endswith("Export products, "
                                                 f"{local_time(runs['export_partial'].started_at)} - "
                                                 "1 record(s) failed:")
    assert window.export_failures_button.isEnabled() and window.error_label.isHidden()

    window.select_run(runs["stock_failed"].id)  # a run that failed as a whole: its error, no records
    assert window.failures_model.rowCount() == 0
    assert "HTTP 403" in window.error_label.text() and not window.error_label.isHidden()
    assert window.failures_title.text().endswith("no record failed")

    window.select_run(runs["export_partial"].id)
    window.text_edit.setText("403")  # the selected run is filtered out: its details go too
    assert runs["export_partial"].id not in shown(window)
    assert window.selected_run is None or window.selected_run.id in shown(window)
    assert (bad, f"product {bad} has a negative price (-1)") not in window.failures_model.failures


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets need the BOM to read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as source:
        return list(csv.reader(source, delimiter=csv_delimiter()))


def test_csv_export_of_the_filtered_runs_and_of_a_runs_failures(window: HistoryWindow, runs, rig: Rig,
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    choose(window.operation_combo, "export-products")
    assert window.export_runs(tmp_path / "runs.csv") == 2
    rows = read_csv(tmp_path / "runs.csv")
    assert rows[0] == ["Run", "Time", "Integration", "Operation", "Started by", "Result", "Created", "Updated",
                       "Skipped", "Failed", "Duration", "Error", "Records"]
    partial, ok = runs["export_partial"], runs["export_ok"]
    assert [r[0] for r in rows[1:]] == [str(partial.id), str(ok.id)]
    assert rows[1][1:10] == [local_time(partial.started_at), "t", "Export products", "Scheduled",
                             "some records failed", "0", "0", str(partial.skipped), "1"]
    assert rows[2][6] == "60" and rows[2][12] == "changes since the last run"

    # through the button and the file dialog (a name without .csv gets it)
    choose(window.operation_combo, "")
    monkeypatch.setattr(history_module.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "all"), "CSV files (*.csv)"))
    window.export_runs_button.click()
    assert len(read_csv(tmp_path / "all.csv")) == 1 + 4
    assert window.message_label.text() == f"Saved 4 row(s) to {tmp_path / 'all.csv'}"

    window.select_run(partial.id)
    assert window.export_failures(tmp_path / "failures.csv") == 1
    bad = rig.sql("SELECT code FROM products WHERE id = 5")[0][0]
    assert read_csv(tmp_path / "failures.csv") == [
        ["Run", "Time", "Integration", "Operation", "Record", "Reason"],
        [str(partial.id), local_time(partial.started_at), "t", "Export products", bad,
         f"product {bad} has a negative price (-1)"]]

    # a folder that cannot be written: said in the window, no half file left
    monkeypatch.setattr(history_module.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "missing" / "x.csv"), ""))
    window.export_failures_button.click()
    assert window.message_label.text().startswith(f"Could not save {tmp_path / 'missing' / 'x.csv'}")
    assert not (tmp_path / "missing").exists()


def test_csv_uses_semicolons_where_the_decimal_separator_is_a_comma() -> None:
    previous = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
        assert csv_delimiter() == ";" and duration_text(4.56) == "4,6 s"
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert csv_delimiter() == "," and duration_text(4.56) == "4.6 s" and duration_text(125) == "2 min 5 s"
    finally:
        QLocale.setDefault(previous)


def test_open_log_folder(qtbot, rig: Rig, paths: AppPaths) -> None:
    opened: list[QUrl] = []
    window = HistoryWindow(rig.journal, None, log_dir=paths.log_dir, open_url=lambda url: opened.append(url) or True)
    qtbot.addWidget(window)
    window.log_button.click()
    assert [u.toLocalFile() for u in opened] == [str(paths.log_dir)]
    failing = HistoryWindow(rig.journal, None, log_dir=paths.log_dir, open_url=lambda url: False)
    qtbot.addWidget(failing)
    failing.log_button.click()
    assert str(paths.log_dir) in failing.message_label.text()


def test_runs_of_another_process_appear_on_the_next_poll(qtbot, window: HistoryWindow, rig: Rig) -> None:
    """Runs this process does not see through the bridge (the background service, the CLI)."""
    window._poll.setInterval(100)
    window._poll.start()
    choose(window.result_combo, "ok")
    before = set(shown(window))
    thread = threading.Thread(target=lambda: rig.run("update-order-statuses"))
    thread.start()
    thread.join()
    new = rig.journal.runs(limit=1)[0]
    qtbot.waitUntil(lambda: set(shown(window)) == before | {new.id}, timeout=5_000)
    assert shown(window)[0] == new.id  # newest first


def test_scope_labels() -> None:
    assert scope_label("changes") == "changes since the last run"
    assert scope_label("all (forced)") == "all records, unchanged ones too"
    assert scope_label("range 100..200") == "numbers 100 to 200"
    since = scope_label("since 2026-11-01T07:00:00+00:00")
    assert since.startswith("changed since 2026-11-01 ") or since.startswith("changed since 2026-10-31 ")


def test_live_only_while_shown_and_caught_up_when_shown_again(qtbot, rig: Rig, paths: AppPaths, ui_service) -> None:
    from trayapp.ui.bridge import EngineBridge

    bridge = EngineBridge(ui_service)
    window = HistoryWindow(rig.journal, bridge, log_dir=paths.log_dir)
    qtbot.addWidget(window)
    try:
        window.show()
        with qtbot.waitSignal(bridge.run_finished, timeout=60_000):
            ui_service.run_now("t", ["update-stock"])
        assert [r.operation for r in window.model.runs] == ["update-stock"]  # live, through the bridge
        window.hide()
        assert not window._listening and not window._poll.isActive()
        with qtbot.waitSignal(bridge.run_finished, timeout=60_000):
            ui_service.run_now("t", ["update-order-statuses"])
        assert len(window.model.runs) == 1
        window.show()
        assert sorted(r.operation for r in window.model.runs) == ["update-order-statuses", "update-stock"]
    finally:
        window.dispose()
        bridge.detach()


def test_the_tray_menu_opens_one_history_window_deleted_when_closed(
        qtbot, make_controller, ui_service, runs) -> None:
    controller = make_controller(ui_service)
    assert controller.history_action.isEnabled()
    controller.history_action.trigger()
    window = controller.history_window
    assert isinstance(window, HistoryWindow) and window.isVisible() and len(window.model.runs) == 4
    controller.history_action.trigger()
    assert controller.history_window is window
    assert window.close_shortcut.key().matches(QKeySequence(QKeySequence.StandardKey.Close)) \
        == QKeySequence.SequenceMatch.ExactMatch
    window.close_shortcut.activated.emit()  # Ctrl+W (Ctrl+F4 on Windows): closed, and deleted later
    qtbot.waitUntil(lambda: controller.history_window is None, timeout=5_000)
    controller.history_action.trigger()
    assert controller.history_window is not None and controller.history_window.isVisible()

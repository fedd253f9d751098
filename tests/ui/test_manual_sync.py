"""The Manual sync dialog over a real SchedulerService, Engine, demo ERP and contract shop: the preview
lists what a run would create/update/skip/fail and writes nothing; Run shows progress, lands in the
journal and in an open Event history window; Cancel stops a long run."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import Rig
from trayapp.config import Config, save_config
from trayapp.demo.shop_server import ShopServer
from trayapp.paths import AppPaths
from trayapp.scheduler import SchedulerService
from trayapp.ui.bridge import EngineBridge
from trayapp.ui.history import HistoryWindow
from trayapp.ui.manual_sync import STEPS, ManualSyncDialog

RUN_TIMEOUT = 60_000


@pytest.fixture
def bridge(qtbot, ui_service: SchedulerService) -> Iterator[EngineBridge]:
    bridge = EngineBridge(ui_service)
    yield bridge
    bridge.detach()


@pytest.fixture
def dialog(qtbot, ui_service: SchedulerService, bridge: EngineBridge) -> Iterator[ManualSyncDialog]:
    dialog = ManualSyncDialog(ui_service, bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    dialog.dispose()


def sku(rig: Rig, product_id: int) -> str:
    return rig.sql("SELECT code FROM products WHERE id = ?", (product_id,))[0][0]


def planned(dialog: ManualSyncDialog, action: str) -> set[str]:
    return {row.key for row in dialog.plan_model.rows if row.action == action}


def shown_rows(dialog: ManualSyncDialog) -> list[tuple[str, str, str, str]]:
    model = dialog.plan_filter
    return [tuple(model.index(r, c).data() for c in range(4)) for r in range(model.rowCount())]


def preview(qtbot, dialog: ManualSyncDialog) -> list:
    with qtbot.waitSignal(dialog.finished_work, timeout=RUN_TIMEOUT) as done:
        dialog.preview_button.click()
    assert done.args[0] is True  # a preview
    return done.args[1]


def test_preview_lists_creates_updates_skips_and_failures_and_writes_nothing(
        qtbot, dialog: ManualSyncDialog, rig: Rig) -> None:
    assert rig.run("export-products").status == "ok"  # the shop has all 60 products now
    everything = {code for (code,) in rig.sql("SELECT code FROM products")}
    rig.sql("UPDATE products SET name = name || ' v2', modified_at = datetime('now') WHERE id IN (3, 4)")
    rig.sql("UPDATE products SET price_gross = -1, modified_at = datetime('now') WHERE id = 5")
    rig.sql("INSERT INTO products (code, name, price_gross, category_id, tax_code, is_active, modified_at) "
            "VALUES ('ZZ-90001', 'Brand-new Thing', 12.5, 1, 'VAT23', 1, datetime('now'))")
    runs_before, writes_before = len(rig.journal.runs()), rig.writes()

    dialog.select("t", ["export-products"])
    dialog.scope_all.setChecked(True)
    results = preview(qtbot, dialog)

    assert [r.operation for r in results] == ["export-products"] and results[0].dry_run
    assert planned(dialog, "create") == {"ZZ-90001"}
    assert planned(dialog, "update") == {sku(rig, 3), sku(rig, 4)}
    assert planned(dialog, "fail") == {sku(rig, 5)}
    assert planned(dialog, "skip") == everything - {sku(rig, 3), sku(rig, 4), sku(rig, 5)}
    # nothing written anywhere, nothing recorded
    assert rig.writes() == writes_before and len(rig.journal.runs()) == runs_before
    assert rig.shop.get_product_by_sku("ZZ-90001") is None

    # what the user reads: the summary row, the line under the buttons, the records table
    summary = dialog.summary_model
    row = [summary.index(0, c).data() for c in range(summary.columnCount())]
    assert row[:6] == ["Export products", "some records would fail", 1, 2, 57, 1]
    assert [summary.headerData(c, Qt.Orientation.Horizontal) for c in (2, 3, 5)] == ["To create", "To update",
                                                                                 "Would fail"]
    assert dialog.progress_label.text().startswith(
        "Preview - nothing was written: 1 to create, 2 to update, 57 skipped, 1 would fail.")
    rows = shown_rows(dialog)
    assert rows[0] == ("Export products", "Create", "ZZ-90001", "Brand-new Thing")  # changes first, skips last
    assert rows[-1][1] == "Skip" and rows[-1][3] == "unchanged"
    assert ("Export products", "Would fail", sku(rig, 5), f"product {sku(rig, 5)} has a negative price (-1)") in rows

    # the record filters
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("update"))
    assert {r[2] for r in shown_rows(dialog)} == {sku(rig, 3), sku(rig, 4)}
    dialog.action_combo.setCurrentIndex(0)
    dialog.find_edit.setText("brand-new")
    assert [r[2] for r in shown_rows(dialog)] == ["ZZ-90001"]
    dialog.find_edit.clear()

    # "send even unchanged records": every known product is an update (the bad one still fails)
    dialog.force_check.setChecked(True)
    preview(qtbot, dialog)
    assert planned(dialog, "update") == everything - {sku(rig, 5)}
    assert planned(dialog, "create") == {"ZZ-90001"} and planned(dialog, "skip") == set()
    assert rig.writes() == writes_before


def test_the_summary_shows_every_operation_without_scrolling(qtbot, dialog: ManualSyncDialog) -> None:
    dialog.resize(960, 680)
    dialog.select("t")  # all five operations
    preview(qtbot, dialog)
    view = dialog.summary_view
    assert dialog.summary_model.rowCount() == 5
    last = view.rowViewportPosition(4) + view.rowHeight(4)
    assert view.rowViewportPosition(0) >= 0 and last <= view.viewport().height()


def test_preview_of_a_number_range_and_of_changes_since_a_date(qtbot, dialog: ManualSyncDialog, rig: Rig) -> None:
    assert rig.run("export-products").status == "ok"
    dialog.select("t", ["update-stock"])
    rig.sql("UPDATE stock SET on_hand = on_hand + 7")  # every SKU's stock changed
    first, last = sku(rig, 1), sku(rig, 1)[:3] + "99999"
    qtbot.keyClicks(dialog.range_from, first)  # typing in the range chooses the range
    qtbot.keyClicks(dialog.range_to, last)
    assert dialog.scope_range.isChecked()
    assert dialog.scope().kind == "range" and dialog.run_button.isEnabled()
    preview(qtbot, dialog)
    updates = planned(dialog, "update")
    assert updates and all(first <= key <= last for key in updates)
    stocked = {code for (code,) in rig.sql(
        "SELECT DISTINCT p.code FROM products p JOIN stock s ON s.product_id = p.id")}
    assert updates == {key for key in stocked if first <= key <= last}

    # an impossible range is refused before anything runs
    dialog.range_from.setText(last)
    dialog.range_to.setText(first)
    assert "starts after it ends" in dialog.problem_label.text()
    assert not dialog.preview_button.isEnabled() and not dialog.run_button.isEnabled()
    dialog.range_to.clear()
    assert "both ends" in dialog.problem_label.text()
    dialog.range_to.setText(last)
    dialog.op_checks["import-orders"].setChecked(True)  # orders are chosen by number only
    assert "give the range in numbers" in dialog.problem_label.text() and not dialog.run_button.isEnabled()
    dialog.op_checks["import-orders"].setChecked(False)

    # changed since a date: products changed after it only
    dialog.select("t", ["export-products"])
    rig.sql("UPDATE products SET name = name || ' v2', modified_at = datetime('now') WHERE id = 9")
    dialog.since_edit.setDateTime(dialog.since_edit.dateTime().currentDateTime().addSecs(-3600))
    assert dialog.scope_since.isChecked() and dialog.scope().kind == "since"
    preview(qtbot, dialog)
    assert planned(dialog, "update") == {sku(rig, 9)} and planned(dialog, "create") == set()

    dialog.since_edit.setDateTime(dialog.since_edit.dateTime().currentDateTime().addDays(2))
    assert "future" in dialog.problem_label.text() and not dialog.run_button.isEnabled()


def test_run_shows_progress_and_lands_in_the_journal_and_a_live_history_window(
        qtbot, ui_service: SchedulerService, bridge: EngineBridge, rig: Rig, paths: AppPaths,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # every progress report and the end of the run reach the dialog on the GUI thread
    handled: list[tuple[str, bool]] = []
    for name in ("_on_progress", "_on_done"):
        original = getattr(ManualSyncDialog, name)

        def spy(self, *args, _original=original, _name=name):
            handled.append((_name, threading.current_thread() is threading.main_thread()))
            return _original(self, *args)

        monkeypatch.setattr(ManualSyncDialog, name, spy)
    dialog = ManualSyncDialog(ui_service, bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    history = HistoryWindow(rig.journal, bridge, log_dir=paths.log_dir, integrations=lambda: ["t"])
    qtbot.addWidget(history)
    history._poll.setInterval(3_600_000)  # only the bridge may bring the runs in
    history.show()
    assert history.model.rowCount() == 0

    seen: list[tuple[int, int, str, bool]] = []
    gui = threading.current_thread()
    dialog.progress_bar.valueChanged.connect(lambda value: seen.append(
        (value, dialog.progress_bar.maximum(), dialog.progress_label.text(), threading.current_thread() is gui)))
    dialog.select("t", ["export-products", "update-stock"])
    dialog.scope_all.setChecked(True)
    with qtbot.waitSignal(dialog.finished_work, timeout=RUN_TIMEOUT) as done:
        dialog.run_button.click()
        assert not dialog.run_button.isEnabled() and dialog.cancel_button.isEnabled()
        assert not dialog.operations_box.isEnabled()  # no changing the choice mid-run
    preview_flag, results = done.args
    assert preview_flag is False
    assert [(r.operation, r.status, r.trigger) for r in results] == [
        ("export-products", "ok", "manual"), ("update-stock", "ok", "manual")]
    assert results[0].created == 60 and results[1].updated > 0

    # progress: on the GUI thread, through the steps, to the end
    assert [name for name, _ in handled] == ["_on_progress", "_on_done"] and all(gui for _, gui in handled)
    assert all(on_gui for *_, on_gui in seen)
    assert any(0 < value < maximum for value, maximum, *_ in seen)
    assert seen[-1][0] == seen[-1][1] == 2 * STEPS
    stock_lines = [text for _v, _m, text, _g in seen if text.startswith("Update stock: ")]
    assert f"Update stock: {results[1].updated} of {results[1].updated} (operation 2 of 2)" in stock_lines
    assert dialog.progress_label.text().startswith(
        f"Finished: 60 created, {results[1].updated} updated, ")
    assert "The runs are in the event history." in dialog.progress_label.text()
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert [dialog.summary_model.index(r, 1).data() for r in range(2)] == ["OK", "OK"]

    # recorded as manual runs, and already in the open history window (through the bridge)
    runs = rig.journal.runs()
    assert [(r.operation, r.trigger, r.status) for r in runs] == [
        ("update-stock", "manual", "ok"), ("export-products", "manual", "ok")]
    assert {r.id for r in history.model.runs} == {r.id for r in runs}
    top = [history.proxy.index(0, c).data() for c in range(6)]
    assert top[1:6] == ["t", "Update stock", "Manual", "OK", "0"]
    # a manual run never moves the scheduled runs' watermarks
    assert rig.journal.watermark("t", "export-products") is None
    history.dispose()
    dialog.dispose()


@pytest.fixture
def slow_rig(tmp_path: Path) -> Iterator[Rig]:
    """250 products (three batches of 100 to create), every shop request taking 0.3 s."""
    with ShopServer(latency=0.3) as shop:
        yield Rig(tmp_path / "slow", shop, products=250)


def test_cancel_stops_a_long_run(qtbot, slow_rig: Rig, paths: AppPaths) -> None:
    rig = slow_rig
    save_config(Config((rig.integration,)), paths.config_file)
    service = SchedulerService(rig.engine, paths.config_file, locks_dir=paths.locks_dir, run_at_start=False)
    service.start(paused=True)
    bridge = EngineBridge(service)
    dialog = ManualSyncDialog(service, bridge)
    history = HistoryWindow(rig.journal, bridge, log_dir=paths.log_dir)
    qtbot.addWidget(dialog)
    qtbot.addWidget(history)
    try:
        history.show()
        dialog.select("t", ["export-products", "update-stock"])
        dialog.scope_all.setChecked(True)
        total = rig.sql("SELECT COUNT(*) FROM products")[0][0]
        started = time.monotonic()
        with qtbot.waitSignal(bridge.run_started, timeout=RUN_TIMEOUT):
            dialog.run_button.click()
        qtbot.waitUntil(lambda: len(rig.shop.all_products()) > 0, timeout=RUN_TIMEOUT)  # it is writing
        # the running run is in the history window already
        qtbot.waitUntil(lambda: [r.status for r in history.model.runs] == ["running"], timeout=10_000)
        with qtbot.waitSignal(dialog.finished_work, timeout=RUN_TIMEOUT) as done:
            dialog.cancel_button.click()
            assert not dialog.cancel_button.isEnabled()
            assert dialog.progress_label.text() == "Stopping after the record or batch in progress…"
        elapsed = time.monotonic() - started
        results = done.args[1]
        assert [(r.operation, r.status) for r in results] == [("export-products", "cancelled")]  # stock never ran
        assert 0 < results[0].created < total and elapsed < 20
        runs = rig.journal.runs()
        assert [(r.operation, r.status, r.created) for r in runs] == [
            ("export-products", "cancelled", results[0].created)]
        assert len(rig.shop.all_products()) == results[0].created  # what was done stays done
        assert dialog.progress_label.text().startswith("Stopped on request. Finished: ")
        assert [dialog.summary_model.index(r, 1).data() for r in range(2)] == [
            "cancelled", "not run (stopped before it)"]
        assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
        # the history row was updated in place
        assert [(r.id, r.status) for r in history.model.runs] == [(runs[0].id, "cancelled")]
    finally:
        dialog.dispose()
        history.dispose()
        bridge.detach()
        service.stop(wait=True)


def test_integrations_follow_the_configuration_and_operations_follow_the_integration(
        qtbot, dialog: ManualSyncDialog, bridge: EngineBridge, ui_service: SchedulerService, rig: Rig) -> None:
    assert [dialog.integration_combo.itemText(i) for i in range(dialog.integration_combo.count())] == ["t"]
    assert dialog.chosen_operations() == ("import-orders", "update-order-statuses", "export-products",
                                          "import-products", "update-stock")
    rig.operation("import-products", enabled=False)
    second = replace(rig.integration, name="u", order_ref_prefix="U-")
    with qtbot.waitSignal(bridge.state_changed, timeout=10_000):
        save_config(Config((rig.integration, second)), ui_service.config_path)
        ui_service.reload(force=True)
    assert [dialog.integration_combo.itemText(i) for i in range(dialog.integration_combo.count())] == ["t", "u"]
    dialog.integration_combo.setCurrentText("t")
    assert "import-products" not in dialog.chosen_operations()
    assert dialog.op_checks["import-products"].text() == "Import products (not scheduled)"
    for check in dialog.op_checks.values():
        check.setChecked(False)
    assert dialog.problem_label.text() == "Choose at least one operation." and not dialog.run_button.isEnabled()

    # the integration disappears from the configuration: the dialog says so instead of failing
    with qtbot.waitSignal(bridge.state_changed, timeout=10_000):
        save_config(Config(()), ui_service.config_path)
        ui_service.reload(force=True)
    assert dialog.integration_combo.count() == 0
    assert "No integration is configured" in dialog.problem_label.text()
    assert dialog.run() is None and dialog.preview() is None


def test_closing_while_running_only_hides_and_the_run_goes_on(
        qtbot, dialog: ManualSyncDialog, rig: Rig) -> None:
    rig.shop.latency = 0.2
    dialog.select("t", ["export-products"])
    with qtbot.waitSignal(dialog.finished_work, timeout=RUN_TIMEOUT):
        dialog.run()
        assert dialog.close_button.text() == "Hide"
        dialog.close_button.click()
        assert not dialog.isVisible() and dialog.future is not None
    assert [r.status for r in rig.journal.runs()] == ["ok"]
    assert dialog.close_button.text() == "Close"
    QApplication.processEvents()


def test_the_tray_menu_opens_one_manual_sync_dialog_which_opens_the_history(
        qtbot, make_controller, ui_service: SchedulerService, rig: Rig) -> None:
    controller = make_controller(ui_service)
    assert controller.manual_action.isEnabled()
    controller.manual_action.trigger()
    dialog = controller.manual_dialog
    assert isinstance(dialog, ManualSyncDialog) and dialog.isVisible()
    assert dialog.integration_combo.currentText() == "t"
    dialog.close()
    controller.manual_action.trigger()
    assert controller.manual_dialog is dialog and dialog.isVisible()  # the same one, choices kept

    # a run from the dialog reaches the tray like any run: the icon shows it, the journal has it
    dialog.select("t", ["update-stock"])
    with qtbot.waitSignal(dialog.finished_work, timeout=RUN_TIMEOUT):
        dialog.run_button.click()
    assert [(r.operation, r.trigger) for r in rig.journal.runs()] == [("update-stock", "manual")]
    assert "t: last: Update stock OK" in controller.tray.toolTip()

    assert dialog.history_button.isVisible()
    dialog.history_button.click()
    history = controller.history_window
    assert isinstance(history, HistoryWindow) and history.isVisible()
    assert [r.operation for r in history.model.runs] == ["update-stock"]

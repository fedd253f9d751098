"""The tray controller over a real SchedulerService, Engine, demo ERP and contract shop: menu contents
and actions, the signal path from a finished job to the icon and tooltip, notifications, quitting."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMenu

from tests.conftest import Rig
from trayapp import __version__
from trayapp.config import OPERATIONS, Config, save_config
from trayapp.demo.shop_server import Fault
from trayapp.paths import AppPaths
from trayapp.scheduler import SchedulerService
from trayapp.ui import tray as tray_module
from trayapp.ui.state import IconState
from trayapp.ui.texts import operation_label

RUN_TIMEOUT = 60_000


def entries(menu: QMenu) -> list[str]:
    return ["---" if a.isSeparator() else a.text() for a in menu.actions()]


def open_menu(controller) -> None:
    controller.menu.aboutToShow.emit()  # what Qt does right before showing it


def sync_action(controller, integration: str, operation: str | None):
    open_menu(controller)
    sub = next(a.menu() for a in controller.sync_menu.actions() if a.text() == integration)
    sub.aboutToShow.emit()
    wanted = operation_label(operation) if operation else "All"
    return next(a for a in sub.actions() if a.text() == wanted)


def test_menu_has_the_actions_of_the_issue(make_controller, ui_service: SchedulerService) -> None:
    controller = make_controller(ui_service)
    open_menu(controller)
    assert entries(controller.menu) == [
        "Automatic sync is on", "---", "Stop automatic sync", "Sync now", "Manual sync…", "Settings…",
        "Event history…", "Open log folder", "---", "Start at login", "Background service", "About trayapp", "---",
        "Quit"]
    assert not controller.status_action.isEnabled()
    for action in (controller.manual_action, controller.settings_action, controller.history_action):
        assert action.isEnabled()
    assert controller.login_action.isCheckable() and controller.login_action.isEnabled()  # test_ui_start_at_login
    assert controller.menu.toolTipsVisible()
    # Sync now ▸ integration ▸ All + each enabled operation
    assert entries(controller.sync_menu) == ["t"]
    sub = controller.sync_menu.actions()[0].menu()
    sub.aboutToShow.emit()
    assert entries(sub) == ["All", "---", *[operation_label(op) for op in OPERATIONS]]
    assert controller.tray.contextMenu() is controller.menu


def test_sync_now_lists_only_enabled_operations_and_follows_the_config(
        make_controller, ui_service: SchedulerService, rig: Rig) -> None:
    controller = make_controller(ui_service)
    rig.operation("import-products", enabled=False)
    rig.operation("update-order-statuses", enabled=False)
    save_config(Config((rig.integration,)), ui_service.config_path)
    ui_service.reload(force=True)
    open_menu(controller)
    sub = controller.sync_menu.actions()[0].menu()
    assert entries(sub) == ["All", "---", "Import orders", "Export products", "Update stock"]

    save_config(Config(()), ui_service.config_path)
    ui_service.reload(force=True)
    open_menu(controller)
    assert entries(controller.sync_menu) == ["No integration configured"]
    assert controller.status_line(controller.status()) == "No integration configured"


def test_start_stop_automatic_sync(make_controller, ui_service: SchedulerService) -> None:
    controller = make_controller(ui_service)
    assert controller.icon_state is IconState.RUNNING
    open_menu(controller)
    assert controller.toggle_action.text() == "Stop automatic sync"

    controller.toggle_action.trigger()
    assert ui_service.paused and ui_service._scheduler.state == 2  # STATE_PAUSED
    assert controller.icon_state is IconState.STOPPED
    open_menu(controller)
    assert controller.toggle_action.text() == "Start automatic sync"
    assert controller.status_action.text() == "Automatic sync is stopped"
    assert "automatic sync stopped" in controller.tray.toolTip()

    controller.toggle_action.trigger()
    assert not ui_service.paused and ui_service._scheduler.state == 1  # STATE_RUNNING
    assert controller.icon_state is IconState.RUNNING
    open_menu(controller)
    assert controller.toggle_action.text() == "Stop automatic sync"


def test_sync_now_runs_manually_and_the_result_reaches_icon_and_tooltip(
        qtbot, make_controller, ui_service: SchedulerService, rig: Rig) -> None:
    controller = make_controller(ui_service)
    assert "t: never run; next: " in controller.tray.toolTip()
    action = sync_action(controller, "t", "update-stock")

    with qtbot.waitSignal(controller.bridge.run_started, timeout=RUN_TIMEOUT):
        action.trigger()
    assert controller.icon_state is IconState.SYNCING
    assert controller.tray.icon().cacheKey() == tray_module.status_icon(IconState.SYNCING).cacheKey()
    assert controller.status_action.text() == "Syncing: t - Update stock"
    with qtbot.waitSignal(controller.bridge.run_finished, timeout=RUN_TIMEOUT) as finished:
        pass
    assert finished.args[0].status == "ok"
    assert controller.icon_state is IconState.RUNNING
    assert controller.tray.icon().cacheKey() == tray_module.status_icon(IconState.RUNNING).cacheKey()

    runs = rig.journal.runs(operation="update-stock")
    assert [(r.trigger, r.status) for r in runs] == [("manual", "ok")]
    tooltip = controller.tray.toolTip()
    assert tooltip.startswith("trayapp: Automatic sync is on\n")
    next_run = min(j.next_run for j in ui_service.jobs())
    assert (f"t: last: Update stock OK at {tray_module.clock(runs[0].started_at)} (no changes); "
            f"next: {tray_module.clock(next_run)}") in tooltip


def test_sync_all_runs_every_enabled_operation(qtbot, make_controller, ui_service: SchedulerService,
                                               rig: Rig) -> None:
    controller = make_controller(ui_service)
    rig.configure(operations={op: cfg for op, cfg in rig.integration.operations.items()
                              if op in ("export-products", "update-stock")})
    save_config(Config((rig.integration,)), ui_service.config_path)
    ui_service.reload(force=True)
    action = sync_action(controller, "t", None)
    with qtbot.waitSignals([controller.bridge.run_finished] * 2, timeout=RUN_TIMEOUT):
        action.trigger()
    assert sorted((r.operation, r.trigger) for r in rig.journal.runs()) == [
        ("export-products", "manual"), ("update-stock", "manual")]


def test_notifies_when_failing_starts_and_when_it_recovers_only(
        qtbot, make_controller, ui_service: SchedulerService, rig: Rig) -> None:
    controller = make_controller(ui_service)
    notes: list[tuple[str, str]] = []
    controller.notified.connect(lambda title, text: notes.append((title, text)))

    def run() -> None:
        with qtbot.waitSignal(controller.bridge.run_finished, timeout=RUN_TIMEOUT):
            controller.sync_now("t", ["update-stock"])

    run()  # ok, was unknown: nothing to say
    assert notes == []
    rig.shop.inject(Fault.http(403), count=10_000)
    run()
    assert len(notes) == 1 and notes[0][0] == "t: Update stock failed" and "HTTP 403" in notes[0][1]
    assert controller.icon_state is IconState.WARNING
    assert "failing: Update stock" in controller.tray.toolTip()
    assert controller.status_action.text() == "Automatic sync is on; 1 operation(s) failing"
    run()  # still failing: no second notification
    assert len(notes) == 1
    rig.shop.clear_faults()
    run()
    assert len(notes) == 2 and notes[1][0] == "t: Update stock works again"
    assert controller.icon_state is IconState.RUNNING
    run()
    assert len(notes) == 2


def test_no_notification_when_the_integration_turns_them_off(
        qtbot, make_controller, ui_service: SchedulerService, rig: Rig) -> None:
    rig.configure(notifications=False)
    save_config(Config((rig.integration,)), ui_service.config_path)
    ui_service.reload(force=True)
    controller = make_controller(ui_service)
    notes: list[str] = []
    controller.notified.connect(lambda title, _text: notes.append(title))
    rig.shop.inject(Fault.http(403), count=10_000)
    with qtbot.waitSignal(controller.bridge.run_finished, timeout=RUN_TIMEOUT):
        controller.sync_now("t", ["update-stock"])
    assert notes == [] and controller.icon_state is IconState.WARNING


def test_a_failure_from_before_the_start_shows_as_warning_without_a_notification(
        qtbot, make_controller, ui_service: SchedulerService, rig: Rig) -> None:
    rig.shop.inject(Fault.http(403), count=10_000)
    rig.run("update-stock")
    rig.run("update-stock", dry_run=True)  # a dry run is no verdict
    controller = make_controller(ui_service)
    assert controller.icon_state is IconState.WARNING
    assert "failing: Update stock" in controller.tray.toolTip()
    notes: list[str] = []
    controller.notified.connect(lambda title, _text: notes.append(title))
    with qtbot.waitSignal(controller.bridge.run_finished, timeout=RUN_TIMEOUT):
        controller.sync_now("t", ["update-stock"])
    assert notes == []  # still failing: it did not *start* failing now


def test_open_log_folder_and_about(make_controller, ui_service: SchedulerService, paths: AppPaths) -> None:
    opened: list[QUrl] = []
    controller = make_controller(ui_service, open_url=lambda url: opened.append(url) or True)
    controller.log_action.trigger()
    assert [u.toLocalFile() for u in opened] == [str(paths.log_dir)]

    box = controller.show_about()
    assert box.isVisible() and not box.isModal()  # a modal box would block the tray menu
    for text in (__version__, str(paths.config_file), str(paths.data_dir), str(paths.log_dir)):
        assert text in box.text()


def test_a_log_folder_that_cannot_be_opened_says_where_it_is(make_controller, ui_service, paths) -> None:
    controller = make_controller(ui_service, open_url=lambda url: False)
    controller.open_log_folder()
    assert any(str(paths.log_dir) in getattr(d, "text", lambda: "")() for d in controller._dialogs)


def test_quit_waits_for_the_running_operation_off_the_gui_thread(
        qtbot, make_controller, ui_service: SchedulerService, rig: Rig) -> None:
    class FakeDemo:
        stopped_after_service: bool | None = None

        def stop(self) -> None:
            FakeDemo.stopped_after_service = not ui_service.started

    controller = make_controller(ui_service, demo=FakeDemo())
    notes: list[str] = []
    controller.notified.connect(lambda title, _text: notes.append(title))
    rig.shop.latency = 0.3  # every request takes a while: the run is still going when we quit
    with qtbot.waitSignal(controller.bridge.run_started, timeout=RUN_TIMEOUT):
        controller.sync_now("t", ["export-products"])
    gui = threading.current_thread()
    with qtbot.waitSignal(controller.stopped, timeout=RUN_TIMEOUT):
        controller.quit_action.trigger()
        assert ui_service.stopping and threading.current_thread() is gui  # returned at once
        assert controller.status_action.text() == "Stopping: waiting for running operations…"
        assert controller.tray.toolTip().startswith("trayapp: Stopping")
        assert not controller.quit_action.isEnabled() and not controller.toggle_action.isEnabled()
        assert notes == ["trayapp is stopping"]
    assert not ui_service.started
    assert FakeDemo.stopped_after_service is True
    runs = rig.journal.runs(operation="export-products")
    assert len(runs) == 1 and runs[0].status in ("ok", "partial", "cancelled")  # finished or rolled back


def test_without_a_tray_the_status_window_has_the_same_actions(
        qtbot, make_controller, ui_service: SchedulerService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray_module, "tray_available", lambda: False)
    controller = make_controller(ui_service)
    with qtbot.waitSignal(controller.presented, timeout=5_000) as shown:
        controller.present(tray_wait=0.5)
        assert controller.mode == ""  # still waiting for a tray host
    assert shown.args == ["window"]
    window = controller.window
    assert window is not None and window.isVisible()
    assert window.toggle_button.defaultAction() is controller.toggle_action
    assert window.sync_button.menu() is controller.sync_menu
    assert window.menu_button.menu() is controller.menu
    assert window.quit_button.defaultAction() is controller.quit_action
    assert window.status_label.text() == "Automatic sync is on"
    assert "t: never run" in window.details_label.text()
    window.toggle_button.click()
    assert ui_service.paused and window.status_label.text() == "Automatic sync is stopped"
    controller.notify("title", "text")
    assert "title" in window.message_label.text()


def test_a_tray_that_appears_while_waiting_is_used(qtbot, make_controller, ui_service,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    available = [False]
    monkeypatch.setattr(tray_module, "tray_available", lambda: available[0])
    controller = make_controller(ui_service)
    controller.present(tray_wait=30)
    qtbot.wait(300)
    available[0] = True
    with qtbot.waitSignal(controller.presented, timeout=5_000) as shown:
        pass
    assert shown.args == ["tray"] and controller.window is None


def test_a_second_start_while_waiting_for_a_tray_shows_the_window(qtbot, make_controller, ui_service,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray_module, "tray_available", lambda: False)
    controller = make_controller(ui_service)
    controller.present(tray_wait=30)
    controller.show_yourself()
    assert controller.mode == "window" and controller.window.isVisible()


def test_first_start_offers_the_demo(qtbot, make_controller, paths: AppPaths, rig: Rig) -> None:
    service = SchedulerService(rig.engine, paths.config_file, locks_dir=paths.locks_dir, run_at_start=False)
    service.start()
    controller = make_controller(service)
    try:
        assert controller.icon_state is IconState.STOPPED
        box = controller.offer_first_start()
        assert box.isVisible() and not box.isModal()
        assert controller.first_settings_button.isEnabled()
        controller.demo_button.click()
        assert controller.demo is not None and controller.demo.shop is not None
        assert [i.name for i in service.config.integrations] == ["demo"]
        assert {j.operation for j in service.jobs()} == {"import-orders", "update-order-statuses",
                                                         "export-products", "update-stock"}
        assert controller.icon_state is IconState.RUNNING
        assert not box.isVisible()
    finally:
        service.stop(wait=True)
        if controller.demo is not None:
            controller.demo.stop()


def test_a_broken_configuration_file_is_reported_once(qtbot, make_controller, ui_service: SchedulerService) -> None:
    controller = make_controller(ui_service)
    notes: list[tuple[str, str]] = []
    controller.notified.connect(lambda title, text: notes.append((title, text)))
    ui_service.config_path.write_text("[[integrations]]\nname = 'x'\nbogus = 1\n", encoding="utf-8")
    with qtbot.waitSignal(controller.bridge.state_changed, timeout=10_000):
        ui_service.reload()
    assert ui_service.config_error
    assert [title for title, _ in notes] == ["The configuration file has an error"]
    assert ui_service.config_error[:40] in notes[0][1]
    assert controller.icon_state is IconState.WARNING
    assert controller.status_action.text() == "The configuration file has an error; changes are not applied"
    assert [j.integration for j in ui_service.jobs()] == ["t"] * 5  # the previous jobs keep running
    ui_service.config_path.write_text(ui_service.config_path.read_text() + "\n", encoding="utf-8")
    with qtbot.waitSignal(controller.bridge.state_changed, timeout=10_000):
        ui_service.reload()
    assert len(notes) == 1  # the same error again: not repeated

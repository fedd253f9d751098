"""The Settings dialog over a real, running SchedulerService (demo ERP + contract shop): loading,
editing, inline validation with the core's own rules, add/duplicate/remove, saving to the file and
the scheduler rescheduling at once (no restart), and how the tray opens it."""

from __future__ import annotations

from datetime import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.conftest import MemoryKeyring, Rig
from trayapp.config import OPERATIONS, Config, load_config, save_config
from trayapp.paths import AppPaths
from trayapp.scheduler import SchedulerService
from trayapp.ui.settings.dialog import SettingsDialog

TASK_TIMEOUT = 30_000


@pytest.fixture(autouse=True)
def _in_memory_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring


def type_text(qtbot, edit: QLineEdit, text: str) -> None:
    """As a user: select what is there, delete it, type (ASCII: pytest-qt cannot type other characters)."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(edit, text)


def save(qtbot, dialog: SettingsDialog) -> Config:
    assert dialog.save_button.isEnabled(), dialog.banner.text()
    with qtbot.waitSignal(dialog.saved, timeout=TASK_TIMEOUT) as saved:
        dialog.save_button.click()
    return saved.args[0]


def intervals(service: SchedulerService) -> dict[tuple[str, str], float]:
    return {(job.integration, job.operation): job.interval for job in service.jobs()}


# ---------------------------------------------------------------- loading

def test_opens_on_the_running_configuration_unchanged(make_dialog, ui_service: SchedulerService) -> None:
    dialog = make_dialog(ui_service)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["t"]
    assert dialog.current is not None and dialog.current.name == "t"
    assert [p.key for p in dialog.pages] == ["general", "erp", "shop", "operations", "schedule", "scope",
                                              "status_map", "ownership", "notifications"]
    assert dialog.problems == [] and not dialog.is_dirty() and not dialog.save_button.isEnabled()
    general = dialog.page("general")
    assert general.name_edit.text() == "t" and general.active_box.isChecked() and general.auto_box.isChecked()
    erp = dialog.page("erp")
    assert erp.mode() == "sqlite" and erp.sqlite_edit.text().endswith("erp.sqlite3")
    assert erp.profile_combo.currentText() == "demo"
    assert dialog.page("shop").url_edit.text() == ui_service.config.integrations[0].shop.url
    ops = dialog.page("operations")
    assert all(ops.enabled[op].isChecked() and ops.intervals[op].seconds() == 300 for op in OPERATIONS)
    assert dialog.history_box.isChecked()


def test_without_integrations_it_offers_to_add_one(make_dialog, paths: AppPaths, rig: Rig) -> None:
    service = SchedulerService(rig.engine, paths.config_file, locks_dir=paths.locks_dir, run_at_start=False)
    dialog = make_dialog(service)
    assert dialog.right.currentIndex() == 0 and dialog.empty_add_button.isVisible()
    assert not dialog.remove_button.isEnabled() and not dialog.duplicate_button.isEnabled()
    dialog.empty_add_button.click()
    assert dialog.right.currentIndex() == 1 and dialog.current.name == "new-integration"


# ---------------------------------------------------------------- saving applies at once

def test_saving_writes_the_file_and_reschedules_the_running_service(
        qtbot, make_dialog, ui_service: SchedulerService) -> None:
    assert intervals(ui_service)[("t", "update-stock")] == 300
    before = ui_service.config.integrations[0]
    dialog = make_dialog(ui_service)
    ops = dialog.show_page("operations")
    ops.intervals["update-stock"].set_value(2, 60)
    ops.enabled["import-products"].setChecked(False)
    assert dialog.is_dirty() and dialog.save_button.isEnabled()

    saved = save(qtbot, dialog)
    # at once: the service got the new configuration, not after the watchdog's next look at the file
    assert intervals(ui_service)[("t", "update-stock")] == 120
    assert ("t", "import-products") not in intervals(ui_service)
    assert ui_service.config == saved and ui_service.started
    on_disk = load_config(ui_service.config_path).integrations[0]
    assert on_disk.operation("update-stock").interval == 120 and not on_disk.operation("import-products").enabled
    # what the dialog does not show is kept as it was
    assert on_disk.shop == before.shop and on_disk.erp == before.erp and on_disk.overlap == before.overlap
    assert not dialog.is_dirty() and not dialog.save_button.isEnabled()
    assert "Saved" in dialog.banner.text()


def test_inactive_or_manual_only_integrations_lose_their_jobs(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    dialog.page("general").auto_box.setChecked(False)
    save(qtbot, dialog)
    assert intervals(ui_service) == {}
    assert not load_config(ui_service.config_path).integrations[0].automatic_sync
    dialog.page("general").auto_box.setChecked(True)
    save(qtbot, dialog)
    assert len(intervals(ui_service)) == 5


def test_every_page_round_trips_through_the_file(qtbot, make_dialog, ui_service: SchedulerService) -> None:
    dialog = make_dialog(ui_service)
    schedule = dialog.show_page("schedule")
    schedule.weekdays_button.click()  # Mon-Fri 07:00-19:00
    schedule.add_window(("sat",), time(22, 0), time(0, 0))  # 00:00 as the end: midnight
    scope = dialog.show_page("scope")
    type_text(qtbot, scope.export_labels, "shop, featured")
    type_text(qtbot, scope.stock_labels, "shop")
    scope.buffer.setValue(2)
    type_text(qtbot, scope.statuses, "processing")
    status = dialog.show_page("status_map")
    status.to_shop.add_row()
    row = status.to_shop.table.rowCount() - 1
    status.to_shop.table.item(row, 0).setText("packed")
    status.to_shop.table.item(row, 1).setText("completed")
    ownership = dialog.show_page("ownership")
    ownership.set_master("categories", False, True)
    ownership.set_master("ean", False, False)
    dialog.show_page("notifications").notify_box.setChecked(False)
    dialog.history_box.setChecked(False)
    dialog.log_combo.setCurrentIndex(dialog.log_combo.findData("DEBUG"))
    assert dialog.problems == [], dialog.problems

    save(qtbot, dialog)
    config = load_config(ui_service.config_path)
    i = config.integrations[0]
    assert [(w.days, w.start, w.end) for w in i.windows] == [
        (("mon", "tue", "wed", "thu", "fri"), time(7, 0), time(19, 0)), (("sat",), time(22, 0), time.max)]
    assert i.operation("export-products").labels == ("shop", "featured")
    assert i.operation("update-stock").labels == ("shop",) and i.operation("update-stock").buffer == 2
    assert i.operation("import-orders").statuses == ("processing",)
    assert i.status_to_shop["packed"] == "completed" and i.status_to_shop["paid"] == "processing"
    assert "categories" in i.shop_fields and "categories" not in i.erp_fields
    assert "ean" not in i.shop_fields and "ean" not in i.erp_fields
    assert not i.notifications
    assert not config.settings.event_history and config.settings.log_level == "DEBUG"
    assert ui_service.engine.keep_quiet_runs is False  # event history off reached the engine at once

    # and the dialog shows what the file says when opened again
    again = SettingsDialog(ui_service)
    try:
        assert again.page("schedule").table.rowCount() == 2
        assert again.page("scope").export_labels.text() == "shop, featured"
        assert not again.is_dirty()
    finally:
        again.discard_and_close()


# ---------------------------------------------------------------- inline validation blocks saving

def _bad_url(qtbot, dialog):
    page = dialog.show_page("shop")
    type_text(qtbot, page.url_edit, "shop.example.com")
    return page.url_edit, "http:// or https://"


def _interval_zero(qtbot, dialog):
    page = dialog.show_page("operations")
    page.intervals["update-stock"].set_value(0, 60)
    return page.intervals["update-stock"], "at least 1 second"


def _two_masters(qtbot, dialog):
    page = dialog.show_page("ownership")
    page.set_master("price", True, True)
    assert page.conflicts() == ["price"]
    assert "two masters" in page.table.item(1, page.RESULT_COLUMN).text()
    return page.table, "two masters"


def _duplicate_name(qtbot, dialog):
    dialog.add_button.click()
    page = dialog.page("general")
    type_text(qtbot, page.name_edit, "t")
    return page.name_edit, "used twice"


def _no_day(qtbot, dialog):
    page = dialog.show_page("schedule")
    page.add_window((), time(8, 0), time(16, 0))
    return page.table, "at least one day"


def _same_start_and_end(qtbot, dialog):
    page = dialog.show_page("schedule")
    page.add_window(("mon",), time(8, 0), time(8, 0))
    return page.table.cellWidget(0, 8), "different from start"


@pytest.mark.parametrize("make_problem", [_bad_url, _interval_zero, _two_masters, _duplicate_name, _no_day,
                                          _same_start_and_end])
def test_invalid_input_is_flagged_inline_and_blocks_saving(qtbot, make_dialog, ui_service, make_problem) -> None:
    dialog = make_dialog(ui_service)
    before = ui_service.config_path.read_bytes()
    jobs = intervals(ui_service)
    widget, words = make_problem(qtbot, dialog)

    assert any(words in p.message for p in dialog.problems), dialog.problems
    assert widget.property("invalid") is True and words in widget.toolTip()  # the field is highlighted
    page = dialog.current_page()
    assert page.error_label.isVisible() and words in page.error_label.text()  # and the message is next to it
    assert words in dialog.banner.text()
    assert not dialog.save_button.isEnabled()
    assert dialog.save() is False
    assert ui_service.config_path.read_bytes() == before and intervals(ui_service) == jobs


def test_fixing_the_problem_clears_it(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    url, _ = _bad_url(qtbot, dialog)
    assert url.property("invalid") is True and not dialog.save_button.isEnabled()
    type_text(qtbot, url, "https://shop.example.com")
    assert dialog.problems == [] and url.property("invalid") is False
    assert not dialog.page("shop").error_label.isVisible()
    assert dialog.save_button.isEnabled()
    ownership = dialog.show_page("ownership")
    ownership.set_master("price", True, True)
    assert dialog.list.item(0).toolTip()  # the integration's entry carries the warning too
    ownership.set_master("price", False, True)
    assert dialog.problems == [] and dialog.list.item(0).toolTip() == ""


def test_a_problem_on_another_integration_is_found_on_save(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    dialog.add_button.click()  # a new integration: ERP and shop are still empty
    assert {p.index for p in dialog.problems} == {1}
    dialog.list.setCurrentRow(0)
    assert dialog.save() is False
    assert dialog.current.name == "new-integration"  # Save went to the problem
    assert dialog.list.item(1).toolTip()


# ---------------------------------------------------------------- add, duplicate, remove

def test_add_duplicate_and_remove_integrations(qtbot, make_dialog, ui_service: SchedulerService, rig: Rig) -> None:
    dialog = make_dialog(ui_service)
    # add: a new integration with sensible defaults, to be filled in
    draft = dialog.add_integration()
    assert draft.name == "new-integration"
    ops = dialog.page("operations")
    assert [op for op in OPERATIONS if ops.enabled[op].isChecked()] == [
        "import-orders", "update-order-statuses", "export-products", "update-stock"]
    assert dialog.page("shop").key_entry.text() == "wc-key" and dialog.page("shop").secret_entry.text() == "wc-secret"
    type_text(qtbot, dialog.page("general").name_edit, "second")
    erp = dialog.show_page("erp")
    erp.mode_combo.setCurrentIndex(erp.mode_combo.findData("sqlite"))
    type_text(qtbot, erp.sqlite_edit, str(rig.erp_path))
    erp.profile_combo.setEditText("demo")
    # the same ERP database as 't' with the same (empty) order prefix is refused, as the core refuses it
    assert any(p.key == "order_ref_prefix" for p in dialog.problems)
    assert erp.prefix_edit.property("invalid") is True
    type_text(qtbot, erp.prefix_edit, "B-")
    type_text(qtbot, dialog.show_page("shop").url_edit, rig.shop.url)
    assert dialog.problems == [], dialog.problems
    save(qtbot, dialog)
    assert [i.name for i in load_config(ui_service.config_path).integrations] == ["t", "second"]
    assert {name for name, _ in intervals(ui_service)} == {"t", "second"}

    # duplicate: the copy is right after its source, under a new name, and needs its own prefix
    dialog.list.setCurrentRow(0)
    copy = dialog.duplicate_integration()
    assert copy.name == "t-copy" and dialog.current is copy and dialog.list.currentRow() == 1
    assert copy.raw["shop"] == dialog.drafts[0].raw["shop"]
    assert [p.key for p in dialog.problems] == ["order_ref_prefix"]
    type_text(qtbot, dialog.show_page("erp").prefix_edit, "C-")
    save(qtbot, dialog)
    assert [i.name for i in ui_service.config.integrations] == ["t", "t-copy", "second"]
    assert intervals(ui_service)[("t-copy", "update-stock")] == 300

    # remove
    dialog.list.setCurrentRow(1)
    dialog.remove_button.click()
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["t", "second"]
    assert "Removed 't-copy'" in dialog.banner.text()
    save(qtbot, dialog)
    assert [i.name for i in load_config(ui_service.config_path).integrations] == ["t", "second"]
    assert {name for name, _ in intervals(ui_service)} == {"t", "second"}


def test_removing_every_integration_stops_all_jobs(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    dialog.remove_integration()
    assert dialog.right.currentIndex() == 0
    save(qtbot, dialog)
    assert intervals(ui_service) == {} and load_config(ui_service.config_path).integrations == ()


def test_renaming_keeps_it_valid_and_says_what_happens(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    general = dialog.page("general")
    type_text(qtbot, general.name_edit, "main shop")
    assert dialog.list.item(0).text() == "main shop"
    assert general.rename_note.isVisible() and "Renamed from 't'" in general.rename_note.text()
    type_text(qtbot, general.name_edit, "-bad")
    assert general.name_edit.property("invalid") is True
    type_text(qtbot, general.name_edit, "main shop")
    save(qtbot, dialog)
    assert {name for name, _ in intervals(ui_service)} == {"main shop"}


# ---------------------------------------------------------------- the ERP page builds the connection

def test_the_odbc_builder_writes_a_connection_string_with_a_password_placeholder(qtbot, make_dialog,
                                                                                  ui_service) -> None:
    dialog = make_dialog(ui_service)
    erp = dialog.show_page("erp")
    erp.mode_combo.setCurrentIndex(erp.mode_combo.findData("odbc"))
    erp.driver_combo.addItem("ODBC Driver 18 for SQL Server", "ODBC Driver 18 for SQL Server")
    erp.driver_combo.setCurrentIndex(erp.driver_combo.count() - 1)
    type_text(qtbot, erp.server_edit, "localhost\\SQLEXPRESS")
    erp.database_combo.setEditText("Firma")
    type_text(qtbot, erp.user_edit, "sync")
    type_text(qtbot, erp.options_edit, "Encrypt=yes;TrustServerCertificate=yes")
    erp.profile_combo.setEditText("staging")
    raw = dialog.current.raw["erp"]
    assert raw["connection"] == ("DRIVER={ODBC Driver 18 for SQL Server};Server=localhost\\SQLEXPRESS;"
                                 "Database=Firma;UID=sync;PWD={password};Encrypt=yes;TrustServerCertificate=yes")
    assert raw["password_secret"] == "erp-password"  # the default entry name, filled in
    assert erp.password.isVisible() and erp.user_edit.isVisible()
    # Windows authentication: no user, no password, no keyring entry
    erp.auth_combo.setCurrentIndex(erp.auth_combo.findData("windows"))
    assert "Trusted_Connection=yes" in raw["connection"] and "PWD" not in raw["connection"]
    assert raw["password_secret"] == "" and not erp.user_edit.isVisible() and not erp.password.isVisible()
    assert dialog.problems == []
    save(qtbot, dialog)
    saved = load_config(ui_service.config_path).integrations[0].erp
    assert saved.connection.startswith("DRIVER={ODBC Driver 18 for SQL Server};Server=localhost\\SQLEXPRESS")

    # opened again, the builder shows the fields, not the raw string
    again = make_dialog(ui_service)
    erp2 = again.show_page("erp")
    assert erp2.mode() == "odbc" and erp2.server_edit.text() == "localhost\\SQLEXPRESS"
    assert erp2.auth_combo.currentData() == "windows" and "(not installed)" in erp2.driver_combo.currentText()


def test_a_literal_password_in_a_raw_connection_string_is_refused_inline(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    erp = dialog.show_page("erp")
    erp.mode_combo.setCurrentIndex(erp.mode_combo.findData("raw"))
    erp.raw_edit.setPlainText("DRIVER={PostgreSQL Unicode};Server=db;Database=erp;UID=u;PWD=hunter2")
    assert erp.raw_edit.property("invalid") is True and "contains a password" in erp.raw_edit.toolTip()
    assert not dialog.save_button.isEnabled()
    erp.raw_edit.setPlainText("DRIVER={PostgreSQL Unicode};Server=db;Database=erp;UID=u;PWD={password}")
    assert dialog.problems == [] and dialog.current.raw["erp"]["password_secret"] == "erp-password"


def test_odbc_builder_asks_for_driver_and_server(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    dialog.add_integration()
    erp = dialog.show_page("erp")
    assert erp.mode() == "odbc"
    erp.driver_combo.setCurrentIndex(-1)
    type_text(qtbot, erp.user_edit, "sync")
    assert "choose an ODBC driver" in erp.error_label.text()


# ---------------------------------------------------------------- the tray opens it

def test_the_menu_opens_the_settings_and_a_second_start_brings_them_forward(make_controller,
                                                                            ui_service) -> None:
    controller = make_controller(ui_service)
    assert controller.settings_action.isEnabled()
    controller.settings_action.trigger()
    dialog = controller.settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    controller.settings_action.trigger()
    assert controller.settings_dialog is dialog  # one settings window, brought forward
    dialog.hide()
    controller.show_yourself()  # what a second `trayapp` asks for
    assert controller.settings_dialog is dialog and dialog.isVisible()


def test_first_start_open_settings_opens_an_empty_dialog(qtbot, make_controller, paths: AppPaths,
                                                         rig: Rig) -> None:
    service = SchedulerService(rig.engine, paths.config_file, locks_dir=paths.locks_dir, run_at_start=False)
    service.start()
    try:
        controller = make_controller(service)
        box = controller.offer_first_start()
        assert controller.first_settings_button.isEnabled()
        controller.first_settings_button.click()
        dialog = controller.settings_dialog
        assert dialog is not None and dialog.isVisible() and dialog.list.count() == 0
        assert not box.isVisible()
    finally:
        service.stop(wait=True)


def test_the_config_file_error_is_shown_and_saving_replaces_the_file(qtbot, make_dialog, ui_service) -> None:
    ui_service.config_path.write_text("[[integrations]]\nname = 'x'\nbogus = 1\n", encoding="utf-8")
    ui_service.reload()
    assert ui_service.config_error
    dialog = make_dialog(ui_service)
    assert dialog.file_label.isVisible() and "bogus" in dialog.file_label.text()
    assert dialog.current.name == "t"  # the last settings that worked
    dialog.page("general").active_box.setChecked(False)
    save(qtbot, dialog)
    assert ui_service.config_error == "" and not load_config(ui_service.config_path).integrations[0].active


def test_saved_file_is_valid_for_the_core(qtbot, make_dialog, ui_service, paths: AppPaths) -> None:
    dialog = make_dialog(ui_service)
    dialog.page("general").active_box.setChecked(False)
    saved = save(qtbot, dialog)
    save_config(saved, paths.config_dir / "copy.toml")  # the same validation passes again
    text = ui_service.config_path.read_text(encoding="utf-8")
    assert "active = false" in text and (paths.config_file.with_suffix(".toml.bak")).exists()


def test_close_asks_about_unsaved_changes_but_quitting_never_waits(qtbot, make_dialog, ui_service) -> None:
    dialog = make_dialog(ui_service)
    dialog.close_button.click()  # nothing changed: just closes
    assert not dialog.isVisible()
    dialog.show()
    dialog.page("general").active_box.setChecked(False)
    dialog.close_button.click()
    assert dialog.isVisible() and dialog.discard_box.isVisible()  # "Discard the changes…?"
    dialog.discard_box.button(dialog.discard_box.StandardButton.Cancel).click()
    assert dialog.isVisible() and dialog.is_dirty()
    dialog.close()  # programmatic, as when the app quits or the session ends: never refused
    assert not dialog.isVisible()
    assert load_config(ui_service.config_path).integrations[0].active  # and nothing was saved


def test_the_pyside_reference_guard_is_active(qtbot) -> None:
    """PySide6 6.12.0 on Python 3.11 takes a reference from None on every void call (see qtfix):
    the settings package gives the singletons references to spare, so a long session cannot abort."""
    import sys

    from PySide6.QtWidgets import QLabel

    from trayapp.ui.settings.qtfix import SPARE

    if sys.version_info >= (3, 12):
        pytest.skip("None and True are immortal from Python 3.12")
    assert sys.getrefcount(None) > SPARE // 2 and sys.getrefcount(True) > SPARE // 2
    label = QLabel()
    for _ in range(30_000):  # more than None has references in a fresh process
        label.setText("x")
    assert sys.getrefcount(None) > SPARE // 2


def test_a_configuration_changed_elsewhere_is_not_overwritten_unasked(qtbot, make_dialog, ui_service,
                                                                       rig: Rig) -> None:
    from dataclasses import replace

    dialog = make_dialog(ui_service)
    dialog.page("general").active_box.setChecked(False)
    # meanwhile, the command line adds an integration
    other = replace(rig.integration, name="from-cli", order_ref_prefix="CLI-")
    save_config(Config((rig.integration, other)), ui_service.config_path)
    ui_service.reload(force=True)
    with qtbot.waitSignal(dialog.save_failed) as failed:
        assert dialog.save() is False
    assert "changed elsewhere" in failed.args[0] and "changed elsewhere" in dialog.banner.text()
    assert [i.name for i in load_config(ui_service.config_path).integrations] == ["t", "from-cli"]
    save(qtbot, dialog)  # asked again: the user's version wins
    assert [i.name for i in load_config(ui_service.config_path).integrations] == ["t"]
    dialog.page("general").active_box.setChecked(True)
    save(qtbot, dialog)  # our own save is not "elsewhere"

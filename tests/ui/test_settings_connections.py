"""Test connection and List databases in the Settings dialog, against real things: the demo ERP
(stdlib sqlite3 and the SQLite ODBC driver), PostgreSQL through psqlODBC, and the contract shop
(trayapp.demo.shop_server) with and without OAuth keys. Each runs on a worker thread and ends in a
readable result, success or failure."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.conftest import MemoryKeyring, Rig
from tests.erp.erp_support import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER
from trayapp.config import Config, save_config
from trayapp.demo.shop_server import ShopServer
from trayapp.errors import ErpError
from trayapp.scheduler import SchedulerService
from trayapp.secrets import SERVICE
from trayapp.ui.settings import erp_page as erp_module
from trayapp.ui.settings import odbc
from trayapp.ui.settings import shop_page as shop_module
from trayapp.ui.settings.dialog import SettingsDialog

TASK_TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def _in_memory_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """Where the blocking parts of Test connection / List databases ran."""
    seen: list[threading.Thread] = []

    def spy(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            seen.append(threading.current_thread())
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    spy(erp_module, "test_erp")
    spy(shop_module, "test_shop")
    spy(odbc, "list_databases")
    return seen


def type_text(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(edit, text)


def run(qtbot, page, button) -> tuple[str, str]:
    """Click, wait for the worker's answer; (ok|error, text shown)."""
    button.click()
    assert page.result.kind == "busy" and not button.isEnabled()  # the GUI goes on while it works
    qtbot.waitUntil(lambda: page.result.kind in ("ok", "error"), timeout=TASK_TIMEOUT)
    assert button.isEnabled()
    return page.result.kind, page.result.message


def off_gui(seen: list[threading.Thread]) -> bool:
    return bool(seen) and all(thread is not threading.main_thread() for thread in seen)


# ---------------------------------------------------------------- ERP

def test_erp_test_connection_ok_and_failing(qtbot, make_dialog, ui_service, threads, rig: Rig) -> None:
    dialog = make_dialog(ui_service)
    erp = dialog.show_page("erp")
    kind, text = run(qtbot, erp, erp.test_button)
    assert kind == "ok", text
    assert "Connected: SQLite" in text and "profile demo" in text and "import-orders" in text

    type_text(qtbot, erp.sqlite_edit, str(rig.root / "missing.sqlite3"))
    kind, text = run(qtbot, erp, erp.test_button)
    assert kind == "error" and "Connection failed" in text and "SQLite database not found" in text

    type_text(qtbot, erp.sqlite_edit, str(rig.erp_path))
    erp.profile_combo.setEditText("no-such-profile")
    kind, text = run(qtbot, erp, erp.test_button)
    assert kind == "error" and "no ERP profile named 'no-such-profile'" in text and "available:" in text

    # a profile that does not match the database: its statements fail, and say which
    erp.profile_combo.setEditText("staging")
    kind, text = run(qtbot, erp, erp.test_button)
    assert kind == "error" and "staging" in text
    assert off_gui(threads)


@pytest.fixture(scope="module")
def sqlite_odbc_driver() -> str:
    drivers, error = odbc.installed_drivers()
    driver = next((d for d in drivers if d.lower() == "sqlite3"), None)
    if driver is None:
        reason = error or "ODBC driver 'SQLite3' not installed (Debian: apt-get install libsqliteodbc)"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return driver


def test_erp_through_an_odbc_driver_picked_from_the_installed_ones(qtbot, make_dialog, ui_service, threads,
                                                                   rig: Rig, sqlite_odbc_driver: str) -> None:
    dialog = make_dialog(ui_service)
    erp = dialog.show_page("erp")
    erp.mode_combo.setCurrentIndex(erp.mode_combo.findData("odbc"))
    installed = [erp.driver_combo.itemText(i) for i in range(erp.driver_combo.count())]
    assert sqlite_odbc_driver in installed  # the list is pyodbc.drivers()
    erp.driver_combo.setCurrentIndex(installed.index(sqlite_odbc_driver))
    assert erp.database_browse.isVisible() and not erp.list_button.isVisible()  # a file, not a server
    assert not erp.server_edit.isVisible() and not erp.password.isVisible()
    erp.database_combo.setEditText(str(rig.erp_path))
    assert dialog.current.raw["erp"]["connection"] == f"DRIVER={{{sqlite_odbc_driver}}};Database={rig.erp_path}"
    assert dialog.problems == []
    kind, text = run(qtbot, erp, erp.test_button)
    assert kind == "ok" and "SQLite" in text and "profile demo" in text, text
    assert off_gui(threads)


def test_without_the_odbc_driver_manager_the_page_says_what_to_install(make_dialog, ui_service,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def missing():
        raise ErpError("The ODBC driver manager is not installed, so pyodbc cannot load. Install it: "
                       "Debian/Ubuntu: 'sudo apt-get install unixodbc' (libodbc.so.2: cannot open shared object)")

    monkeypatch.setattr(odbc, "import_pyodbc", missing)
    dialog = make_dialog(ui_service)
    erp = dialog.show_page("erp")
    erp.mode_combo.setCurrentIndex(erp.mode_combo.findData("odbc"))
    assert erp.driver_combo.count() == 0
    assert erp.driver_message.isVisible() and "apt-get install unixodbc" in erp.driver_message.text()
    assert "choose an ODBC driver" in erp.error_label.text()


@pytest.fixture(scope="module")
def postgres() -> None:
    drivers, _ = odbc.installed_drivers()
    reason = ""
    if "PostgreSQL Unicode" not in drivers:
        reason = "ODBC driver 'PostgreSQL Unicode' not installed (Debian: apt-get install odbc-postgresql)"
    else:
        try:
            socket.create_connection((PG_HOST, int(PG_PORT)), timeout=3).close()
        except OSError as exc:
            reason = f"PostgreSQL at {PG_HOST}:{PG_PORT} is not reachable: {exc}"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.mark.postgres
def test_the_database_picker_lists_the_servers_databases(qtbot, make_dialog, ui_service, threads,
                                                         postgres) -> None:
    dialog = make_dialog(ui_service)
    erp = dialog.show_page("erp")
    erp.mode_combo.setCurrentIndex(erp.mode_combo.findData("odbc"))
    erp.driver_combo.setCurrentIndex(erp.driver_combo.findData("PostgreSQL Unicode"))
    type_text(qtbot, erp.server_edit, PG_HOST)
    type_text(qtbot, erp.port_edit, PG_PORT)
    type_text(qtbot, erp.user_edit, PG_USER)
    assert erp.list_button.isVisible() and not erp.database_browse.isVisible()

    # the wrong password: a readable reason, and what to check
    erp.password.set_value("wrong-password")
    kind, text = run(qtbot, erp, erp.list_button)
    assert kind == "error" and "Could not list the databases" in text
    assert "password" in text.lower() and "wrong-password" not in text

    erp.password.set_value(PG_PASSWORD)
    kind, text = run(qtbot, erp, erp.list_button)
    assert kind == "ok", text
    names = [erp.database_combo.itemText(i) for i in range(erp.database_combo.count())]
    assert "postgres" in names and not any(n.startswith("template") for n in names)
    assert off_gui(threads)

    # picking one writes it into the connection string; the password goes to the keyring on Save
    erp.database_combo.setCurrentIndex(names.index("postgres"))
    connection = dialog.current.raw["erp"]["connection"]
    assert "Database=postgres" in connection and "PWD={password}" in connection
    assert f"PWD={PG_PASSWORD}" not in connection


# ---------------------------------------------------------------- shop

@pytest.fixture
def keyed_shop() -> Iterator[ShopServer]:
    with ShopServer(consumer_key="ck_right", consumer_secret="cs_right") as server:
        yield server


def _keyed_service(ui_service: SchedulerService, rig: Rig, url: str) -> SchedulerService:
    from dataclasses import replace

    shop = replace(rig.integration.shop, url=url, key_secret="wc-key", secret_secret="wc-secret")
    save_config(Config((replace(rig.integration, shop=shop),)), ui_service.config_path)
    ui_service.reload(force=True)
    return ui_service


def test_shop_test_connection_ok_and_failing(qtbot, make_dialog, ui_service, threads, rig: Rig,
                                             keyed_shop: ShopServer, memory_keyring: MemoryKeyring) -> None:
    # the stored keys are used when nothing is typed
    memory_keyring.store[(SERVICE, "t/wc-key")] = "ck_right"
    memory_keyring.store[(SERVICE, "t/wc-secret")] = "cs_right"
    dialog = make_dialog(_keyed_service(ui_service, rig, keyed_shop.url))
    shop = dialog.show_page("shop")
    kind, text = run(qtbot, shop, shop.test_button)
    assert kind == "ok" and text.startswith("Connected: WooCommerce") and keyed_shop.url in text, text

    # a typed key is tried before it is saved; the wrong one fails readably, without showing it
    shop.key_field.set_value("ck_wrong")
    kind, text = run(qtbot, shop, shop.test_button)
    assert kind == "error" and "Connection failed" in text and "401" in text, text
    assert "ck_wrong" not in text and "cs_right" not in text

    # nothing listening there
    shop.key_field.set_value("")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    type_text(qtbot, shop.url_edit, f"http://127.0.0.1:{port}")
    kind, text = run(qtbot, shop, shop.test_button)
    assert kind == "error" and "Connection failed" in text and str(port) in text, text

    # plain HTTP to another computer is refused before any request, and says what to do
    type_text(qtbot, shop.url_edit, "http://shop.example.com")
    kind, text = run(qtbot, shop, shop.test_button)
    assert kind == "error" and "Refusing plain HTTP" in text
    assert off_gui(threads)


def test_shop_test_without_stored_keys_says_how_to_store_them(qtbot, make_dialog, ui_service, rig: Rig,
                                                              keyed_shop: ShopServer) -> None:
    dialog = make_dialog(_keyed_service(ui_service, rig, keyed_shop.url))
    shop = dialog.show_page("shop")
    kind, text = run(qtbot, shop, shop.test_button)
    assert kind == "error" and "no secret 'wc-key'" in text


def test_the_contract_shop_without_keys(qtbot, make_dialog, ui_service, rig: Rig) -> None:
    dialog = make_dialog(ui_service)  # the rig's shop needs no key: no keyring entries at all
    shop = dialog.show_page("shop")
    kind, text = run(qtbot, shop, shop.test_button)
    assert kind == "ok" and rig.shop.url in text


def test_a_test_still_running_when_the_dialog_closes_is_harmless(qtbot, ui_service, tmp_path: Path) -> None:
    dialog = SettingsDialog(ui_service)
    erp = dialog.show_page("erp")
    erp.test_connection()
    dialog.discard_and_close()
    dialog.deleteLater()
    qtbot.wait(200)  # the worker's late answer finds no dialog: nothing raises

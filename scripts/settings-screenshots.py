#!/usr/bin/env python3
"""Offscreen grabs of every Settings page for review and the docs: docs/screenshots/settings-*.png.

    python3 scripts/settings-screenshots.py [OUTPUT_DIR]       # TRAYAPP_LANG=pl: in Polish

Runs without a display (QT_QPA_PLATFORM=offscreen) in a temporary TRAYAPP_HOME, with an in-memory
keyring (nothing is stored in the real one), a demo ERP and the contract shop on 127.0.0.1, so the
Test connection results shown are real ones.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="trayapp-settings-shots-"))
os.environ["TRAYAPP_HOME"] = str(WORK / "home")
os.environ["XDG_CONFIG_HOME"] = str(WORK / "xdg")  # start at login: not the real user's entry

import keyring  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from trayapp.config import (  # noqa: E402
    OPERATIONS,
    Config,
    ErpConfig,
    Integration,
    OperationConfig,
    ShopConfig,
    TimeWindow,
    save_config,
)
from trayapp.demo.erp import create_demo_erp, demo_connection_string  # noqa: E402
from trayapp.demo.shop_server import ShopServer  # noqa: E402
from trayapp.engine import Engine  # noqa: E402
from trayapp.journal import Journal  # noqa: E402
from trayapp.paths import app_paths  # noqa: E402
from trayapp.scheduler import SchedulerService  # noqa: E402
from trayapp.secrets import set_secret  # noqa: E402


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def wait(app: QApplication, condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("settings-screenshots: timed out waiting for the dialog")
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def grab(widget: QWidget, out: Path, name: str) -> None:
    QCoreApplication.processEvents()
    path = out / f"settings-{name}.png"
    widget.grab().save(str(path))
    print(f"settings-screenshots: {path}")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(["trayapp"])
    app.setApplicationName("trayapp")
    if os.environ.get("TRAYAPP_LANG"):  # e.g. TRAYAPP_LANG=pl to review the Polish texts' fit
        from trayapp.ui.i18n import install_translators

        install_translators(app, os.environ["TRAYAPP_LANG"])
    keyring.set_keyring(MemoryKeyring())
    paths = app_paths().ensure()

    erp = create_demo_erp(WORK / "erp.sqlite3", products=20)
    shop = ShopServer(consumer_key="ck_demo", consumer_secret="cs_demo").start()
    set_secret("web-shop", "wc-key", "ck_demo")
    set_secret("web-shop", "wc-secret", "cs_demo")
    set_secret("warehouse", "erp-password", "secret")
    ops = {op: OperationConfig(op, enabled=op != "import-products", interval=120 if op == "import-orders" else 300)
           for op in OPERATIONS}
    config = Config((
        Integration("web-shop", ErpConfig(demo_connection_string(erp), "demo"),
                    ShopConfig("woocommerce", shop.url, key_secret="wc-key", secret_secret="wc-secret"),
                    operations=ops, erp_fields=("name", "price", "sale_price", "description", "tax_class",
                                                "weight", "ean", "active"),
                    shop_fields=("short_description", "categories"),
                    windows=(TimeWindow(("mon", "tue", "wed", "thu", "fri"), *_times(7, 19)),
                             TimeWindow(("sat",), *_times(9, 13)))),
        Integration("warehouse",
                    ErpConfig("DRIVER={PostgreSQL Unicode};Server=erp.office.local;Port=5432;Database=firma;"
                              "UID=sync;PWD={password}", "staging", password_secret="erp-password"),
                    ShopConfig("woocommerce", "https://shop.example.com", key_secret="wc-key",
                               secret_secret="wc-secret"),
                    operations=ops, order_ref_prefix="B2B-"),
    ))
    save_config(config, paths.config_file)
    service = SchedulerService(Engine(Journal(paths.journal_file), paths.locks_dir), paths.config_file,
                               locks_dir=paths.locks_dir, run_at_start=False)
    service.start(paused=True)

    from trayapp.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(service)
    dialog.resize(1000, 660)
    dialog.show()
    checked: list[bool] = []
    dialog.secrets_checked.connect(lambda: checked.append(True))
    wait(app, lambda: checked)
    try:
        dialog.select_integration("web-shop")
        for page in dialog.pages:
            dialog.show_page(page.key)
            if page.key == "erp":
                page.test_connection()
                wait(app, lambda page=page: page.result.kind in ("ok", "error"))
            if page.key == "shop":
                page.test_connection()
                wait(app, lambda page=page: page.result.kind in ("ok", "error"))
            grab(dialog, out, page.key.replace("_", "-"))

        dialog.select_integration("warehouse")
        dialog.show_page("erp")
        grab(dialog, out, "erp-odbc")

        # problems flagged inline: a field with two masters, an interval of 0, a bad address
        dialog.select_integration("web-shop")
        ownership = dialog.show_page("ownership")
        ownership.set_master("price", True, True)
        grab(dialog, out, "ownership-conflict")
        ownership.set_master("price", True, False)
        dialog.show_page("operations").intervals["update-stock"].set_value(0, 1)
        grab(dialog, out, "interval-zero")
        dialog.page("operations").intervals["update-stock"].set_value(5, 60)
        shop_page = dialog.show_page("shop")
        shop_page.url_edit.setText("shop.example.com")
        shop_page.edited()
        grab(dialog, out, "bad-url")
        dialog.discard_and_close()

        # no keyring backend: said plainly, before anything is typed
        from keyring.backends import fail

        keyring.set_keyring(fail.Keyring())
        dialog = SettingsDialog(service)
        dialog.resize(1000, 660)
        dialog.show()
        checked.clear()
        dialog.secrets_checked.connect(lambda: checked.append(True))
        wait(app, lambda: checked)
        dialog.show_page("shop")
        grab(dialog, out, "no-keyring")
        dialog.discard_and_close()

        # nothing configured yet (what "Open settings" on the first start shows), then Add
        keyring.set_keyring(MemoryKeyring())
        save_config(Config(), paths.config_file)
        service.reload(force=True)
        dialog = SettingsDialog(service)
        dialog.resize(1000, 660)
        dialog.show()
        grab(dialog, out, "empty")
        dialog.add_integration()
        dialog.show_page("erp")
        grab(dialog, out, "new")
    finally:
        dialog.discard_and_close()
        service.stop(wait=True)
        shop.stop()
    return 0


def _times(start: int, end: int):
    from datetime import time as clock

    return clock(start, 0), clock(end, 0)


if __name__ == "__main__":
    sys.exit(main())

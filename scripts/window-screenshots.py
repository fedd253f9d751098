#!/usr/bin/env python3
"""Screenshots of the Manual sync preview and the Event history (docs/screenshots/), without a display.

    python scripts/window-screenshots.py [--out docs/screenshots] [--lang en|pl]

Builds a throw-away setup in a temporary folder - a demo ERP and the WooCommerce contract shop on
127.0.0.1, the real engine and scheduler - makes a few runs (products exported, orders imported, a
run with records the shop refused, one whose shop answered 503, one cancelled), changes some ERP
products so a preview has something to show, then renders the windows with QWidget.grab() on Qt's
offscreen platform. Writes manual-sync-preview.png and history.png (with --lang pl: *-pl.png).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="en", help="en (default) or pl")
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["TRAYAPP_LANG"] = args.lang
    suffix = "" if args.lang == "en" else f"-{args.lang}"

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from trayapp.config import OPERATIONS, Config, ErpConfig, Integration, OperationConfig, ShopConfig, save_config
    from trayapp.demo.erp import create_demo_erp, demo_connection_string
    from trayapp.demo.shop_server import Fault, ShopServer
    from trayapp.engine import Engine
    from trayapp.journal import Journal
    from trayapp.operations.base import Scope
    from trayapp.scheduler import SchedulerService
    from trayapp.ui.bridge import EngineBridge
    from trayapp.ui.history import HistoryWindow
    from trayapp.ui.i18n import install_translators
    from trayapp.ui.manual_sync import ManualSyncDialog

    app = QApplication(["trayapp"])
    install_translators(app)
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp, ShopServer() as shop:
        root = Path(tmp)
        erp = create_demo_erp(root / "erp.sqlite3", products=120)
        journal = Journal(root / "journal.sqlite3")
        engine = Engine(journal, root / "locks")
        integration = Integration(
            name="main-shop", erp=ErpConfig(demo_connection_string(erp), "demo"),
            shop=ShopConfig("woocommerce", shop.url, requests_per_second=0, retries=0, timeout=5),
            operations={op: OperationConfig(op) for op in OPERATIONS})
        save_config(Config((integration,)), root / "config.toml")
        service = SchedulerService(engine, root / "config.toml", locks_dir=root / "locks", run_at_start=False)
        service.start(paused=True)
        try:
            # -- history: a morning of runs
            run = lambda op, **kw: engine.run(integration, op, trigger=kw.pop("trigger", "scheduled"), **kw)  # noqa: E731
            run("export-products")
            run("update-stock")
            for _ in range(3):
                shop.place_random_order()
            run("import-orders")
            run("update-order-statuses")
            _sql(erp, "UPDATE products SET price_gross = -4.99, modified_at = datetime('now') WHERE id IN (7, 19)")
            run("export-products")  # 2 records refused before sending
            shop.inject(Fault.http(503), count=100)
            run("import-orders")  # the shop is down: the whole run fails
            shop.clear_faults()
            run("update-stock", trigger="manual", scope=Scope("all", force=True))
            stop = threading.Event()
            stop.set()
            run("import-products", trigger="manual", cancel=stop)  # cancelled at once
            run("import-orders")

            # -- a preview with something in each column: the two refused products fixed (to update),
            # four renamed (to update), two new ones (to create), one with a bad price (would fail)
            _sql(erp, "UPDATE products SET price_gross = 999.00, modified_at = datetime('now') WHERE id IN (7, 19)")
            _sql(erp, "UPDATE products SET price_gross = -1, modified_at = datetime('now') WHERE id = 23")
            _sql(erp, "UPDATE products SET name = name || ' (2026)', modified_at = datetime('now') "
                      "WHERE id IN (3, 4, 5, 11)")
            _sql(erp, "INSERT INTO products (code, name, price_gross, category_id, tax_code, is_active, "
                      "modified_at) VALUES ('TL-20001', 'Cordless Angle Grinder', 349.00, 1, 'VAT23', 1, "
                      "datetime('now')), ('OF-20002', 'Standing Desk Mat', 89.90, 4, 'VAT23', 1, datetime('now'))")

            bridge = EngineBridge(service)
            dialog = ManualSyncDialog(service, bridge, open_history=lambda: None)
            dialog.select("main-shop", ["export-products", "update-stock"])
            dialog.scope_all.setChecked(True)
            dialog.resize(980, 700)
            dialog.show()
            loop = QEventLoop()
            dialog.finished_work.connect(lambda *_: loop.quit())
            QTimer.singleShot(60_000, loop.quit)
            dialog.preview()
            loop.exec()
            _settle(app)
            _save(dialog.grab(), args.out / f"manual-sync-preview{suffix}.png")

            history = HistoryWindow(journal, bridge, log_dir=root / "logs", integrations=lambda: ["main-shop"])
            history.resize(1280, 660)
            history.show()
            partial = next(r for r in journal.runs() if r.status == "partial")
            history.select_run(partial.id)
            _settle(app)
            _save(history.grab(), args.out / f"history{suffix}.png")
            history.dispose()
            dialog.dispose()
            bridge.detach()
        finally:
            service.stop(wait=True)
    return 0


def _sql(path: Path, statement: str) -> None:
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute(statement)
    db.close()


def _settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def _save(pixmap, path: Path) -> None:
    if not pixmap.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


if __name__ == "__main__":
    raise SystemExit(main())

"""`trayapp demo`: a demo ERP (SQLite), a demo WooCommerce-compatible shop on 127.0.0.1 and the
integration between them, so a new user sees orders flow and stock move within a minute.

The demo shop keeps its catalogue and orders in `<data>/demo/shop.json` between runs, so shop order
ids never repeat and the ERP's external references stay meaningful.
"""

from __future__ import annotations

import logging
import random
import shutil
import socket
import threading
from dataclasses import replace
from pathlib import Path

from trayapp.config import Config, ErpConfig, Integration, OperationConfig, ShopConfig, load_config, save_config
from trayapp.demo.erp import bump_demo_erp, create_demo_erp, demo_connection_string
from trayapp.demo.shop_server import ShopServer
from trayapp.journal import Journal
from trayapp.paths import AppPaths

log = logging.getLogger(__name__)

DEMO_NAME = "demo"
PREFERRED_PORT = 18080
DEMO_INTERVALS = {"import-orders": 10.0, "update-order-statuses": 20.0, "export-products": 30.0,
                  "update-stock": 15.0}
DEMO_STATUS_TO_SHOP = {"confirmed": "processing", "shipped": "completed", "completed": "completed",
                       "cancelled": "cancelled"}
DEMO_STATUS_TO_ERP = {"processing": "new", "on-hold": "new"}


def demo_integration(erp_path: Path, shop_url: str) -> Integration:
    operations = {op: OperationConfig(op, interval=seconds) for op, seconds in DEMO_INTERVALS.items()}
    operations["import-products"] = OperationConfig("import-products", enabled=False)
    return Integration(
        name=DEMO_NAME,
        erp=ErpConfig(connection=demo_connection_string(erp_path), profile="demo"),
        shop=ShopConfig(platform="woocommerce", url=shop_url, requests_per_second=0),  # local: no throttle
        operations=operations, status_to_shop=DEMO_STATUS_TO_SHOP, status_to_erp=DEMO_STATUS_TO_ERP)


def free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return 0


class DemoRunner:
    """Context manager: creates what is missing, starts the shop (and its customers), keeps the demo
    integration pointing at it, and makes some business happen in the ERP now and then."""

    def __init__(self, paths: AppPaths, *, port: int = 0, order_every: float = 20.0, erp_every: float = 25.0,
                 reset: bool = False, products: int = 300) -> None:
        self.paths = paths
        self.folder = paths.demo_dir
        self.erp_path = self.folder / "erp.sqlite3"
        self.shop_state = self.folder / "shop.json"
        self.port = port
        self.order_every = order_every
        self.erp_every = erp_every
        self.reset = reset
        self.products = products
        self.shop: ShopServer | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> DemoRunner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.reset:
            shutil.rmtree(self.folder, ignore_errors=True)
            Journal(self.paths.journal_file).forget_integration(DEMO_NAME)
        self.folder.mkdir(parents=True, exist_ok=True)
        create_demo_erp(self.erp_path, products=self.products)
        shop = ShopServer(port=self.port or free_port(PREFERRED_PORT))
        if self.shop_state.exists():
            shop.load_state(self.shop_state)
        self.shop = shop.start()
        self._configure(shop.url)
        if self.order_every > 0:
            shop.start_placing_orders(self.order_every)
        self._every(self.erp_every, self._erp_business, "demo-erp")
        self._every(30.0, self._save_shop, "demo-shop-save")
        log.info("demo started: shop %s, ERP %s", shop.url, self.erp_path)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        if self.shop is not None:
            self.shop.stop()
            self._save_shop()
            self.shop = None

    def describe(self) -> str:
        url = self.shop.url if self.shop else "(stopped)"
        return (f"Demo shop (WooCommerce REST API) at {url}/wp-json/wc/v3/ - it places a random customer order "
                f"every {self.order_every:g}s.\nDemo ERP (SQLite): {self.erp_path}\n"
                f"Integration '{DEMO_NAME}' in {self.paths.config_file}: orders every "
                f"{DEMO_INTERVALS['import-orders']:g}s, stock every {DEMO_INTERVALS['update-stock']:g}s, "
                f"products every {DEMO_INTERVALS['export-products']:g}s.\n"
                "Watch it: trayapp status / trayapp history (in another terminal).")

    def _configure(self, url: str) -> None:
        """Add the demo integration, or point the existing one (with the user's changes) at the shop."""
        config = load_config(self.paths.config_file) if self.paths.config_file.exists() else Config()
        try:
            current = config.integration(DEMO_NAME)
        except Exception:
            current = None
        if current is None or self.reset:
            wanted = demo_integration(self.erp_path, url)
        else:
            wanted = replace(current, shop=replace(current.shop, url=url),
                             erp=replace(current.erp, connection=demo_connection_string(self.erp_path)))
        if wanted != current:
            save_config(config.with_integration(wanted), self.paths.config_file)

    def _every(self, seconds: float, action, name: str) -> None:
        if seconds <= 0:
            return

        def loop() -> None:
            while not self._stop.wait(seconds):
                try:
                    action()
                except Exception:  # the demo keeps going
                    log.exception("demo: %s failed", name)

        thread = threading.Thread(target=loop, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _erp_business(self) -> None:
        changes = bump_demo_erp(self.erp_path, random.Random())
        log.info("demo ERP: %s", ", ".join(f"{k} {v}" for k, v in changes.items()))

    def _save_shop(self) -> None:
        if self.shop is not None:
            self.shop.save_state(self.shop_state)

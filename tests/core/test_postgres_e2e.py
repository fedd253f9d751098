"""End to end on PostgreSQL through the psqlODBC driver with the `staging` profile: products, stock
and orders sync through the real engine, the database password comes from outside the config, and
`import-orders` killed with SIGKILL around the ERP commit still imports every order exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.erp.erp_support import PG_PASSWORD, pg_string, staging_ddl, unavailable
from trayapp.config import OPERATIONS, Config, ErpConfig, Integration, OperationConfig, ShopConfig, save_config
from trayapp.demo.shop_server import ShopServer
from trayapp.engine import Engine
from trayapp.erp.connection import open_connection
from trayapp.journal import Journal
from trayapp.paths import app_paths
from trayapp.secrets import env_name

SKUS = [f"PG-{n:03d}" for n in range(1, 31)]


@pytest.fixture
def pg(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    try:
        import pyodbc
    except ImportError as exc:
        unavailable(f"pyodbc cannot load the ODBC driver manager: {exc}")
    try:
        admin = pyodbc.connect(pg_string("postgres", password_placeholder=False), autocommit=True, timeout=5)
    except pyodbc.Error as exc:
        unavailable(f"PostgreSQL is not reachable through psqlODBC: {exc.args[-1]}")
    name = f"trayapp_e2e_{uuid.uuid4().hex[:10]}"
    admin.execute(f"CREATE DATABASE {name}")
    connection = pg_string(name)
    erp = open_connection(connection, password=PG_PASSWORD)
    erp.execute_script(staging_ddl("postgresql"))
    cursor = erp.cursor()
    for n, sku in enumerate(SKUS):
        cursor.execute("INSERT INTO trayapp_products (sku, name, price, categories, active, modified_at) "
                       "VALUES (?, ?, ?, 'Tools', 1, now())", (sku, f"Tool {n}", Decimal("9.99") + n))
        cursor.execute("INSERT INTO trayapp_stock (sku, on_hand, reserved) VALUES (?, ?, ?)", (sku, 10 + n, n % 4))
    erp.commit()
    erp.close()
    monkeypatch.setenv(env_name("pg", "db-password"), PG_PASSWORD)  # as a background service would get it
    try:
        yield connection
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def query(connection: str, sql: str) -> list[tuple]:
    erp = open_connection(connection, password=PG_PASSWORD)
    try:
        cursor = erp.cursor()
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        erp.close()


def test_sync_with_postgres_through_odbc(pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("TRAYAPP_HOME", str(home))
    paths = app_paths().ensure()
    with ShopServer() as shop:
        integration = Integration(
            name="pg", erp=ErpConfig(pg, "staging", password_secret="db-password"),
            shop=ShopConfig("woocommerce", shop.url, requests_per_second=0, timeout=10),
            operations={op: OperationConfig(op, interval=3600) for op in OPERATIONS},
            status_to_erp={"processing": "new"})
        save_config(Config((integration,)), paths.config_file)
        assert "PWD={password}" in paths.config_file.read_text()  # the password itself comes from outside
        engine = Engine(Journal(paths.journal_file), paths.locks_dir)

        exported = engine.run(integration, "export-products", trigger="scheduled")
        assert (exported.status, exported.created) == ("ok", len(SKUS))
        stock = engine.run(integration, "update-stock", trigger="scheduled")
        assert (stock.status, stock.updated) == ("ok", len(SKUS))
        assert shop.get_product_by_sku("PG-005")["stock_quantity"] == 15 - 1

        for n in range(9):
            shop.add_order([(SKUS[n], 1), (SKUS[n + 1], 2)],
                           billing={"first_name": "Pat", "last_name": "Q", "email": f"pat{n % 3}@example.com"})
        env = {**os.environ, "TRAYAPP_HOME": str(home)}
        for point in ("erp-order-header-written:2", "erp-order-after-commit:1", "erp-order-after-commit:2"):
            killed = subprocess.run([sys.executable, "-m", "trayapp", "sync", "pg", "import-orders"],
                                    env={**env, "TRAYAPP_CRASH_AT": point}, capture_output=True, text=True,
                                    timeout=60)
            assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
        final = engine.run(integration, "import-orders", trigger="scheduled")
        assert final.status == "ok", final.error
        assert engine.run(integration, "import-orders", trigger="scheduled").created == 0

    refs = query(pg, "SELECT external_ref, COUNT(*) FROM trayapp_orders GROUP BY external_ref")
    assert sorted(r for r, _ in refs) == sorted(str(o["id"]) for o in shop.all_orders())
    assert all(count == 1 for _, count in refs)
    lines = query(pg, "SELECT o.external_ref, COUNT(l.line_no) FROM trayapp_orders o JOIN trayapp_order_lines l "
                      "ON l.order_id = o.id GROUP BY o.external_ref")
    assert all(count == 2 for _, count in lines) and len(lines) == 9

"""Crash safety: `import-orders` killed with SIGKILL at every step of an order's import (before, during
and after the ERP commit, before and after the journal binding) and at random moments; after restarts
every shop order is in the ERP exactly once, with all its lines.

The ERP here has NO unique constraint on the external reference nor on order lines (many real ERPs
have none): the exactly-once guarantee must come from trayapp, not from the database refusing a
duplicate.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trayapp.config import OPERATIONS, Config, ErpConfig, Integration, OperationConfig, ShopConfig, save_config
from trayapp.demo.erp import create_demo_erp, demo_connection_string, schema_sql
from trayapp.demo.shop_server import ShopServer
from trayapp.engine import Engine
from trayapp.journal import Journal
from trayapp.paths import app_paths

CRASH_POINTS = ["erp-order-begin", "erp-order-header-written", "erp-order-before-commit",
                "erp-order-after-commit", "order-before-binding", "order-after-binding"]


def erp_without_unique_reference(path: Path) -> Path:
    schema = schema_sql().replace("external_ref TEXT UNIQUE", "external_ref TEXT")
    schema = schema.replace("tax_amount NUMERIC(12,2) NOT NULL DEFAULT 0,\n    UNIQUE (order_id, line_no)",
                            "tax_amount NUMERIC(12,2) NOT NULL DEFAULT 0")
    assert "UNIQUE (order_id" not in schema and "external_ref TEXT UNIQUE" not in schema
    with sqlite3.connect(path) as db:
        db.executescript(schema)
    db.close()
    return create_demo_erp(path, products=40)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "home"
    monkeypatch.setenv("TRAYAPP_HOME", str(home))
    paths = app_paths().ensure()
    erp = erp_without_unique_reference(tmp_path / "erp.sqlite3")
    with ShopServer() as shop:
        integration = Integration(
            name="k", erp=ErpConfig(demo_connection_string(erp), "demo"),
            shop=ShopConfig("woocommerce", shop.url, requests_per_second=0, timeout=10),
            operations={op: OperationConfig(op, interval=3600) for op in OPERATIONS})
        save_config(Config((integration,)), paths.config_file)
        engine = Engine(Journal(paths.journal_file), paths.locks_dir)
        assert engine.run(integration, "export-products").status == "ok"
        skus = [p["sku"] for p in shop.all_products() if p["type"] == "simple"]
        yield shop, erp, integration, engine, skus, home


def place_orders(shop: ShopServer, skus: list[str], rng: random.Random, count: int) -> None:
    for _ in range(count):
        lines = rng.sample(skus, rng.randint(1, 4))
        n = rng.randint(1, 5)  # a few returning customers, matched by e-mail
        billing = {"first_name": f"Buyer{n}", "last_name": "Test", "email": f"buyer{n}@example.com"}
        shop.add_order([(sku, rng.randint(1, 3)) for sku in lines], billing=billing,
                       customer_id=0 if n == 5 else n)


def trayapp(home: Path, *args: str, crash_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "TRAYAPP_HOME": str(home)}
    env.pop("TRAYAPP_CRASH_AT", None)
    if crash_at:
        env["TRAYAPP_CRASH_AT"] = crash_at
    return subprocess.Popen([sys.executable, "-m", "trayapp", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def assert_exactly_once(shop: ShopServer, erp: Path) -> None:
    expected = {str(o["id"]): len(o["line_items"]) for o in shop.all_orders() if o["status"] == "processing"}
    with sqlite3.connect(erp) as db:
        counts = dict(db.execute("SELECT external_ref, COUNT(*) FROM orders WHERE external_ref IS NOT NULL "
                                 "GROUP BY external_ref").fetchall())
        lines = dict(db.execute("SELECT o.external_ref, COUNT(l.id) FROM orders o LEFT JOIN order_lines l "
                                "ON l.order_id = o.id WHERE o.external_ref IS NOT NULL GROUP BY o.id").fetchall())
        customers = db.execute("SELECT email, COUNT(*) FROM customers WHERE email LIKE 'buyer%' GROUP BY email "
                               "HAVING COUNT(*) > 1").fetchall()
    db.close()
    duplicated = {ref: n for ref, n in counts.items() if n != 1}
    assert duplicated == {}, f"orders imported more than once: {duplicated}"
    assert set(counts) == set(expected), f"lost: {set(expected) - set(counts)}, unknown: {set(counts) - set(expected)}"
    assert lines == expected, "an order was left half-written"
    assert customers == [], "a customer was created twice"


def test_kill_at_every_step_of_an_order_import(setup) -> None:
    shop, erp, integration, engine, skus, home = setup
    rng = random.Random(1)
    kills = 0
    for point in CRASH_POINTS:
        for nth in (1, 3):
            place_orders(shop, skus, rng, 4)
            process = trayapp(home, "sync", "k", "import-orders", crash_at=f"{point}:{nth}")
            output, _ = process.communicate(timeout=60)
            assert process.returncode == -signal.SIGKILL, f"{point}:{nth} did not crash: {output}"
            kills += 1
    # a scheduled run killed too: its watermark must not have moved
    place_orders(shop, skus, rng, 3)
    process = trayapp(home, "run", "--headless", crash_at="erp-order-after-commit:2")
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert engine.journal.watermark("k", "import-orders") is None
    assert kills == 12

    final = trayapp(home, "sync", "k", "import-orders", "--json")
    output, _ = final.communicate(timeout=60)
    assert final.returncode == 0, output
    assert_exactly_once(shop, erp)
    again = engine.run(integration, "import-orders", trigger="scheduled")
    assert again.created == 0 and again.status == "ok"
    statuses = [r.status for r in engine.journal.runs(limit=100, operation="import-orders")]
    assert statuses.count("interrupted") == 13  # every killed run is shown as interrupted in the history


def test_kill_at_random_moments(setup) -> None:
    shop, erp, integration, engine, skus, home = setup
    rng = random.Random(2)
    shop.latency = 0.01  # each request takes a little while, so kills land all over the run
    for _ in range(8):
        place_orders(shop, skus, rng, 15)
        process = trayapp(home, "sync", "k", "import-orders")
        time.sleep(rng.uniform(0.3, 1.5))
        process.kill()
        process.communicate(timeout=60)
    shop.latency = 0
    final = engine.run(integration, "import-orders", trigger="scheduled")
    assert final.status == "ok", final.error
    assert_exactly_once(shop, erp)

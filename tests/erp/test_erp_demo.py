"""The demo ERP database: realistic content, idempotent creation, movement, bulk size."""

from __future__ import annotations

import random
import sqlite3
import time
from decimal import Decimal
from pathlib import Path

import pytest

from trayapp.demo.erp import ORDER_STATUSES, bump_demo_erp, create_demo_erp, demo_connection_string
from trayapp.erp.database import open_erp
from trayapp.model import Product


def _query(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_demo_content(demo_path: Path) -> None:
    assert _query(demo_path, "SELECT COUNT(*) FROM products") == [(80,)]
    labels = {row[0] for row in _query(demo_path, "SELECT DISTINCT label FROM product_labels")}
    assert {"shop", "b2b"} <= labels
    assert _query(demo_path, "SELECT COUNT(*) FROM stock WHERE reserved > 0")[0][0] > 0
    assert _query(demo_path, "SELECT COUNT(DISTINCT warehouse_id) FROM stock")[0][0] == 2
    assert _query(demo_path, "SELECT COUNT(*) FROM orders WHERE external_ref IS NULL")[0][0] > 0
    assert _query(demo_path, "SELECT COUNT(*) FROM customers")[0][0] >= 20
    erp = open_erp(demo_connection_string(demo_path), "demo")
    products = list(erp.read_products())
    assert all(isinstance(p, Product) for p in products)
    assert all(p.price is not None and p.price > 0 for p in products)
    assert all(len(p.ean) == 13 for p in products if p.ean)
    assert sum(p.sale_price is not None for p in products) > 0
    assert set(erp.profile.order_statuses) == set(ORDER_STATUSES)
    erp.close()


def test_create_is_idempotent(demo_path: Path) -> None:
    before = _query(demo_path, "SELECT id, code, price_gross, modified_at FROM products ORDER BY id")
    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE products SET price_gross = 1.23 WHERE id = 1")
    conn.commit()
    conn.close()
    assert create_demo_erp(demo_path, products=500, seed=99) == demo_path
    after = _query(demo_path, "SELECT id, code, price_gross, modified_at FROM products ORDER BY id")
    assert len(after) == len(before) and after[0][2] == 1.23 and after[1:] == before[1:]


def test_same_seed_same_catalogue(tmp_path: Path) -> None:
    a = create_demo_erp(tmp_path / "a.db", products=50, seed=5)
    b = create_demo_erp(tmp_path / "b.db", products=50, seed=5)
    sql = "SELECT code, name, price_gross, ean FROM products ORDER BY id"
    assert _query(a, sql) == _query(b, sql)


def test_schema_created_in_existing_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "existing.db"
    sqlite3.connect(path).close()
    create_demo_erp(path, products=10)
    assert _query(path, "SELECT COUNT(*) FROM products") == [(10,)]


def test_bump_moves_stock_prices_and_orders(demo_path: Path) -> None:
    erp = open_erp(demo_connection_string(demo_path), "demo")
    from erp_support import make_order

    skus = [p.sku for p in erp.read_products() if p.parent_sku is None][:3]
    stock_skus = {s.sku for s in erp.read_stock()}
    skus = [s for s in skus if s in stock_skus]
    for n in range(6):
        erp.import_order(make_order(f"80{n}", skus[:1]))
    stock_before = {s.sku: s.on_hand for s in erp.read_stock()}
    products_before = {p.sku: (p.price, p.modified_at) for p in erp.read_products()}
    totals = {"stock": 0, "prices": 0, "confirmed": 0, "shipped": 0}
    rng = random.Random(1)
    for _ in range(3):
        for key, value in bump_demo_erp(demo_path, rng).items():
            totals[key] += value
    assert totals["stock"] >= 3 and totals["prices"] >= 1 and totals["confirmed"] + totals["shipped"] >= 1
    stock_after = {s.sku: s.on_hand for s in erp.read_stock()}
    moved = {sku for sku in stock_before if stock_before[sku] != stock_after[sku]}
    assert moved
    products_after = {p.sku: (p.price, p.modified_at) for p in erp.read_products()}
    repriced = {sku for sku in products_before if products_before[sku][0] != products_after[sku][0]}
    assert repriced and all(products_after[s][1] != products_before[s][1] for s in repriced)
    untouched_stock_only = moved - repriced
    assert all(products_after[s][1] == products_before[s][1] for s in untouched_stock_only), \
        "stock moves do not touch modified_at"
    statuses = {s.erp_status for s in erp.read_order_statuses()}
    assert statuses - {"new"} and statuses <= set(ORDER_STATUSES)
    erp.close()


def test_big_catalogue_in_seconds(tmp_path: Path) -> None:
    started = time.monotonic()
    path = create_demo_erp(tmp_path / "big.db", products=100_000)
    elapsed = time.monotonic() - started
    assert _query(path, "SELECT COUNT(*) FROM products") == [(100_000,)]
    assert elapsed < 20, f"100,000 products took {elapsed:.1f} s"
    erp = open_erp(demo_connection_string(path), "demo")
    count = sum(1 for _ in erp.read_stock())
    assert count > 90_000
    assert isinstance(next(iter(erp.read_products())).price, Decimal)
    erp.close()


def test_profile_check_command(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from trayapp.erp.database import _main

    assert _main([demo_connection_string(demo_path), "demo", "--show", "1"]) == 0
    out = capsys.readouterr().out
    assert "profile demo" in out and "products: 80 read, 0 bad" in out and "stock levels:" in out
    assert _main(["DRIVER={No Such Driver};PWD=secret", "demo"]) == 2
    err = capsys.readouterr().err
    assert "No Such Driver" in err and "secret" not in err

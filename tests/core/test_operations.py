"""The five operations end to end: real demo ERP (SQLite), real contract shop on 127.0.0.1, real engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import requests

from tests.conftest import Rig
from trayapp.demo.shop_server import Fault
from trayapp.operations.base import Scope


def simple_skus(rig: Rig, label: str | None = None, *, active_only: bool = True) -> list[str]:
    query = ("SELECT p.code FROM products p WHERE p.parent_id IS NULL AND NOT EXISTS "
             "(SELECT 1 FROM products v WHERE v.parent_id = p.id)")
    if active_only:
        query += " AND p.is_active = 1"
    if label:
        query += f" AND p.id IN (SELECT product_id FROM product_labels WHERE label = '{label}')"
    return [row[0] for row in rig.sql(query + " ORDER BY p.code")]


def test_export_products_creates_then_sends_only_changes(rig: Rig) -> None:
    first = rig.run("export-products")
    assert first.status == "ok", first.failures
    total = rig.sql("SELECT COUNT(*) FROM products")[0][0]
    assert first.created == total
    assert len(rig.shop.all_products()) == total

    rig.shop.reset_counts()
    again = rig.run("export-products", scope=Scope("all"))
    assert (again.created, again.updated, again.failed) == (0, 0, 0)
    assert again.skipped == total
    assert rig.writes() == 0

    sku = simple_skus(rig)[0]
    rig.sql("UPDATE products SET price_gross = '123.45' WHERE code = ?", (sku,))  # no timestamp touched
    rig.shop.reset_counts()
    changed = rig.run("export-products", scope=Scope("all"))
    assert (changed.created, changed.updated) == (0, 1)
    assert rig.shop.get_product_by_sku(sku)["regular_price"] == "123.45"
    assert rig.writes() == 1


def test_export_respects_labels_and_reports_bad_products(rig: Rig) -> None:
    shop_skus = {row[0] for row in rig.sql(
        "SELECT code FROM products WHERE parent_id IS NULL AND id IN "
        "(SELECT product_id FROM product_labels WHERE label = 'shop')")}
    bad = sorted(set(simple_skus(rig, "shop")))[0]
    rig.sql("UPDATE products SET price_gross = '-5' WHERE code = ?", (bad,))
    rig.operation("export-products", labels=("shop",))
    result = rig.run("export-products")
    assert result.status == "partial"
    assert [key for key, _ in result.failures] == [bad]
    assert "negative price" in result.failures[0][1]
    exported = {p["sku"] for p in rig.shop.all_products(include_variations=False)}
    assert exported == shop_skus - {bad}
    # still wrong: retried, refused again, nothing sent, reported once
    rig.shop.reset_counts()
    still = rig.run("export-products")
    assert (still.created, still.updated, still.failed) == (0, 0, 1)
    assert rig.writes() == 0
    # fixed in the ERP: the next run retries it, even though nothing else changed
    rig.sql("UPDATE products SET price_gross = '500' WHERE code = ?", (bad,))
    retry = rig.run("export-products")
    assert (retry.created, retry.failed) == (1, 0), retry.failures
    assert rig.journal.open_failures("t", "export-products") == {}


def test_update_stock_sends_available_quantity_and_only_changes(rig: Rig) -> None:
    assert rig.run("export-products").status == "ok"
    rig.operation("update-stock", buffer=Decimal(1))
    sku = simple_skus(rig)[1]
    product_id = rig.sql("SELECT id FROM products WHERE code = ?", (sku,))[0][0]
    rig.sql("DELETE FROM stock WHERE product_id = ?", (product_id,))
    rig.sql("INSERT INTO stock (product_id, warehouse_id, on_hand, reserved) VALUES (?, 1, 10, 3)", (product_id,))
    rig.sql("INSERT INTO stock (product_id, warehouse_id, on_hand, reserved) VALUES (?, 2, 4, 0)", (product_id,))
    first = rig.run("update-stock")
    assert first.status == "ok", first.failures
    assert rig.shop.get_product_by_sku(sku)["stock_quantity"] == 10 + 4 - 3 - 1

    rig.shop.reset_counts()
    assert rig.run("update-stock").updated == 0
    assert rig.writes() == 0

    rig.sql("UPDATE stock SET reserved = 50 WHERE product_id = ? AND warehouse_id = 1", (product_id,))
    rig.shop.reset_counts()
    oversold = rig.run("update-stock")
    assert oversold.updated == 1
    product = rig.shop.get_product_by_sku(sku)
    assert product["stock_quantity"] == 0  # never negative
    assert product["stock_status"] == "outofstock"
    assert rig.writes() == 1


def place(rig: Rig, skus: list[str], **kwargs) -> dict:
    return rig.shop.add_order([(sku, 2) for sku in skus], **kwargs)


def erp_orders(rig: Rig) -> dict[str, int]:
    rows = rig.sql("SELECT o.external_ref, COUNT(l.id) FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id "
                   "WHERE o.external_ref IS NOT NULL GROUP BY o.external_ref")
    return dict(rows)


def test_import_orders_exactly_once_with_retry_of_a_bad_order(rig: Rig) -> None:
    assert rig.run("export-products").status == "ok"
    skus = simple_skus(rig)
    good = [place(rig, skus[:2]), place(rig, skus[2:3])]
    rig.shop.add_product("WEB-ONLY-1", "Shop-only item", price="9.00")
    bad = place(rig, ["WEB-ONLY-1"])
    held = place(rig, skus[:1], status="pending")  # not a status we import

    result = rig.run("import-orders")
    assert result.status == "partial"
    assert result.created == 2
    assert [key for key, _ in result.failures] == [str(bad["id"])]
    assert "WEB-ONLY-1" in result.failures[0][1]
    assert erp_orders(rig) == {str(good[0]["id"]): 2, str(good[1]["id"]): 1}
    assert str(held["id"]) not in erp_orders(rig)

    again = rig.run("import-orders")
    assert again.created == 0 and again.failed == 1  # the bad one is retried, never skipped silently

    rig.sql("INSERT INTO products (code, name, price_gross, modified_at) VALUES ('WEB-ONLY-1', 'Shop-only item', "
            "9, '2026-01-01 00:00:00')")
    fixed = rig.run("import-orders")
    assert (fixed.created, fixed.failed) == (1, 0)
    assert erp_orders(rig)[str(bad["id"])] == 1
    assert rig.journal.open_failures("t", "import-orders") == {}
    assert len(erp_orders(rig)) == 3


def test_orders_found_in_the_erp_are_bound_not_imported_again(rig: Rig) -> None:
    rig.run("export-products")
    order = place(rig, simple_skus(rig)[:1])
    assert rig.run("import-orders").created == 1
    rig.journal.forget_integration("t")  # as if the journal were lost: the ERP's external reference decides
    again = rig.run("import-orders")
    assert (again.created, again.skipped) == (0, 1)
    assert erp_orders(rig) == {str(order["id"]): 1}


def test_failed_run_keeps_its_watermark(rig: Rig) -> None:
    rig.run("export-products")
    first = place(rig, simple_skus(rig)[:1])
    assert rig.run("import-orders").created == 1
    mark = rig.journal.watermark("t", "import-orders")
    assert mark is not None
    late = place(rig, simple_skus(rig)[1:2])
    rig.shop.inject(Fault.http(503), count=50)
    failed = rig.run("import-orders")
    assert failed.status == "failed"
    assert rig.journal.watermark("t", "import-orders") == mark
    rig.shop.clear_faults()
    ok = rig.run("import-orders")
    assert ok.created == 1
    assert set(erp_orders(rig)) == {str(first["id"]), str(late["id"])}


def test_settle_delay_holds_fresh_orders_back(rig: Rig) -> None:
    rig.run("export-products")
    rig.operation("import-orders", settle_delay=3600)
    fresh = place(rig, simple_skus(rig)[:1])
    old = place(rig, simple_skus(rig)[:1], created_gmt=datetime.now(UTC) - timedelta(hours=2))
    result = rig.run("import-orders")
    assert result.created == 1
    assert set(erp_orders(rig)) == {str(old["id"])}
    rig.operation("import-orders", settle_delay=0)
    assert rig.run("import-orders").created == 1  # the watermark did not pass the held-back order
    assert str(fresh["id"]) in erp_orders(rig)


def test_manual_runs_and_dry_runs_do_not_move_watermarks_or_write(rig: Rig) -> None:
    rig.run("export-products")
    place(rig, simple_skus(rig)[:1])
    preview = rig.run("import-orders", trigger="manual", dry_run=True)
    assert preview.created == 1 and [p.action for p in preview.planned] == ["create"]
    assert erp_orders(rig) == {}
    manual = rig.run("import-orders", trigger="manual")
    assert manual.created == 1
    assert rig.journal.watermark("t", "import-orders") is None
    assert rig.journal.runs(limit=1)[0].trigger == "manual"


def test_update_order_statuses_maps_and_sends_only_changes(rig: Rig) -> None:
    rig.run("export-products")
    order = place(rig, simple_skus(rig)[:1])
    rig.run("import-orders")
    rig.shop.reset_counts()
    unchanged = rig.run("update-order-statuses")
    assert unchanged.updated == 0 and rig.writes() == 0  # imported as 'new' -> 'processing' == shop's status

    rig.configure(status_to_shop={"shipped": "completed"})
    rig.sql("UPDATE orders SET status = 'shipped' WHERE external_ref = ?", (str(order["id"]),))
    result = rig.run("update-order-statuses")
    assert result.updated == 1
    assert rig.shop.get_order(order["id"])["status"] == "completed"
    rig.shop.reset_counts()
    assert rig.run("update-order-statuses").updated == 0
    assert rig.writes() == 0


def test_a_status_the_shop_refuses_is_recorded_and_retried(rig: Rig) -> None:
    rig.run("export-products")
    order = place(rig, simple_skus(rig)[:1])
    rig.run("import-orders")
    rig.configure(status_to_shop={"shipped": "teleported"})
    rig.sql("UPDATE orders SET status = 'shipped' WHERE external_ref = ?", (str(order["id"]),))
    result = rig.run("update-order-statuses")
    assert result.status == "partial"
    assert result.failures[0][0] == str(order["id"])
    assert rig.run("update-order-statuses").failed == 1  # still pending, tried again


def test_field_ownership_and_no_echo(rig: Rig) -> None:
    rig.configure(erp_fields=("name", "price", "sale_price", "description", "tax_class", "weight", "ean", "active"),
                  shop_fields=("short_description", "categories"))
    assert rig.run("export-products").status == "ok"
    before = rig.sql("SELECT code, name, price_gross, short_description FROM products ORDER BY code")
    echo = rig.run("import-products")
    assert (echo.created, echo.updated, echo.failed) == (0, 0, 0)  # our own writes are not echoed back
    assert rig.sql("SELECT code, name, price_gross, short_description FROM products ORDER BY code") == before

    sku = simple_skus(rig)[0]
    product = rig.shop.get_product_by_sku(sku)
    edit = requests.put(f"{rig.shop.api_url}/products/{product['id']}", timeout=5,
                        json={"short_description": "Edited in the shop", "name": "Shop renamed it"})
    assert edit.status_code == 200
    result = rig.run("import-products")
    assert result.updated == 1
    name, short = rig.sql("SELECT name, short_description FROM products WHERE code = ?", (sku,))[0]
    assert short == "Edited in the shop"  # the shop masters it
    assert name != "Shop renamed it"  # the ERP masters the name: not taken from the shop

    rig.shop.reset_counts()
    assert rig.run("export-products", scope=Scope("all")).updated == 0  # the import is not echoed to the shop
    assert rig.writes() == 0


def test_import_products_creates_shop_only_products_in_the_erp(rig: Rig) -> None:
    rig.run("export-products")
    rig.shop.add_product("NEW-IN-SHOP", "Made in the shop", price="15.50")
    result = rig.run("import-products")
    assert result.created == 1
    assert rig.sql("SELECT name, price_gross FROM products WHERE code = 'NEW-IN-SHOP'") == [("Made in the shop", 15.5)]
    rig.shop.reset_counts()
    assert rig.run("export-products", scope=Scope("all")).created == 0
    assert rig.writes() == 0


def test_two_shops_into_one_erp_keep_their_orders_apart(rig: Rig) -> None:
    from dataclasses import replace as copy

    from trayapp.config import ShopConfig
    from trayapp.demo.shop_server import ShopServer

    rig.run("export-products")
    sku = simple_skus(rig)[0]
    with ShopServer() as second_shop:
        second_shop.add_product(sku, "Same product", price="10.00")
        first = rig.integration
        second = copy(first, name="t2", order_ref_prefix="B-",
                      shop=ShopConfig("woocommerce", second_shop.url, requests_per_second=0, timeout=5))
        a = rig.shop.add_order([(sku, 1)])
        padding = 0
        while second_shop.add_product(f"PAD-{padding}", "padding")["id"] < a["id"] - 1:
            padding += 1
        b = second_shop.add_order([(sku, 3)])
        assert a["id"] == b["id"]  # the two shops use the same order id
        assert rig.engine.run(first, "import-orders").created == 1
        assert rig.engine.run(second, "import-orders").created == 1
        refs = dict(rig.sql("SELECT external_ref, (SELECT quantity FROM order_lines l WHERE l.order_id = o.id) "
                            "FROM orders o WHERE external_ref IS NOT NULL"))
        assert refs == {str(a["id"]): 1, f"B-{b['id']}": 3}

        rig.sql("UPDATE orders SET status = 'shipped' WHERE external_ref = ?", (f"B-{b['id']}",))
        assert rig.engine.run(first, "update-order-statuses").updated == 0
        assert rig.engine.run(second, "update-order-statuses").updated == 1
        assert second_shop.get_order(b["id"])["status"] == "completed"
        assert rig.shop.get_order(a["id"])["status"] == "processing"


def test_stock_labels_limit_what_is_sent(rig: Rig) -> None:
    assert rig.run("export-products").status == "ok"
    rig.operation("update-stock", labels=("clearance",))
    result = rig.run("update-stock")
    clearance = {row[0] for row in rig.sql(
        "SELECT p.code FROM products p JOIN product_labels l ON l.product_id = p.id WHERE l.label = 'clearance' "
        "AND NOT EXISTS (SELECT 1 FROM products v WHERE v.parent_id = p.id)")}
    assert clearance and result.updated + result.skipped <= len(clearance)
    sent = {key for key in rig.journal.hashes("t", "stock")}
    assert sent and sent <= clearance

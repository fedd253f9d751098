"""Fault injection through a whole sync: 5xx, 429 + Retry-After, timeouts, lost answers, connection
resets and malformed JSON thrown at the shop side while products, stock and orders sync. Runs may fail
as a whole; the sync converges: after a few scheduled runs the shop and the ERP agree, nothing is
duplicated, nothing lost."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from tests.conftest import Rig
from trayapp.demo.shop_server import Fault

FAULTS = [Fault.http(500), Fault.http(503), Fault.http(502), Fault.rate_limited(1), Fault.delay(2.5),
          Fault.late(2.5), Fault.reset(), Fault.malformed()]


def erp_available(rig: Rig) -> dict[str, int]:
    rows = rig.sql("SELECT p.code, COALESCE(SUM(s.on_hand), 0) - COALESCE(SUM(s.reserved), 0) FROM products p "
                   "LEFT JOIN stock s ON s.product_id = p.id WHERE NOT EXISTS "
                   "(SELECT 1 FROM products v WHERE v.parent_id = p.id) GROUP BY p.code")
    return {sku: max(0, int(q)) for sku, q in rows}


def test_sync_converges_under_faults(rig: Rig) -> None:
    rig.configure(shop=replace(rig.integration.shop, timeout=1.0, retries=2))
    rng = random.Random(5)
    simple = [row[0] for row in rig.sql(
        "SELECT code FROM products p WHERE parent_id IS NULL AND is_active = 1 AND NOT EXISTS "
        "(SELECT 1 FROM products v WHERE v.parent_id = p.id)")]
    for _ in range(12):
        rig.shop.add_order([(sku, rng.randint(1, 2)) for sku in rng.sample(simple, 2)])
    # products must exist in the shop before orders naming them can be imported
    order_skus = {line["sku"] for order in rig.shop.all_orders() for line in order["line_items"]}
    for sku in order_skus:
        if rig.shop.get_product_by_sku(sku) is None:
            rig.shop.add_product(sku, sku)

    statuses = []
    start = time.monotonic()
    for round_number in range(8):
        for _ in range(6):
            rig.shop.inject(rng.choice(FAULTS))
        for operation in ("export-products", "update-stock", "import-orders"):
            statuses.append(rig.run(operation).status)
        rig.shop.clear_faults()
        converged = (rig.run("export-products").status == "ok" and rig.run("update-stock").status == "ok"
                     and rig.run("import-orders").status == "ok")
        if converged and round_number >= 2:
            break
    assert time.monotonic() - start < 150
    assert "failed" in statuses or "partial" in statuses  # the faults did bite

    # the shop has every ERP product exactly once, with the ERP's available stock
    shop_products = rig.shop.all_products()
    skus = [p["sku"] for p in shop_products]
    assert len(skus) == len(set(skus))
    total = rig.sql("SELECT COUNT(*) FROM products")[0][0]
    assert len({s for s in skus if s}) >= total
    available = erp_available(rig)
    for product in shop_products:
        if product["sku"] in available and product["type"] != "variable":
            assert product["stock_quantity"] == available[product["sku"]], product["sku"]
    # every order exactly once, with all its lines
    refs = dict(rig.sql("SELECT external_ref, COUNT(*) FROM orders WHERE external_ref IS NOT NULL "
                        "GROUP BY external_ref"))
    assert refs == {str(o["id"]): 1 for o in rig.shop.all_orders()}

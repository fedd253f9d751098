"""The WooCommerce connector against the contract server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from trayapp.demo.shop_server import ShopServer
from trayapp.errors import ConfigError, ShopError
from trayapp.model import BadRecord, Order, Product
from trayapp.shops.base import ProductUpdate, ShopConnector, ShopSettings, StockUpdate
from trayapp.shops.registry import PLATFORMS, open_shop
from trayapp.shops.woocommerce import WooCommerceConnector

Connect = Callable[..., WooCommerceConnector]


def posts_to(server: ShopServer, suffix: str) -> int:
    return sum(1 for method, path in server.requests_log if method == "POST" and path.endswith(suffix))


def test_registry_opens_woocommerce_and_names_known_platforms(shop: ShopServer) -> None:
    connector = open_shop(ShopSettings(platform="WooCommerce", url=shop.url))
    try:
        assert isinstance(connector, ShopConnector)
        assert connector.platform == "woocommerce" and connector.max_batch_size == 100
    finally:
        connector.close()
    with pytest.raises(ConfigError) as error:
        open_shop(ShopSettings(platform="magento", url=shop.url))
    assert "magento" in str(error.value) and all(p in str(error.value) for p in PLATFORMS)


def test_test_connection(shop: ShopServer, connect: Connect) -> None:
    assert connect(shop).test_connection() == f"WooCommerce 9.4.2 at {shop.url}"


def test_test_connection_with_wrong_secret_says_what_to_check(auth_shop: ShopServer, connect: Connect) -> None:
    connector = connect(auth_shop, secret="cs_definitely_not_it")
    with pytest.raises(ShopError) as error:
        connector.test_connection()
    assert error.value.status == 401
    assert error.value.code == "woocommerce_rest_authentication_error"
    assert "check the consumer key and secret" in str(error.value)


def test_connection_to_open_shop_without_keys_reports_the_woocommerce_message(
        auth_shop: ShopServer, connect: Connect) -> None:
    connector = connect(auth_shop, key=None, secret=None)
    with pytest.raises(ShopError) as error:
        connector.test_connection()
    assert error.value.status == 401 and "Sorry, you cannot list resources." in str(error.value)


# ------------------------------------------------------------------------------------------------
# Reading products


def test_pages_through_more_than_250_products(shop: ShopServer, connect: Connect) -> None:
    for n in range(260):
        shop.add_product(f"P-{n:04d}", price="1.50")
    shop.reset_counts()
    products = list(connect(shop).iter_products())
    assert [p.sku for p in products] == [f"P-{n:04d}" for n in range(260)]
    assert all(isinstance(p, Product) and p.price == Decimal("1.50") for p in products)
    assert shop.request_counts["GET"] == 3


def test_small_page_size_follows_total_pages(shop: ShopServer, connect: Connect) -> None:
    for n in range(7):
        shop.add_product(f"S-{n}")
    shop.reset_counts()
    assert len(list(connect(shop, page_size=3).iter_products())) == 7
    assert shop.request_counts["GET"] == 3


def test_products_map_fields_and_variations_carry_parent(shop: ShopServer, connect: Connect) -> None:
    shop.add_product("MUG", "Salt & Pepper mug", price="12.00", sale_price="9.99", categories=["Kitchen & Home"],
                     description="<p>Big</p>", short_description="big", tax_class="reduced-rate", weight="0.4",
                     global_unique_id="5901234123457")
    shop.add_product("DRAFT", status="draft")
    shop.add_product("TEE", "Tee", type="variable", price="", categories=["Shirts"])
    shop.add_variation("TEE", "TEE-RED", price="20", status="private")
    shop.add_product("", "No SKU here")
    items = {item.sku if isinstance(item, Product) else item.key: item for item in connect(shop).iter_products()}
    mug = items["MUG"]
    assert isinstance(mug, Product)
    assert (mug.name, mug.price, mug.sale_price, mug.categories) == (
        "Salt & Pepper mug", Decimal("12.00"), Decimal("9.99"), ("Kitchen & Home",))
    assert (mug.description, mug.short_description, mug.tax_class, mug.weight, mug.ean, mug.active) == (
        "<p>Big</p>", "big", "reduced-rate", Decimal("0.4"), "5901234123457", True)
    assert mug.modified_at is not None and mug.modified_at.tzinfo is not None
    assert items["DRAFT"].active is False
    red = items["TEE-RED"]
    parent_id = shop.get_product_by_sku("TEE")["id"]
    assert red.parent_sku == "TEE" and red.shop_ref == f"{parent_id}:{red.shop_ref.split(':')[1]}"
    assert red.active is False and red.categories == ("Shirts",)
    bad = [item for item in items.values() if isinstance(item, BadRecord)]
    assert len(bad) == 1 and "no SKU" in bad[0].reason


def test_products_modified_after_include_variations_changed_alone(shop: ShopServer, connect: Connect) -> None:
    old = datetime(2026, 1, 1, tzinfo=UTC)
    shop.add_product("OLD", created_gmt=old)
    shop.add_product("NEW", created_gmt=old, modified_gmt=old + timedelta(days=2))
    shop.add_product("TEE", type="variable", price="", created_gmt=old)
    shop.add_variation("TEE", "TEE-S", created_gmt=old)
    shop.add_variation("TEE", "TEE-M", created_gmt=old, modified_gmt=old + timedelta(days=3))
    found = [p.sku for p in connect(shop).iter_products(modified_after=old + timedelta(days=1))]
    assert sorted(found) == ["NEW", "TEE-M"]


def test_find_products_resolves_variations_and_case(shop: ShopServer, connect: Connect) -> None:
    shop.add_product("TEE", type="variable", price="")
    red = shop.add_variation("TEE", "TEE-RED")
    mug = shop.add_product("Mug-1")
    parent_id = shop.get_product_by_sku("TEE")["id"]
    for n in range(60):
        shop.add_product(f"BULK-{n}")
    connector = connect(shop)
    wanted = ["TEE-RED", "mug-1", "MISSING", "TEE"] + [f"BULK-{n}" for n in range(60)]
    found = connector.find_products(wanted)
    assert found["TEE-RED"] == f"{parent_id}:{red['id']}"
    assert found["mug-1"] == str(mug["id"]) and found["TEE"] == str(parent_id)
    assert "MISSING" not in found and len(found) == 63
    by_sku = list(connector.iter_products(skus=["TEE-RED", "mug-1"]))
    assert {p.sku: p.parent_sku for p in by_sku} == {"TEE-RED": "TEE", "Mug-1": None}


# ------------------------------------------------------------------------------------------------
# Orders


def test_orders_map_to_the_canonical_order(shop: ShopServer, connect: Connect) -> None:
    shop.add_product("A", price="10.00")
    created = shop.add_order(
        [{"sku": "A", "quantity": 3, "total": "30.00", "total_tax": "6.90", "name": "A & co"},
         {"sku": "", "quantity": 1, "total": "5.00", "name": "Gift wrap"}],
        status="on-hold", customer_id=7, shipping_total="4.99",
        billing={"first_name": "Anna", "last_name": "Nowak", "email": "anna@example.com", "company": "ACME",
                 "city": "Kraków", "country": "PL", "phone": "+48 1"},
        shipping={"first_name": "Jan", "city": "Wien", "country": "AT"}, customer_note="ring twice",
        created_gmt=datetime(2026, 2, 1, 8, 0, tzinfo=UTC))
    [order] = list(connect(shop).iter_orders())
    assert isinstance(order, Order)
    assert (order.shop_id, order.number, order.status, order.currency) == (
        str(created["id"]), str(created["id"]), "on-hold", "EUR")
    assert order.created_at == datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
    assert order.total == Decimal("46.89") and order.tax_total == Decimal("6.90")
    assert order.shipping_total == Decimal("4.99")
    assert order.customer.email == "anna@example.com" and order.customer.shop_customer_id == "7"
    assert order.billing.city == "Kraków" and order.shipping.city == "Wien"
    assert order.customer_note == "ring twice" and order.payment_method == "bacs"
    first, second = order.lines
    assert (first.sku, first.name, first.quantity, first.total, first.tax, first.unit_price) == (
        "A", "A & co", Decimal("3"), Decimal("36.90"), Decimal("6.90"), Decimal("12.30"))
    assert second.sku == "" and second.total == Decimal("5.00")


def test_unmappable_order_is_a_bad_record_and_iteration_goes_on(shop: ShopServer, connect: Connect) -> None:
    good1 = shop.add_order([("X", 1)])
    bad = shop.add_order([{"sku": "X", "quantity": "lots", "total": "1"}])
    good2 = shop.add_order([("X", 2)])
    items = list(connect(shop).iter_orders())
    assert [type(i).__name__ for i in items] == ["Order", "BadRecord", "Order"]
    assert items[1].key == str(bad["id"]) and "lots" in items[1].reason
    assert {items[0].shop_id, items[2].shop_id} == {str(good1["id"]), str(good2["id"])}


@pytest.mark.parametrize("offset_minutes", [-300, 60, 330])
def test_incremental_orders_across_the_local_gmt_trap(offset_minutes: int, connect: Connect) -> None:
    base = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    with ShopServer(site_utc_offset_minutes=offset_minutes) as server:
        times = [base + timedelta(minutes=m) for m in (-400, -90, -20, 5, 90, 400)]
        ids = [server.add_order([], created_gmt=t - timedelta(days=1), modified_gmt=t)["id"] for t in times]
        connector = connect(server)
        found = [o.shop_id for o in connector.iter_orders(modified_after=base)]
        assert found == [str(i) for i in ids[3:]]
        everything = [o.shop_id for o in connector.iter_orders()]
        assert everything == [str(i) for i in ids]


def test_orders_filtered_by_status_and_by_ids_in_chunks(shop: ShopServer, connect: Connect) -> None:
    made = [shop.add_order([], status="processing" if n % 3 else "completed") for n in range(150)]
    connector = connect(shop)
    processing = [o.shop_id for o in connector.iter_orders(statuses=["processing"])]
    assert len(processing) == 100
    shop.reset_counts()
    wanted = [str(o["id"]) for o in made[:130]] + ["not-a-number"]
    by_id = list(connector.iter_orders(ids=wanted, statuses=["processing", "completed"]))
    assert sum(isinstance(o, Order) for o in by_id) == 130
    assert [b.key for b in by_id if isinstance(b, BadRecord)] == ["not-a-number"]
    assert shop.request_counts["GET"] == 2


# ------------------------------------------------------------------------------------------------
# Writing


def test_order_status_updates_in_chunks_with_item_errors(shop: ShopServer, connect: Connect) -> None:
    orders = [shop.add_order([], status="processing") for _ in range(150)]
    updates = [(str(o["id"]), "completed") for o in orders] + [("999999", "completed"),
                                                               (str(orders[0]["id"]), "warp-speed"), ("x", "completed")]
    shop.reset_counts()
    results = connect(shop, batch_size=100).update_order_statuses(updates)
    assert [r.key for r in results] == [u[0] for u in updates]
    assert all(r.ok for r in results[:150])
    assert results[150].code == "woocommerce_rest_shop_order_invalid_id" and not results[150].ok
    assert results[151].code == "rest_invalid_param" and not results[151].ok
    assert results[152].code == "invalid_id"
    assert posts_to(shop, "/orders/batch") == 2
    assert all(o["status"] == "completed" for o in shop.all_orders())


def test_250_stock_updates_take_3_requests(shop: ShopServer, connect: Connect) -> None:
    refs = {f"S-{n}": str(shop.add_product(f"S-{n}", stock_quantity=1)["id"]) for n in range(250)}
    shop.reset_counts()
    updates = [StockUpdate(sku, ref, n % 4) for n, (sku, ref) in enumerate(refs.items())]
    results = connect(shop).set_stock(updates)
    assert [r.key for r in results] == list(refs) and all(r.ok for r in results)
    assert shop.request_counts["POST"] == 3
    zero = shop.get_product_by_sku("S-0")
    three = shop.get_product_by_sku("S-3")
    assert (zero["stock_quantity"], zero["stock_status"], zero["manage_stock"]) == (0, "outofstock", True)
    assert (three["stock_quantity"], three["stock_status"]) == (3, "instock")


def test_stock_of_variations_goes_through_their_parent(shop: ShopServer, connect: Connect) -> None:
    shop.add_product("TEE", type="variable", price="")
    shop.add_variation("TEE", "TEE-S", stock_quantity=0)
    shop.add_variation("TEE", "TEE-M", stock_quantity=0)
    simple = shop.add_product("CAP", stock_quantity=0)
    connector = connect(shop)
    refs = connector.find_products(["TEE-S", "TEE-M", "CAP"])
    results = connector.set_stock([StockUpdate("TEE-S", refs["TEE-S"], 4), StockUpdate("CAP", refs["CAP"], 2),
                                   StockUpdate("TEE-M", refs["TEE-M"], 6), StockUpdate("GONE", "999998", 1),
                                   StockUpdate("BAD", "not-a-ref", 1)])
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert results[3].code == "woocommerce_rest_product_invalid_id"
    assert results[4].code == "invalid_ref"
    assert shop.get_product_by_sku("TEE-S")["stock_quantity"] == 4
    assert shop.get_product_by_sku("TEE-M")["stock_quantity"] == 6
    assert shop.get_product(simple["id"])["stock_quantity"] == 2
    parent_id = shop.get_product_by_sku("TEE")["id"]
    assert posts_to(shop, f"/products/{parent_id}/variations/batch") == 1


def test_create_products_with_categories_and_variations(shop: ShopServer, connect: Connect) -> None:
    shop.add_product("TEE", type="variable", price="")
    connector = connect(shop)
    products = [
        Product("NEW-1", "Pots & Pans", price=Decimal("19.90"), sale_price=Decimal("17"), categories=("Kitchen",),
                description="d", short_description="s", weight=Decimal("1.25"), ean="4006381333931"),
        Product("TEE-XL", "Tee XL", price=Decimal("25"), parent_sku="TEE"),
        Product("ORPHAN", "Orphan", price=Decimal("1"), parent_sku="NO-SUCH-PARENT"),
        Product("NEG", "Negative", price=Decimal("-5")),
        Product("OFF", "Hidden", price=Decimal("3"), active=False, categories=("kitchen",)),
    ]
    results = connector.create_products(products)
    assert [r.key for r in results] == ["NEW-1", "TEE-XL", "ORPHAN", "NEG", "OFF"]
    assert [r.ok for r in results] == [True, True, False, False, True]
    assert results[2].code == "parent_not_found" and results[3].code == "rest_invalid_param"
    new = shop.get_product_by_sku("NEW-1")
    assert str(new["id"]) == results[0].shop_ref
    assert (new["regular_price"], new["sale_price"], new["weight"], new["global_unique_id"]) == (
        "19.9", "17", "1.25", "4006381333931")
    assert [c["name"] for c in new["categories"]] == ["Kitchen"]
    assert new["name"] == "Pots &amp; Pans"  # stored the WordPress way; read back unescaped
    assert shop.get_product_by_sku("OFF")["status"] == "draft"
    assert shop.get_product_by_sku("OFF")["categories"] == new["categories"]  # same category, not a twin
    assert results[1].shop_ref == f"{shop.get_product_by_sku('TEE')['id']}:{shop.get_product_by_sku('TEE-XL')['id']}"
    [read] = connector.iter_products(skus=["NEW-1"])
    assert read.name == "Pots & Pans" and read.categories == ("Kitchen",)


def test_duplicate_sku_create_converges_to_the_existing_product(shop: ShopServer, connect: Connect) -> None:
    existing = shop.add_product("DUP-1", "Old name", price="1.00")
    shop.add_product("TEE", type="variable", price="")
    variation = shop.add_variation("TEE", "TEE-L", price="5")
    results = connect(shop).create_products([Product("dup-1", "New name", price=Decimal("2.50")),
                                             Product("TEE-L", "Tee L", price=Decimal("6"), parent_sku="TEE")])
    assert [r.ok for r in results] == [True, True]
    assert results[0].shop_ref == str(existing["id"])
    assert results[1].shop_ref.endswith(f":{variation['id']}")
    assert shop.get_product(existing["id"])["name"] == "New name"
    assert shop.get_product(existing["id"])["regular_price"] == "2.5"
    assert shop.get_product(variation["id"])["regular_price"] == "6"
    assert len(shop.all_products()) == 3


def test_retried_create_after_a_lost_answer_converges(shop: ShopServer, connect: Connect) -> None:
    # The first create is applied, but its answer arrives after the client's timeout; the retry then
    # meets "duplicated SKU" and must resolve it instead of failing forever.
    shop.inject("late:1.0", path_prefix="/products/batch")
    connector = connect(shop, timeout=0.4, retries=2)
    [result] = connector.create_products([Product("SLOW-1", "Slow", price=Decimal("4"))])
    assert result.ok, result
    assert len([p for p in shop.all_products() if p["sku"] == "SLOW-1"]) == 1
    assert result.shop_ref == str(shop.get_product_by_sku("SLOW-1")["id"])
    assert shop.get_product_by_sku("SLOW-1")["name"] == "Slow"
    # create (answer lost), create again (duplicate SKU), look the SKU up, update it
    assert posts_to(shop, "/products/batch") == 3 and shop.request_counts["GET"] == 1


def test_update_products_sends_only_the_listed_fields(shop: ShopServer, connect: Connect) -> None:
    product = shop.add_product("U-1", "Keep me", price="1.00", description="keep")
    shop.add_product("TEE", type="variable", price="")
    variation = shop.add_variation("TEE", "TEE-U", price="2")
    connector = connect(shop)
    refs = connector.find_products(["U-1", "TEE-U"])
    changed = Product("U-1", "IGNORED", price=Decimal("9.99"), description="IGNORED", active=False)
    results = connector.update_products([
        ProductUpdate(refs["U-1"], changed, ("price", "active")),
        ProductUpdate(refs["TEE-U"], Product("TEE-U", price=Decimal("3.5"), active=False), ("price", "active")),
        ProductUpdate("123456789", Product("GHOST", price=Decimal("1")), ("price",)),
    ])
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].code == "woocommerce_rest_product_invalid_id"
    after = shop.get_product(product["id"])
    assert (after["name"], after["description"], after["regular_price"], after["status"]) == (
        "Keep me", "keep", "9.99", "draft")
    var_after = shop.get_product(variation["id"])
    assert (var_after["regular_price"], var_after["status"]) == ("3.5", "private")


def test_batch_size_is_capped_and_shrinks_when_the_shop_answers_413(connect: Connect) -> None:
    with ShopServer(max_batch=30) as server:
        refs = [str(server.add_product(f"Q-{n}")["id"]) for n in range(100)]
        connector = connect(server, batch_size=500)
        assert connector.batch_size == 100
        server.reset_counts()
        results = connector.set_stock([StockUpdate(f"Q-{n}", ref, 5) for n, ref in enumerate(refs)])
        assert all(r.ok for r in results) and len(results) == 100
        assert all(p["stock_quantity"] == 5 for p in server.all_products())
        assert server.request_counts["POST"] > 4


# ------------------------------------------------------------------------------------------------
# OAuth 1.0a over plain HTTP


def test_oauth_over_http_signs_every_attempt_afresh(auth_shop: ShopServer, connect: Connect) -> None:
    # The server records each nonce before the (injected) 500 happens, like WordPress: a byte-identical
    # retry would be refused as a replayed nonce.
    auth_shop.add_product("O-1", stock_quantity=1)
    connector = connect(auth_shop)
    assert connector.auth_mode == "oauth1"
    ref = connector.find_products(["O-1"])["O-1"]
    auth_shop.inject(500, count=2)
    [result] = connector.set_stock([StockUpdate("O-1", ref, 9)])
    assert result.ok
    assert auth_shop.get_product_by_sku("O-1")["stock_quantity"] == 9
    assert auth_shop.request_counts["POST"] == 3

"""Contract tests of the WooCommerce-compatible shop server: it must behave like real WooCommerce
where a connector can trip (paging cap, batch limit, per-item errors, local-vs-GMT filters, auth)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256, SIGNATURE_TYPE_QUERY
from requests_oauthlib import OAuth1

from trayapp.demo.shop_server import Fault, ShopServer


def get(server: ShopServer, path: str, **params: object) -> requests.Response:
    return requests.get(f"{server.api_url}/{path}", params=params, timeout=5)


def post(server: ShopServer, path: str, body: object, **kwargs: object) -> requests.Response:
    return requests.post(f"{server.api_url}/{path}", json=body, timeout=5, **kwargs)  # type: ignore[arg-type]


KEY = "ck_contract_key_0123456789"
SECRET = "cs_contract_secret_9876543210"


@pytest.fixture
def auth_shop() -> Iterator[ShopServer]:
    with ShopServer(consumer_key=KEY, consumer_secret=SECRET) as server:
        yield server


def oauth(method: str = SIGNATURE_HMAC_SHA256, key: str = KEY, secret: str = SECRET) -> OAuth1:
    return OAuth1(key, client_secret=secret, signature_method=method, signature_type=SIGNATURE_TYPE_QUERY)


# ------------------------------------------------------------------------------------------------
# Lists


def test_default_page_is_ten_newest_first_with_paging_headers(shop: ShopServer) -> None:
    for n in range(25):
        shop.add_product(f"SKU-{n:02d}", created_gmt=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n))
    response = get(shop, "products")
    assert response.status_code == 200
    items = response.json()
    assert len(items) == 10
    assert items[0]["sku"] == "SKU-24"  # orderby=date, order=desc by default
    assert response.headers["X-WP-Total"] == "25"
    assert response.headers["X-WP-TotalPages"] == "3"
    assert 'rel="next"' in response.headers["Link"] and "page=2" in response.headers["Link"]
    last = get(shop, "products", page=3, orderby="id", order="asc")
    assert [p["sku"] for p in last.json()] == [f"SKU-{n:02d}" for n in range(20, 25)]
    assert 'rel="prev"' in last.headers["Link"] and 'rel="next"' not in last.headers["Link"]


def test_per_page_above_100_is_a_400(shop: ShopServer) -> None:
    response = get(shop, "orders", per_page=101)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param"
    assert "per_page" in body["data"]["params"]
    assert get(shop, "orders", per_page=100).status_code == 200


def test_fields_trims_the_response(shop: ShopServer) -> None:
    shop.add_product("A-1")
    assert get(shop, "products", _fields="id,sku").json() == [{"id": shop.get_product_by_sku("A-1")["id"],
                                                                "sku": "A-1"}]


def test_sku_filter_matches_variations_and_ignores_case(shop: ShopServer) -> None:
    shop.add_product("TEE", type="variable", price="")
    variation = shop.add_variation("TEE", "TEE-RED-M", price="15")
    shop.add_product("MUG")
    found = get(shop, "products", sku="tee-red-m,MUG", _fields="id,sku,type,parent_id").json()
    by_sku = {item["sku"]: item for item in found}
    assert set(by_sku) == {"TEE-RED-M", "MUG"}
    assert by_sku["TEE-RED-M"]["type"] == "variation"
    assert by_sku["TEE-RED-M"]["parent_id"] == shop.get_product_by_sku("TEE")["id"]
    assert by_sku["TEE-RED-M"]["id"] == variation["id"]
    # without sku, variations are not products
    assert {p["sku"] for p in get(shop, "products").json()} == {"TEE", "MUG"}


def test_status_filter_takes_a_comma_list(shop: ShopServer) -> None:
    shop.add_order([], status="processing")
    shop.add_order([], status="on-hold")
    shop.add_order([], status="completed")
    statuses = {o["status"] for o in get(shop, "orders", status="processing,on-hold").json()}
    assert statuses == {"processing", "on-hold"}
    assert get(shop, "orders", status="bogus").status_code == 400


# ------------------------------------------------------------------------------------------------
# Dates: the local-vs-GMT trap


def test_dates_are_local_with_gmt_twins_and_no_zone_suffix() -> None:
    with ShopServer(site_utc_offset_minutes=120) as server:
        server.add_order([], created_gmt=datetime(2026, 3, 1, 10, 15, tzinfo=UTC))
        order = get(server, "orders").json()[0]
    assert order["date_created_gmt"] == "2026-03-01T10:15:00"
    assert order["date_created"] == "2026-03-01T12:15:00"


def test_modified_after_compares_local_time_unless_dates_are_gmt() -> None:
    # New York-like site (UTC-5): an order modified at 10:00 UTC is 05:00 local.
    with ShopServer(site_utc_offset_minutes=-300) as server:
        server.add_order([], modified_gmt=datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
                         created_gmt=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        watermark = "2026-03-01T09:30:00"  # UTC wall time
        naive = get(server, "orders", modified_after=watermark).json()
        gmt = get(server, "orders", modified_after=watermark, dates_are_gmt="true").json()
    assert naive == []  # the trap: compared with 05:00 local, the order is "older" and gets lost
    assert len(gmt) == 1


def test_a_zoned_filter_value_is_turned_into_site_local_time_even_with_dates_are_gmt() -> None:
    # WP_Date_Query converts "...Z" to the site's wall time before comparing, whatever the column.
    with ShopServer(site_utc_offset_minutes=60) as server:
        server.add_order([], modified_gmt=datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
        zoned = get(server, "orders", modified_after="2026-03-01T09:30:00Z", dates_are_gmt="true").json()
        plain = get(server, "orders", modified_after="2026-03-01T09:30:00", dates_are_gmt="true").json()
        invalid = get(server, "orders", modified_after="yesterday")
    assert zoned == []  # compared as 10:30 against 10:00 GMT
    assert len(plain) == 1
    assert invalid.status_code == 400 and invalid.json()["code"] == "rest_invalid_param"


def test_updates_bump_date_modified_and_stock_sets_stock_status(shop: ShopServer) -> None:
    old = datetime(2025, 1, 1, tzinfo=UTC)
    product = shop.add_product("P-1", created_gmt=old, stock_quantity=5)
    order = shop.add_order([("P-1", 1)], created_gmt=old)
    response = post(shop, "products/batch", {"update": [{"id": product["id"], "manage_stock": True,
                                                          "stock_quantity": 0}]})
    updated = response.json()["update"][0]
    assert updated["stock_status"] == "outofstock" and updated["stock_quantity"] == 0
    assert updated["date_modified_gmt"] > "2025-01-01T00:00:00"
    post(shop, "orders/batch", {"update": [{"id": order["id"], "status": "completed"}]})
    assert shop.get_order(order["id"])["date_modified_gmt"] > "2025-01-01T00:00:00"


# ------------------------------------------------------------------------------------------------
# Batches


def test_batch_over_the_limit_is_413() -> None:
    with ShopServer(max_batch=5) as server:
        response = post(server, "products/batch", {"create": [{"sku": f"S{n}"} for n in range(3)],
                                                   "update": [{"id": 1}] * 3})
        assert response.status_code == 413
        assert response.json()["code"] == "woocommerce_rest_request_entity_too_large"
        assert server.all_products() == []
        assert post(server, "products/batch", {"create": [{"sku": f"S{n}"} for n in range(5)]}).status_code == 200


def test_failing_batch_items_do_not_fail_the_request(shop: ShopServer) -> None:
    existing = shop.add_product("DUP")
    response = post(shop, "products/batch", {
        "create": [{"sku": "dup", "name": "again"}, {"sku": "NEG", "regular_price": "-1"},
                   {"sku": "TXT", "regular_price": "abc"}, {"sku": "OK-1", "regular_price": "9.90"}],
        "update": [{"id": 999999, "name": "ghost"}, {"id": existing["id"], "name": "Renamed"}],
    })
    assert response.status_code == 200
    created, updated = response.json()["create"], response.json()["update"]
    assert created[0]["id"] == 0 and created[0]["error"]["code"] == "product_invalid_sku"
    assert created[0]["error"]["data"]["status"] == 400
    assert created[1]["error"]["code"] == "rest_invalid_param"
    assert created[2]["error"]["code"] == "rest_invalid_param"
    assert "error" not in created[3] and created[3]["regular_price"] == "9.90"
    assert updated[0] == {"id": 999999, "error": {"code": "woocommerce_rest_product_invalid_id",
                                                  "message": "Invalid ID.", "data": {"status": 400}}}
    assert updated[1]["name"] == "Renamed"
    assert shop.get_product_by_sku("NEG") is None and shop.get_product_by_sku("OK-1") is not None


def test_order_batch_rejects_unknown_ids_and_statuses(shop: ShopServer) -> None:
    order = shop.add_order([], status="processing")
    answer = post(shop, "orders/batch", {"update": [{"id": order["id"], "status": "shipped-to-mars"},
                                                    {"id": 424242, "status": "completed"}]}).json()["update"]
    assert answer[0]["error"]["code"] == "rest_invalid_param"
    assert answer[1]["error"]["code"] == "woocommerce_rest_shop_order_invalid_id"
    assert shop.get_order(order["id"])["status"] == "processing"


def test_variations_are_written_only_through_their_parent(shop: ShopServer) -> None:
    shop.add_product("TEE", type="variable", price="")
    variation = shop.add_variation("TEE", "TEE-S", price="10", stock_quantity=1)
    parent_id = shop.get_product_by_sku("TEE")["id"]
    wrong = post(shop, "products/batch", {"update": [{"id": variation["id"], "stock_quantity": 5}]}).json()
    assert wrong["update"][0]["error"]["code"] == "woocommerce_rest_invalid_product_id"
    right = post(shop, f"products/{parent_id}/variations/batch",
                 {"update": [{"id": variation["id"], "manage_stock": True, "stock_quantity": 5}]}).json()
    assert right["update"][0]["stock_quantity"] == 5


# ------------------------------------------------------------------------------------------------
# Authentication


def test_anonymous_request_gets_woocommerce_401_shape(auth_shop: ShopServer) -> None:
    response = get(auth_shop, "products")
    assert response.status_code == 401
    assert response.json() == {"code": "woocommerce_rest_cannot_view",
                               "message": "Sorry, you cannot list resources.", "data": {"status": 401}}
    batch = post(auth_shop, "products/batch", {"update": []})
    assert batch.status_code == 401 and batch.json()["code"] == "woocommerce_rest_cannot_batch"


def test_basic_auth(auth_shop: ShopServer) -> None:
    assert requests.get(f"{auth_shop.api_url}/products", auth=(KEY, SECRET), timeout=5).status_code == 200
    wrong = requests.get(f"{auth_shop.api_url}/products", auth=(KEY, "cs_wrong"), timeout=5)
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "woocommerce_rest_authentication_error"
    assert wrong.json()["message"] == "Consumer secret is invalid."
    assert "WWW-Authenticate" in wrong.headers


def test_oauth_signatures_are_verified(auth_shop: ShopServer) -> None:
    url = f"{auth_shop.api_url}/products"
    for method in (SIGNATURE_HMAC_SHA256, SIGNATURE_HMAC_SHA1):
        ok = requests.get(url, params={"per_page": 5, "_fields": "id,sku"}, auth=oauth(method), timeout=5)
        assert ok.status_code == 200, ok.text
    bad_secret = requests.get(url, auth=oauth(secret="cs_nope"), timeout=5)
    assert bad_secret.status_code == 401
    assert bad_secret.json()["message"] == "Invalid signature - provided signature does not match."
    bad_key = requests.get(url, auth=oauth(key="ck_nope"), timeout=5)
    assert bad_key.json()["message"] == "Consumer key is invalid."


def test_oauth_signature_covers_the_query_and_nonces_are_single_use(auth_shop: ShopServer) -> None:
    signed = requests.Request("GET", f"{auth_shop.api_url}/products", params={"per_page": 5},
                              auth=oauth()).prepare()
    assert requests.Session().send(signed, timeout=5).status_code == 200
    replay = requests.Session().send(signed, timeout=5)
    assert replay.status_code == 401
    assert replay.json()["message"] == "Invalid nonce - nonce has already been used."
    fresh = requests.Request("GET", f"{auth_shop.api_url}/products", params={"per_page": 5},
                             auth=oauth()).prepare()
    tampered = fresh.url.replace("per_page=5", "per_page=6")
    response = requests.get(tampered, timeout=5)
    assert response.status_code == 401 and "signature" in response.json()["message"]


def test_oauth_timestamp_window(auth_shop: ShopServer) -> None:
    url = f"{auth_shop.api_url}/products"
    params = {"oauth_consumer_key": KEY, "oauth_nonce": "abc123", "oauth_signature_method": "HMAC-SHA256",
              "oauth_timestamp": str(int(time.time()) - 16 * 60), "oauth_version": "1.0"}
    params["oauth_signature"] = ShopServer.oauth_signature("GET", url, params, SECRET)
    stale = requests.get(f"{url}?{urlencode(params)}", timeout=5)
    assert stale.status_code == 401 and stale.json()["message"] == "Invalid timestamp."
    params = {**params, "oauth_timestamp": str(int(time.time())), "oauth_nonce": "abc124"}
    params.pop("oauth_signature")
    params["oauth_signature"] = ShopServer.oauth_signature("GET", url, params, SECRET)
    assert requests.get(f"{url}?{urlencode(params)}", timeout=5).status_code == 200
    missing = dict(parse_qsl(urlsplit(f"{url}?{urlencode(params)}").query))
    missing.pop("oauth_nonce")
    response = requests.get(url, params=missing, timeout=5)
    assert response.json()["code"] == "woocommerce_rest_authentication_missing_parameter"


# ------------------------------------------------------------------------------------------------
# Faults and instrumentation


def test_injected_faults_and_request_counts(shop: ShopServer) -> None:
    shop.inject(Fault.rate_limited(retry_after=7), path_prefix="/orders")
    shop.inject(503)
    shop.inject("malformed")
    rate_limited = get(shop, "orders")
    assert rate_limited.status_code == 429 and rate_limited.headers["Retry-After"] == "7"
    assert get(shop, "products").status_code == 503
    malformed = get(shop, "products")
    assert malformed.status_code == 200
    try:
        malformed.json()
        raise AssertionError("the body should not be JSON")
    except ValueError:
        pass
    assert get(shop, "products").status_code == 200  # faults are used up
    shop.inject("reset")
    try:
        requests.get(f"{shop.api_url}/products", timeout=5)
        raise AssertionError("the connection should have been reset")
    except requests.ConnectionError:
        pass
    assert shop.request_counts["GET"] == 5
    shop.reset_counts()
    assert shop.request_counts == {}


def test_random_orders_use_existing_products_and_reduce_stock(shop: ShopServer) -> None:
    import random

    shop.seed_products(["A", "B", "C"], stock=10)
    order = shop.place_random_order(random.Random(1))
    assert order is not None and order["status"] == "processing" and order["line_items"]
    sold = {line["sku"]: line["quantity"] for line in order["line_items"]}
    for sku, quantity in sold.items():
        assert shop.get_product_by_sku(sku)["stock_quantity"] == 10 - quantity
    shop.start_placing_orders(0.05)
    deadline = time.monotonic() + 3
    while len(shop.all_orders()) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    shop.stop_placing_orders()
    assert len(shop.all_orders()) >= 3


def test_state_survives_save_and_load(tmp_path: Path, shop: ShopServer) -> None:
    shop.add_product("TEE", type="variable", price="", categories=["Shirts"])
    shop.add_variation("TEE", "TEE-S", stock_quantity=3)
    order = shop.add_order([("TEE-S", 1)], created_gmt=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    shop.save_state(tmp_path / "shop.json")
    with ShopServer() as again:
        again.load_state(tmp_path / "shop.json")
        assert again.all_products() == [{**p, "permalink": p["permalink"].replace(shop.url, again.url)}
                                        for p in shop.all_products()]
        assert again.get_order(order["id"]) == order
        fresh = again.add_product("NEW")
        assert fresh["id"] > order["id"]  # ids never repeat

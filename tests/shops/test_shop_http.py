"""The shared HTTP policy: retries, Retry-After, timeouts, resets, malformed answers, TLS/HTTP rules,
throttling and secrets kept out of messages and logs. Faults come from the contract server."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from unittest.mock import Mock

import pytest
from urllib3.response import HTTPResponse

from trayapp.demo.shop_server import Fault, ShopServer
from trayapp.errors import ConnectionFailure, ShopError
from trayapp.shops.base import ShopSettings, StockUpdate
from trayapp.shops.http import CappedRetry, make_session, redact, register_secret, throttle_for
from trayapp.shops.woocommerce import WooCommerceConnector

Connect = Callable[..., WooCommerceConnector]


def test_5xx_is_retried_until_the_shop_recovers(shop: ShopServer, connect: Connect) -> None:
    shop.add_product("R-1")
    shop.inject(500)
    shop.inject(502)
    shop.inject(503)
    assert connect(shop, retries=3).find_products(["R-1"]) == {"R-1": str(shop.get_product_by_sku("R-1")["id"])}
    assert shop.request_counts["GET"] == 4


def test_writes_are_retried_too(shop: ShopServer, connect: Connect) -> None:
    ref = str(shop.add_product("W-1")["id"])
    shop.inject(503, path_prefix="/products/batch")
    shop.inject("reset", path_prefix="/products/batch")
    [result] = connect(shop).set_stock([StockUpdate("W-1", ref, 3)])
    assert result.ok and shop.get_product_by_sku("W-1")["stock_quantity"] == 3
    assert shop.request_counts["POST"] == 3


def test_persistent_5xx_becomes_a_shop_error(shop: ShopServer, connect: Connect) -> None:
    shop.inject(503, count=10)
    with pytest.raises(ShopError) as error:
        list(connect(shop, retries=2).iter_orders())
    assert error.value.status == 503 and "after 2 retries" in str(error.value)
    assert shop.request_counts["GET"] == 3


def test_429_retry_after_is_honoured(shop: ShopServer, connect: Connect) -> None:
    shop.inject(Fault.rate_limited(retry_after=1))
    connector = connect(shop, backoff_factor=0.01)
    started = time.monotonic()
    assert list(connector.iter_orders()) == []
    waited = time.monotonic() - started
    assert 0.95 <= waited < 3.0
    assert shop.request_counts["GET"] == 2


def test_a_huge_retry_after_is_capped(shop: ShopServer) -> None:
    shop.inject(Fault.rate_limited(retry_after=3600))
    connector = WooCommerceConnector(ShopSettings("woocommerce", shop.url, requests_per_second=0, retries=2,
                                                  backoff_factor=0.01), max_retry_after=0.3)
    started = time.monotonic()
    try:
        assert list(connector.iter_orders()) == []
    finally:
        connector.close()
    assert 0.25 <= time.monotonic() - started < 2.0


def test_capped_retry_parses_and_caps_retry_after() -> None:
    retry = CappedRetry(total=3, max_retry_after=5.0)
    assert retry.new(total=2).max_retry_after == 5.0

    def answer(value: str) -> HTTPResponse:
        return HTTPResponse(body=b"", headers={"Retry-After": value}, status=429)

    assert retry.get_retry_after(answer("2")) == 2.0
    assert retry.get_retry_after(answer("86400")) == 5.0
    assert retry.get_retry_after(answer("soon-ish")) is None


def test_a_read_timeout_is_retried(shop: ShopServer, connect: Connect) -> None:
    shop.inject(Fault.delay(1.5))
    started = time.monotonic()
    assert list(connect(shop, timeout=0.3).iter_orders()) == []
    assert time.monotonic() - started < 1.5  # did not wait for the slow answer
    assert shop.request_counts["GET"] == 2


def test_timeouts_that_persist_raise_connection_failure(shop: ShopServer, connect: Connect) -> None:
    shop.inject(Fault.delay(2), count=5)
    started = time.monotonic()
    with pytest.raises(ConnectionFailure) as error:
        connect(shop, timeout=0.25, retries=1).test_connection()
    assert time.monotonic() - started < 2.0
    assert "did not answer in time" in str(error.value) and shop.url in str(error.value)


def test_connection_resets_are_retried(shop: ShopServer, connect: Connect) -> None:
    shop.inject("reset", count=2)
    assert connect(shop).test_connection().startswith("WooCommerce")


def test_unreachable_shop_is_a_connection_failure(connect: Connect) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = Mock(url=f"http://127.0.0.1:{port}", consumer_key=None, consumer_secret=None)
    with pytest.raises(ConnectionFailure) as error:
        connect(closed, retries=1).test_connection()
    assert "refused" in str(error.value)


def test_malformed_json_is_fetched_again_then_fails_cleanly(shop: ShopServer, connect: Connect) -> None:
    shop.inject("malformed")
    assert list(connect(shop).iter_orders()) == []
    shop.inject("malformed", count=10)
    with pytest.raises(ShopError) as error:
        list(connect(shop).iter_orders())
    assert error.value.code == "malformed_json"
    assert not isinstance(error.value, ValueError)  # no JSONDecodeError escapes
    assert shop.request_counts["GET"] == 2 + 3


def test_malformed_json_after_a_write_fails_the_run(shop: ShopServer, connect: Connect) -> None:
    ref = str(shop.add_product("M-1")["id"])
    shop.inject("malformed", path_prefix="/products/batch")
    with pytest.raises(ShopError) as error:
        connect(shop).set_stock([StockUpdate("M-1", ref, 1)])
    assert error.value.code == "malformed_json"


# ------------------------------------------------------------------------------------------------
# URL rules


@pytest.mark.parametrize("url", ["http://shop.example.com", "http://192.168.1.20:8080", "http://10.0.0.1"])
def test_plain_http_to_other_hosts_is_refused(url: str) -> None:
    with pytest.raises(ConnectionFailure) as error:
        make_session(ShopSettings("woocommerce", url))
    assert "allow_insecure_http" in str(error.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://127.8.9.10", "http://localhost:1", "http://[::1]:9"])
def test_plain_http_to_loopback_is_fine(url: str) -> None:
    make_session(ShopSettings("woocommerce", url)).close()


def test_insecure_http_can_be_allowed_and_https_uses_basic_auth() -> None:
    make_session(ShopSettings("woocommerce", "http://shop.example.com", allow_insecure_http=True)).close()
    connector = WooCommerceConnector(ShopSettings("woocommerce", "https://shop.example.com/", key="ck_a1b2",
                                                  secret="cs_c3d4"))
    assert connector.auth_mode == "basic" and connector.api_url == "https://shop.example.com/wp-json/wc/v3"
    connector.close()
    with pytest.raises(ConnectionFailure):
        make_session(ShopSettings("woocommerce", "ftp://shop.example.com"))


# ------------------------------------------------------------------------------------------------
# Throttle


def test_throttle_is_shared_per_shop_url(shop: ShopServer, connect: Connect) -> None:
    first = connect(shop, requests_per_second=10)
    second = connect(shop, requests_per_second=10)
    assert first._session.throttle is second._session.throttle
    assert throttle_for("https://other.example.com", 10) is not first._session.throttle
    started = time.monotonic()
    for _ in range(3):
        list(first.iter_orders())
        list(second.iter_orders())
    assert time.monotonic() - started >= 0.45  # 6 requests at 10/s: 5 intervals
    unlimited = connect(shop, requests_per_second=0)
    started = time.monotonic()
    for _ in range(20):
        list(unlimited.iter_orders())
    assert time.monotonic() - started < 1.0


def test_request_counts_by_method(shop: ShopServer, connect: Connect) -> None:
    ref = str(shop.add_product("C-1")["id"])
    connector = connect(shop)
    list(connector.iter_orders())
    connector.set_stock([StockUpdate("C-1", ref, 1)])
    assert connector.request_counts == {"GET": 1, "POST": 1}


# ------------------------------------------------------------------------------------------------
# Secrets


def test_no_secret_in_errors_or_logs(caplog: pytest.LogCaptureFixture, connect: Connect) -> None:
    key, secret = "ck_7a6b5c4d3e2f1a0b9c8d", "cs_0f9e8d7c6b5a4f3e2d1c"
    caplog.set_level(logging.DEBUG)
    with ShopServer(consumer_key=key, consumer_secret=secret) as server:
        server.inject(500)
        server.inject("reset")
        wrong = connect(server, secret="cs_wrong_but_still_secret_123")
        with pytest.raises(ShopError) as refused:
            wrong.test_connection()
        server.inject(Fault.delay(1), count=5)
        with pytest.raises(ConnectionFailure) as timed_out:
            connect(server, timeout=0.2, retries=1).test_connection()
    texts = [str(refused.value), str(timed_out.value), caplog.text]
    assert "GET /wp-json/wc/v3/system_status" in caplog.text or "system_status" in caplog.text  # logs exist
    for text in texts:
        for leaked in (key, secret, "cs_wrong_but_still_secret_123"):
            assert leaked not in text
        assert "oauth_signature=" not in text.replace("oauth_signature=***", "")
        assert "oauth_signature%3D" not in text.replace("oauth_signature%3D***", "")


def test_redact() -> None:
    register_secret("cs_super_secret_value")
    text = ("GET /x?oauth_consumer_key=ck_1&oauth_signature=abc%2B%3D&a=1 Authorization: Basic Y2tfMTpjc18y "
            "and cs_super_secret_value")
    cleaned = redact(text)
    assert "ck_1" not in cleaned and "abc%2B" not in cleaned and "Y2tfMTpjc18y" not in cleaned
    assert "cs_super_secret_value" not in cleaned and "a=1" in cleaned


def test_oauth_retry_path_honours_retry_after_resets_timeouts_and_gives_up(connect: Connect) -> None:
    with ShopServer(consumer_key="ck_retry_path_1234", consumer_secret="cs_retry_path_5678") as server:
        connector = connect(server, timeout=0.3, retries=2)
        assert connector.auth_mode == "oauth1"
        server.inject(Fault.rate_limited(retry_after=1))
        started = time.monotonic()
        assert list(connector.iter_orders()) == []
        assert 0.95 <= time.monotonic() - started < 3.0
        server.inject("reset")
        server.inject(Fault.delay(1))
        assert list(connector.iter_orders()) == []
        server.inject(503, count=5)
        with pytest.raises(ShopError) as error:
            list(connector.iter_orders())
        assert error.value.status == 503
        assert server.request_counts["GET"] == 2 + 3 + 3

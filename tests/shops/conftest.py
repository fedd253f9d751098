"""Fixtures: the contract shop server on 127.0.0.1 and connectors pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from trayapp.demo.shop_server import ShopServer
from trayapp.shops.base import ShopSettings
from trayapp.shops.woocommerce import WooCommerceConnector

KEY = "ck_4f1d2c3b4a5968778695a4b3c2d1e0f9"
SECRET = "cs_9e8d7c6b5a49382716f5e4d3c2b1a0ff"


@pytest.fixture
def shop() -> Iterator[ShopServer]:
    """An open shop (no keys), site time zone UTC+1."""
    with ShopServer() as server:
        yield server


@pytest.fixture
def auth_shop() -> Iterator[ShopServer]:
    """A shop that requires the consumer key/secret."""
    with ShopServer(consumer_key=KEY, consumer_secret=SECRET) as server:
        yield server


def settings_for(server: ShopServer, **overrides: Any) -> ShopSettings:
    values: dict[str, Any] = {
        "platform": "woocommerce",
        "url": server.url,
        "timeout": 5.0,
        "requests_per_second": 0,
        "retries": 3,
        "backoff_factor": 0.02,
    }
    if server.consumer_key is not None:
        values.update(key=server.consumer_key, secret=server.consumer_secret)
    values.update(overrides)
    return ShopSettings(**values)


@pytest.fixture
def connect() -> Iterator[Callable[..., WooCommerceConnector]]:
    """connect(server, **settings_overrides) -> connector; closed after the test."""
    made: list[WooCommerceConnector] = []

    def factory(server: ShopServer, *, page_size: int = 100, **overrides: Any) -> WooCommerceConnector:
        connector = WooCommerceConnector(settings_for(server, **overrides), page_size=page_size)
        made.append(connector)
        return connector

    yield factory
    for connector in made:
        connector.close()

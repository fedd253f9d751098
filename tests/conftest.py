"""Shared fixtures: an isolated TRAYAPP_HOME, and a "rig" wiring a real demo ERP (SQLite file) to a
real WooCommerce-compatible contract server on 127.0.0.1 through the real engine."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from trayapp.config import OPERATIONS, ErpConfig, Integration, OperationConfig, ShopConfig
from trayapp.demo.erp import create_demo_erp, demo_connection_string
from trayapp.demo.shop_server import ShopServer
from trayapp.engine import Engine
from trayapp.journal import Journal
from trayapp.operations.base import RunResult


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAYAPP_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


class Rig:
    def __init__(self, root: Path, shop: ShopServer, products: int = 60) -> None:
        self.root = root
        self.shop = shop
        self.erp_path = create_demo_erp(root / "erp.sqlite3", products=products)
        self.journal = Journal(root / "journal.sqlite3")
        self.engine = Engine(self.journal, root / "locks")
        self.integration = Integration(
            name="t", erp=ErpConfig(demo_connection_string(self.erp_path), "demo"),
            shop=ShopConfig("woocommerce", shop.url, requests_per_second=0, retries=2, timeout=5),
            operations={op: OperationConfig(op) for op in OPERATIONS}, overlap=30)

    def configure(self, **changes: Any) -> None:
        self.integration = replace(self.integration, **changes)

    def operation(self, name: str, **changes: Any) -> None:
        ops = dict(self.integration.operations)
        ops[name] = replace(ops[name], **changes)
        self.integration = replace(self.integration, operations=ops)

    def run(self, operation: str, **kwargs: Any) -> RunResult:
        kwargs.setdefault("trigger", "scheduled")
        return self.engine.run(self.integration, operation, **kwargs)

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.erp_path) as db:
            rows = db.execute(statement, params).fetchall()
        db.close()
        return rows

    def writes(self) -> int:
        return sum(n for method, n in self.shop.request_counts.items() if method != "GET")


@pytest.fixture
def shop() -> Iterator[ShopServer]:
    with ShopServer() as server:
        yield server


@pytest.fixture
def rig(tmp_path: Path, shop: ShopServer) -> Rig:
    return Rig(tmp_path, shop)

"""Shared fixtures: an isolated TRAYAPP_HOME, and a "rig" wiring a real demo ERP (SQLite file) to a
real WooCommerce-compatible contract server on 127.0.0.1 through the real engine."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

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


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend for tests (the real Secret Service has its own test)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)

"""Helpers of the ERP tests (imported by conftest.py and the tests; the fixtures live in conftest.py):
sample data, the (profile, database, driver) backends, and sample orders.

A missing ODBC driver or an unreachable PostgreSQL fails the tests when $CI is set and skips them
otherwise, with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from trayapp.demo.erp import create_demo_erp, demo_connection_string
from trayapp.erp.connection import ErpConnection, open_connection
from trayapp.erp.database import ProfiledErpDatabase, open_erp
from trayapp.model import Address, Customer, Order, OrderLine

PG_HOST = os.environ.get("TRAYAPP_TEST_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("TRAYAPP_TEST_PG_PORT", "5432")
PG_USER = os.environ.get("TRAYAPP_TEST_PG_USER", "trayapp")
PG_PASSWORD = os.environ.get("TRAYAPP_TEST_PG_PASSWORD", "trayapp")
PG_DRIVER = "PostgreSQL Unicode"
SQLITE_DRIVER = "SQLite3"


def unavailable(reason: str) -> None:
    """Fail under CI (the environment must provide it), skip on a developer machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the test environment must provide it; "
                    "run scripts/setup-test-env.sh)", pytrace=False)
    pytest.skip(reason)


def pg_string(database: str, *, password_placeholder: bool = True) -> str:
    password = "{password}" if password_placeholder else PG_PASSWORD
    return (f"DRIVER={{{PG_DRIVER}}};Server={PG_HOST};Port={PG_PORT};Database={database};"
            f"UID={PG_USER};PWD={password}")




def staging_ddl(dialect: str) -> str:
    return resources.files("trayapp.erp").joinpath("profiles", f"staging.{dialect}.sql").read_text("utf-8")




# -- sample data -------------------------------------------------------------------------------------

T0 = datetime(2024, 3, 1, 10, 0, 0, tzinfo=UTC)

# The staging sample: (sku, name, price, sale_price, categories, tax_class, weight, ean, active, parent, modified)
STAGING_PRODUCTS = [
    ("MUG-01", "Enamel Mug", "12.90", None, "Kitchen|Camping", "", "0.350", "5901234123457", 1, None,
     datetime(2024, 3, 1, 9, 0, 0)),
    ("TEE", "Logo T-Shirt", "19.99", "14.99", "Textiles", "", "0.200", "", 1, None, datetime(2024, 3, 1, 10, 0, 0)),
    ("TEE-M", "Logo T-Shirt M", "19.99", "14.99", "Textiles", "", "0.200", "", 1, "TEE",
     datetime(2024, 3, 1, 10, 0, 0)),
    ("BOOK-7", "Repair Cafe Guide", "0.10", None, "Books", "reduced-rate", None, "9780000000002", 0, None,
     datetime(2024, 3, 1, 11, 0, 0)),
    ("BIG-1", "Workbench", "1234567.89", None, "Tools", "", "85.500", "", 1, None, datetime(2024, 3, 1, 12, 0, 0)),
]
STAGING_LABELS = [("MUG-01", "shop"), ("MUG-01", "b2b"), ("TEE", "shop"), ("TEE-M", "shop"), ("BIG-1", "b2b")]
STAGING_STOCK = [("MUG-01", "10", "3"), ("TEE-M", "4", "0"), ("BOOK-7", "0", "0"), ("BIG-1", "2.5", "1")]
STAGING_STATUSES = [("5001", "shipped", "ZS/1", datetime(2024, 3, 2, 8, 0, 0)),
                    ("5002", "paid", "ZS/2", datetime(2024, 3, 3, 8, 0, 0))]
STAGING_TABLES = ("trayapp_order_lines", "trayapp_orders", "trayapp_customers", "trayapp_product_inbox",
                  "trayapp_product_labels", "trayapp_stock", "trayapp_order_status", "trayapp_products")


def run(conn: ErpConnection, sql: str, *params: Any) -> list[tuple]:
    """Run one statement on an admin connection and commit; the rows of a SELECT."""
    cursor = conn.cursor()
    try:
        cursor.execute(sql, conn.adapt_all(params)) if params else cursor.execute(sql)
        rows = [tuple(r) for r in cursor.fetchall()] if cursor.description else []
        conn.commit()
        return rows
    finally:
        cursor.close()


def seed_staging(conn: ErpConnection) -> None:
    for table in STAGING_TABLES:
        run(conn, f"DELETE FROM {table}")
    for row in STAGING_PRODUCTS:
        sku, name, price, sale, cats, tax, weight, ean, active, parent, modified = row
        run(conn, "INSERT INTO trayapp_products (sku, name, price, sale_price, description, short_description, "
                  "categories, tax_class, weight, ean, active, parent_sku, modified_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sku, name, Decimal(price), None if sale is None else Decimal(sale), f"<p>{name}</p>", name, cats, tax,
            None if weight is None else Decimal(weight), ean, active, parent, modified)
    for sku, label in STAGING_LABELS:
        run(conn, "INSERT INTO trayapp_product_labels (sku, label) VALUES (?, ?)", sku, label)
    for sku, on_hand, reserved in STAGING_STOCK:
        run(conn, "INSERT INTO trayapp_stock (sku, on_hand, reserved) VALUES (?, ?, ?)", sku, Decimal(on_hand),
            Decimal(reserved))
    for ref, status, key, changed in STAGING_STATUSES:
        run(conn, "INSERT INTO trayapp_order_status (external_ref, status, erp_key, changed_at) VALUES (?, ?, ?, ?)",
            ref, status, key, changed)


# -- backends: one profile on one database through one driver ---------------------------------------

@dataclass
class Backend:
    """What the contract tests need to know about one (profile, database, driver) combination."""

    id: str
    connection_string: str
    profile: str
    password: str | None
    admin: ErpConnection  # a second connection for setting up and checking
    orders_table: str
    lines_table: str
    customers_table: str
    skus: list[str]  # sellable SKUs
    text_price: Callable[[str, str], None] | None = None  # store a non-numeric price (SQLite only)
    empty_sku: Callable[[], None] | None = None  # add a product row with an empty SKU
    opened: list[ProfiledErpDatabase] = field(default_factory=list)

    def open(self) -> ProfiledErpDatabase:
        erp = open_erp(self.connection_string, self.profile, password=self.password)
        self.opened.append(erp)
        return erp

    def count(self, table: str, where: str = "", *params: Any) -> int:
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return int(run(self.admin, sql, *params)[0][0])

    def counts(self) -> tuple[int, int, int]:
        return self.count(self.orders_table), self.count(self.lines_table), self.count(self.customers_table)

    def close(self) -> None:
        for erp in self.opened:
            erp.close()
        self.admin.close()


def _demo_backend(tmp_path: Path, backend_id: str, connection_string: str | None) -> Backend:
    path = create_demo_erp(tmp_path / "demo-erp.sqlite3", products=60, seed=11)
    admin = open_connection(demo_connection_string(path))
    skus = [r[0] for r in run(admin, "SELECT code FROM products p WHERE parent_id IS NULL AND NOT EXISTS "
                                     "(SELECT 1 FROM products v WHERE v.parent_id = p.id) ORDER BY id")][:5]

    def text_price(sku: str, text: str) -> None:
        run(admin, "UPDATE products SET price_gross = ? WHERE code = ?", text, sku)

    def empty_sku() -> None:
        run(admin, "INSERT INTO products (code, name, price_gross, modified_at) VALUES ('', 'No code', 1, "
                   "'2024-01-01 00:00:00')")

    return Backend(backend_id, connection_string or demo_connection_string(path), "demo", None, admin,
                   "orders", "order_lines", "customers", skus, text_price, empty_sku)


def _staging_backend(backend_id: str, connection_string: str, admin: ErpConnection, password: str | None,
                     sqlite: bool) -> Backend:
    seed_staging(admin)

    def text_price(sku: str, text: str) -> None:
        run(admin, "UPDATE trayapp_products SET price = ? WHERE sku = ?", text, sku)

    def empty_sku() -> None:
        run(admin, "INSERT INTO trayapp_products (sku, name, price, modified_at) VALUES ('', 'No SKU', 1, ?)",
            datetime(2024, 1, 1))

    return Backend(backend_id, connection_string, "staging", password, admin, "trayapp_orders",
                   "trayapp_order_lines", "trayapp_customers", ["MUG-01", "TEE-M", "BOOK-7", "BIG-1"],
                   text_price if sqlite else None, empty_sku)


BACKENDS = ["demo-sqlite3", "demo-odbc", "staging-sqlite3", "staging-postgres"]


def make_backend(backend_id: str, tmp_path: Path, request: pytest.FixtureRequest) -> Backend:
    if backend_id == "demo-sqlite3":
        return _demo_backend(tmp_path, backend_id, None)
    if backend_id == "demo-odbc":
        request.getfixturevalue("sqlite_odbc")
        return _demo_backend(tmp_path, backend_id,
                             f"DRIVER={{{SQLITE_DRIVER}}};Database={tmp_path / 'demo-erp.sqlite3'}")
    if backend_id == "staging-sqlite3":
        path = tmp_path / "staging.sqlite3"
        import sqlite3

        sqlite3.connect(path).close()
        admin = open_connection(f"sqlite:///{path}")
        admin.execute_script(staging_ddl("sqlite"))
        return _staging_backend(backend_id, f"sqlite:///{path}", admin, None, sqlite=True)
    if backend_id == "staging-postgres":
        connection_string = request.getfixturevalue("pg_staging")
        admin = open_connection(connection_string, password=PG_PASSWORD)
        return _staging_backend(backend_id, connection_string, admin, PG_PASSWORD, sqlite=False)
    raise ValueError(backend_id)




def make_order(shop_id: str, skus: list[str], *, email: str = "ada@example.com", quantities: list[str] | None = None,
               status: str = "new") -> Order:
    quantities = quantities or ["2"] * len(skus)
    lines = []
    for i, (sku, qty) in enumerate(zip(skus, quantities, strict=True), start=1):
        unit = Decimal("19.99") + i
        quantity = Decimal(qty)
        total = unit * quantity
        lines.append(OrderLine(sku=sku, name=f"Item {i}", quantity=quantity, unit_price=unit, total=total,
                               tax=(total * Decimal(23) / Decimal(123)).quantize(Decimal("0.01")),
                               shop_line_id=str(100 + i)))
    total = sum((line.total for line in lines), Decimal("4.90"))
    billing = Address(first_name="Ada", last_name="Lovelace", company="Engines Ltd", address_1="1 Analytical Way",
                      city="London", postcode="N1 1AA", country="GB", email=email, phone="+44 20 0000")
    return Order(shop_id=shop_id, number=f"#{shop_id}", status=status, created_at=T0, modified_at=T0,
                 currency="EUR", total=total, customer=Customer(email=email, first_name="Ada", last_name="Lovelace"),
                 billing=billing, shipping=Address(first_name="Ada", last_name="Lovelace", city="Paris", country="FR"),
                 lines=lines, shipping_total=Decimal("4.90"), tax_total=sum((x.tax for x in lines), Decimal(0)),
                 payment_method="bacs", customer_note="ring twice")

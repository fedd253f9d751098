"""ProfiledErpDatabase against real databases: the demo profile (stdlib sqlite3 and the SQLite3 ODBC
driver) and the staging profile (SQLite and PostgreSQL through psqlODBC)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from erp_support import (
    PG_PASSWORD,
    STAGING_PRODUCTS,
    Backend,
    make_backend,
    make_order,
    run,
)

from trayapp.erp import database as database_module
from trayapp.erp.base import ErpConnector
from trayapp.erp.connection import open_connection
from trayapp.erp.database import ProfiledErpDatabase
from trayapp.erp.profile import load_profile, parse_profile
from trayapp.errors import ConfigError, ErpError, RecordError
from trayapp.model import BadRecord, OrderStatus, Product, StockLevel


def test_is_an_erp_connector(backend: Backend) -> None:
    erp = backend.open()
    assert isinstance(erp, ErpConnector)
    assert erp.supports_products_changed_since and erp.supports_statuses_changed_since
    description = erp.test_connection()
    assert backend.profile in description and "import-orders" in description


# -- reading -----------------------------------------------------------------------------------------

def test_read_products_typed(backend: Backend) -> None:
    products = list(backend.open().read_products())
    assert products and all(isinstance(p, Product) for p in products)
    skus = [p.sku for p in products]
    assert len(skus) == len(set(skus))
    for product in products:
        assert isinstance(product.price, Decimal)
        assert product.modified_at is not None and product.modified_at.tzinfo is not None
        assert product.modified_at.utcoffset() == timedelta(0)
    by_sku = {p.sku: p for p in products}
    variants = [p for p in products if p.parent_sku]
    assert variants and all(v.parent_sku in by_sku for v in variants)
    assert any(p.labels for p in products)
    if backend.profile == "staging":
        mug = by_sku["MUG-01"]
        assert mug.price == Decimal("12.90") and mug.sale_price is None
        assert mug.categories == ("Kitchen", "Camping")
        assert mug.labels == frozenset({"shop", "b2b"})
        assert mug.weight == Decimal("0.35") and mug.ean == "5901234123457" and mug.active
        assert mug.modified_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
        assert by_sku["TEE-M"].parent_sku == "TEE" and by_sku["TEE-M"].sale_price == Decimal("14.99")
        book = by_sku["BOOK-7"]
        assert book.active is False and book.weight is None and book.tax_class == "reduced-rate"
        assert book.price == Decimal("0.10")
        assert by_sku["BIG-1"].price == Decimal("1234567.89")
        assert len(products) == len(STAGING_PRODUCTS)
    else:
        expected = run(backend.admin, "SELECT code, price_gross, is_active FROM products ORDER BY id")
        assert [p.sku for p in products] == [row[0] for row in expected]
        assert [p.price for p in products] == [Decimal(str(row[1])) for row in expected]
        assert [p.active for p in products] == [bool(row[2]) for row in expected]
        labelled = run(backend.admin, "SELECT p.code, l.label FROM product_labels l JOIN products p "
                                      "ON p.id = l.product_id")
        assert {(p.sku, label) for p in products for label in p.labels} == set(labelled)


def test_read_products_changed_since(backend: Backend) -> None:
    erp = backend.open()
    if backend.profile == "staging":
        # 10:00 UTC given as 12:00+02:00: TEE, TEE-M (10:00), BOOK-7 (11:00), BIG-1 (12:00)
        since = datetime(2024, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
        assert sorted(p.sku for p in erp.read_products(changed_since=since)) == ["BIG-1", "BOOK-7", "TEE", "TEE-M"]
    else:
        run(backend.admin, "UPDATE products SET modified_at = '2030-01-01 10:00:00' WHERE code = ?", backend.skus[0])
        since = datetime(2030, 1, 1, 11, 0, tzinfo=timezone(timedelta(hours=1)))  # = 10:00 UTC
        assert [p.sku for p in erp.read_products(changed_since=since)] == [backend.skus[0]]
    assert len(list(erp.read_products())) > 1


def test_read_stock(backend: Backend) -> None:
    levels = list(backend.open().read_stock())
    assert levels and all(isinstance(level, StockLevel) for level in levels)
    by_sku = {level.sku: level for level in levels}
    if backend.profile == "staging":
        assert by_sku["MUG-01"].on_hand == 10 and by_sku["MUG-01"].reserved == 3
        assert by_sku["MUG-01"].available() == 7 and by_sku["MUG-01"].labels == frozenset({"shop", "b2b"})
        assert by_sku["BIG-1"].on_hand == Decimal("2.5")
    else:
        sku = backend.skus[0]
        product_id = run(backend.admin, "SELECT id FROM products WHERE code = ?", sku)[0][0]
        run(backend.admin, "DELETE FROM stock WHERE product_id = ?", product_id)
        run(backend.admin, "INSERT INTO stock (product_id, warehouse_id, on_hand, reserved) VALUES (?, 1, 7, 2)",
            product_id)
        run(backend.admin, "INSERT INTO stock (product_id, warehouse_id, on_hand, reserved) VALUES (?, 2, 5, 1)",
            product_id)
        level = {x.sku: x for x in backend.open().read_stock()}[sku]
        assert (level.on_hand, level.reserved, level.available()) == (12, 3, 9)
        parents = {r[0] for r in run(backend.admin, "SELECT DISTINCT p.code FROM products p JOIN products v "
                                                    "ON v.parent_id = p.id")}
        assert not parents & set(by_sku), "parents of variants carry no stock"
        assert any(x.reserved > 0 for x in levels), "the demo has reservations"


def test_read_order_statuses(backend: Backend) -> None:
    erp = backend.open()
    if backend.profile == "staging":
        statuses = list(erp.read_order_statuses())
        assert statuses == [
            OrderStatus("5001", "shipped", "ZS/1", datetime(2024, 3, 2, 8, 0, tzinfo=UTC)),
            OrderStatus("5002", "paid", "ZS/2", datetime(2024, 3, 3, 8, 0, tzinfo=UTC)),
        ]
        since = datetime(2024, 3, 3, 8, 0, tzinfo=UTC)
        assert [s.external_ref for s in erp.read_order_statuses(changed_since=since)] == ["5002"]
    else:
        assert list(erp.read_order_statuses()) == [], "phone orders have no external reference"
        key, created = erp.import_order(make_order("7001", backend.skus[:1]))
        assert created
        run(backend.admin, "UPDATE orders SET status = 'shipped', status_changed_at = '2031-05-05 05:05:05' "
                           "WHERE external_ref = '7001'")
        statuses = list(erp.read_order_statuses())
        assert statuses == [OrderStatus("7001", "shipped", key, datetime(2031, 5, 5, 5, 5, 5, tzinfo=UTC))]
        assert list(erp.read_order_statuses(changed_since=datetime(2031, 5, 5, 5, 5, 6, tzinfo=UTC))) == []


def test_bad_rows_become_bad_records(backend: Backend) -> None:
    assert backend.empty_sku is not None
    backend.empty_sku()
    if backend.text_price is not None:
        backend.text_price(backend.skus[1], "n/a")
    records = list(backend.open().read_products())
    bad = [r for r in records if isinstance(r, BadRecord)]
    good = [r for r in records if isinstance(r, Product)]
    assert any(b.key.startswith("row ") and "empty SKU" in b.reason for b in bad)
    if backend.id == "demo-odbc":
        # Driver quirk: the SQLite ODBC driver turns text in a NUMERIC column into NULL, so the bad
        # price reads as "no price" (the operations report products without a price).
        assert [p.price for p in good if p.sku == backend.skus[1]] == [None]
        assert len(bad) == 1
    elif backend.text_price is not None:
        assert BadRecord(backend.skus[1], "price is not a number: 'n/a'") in bad
        assert len(bad) == 2
    assert len(good) >= 3, "reading goes on after a bad row"


def test_reading_streams_with_fetchmany(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    erp = backend.open()
    expected = [p.sku for p in erp.read_products()]
    monkeypatch.setattr(database_module, "FETCH_SIZE", 2)
    real_cursor = erp.connection.cursor

    class NoFetchAll:
        def __init__(self, inner: object) -> None:
            self._inner = inner

        def fetchall(self) -> None:
            raise AssertionError("fetchall must not be used by readers")

        def __getattr__(self, name: str) -> object:
            return getattr(self._inner, name)

    monkeypatch.setattr(erp.connection, "cursor", lambda: NoFetchAll(real_cursor()))
    assert [p.sku for p in erp.read_products()] == expected
    assert len(list(erp.read_stock())) > 2


# -- import_order: the exactly-once core ---------------------------------------------------------------

def test_import_order_writes_everything(backend: Backend) -> None:
    erp = backend.open()
    before = backend.counts()
    order = make_order("9001", backend.skus[:2])
    key, created = erp.import_order(order)
    assert created and key
    assert backend.counts() == (before[0] + 1, before[1] + 2, before[2] + 1)
    assert erp.find_order("9001") == key
    if backend.profile == "staging":
        row = run(backend.admin, "SELECT total, status, created_at, customer_email, number FROM trayapp_orders "
                                 "WHERE external_ref = '9001'")[0]
        lines = run(backend.admin, "SELECT line_no, sku, quantity, unit_price, total FROM trayapp_order_lines "
                                   "WHERE order_id = ? ORDER BY line_no", int(key))
    else:
        row = run(backend.admin, "SELECT total_gross, status, order_date, bill_email, shop_number FROM orders "
                                 "WHERE external_ref = '9001'")[0]
        lines = run(backend.admin, "SELECT l.line_no, p.code, l.quantity, l.unit_price_gross, l.total_gross "
                                   "FROM order_lines l JOIN products p ON p.id = l.product_id "
                                   "WHERE l.order_id = ? ORDER BY l.line_no", int(key))
    assert Decimal(str(row[0])) == order.total
    assert row[1] == "new"
    assert str(row[2]).startswith("2024-03-01") and "10:00:00" in str(row[2])
    assert row[3] == "ada@example.com" and row[4] == "#9001"
    assert [(n, sku) for n, sku, *_ in lines] == [(1, backend.skus[0]), (2, backend.skus[1])]
    assert [Decimal(str(line[3])) for line in lines] == [x.unit_price for x in order.lines]
    assert [Decimal(str(line[4])) for line in lines] == [x.total for x in order.lines]


def test_second_import_writes_nothing(backend: Backend) -> None:
    erp = backend.open()
    order = make_order("9002", backend.skus[:2])
    key, created = erp.import_order(order)
    after_first = backend.counts()
    assert created
    # A later version of the same order (other lines, other customer): still nothing written.
    again = replace(make_order("9002", backend.skus[2:3], email="other@example.com"), number="#9002")
    assert erp.import_order(again) == (key, False)
    assert backend.open().import_order(order) == (key, False)
    assert backend.counts() == after_first


def test_unknown_sku_rolls_back_everything(backend: Backend) -> None:
    erp = backend.open()
    before = backend.counts()
    order = make_order("9003", [backend.skus[0], "NO-SUCH-SKU", "ALSO-MISSING"], email="new.customer@example.com")
    with pytest.raises(RecordError) as info:
        erp.import_order(order)
    message = str(info.value)
    assert "NO-SUCH-SKU" in message and "ALSO-MISSING" in message and "#9003" in message
    assert backend.counts() == before
    assert erp.find_order("9003") is None
    # The connection is still usable, and the fixed order goes in.
    assert erp.import_order(make_order("9003", [backend.skus[0]]))[1] is True


def test_failing_line_rolls_back_header_and_customer(backend: Backend) -> None:
    erp = backend.open()
    before = backend.counts()
    # quantity 0 violates a CHECK constraint on the second line: header, customer and line 1 were written.
    order = make_order("9004", backend.skus[:2], quantities=["1", "0"], email="check@example.com")
    with pytest.raises(RecordError, match="refused"):
        erp.import_order(order)
    assert backend.counts() == before
    assert erp.find_order("9004") is None


def test_profile_error_in_line_statement_is_erp_error_and_rolls_back(backend: Backend) -> None:
    profile = load_profile(backend.profile)
    text = Path(profile.path).read_text()
    broken = text.replace("INSERT INTO order_lines (order_id", "INSERT INTO order_lines_typo (order_id").replace(
        "INSERT INTO trayapp_order_lines (order_id", "INSERT INTO trayapp_order_lines_typo (order_id")
    assert broken != text
    erp = ProfiledErpDatabase(backend.open().connection, parse_profile(broken, "broken.toml"))
    before = backend.counts()
    with pytest.raises(ErpError, match="9005"):
        erp.import_order(make_order("9005", backend.skus[:1]))
    assert backend.counts() == before


def test_customers_found_by_email_and_guests_kept_apart(backend: Backend) -> None:
    erp = backend.open()
    customers = backend.count(backend.customers_table)
    erp.import_order(make_order("9101", backend.skus[:1], email="Grace@Example.com"))
    erp.import_order(make_order("9102", backend.skus[:1], email="grace@example.com"))
    assert backend.count(backend.customers_table) == customers + 1, "same e-mail, one customer"
    erp.import_order(make_order("9103", backend.skus[:1], email=""))
    erp.import_order(make_order("9104", backend.skus[:1], email=""))
    assert backend.count(backend.customers_table) == customers + 3, "each guest order gets its own customer"


def test_concurrent_duplicate_is_not_an_error(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer inserts the order between our check and our insert: the unique external reference
    stops our insert, and import_order answers (their key, False)."""
    first = backend.open()
    key, _ = first.import_order(make_order("9201", backend.skus[:1]))
    before = backend.counts()
    late = backend.open()
    real_value = late._value
    calls = {"find_order": 0}

    def blind_first_check(cursor, statement, values):  # type: ignore[no-untyped-def]
        if statement == "find_order" and calls["find_order"] == 0:
            calls["find_order"] += 1
            return None  # as if the other writer had not committed yet
        return real_value(cursor, statement, values)

    monkeypatch.setattr(late, "_value", blind_first_check)
    assert late.import_order(make_order("9201", backend.skus[:1], email="someone.else@example.com")) == (key, False)
    assert backend.counts() == before


def test_parallel_imports_of_one_order(backend: Backend) -> None:
    connectors = [backend.open() for _ in range(4)]
    order = make_order("9301", backend.skus[:2])
    results: list[tuple[str, bool] | BaseException] = []
    barrier = threading.Barrier(len(connectors))

    def worker(erp: ProfiledErpDatabase) -> None:
        barrier.wait()
        try:
            results.append(erp.import_order(order))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=worker, args=(erp,)) for erp in connectors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _, created in results) == [False, False, False, True]  # type: ignore[misc]
    assert len({key for key, _ in results}) == 1  # type: ignore[misc]
    assert backend.count(backend.orders_table, "external_ref = ?", "9301") == 1


def test_crash_points_in_order(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    passed: list[str] = []
    monkeypatch.setattr(database_module, "crash_point", passed.append)
    erp = backend.open()
    erp.import_order(make_order("9401", backend.skus[:1]))
    assert passed == ["erp-order-begin", "erp-order-header-written", "erp-order-before-commit",
                      "erp-order-after-commit"]


_CRASH_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[4])
from erp_support import make_order
from trayapp.erp.database import open_erp
erp = open_erp(sys.argv[1], sys.argv[2], password=sys.argv[3] or None)
print(erp.import_order(make_order("9501", sys.argv[5].split(","))), flush=True)
"""


@pytest.mark.parametrize("backend_id", ["demo-sqlite3", "staging-postgres"])
@pytest.mark.parametrize("point", ["erp-order-header-written", "erp-order-before-commit", "erp-order-after-commit"])
def test_kill_9_leaves_whole_order_or_nothing(backend_id: str, point: str, tmp_path: Path,
                                              request: pytest.FixtureRequest) -> None:
    backend = make_backend(backend_id, tmp_path, request)
    try:
        before = backend.counts()
        env = {**os.environ, "TRAYAPP_CRASH_AT": point}
        proc = subprocess.run([sys.executable, "-c", _CRASH_SCRIPT, backend.connection_string, backend.profile,
                               backend.password or "", str(Path(__file__).parent), ",".join(backend.skus[:2])],
                              env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == -9, proc.stderr
        erp = backend.open()
        _, created = erp.import_order(make_order("9501", backend.skus[:2]))
        committed = point == "erp-order-after-commit"
        assert created is not committed
        assert backend.counts() == (before[0] + 1, before[1] + 2, before[2] + 1)
    finally:
        backend.close()


# -- products (shop -> ERP) ------------------------------------------------------------------------------

def test_find_insert_update_product(backend: Backend) -> None:
    erp = backend.open()
    existing = erp.find_product(backend.skus[0])
    assert existing is not None and existing.sku == backend.skus[0] and isinstance(existing.price, Decimal)
    assert erp.find_product("NOPE-404") is None
    new = Product(sku="NEW-1", name="Shop-made product", price=Decimal("49.90"), sale_price=Decimal("39.90"),
                  categories=("Garden",), weight=Decimal("1.25"), ean="4006381333931", active=False)
    erp.insert_product(new)
    changed = replace(existing, name="Renamed in the shop", price=Decimal("10.01"))
    erp.update_product(changed)
    if backend.profile == "demo":
        stored = erp.find_product("NEW-1")
        assert stored is not None
        assert (stored.name, stored.price, stored.sale_price, stored.categories, stored.weight, stored.active) == \
            ("Shop-made product", Decimal("49.90"), Decimal("39.90"), ("Garden",), Decimal("1.25"), False)
        renamed = erp.find_product(backend.skus[0])
        assert renamed is not None and (renamed.name, renamed.price) == ("Renamed in the shop", Decimal("10.01"))
        with pytest.raises(RecordError, match="NEW-1"):
            erp.insert_product(new)  # duplicate code
    else:
        rows = run(backend.admin, "SELECT action, sku, price, active FROM trayapp_product_inbox ORDER BY id")
        assert [(a, s, Decimal(str(p)), int(act)) for a, s, p, act in rows] == [
            ("insert", "NEW-1", Decimal("49.90"), 0), ("update", backend.skus[0], Decimal("10.01"), 1)]


# -- configuration problems found at run time -------------------------------------------------------

def test_unexpected_column_names_the_statement(backend: Backend) -> None:
    profile = load_profile(backend.profile)
    text = Path(profile.path).read_text()
    broken = text.replace("AS sale_price", "AS sale_prize", 1).replace(
        "SELECT sku, name, price, sale_price,", "SELECT sku, name, price, sale_price AS sale_prize,", 1)
    erp = ProfiledErpDatabase(backend.open().connection, parse_profile(broken, "broken.toml"))
    with pytest.raises(ConfigError) as info:
        erp.test_connection()
    assert info.value.key == "statements.read_products" and "sale_prize" in str(info.value)
    assert info.value.path == "broken.toml" and info.value.line is not None


def test_sql_error_is_erp_error_naming_statement(backend: Backend) -> None:
    profile = load_profile(backend.profile)
    text = Path(profile.path).read_text()
    broken = text.replace("FROM product_labels l", "FROM product_labelz l").replace(
        'product_labels = "SELECT sku, label FROM trayapp_product_labels"',
        'product_labels = "SELECT sku, label FROM trayapp_product_labelz"')
    erp = ProfiledErpDatabase(backend.open().connection, parse_profile(broken, "broken.toml"))
    with pytest.raises(ErpError, match=r"statements\.product_labels"):
        list(erp.read_products())


def test_postgres_password_placeholder_and_redaction(request: pytest.FixtureRequest) -> None:
    connection_string = request.getfixturevalue("pg_staging")
    assert "{password}" in connection_string
    with pytest.raises(ErpError) as info:
        open_connection(connection_string, password="wrong-secret-123")
    assert "wrong-secret-123" not in str(info.value) and "PWD=***" in str(info.value)
    with pytest.raises(ErpError, match="password"):
        open_connection(connection_string)
    conn = open_connection(connection_string, password=PG_PASSWORD)
    try:
        assert conn.dialect == "postgresql" and "Protocol=7.4-0" in repr(conn)
        assert f"PWD={PG_PASSWORD}" not in repr(conn) and "PWD=***" in repr(conn)
    finally:
        conn.close()


def test_status_outside_the_erp_vocabulary_is_a_record_error(backend: Backend) -> None:
    erp = backend.open()
    before = backend.counts()
    if backend.profile == "demo":
        with pytest.raises(RecordError, match="status 'processing' is not an order status"):
            erp.import_order(make_order("9601", backend.skus[:1], status="processing"))
        assert backend.counts() == before
        assert erp.import_order(make_order("9601", backend.skus[:1], status="on_hold"))[1] is True
    else:  # the staging profile lists no vocabulary: the ERP's importer decides
        assert erp.import_order(make_order("9601", backend.skus[:1], status="processing"))[1] is True

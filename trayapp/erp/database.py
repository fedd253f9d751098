"""The ERP connector: an ErpConnection driven by a Profile's named statements.

Readers stream (fetchmany) and turn one malformed row into a BadRecord instead of failing the run.
`import_order` is the exactly-once core: the external reference is checked and the whole order is
written inside one transaction, so a crash at any point leaves either the complete order or nothing,
and a retry finds the complete order and writes nothing.

A reader is a generator holding an open cursor: consume or close it before calling another method of
the same connector (SQL Server without MARS allows one active result set per connection).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from trayapp.crashpoints import crash_point
from trayapp.erp.connection import ErpConnection, error_text, is_data_error, is_duplicate_key, open_connection
from trayapp.erp.profile import SPECS, Profile, load_profile
from trayapp.errors import ConfigError, ErpError, RecordError
from trayapp.model import BadRecord, Order, OrderStatus, Product, StockLevel, to_decimal, utc

FETCH_SIZE = 500
CATEGORY_SEPARATOR = "|"

_TRUE = {"1", "-1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off", ""}


# -- value conversion (database value -> canonical) ---------------------------------------------------

def to_text(value: Any) -> str:
    """Text of a column value; None -> ''. Integral floats/Decimals lose their '.0' (codes, EANs)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def to_bool(value: Any, default: bool = True) -> bool:
    """Booleans as ERPs store them: bit/boolean, 1/0, '1'/'0' (psqlODBC), 'true'/'yes'/'t'. None -> default."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value != 0
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def to_utc(value: Any) -> datetime | None:
    """Aware UTC datetime from a datetime (naive = UTC), a date, or ISO text (what SQLite returns)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        try:
            return utc(datetime.fromisoformat(text))
        except ValueError:
            raise ValueError(f"not a date/time: {value!r}") from None
    raise ValueError(f"not a date/time: {value!r}")


def _decimal(value: Any, column: str) -> Decimal | None:
    try:
        return to_decimal(value)
    except ValueError:
        raise ValueError(f"{column} is not a number: {value!r}") from None


def _column(convert: Any, value: Any, column: str) -> Any:
    """convert(value), with the column's name in the error message."""
    try:
        return convert(value)
    except ValueError as exc:
        raise ValueError(f"{column}: {exc}") from None


def split_categories(value: Any) -> tuple[str, ...]:
    return tuple(part.strip() for part in to_text(value).split(CATEGORY_SEPARATOR) if part.strip())


class _Columns:
    """Column positions by lower-cased name, checked against the statement's spec."""

    def __init__(self, description: Sequence[Sequence[Any]], statement: str, profile: Profile) -> None:
        names = [str(d[0]).lower() for d in description]
        self.index = {name: i for i, name in enumerate(names)}
        spec = SPECS[statement]
        key = f"statements.{statement}"
        unknown = [n for n in names if n not in spec.columns]
        if unknown:
            raise ConfigError(f"unexpected column '{unknown[0]}' in the result; {statement} returns the columns "
                              f"{', '.join(spec.columns)} (name them with AS)", path=profile.path, key=key,
                              line=profile.lines.get(statement))
        for choices in spec.required_columns:
            if not any(c in self.index for c in choices):
                raise ConfigError(f"the result has no column '{choices[0]}'; {statement} must return "
                                  f"{', '.join(c[0] for c in spec.required_columns)} (found: {', '.join(names)})",
                                  path=profile.path, key=key, line=profile.lines.get(statement))

    def has(self, name: str) -> bool:
        return name in self.index

    def get(self, row: Sequence[Any], name: str) -> Any:
        i = self.index.get(name)
        return None if i is None else row[i]


class ProfiledErpDatabase:
    """trayapp.erp.base.ErpConnector over any database, driven by a Profile.

    One connection, not thread-safe: use one instance per run/thread. Close it (or use `with`).
    """

    def __init__(self, connection: ErpConnection, profile: Profile) -> None:
        self.connection = connection
        self.profile = profile
        self.supports_products_changed_since = profile.has("read_products_changed")
        self.supports_statuses_changed_since = profile.has("read_order_statuses_changed")

    def __repr__(self) -> str:
        return f"<ProfiledErpDatabase profile={self.profile.name} {self.connection!r}>"

    # -- plumbing --------------------------------------------------------------------------------

    def _fail(self, statement: str, exc: BaseException) -> ErpError:
        return ErpError(f"{self.profile.name} profile, statements.{statement} failed on "
                        f"{self.connection.server_info()}: {error_text(exc)}")

    def _execute(self, cursor: Any, statement: str, values: Mapping[str, Any]) -> None:
        for stmt in self.profile.statement(statement):
            params = self.connection.adapt_all(stmt.bind(values))
            if params:
                cursor.execute(stmt.text, params)
            else:
                cursor.execute(stmt.text)

    def _rows(self, statement: str, values: Mapping[str, Any] | None = None
              ) -> Iterator[tuple[_Columns, Sequence[Any]]]:
        """Stream the rows of a reading statement, FETCH_SIZE at a time; ends the read transaction."""
        conn = self.connection
        try:
            cursor = conn.cursor()
        except conn.errors as exc:
            raise self._fail(statement, exc) from exc
        try:
            try:
                self._execute(cursor, statement, values or {})
                if cursor.description is None:
                    raise ConfigError(f"{statement} returned no result set (it must be a SELECT)",
                                      path=self.profile.path, key=f"statements.{statement}",
                                      line=self.profile.lines.get(statement))
                columns = _Columns(cursor.description, statement, self.profile)
                rows = cursor.fetchmany(FETCH_SIZE)
            except conn.errors as exc:
                raise self._fail(statement, exc) from exc
            while rows:
                for row in rows:
                    yield columns, row
                try:
                    rows = cursor.fetchmany(FETCH_SIZE)
                except conn.errors as exc:
                    raise self._fail(statement, exc) from exc
        finally:
            with contextlib.suppress(Exception):
                cursor.close()
            conn.end_read()

    def _value(self, cursor: Any, statement: str, values: Mapping[str, Any]) -> Any:
        """First column of the first row of a finder, or None. Runs inside the caller's transaction."""
        self._execute(cursor, statement, values)
        row = cursor.fetchone()
        if row is not None:
            while cursor.fetchone() is not None:  # drain: some drivers keep a result set pending otherwise
                pass
        return None if row is None else row[0]

    def _read_value(self, statement: str, values: Mapping[str, Any]) -> Any:
        conn = self.connection
        cursor = None
        try:
            cursor = conn.cursor()
            return self._value(cursor, statement, values)
        except conn.errors as exc:
            raise self._fail(statement, exc) from exc
        finally:
            if cursor is not None:
                with contextlib.suppress(Exception):
                    cursor.close()
            conn.end_read()

    # -- ErpConnector ----------------------------------------------------------------------------

    def _probe(self, statement: str, values: Mapping[str, Any]) -> None:
        """Run a reading statement, check its columns on the first row, close the cursor."""
        rows = self._rows(statement, values)
        try:
            next(rows, None)
        finally:
            rows.close()

    def test_connection(self) -> str:
        """Runs every reading statement of the profile (first row only, checking its columns) and the
        finders with values that match nothing: a wrong table or column shows up here, not mid-run."""
        changed = {"changed_since": datetime(2000, 1, 1, tzinfo=UTC)}
        probe = "\x01trayapp-probe"
        for name in ("read_products", "read_products_changed", "product_labels", "read_stock",
                     "read_order_statuses", "read_order_statuses_changed"):
            if self.profile.has(name):
                self._probe(name, changed)
        if self.profile.has("find_product"):
            self._probe("find_product", {"sku": probe})
        finders = {"find_order": {"external_ref": probe}, "find_product_key": {"sku": probe},
                   "find_customer": {"email": "probe@invalid.invalid", "customer_ref": probe}}
        for name, values in finders.items():
            if self.profile.has(name):
                self._read_value(name, values)
        operations = ", ".join(self.profile.operations)
        return f"{self.connection.server_info()}, profile {self.profile.name} ({operations})"

    def _labels(self) -> dict[str, frozenset[str]]:
        if not self.profile.has("product_labels"):
            return {}
        labels: dict[str, set[str]] = {}
        for columns, row in self._rows("product_labels"):
            sku = to_text(columns.get(row, "sku")).strip()
            label = to_text(columns.get(row, "label")).strip()
            if sku and label:
                labels.setdefault(sku, set()).add(label)
        return {sku: frozenset(values) for sku, values in labels.items()}

    def _product(self, columns: _Columns, row: Sequence[Any], row_no: int,
                 labels: Mapping[str, frozenset[str]]) -> Product | BadRecord:
        sku = to_text(columns.get(row, "sku")).strip()
        if not sku:
            return BadRecord(f"row {row_no}", "empty SKU")
        try:
            categories = split_categories(columns.get(row, "categories"))
            category = to_text(columns.get(row, "category")).strip()
            if category and category not in categories:
                categories = (category, *categories)
            parent = to_text(columns.get(row, "parent_sku")).strip()
            return Product(
                sku=sku,
                name=to_text(columns.get(row, "name")).strip(),
                price=_decimal(columns.get(row, "price"), "price"),
                sale_price=_decimal(columns.get(row, "sale_price"), "sale_price"),
                description=to_text(columns.get(row, "description")),
                short_description=to_text(columns.get(row, "short_description")),
                categories=categories,
                tax_class=to_text(columns.get(row, "tax_class")).strip(),
                weight=_decimal(columns.get(row, "weight"), "weight"),
                ean=to_text(columns.get(row, "ean")).strip(),
                active=_column(to_bool, columns.get(row, "active"), "active"),
                parent_sku=parent or None,
                labels=labels.get(sku, frozenset()),
                modified_at=_column(to_utc, columns.get(row, "modified_at"), "modified_at"),
            )
        except ValueError as exc:
            return BadRecord(sku, str(exc))

    def read_products(self, *, changed_since: datetime | None = None,
                      with_labels: bool = True) -> Iterator[Product | BadRecord]:
        use_changed = changed_since is not None and self.supports_products_changed_since
        statement = "read_products_changed" if use_changed else "read_products"
        self.profile.statement(statement)
        labels = self._labels() if with_labels else {}
        seen: set[str] = set()
        params = {"changed_since": changed_since} if use_changed else {}
        for row_no, (columns, row) in enumerate(self._rows(statement, params), start=1):
            record = self._product(columns, row, row_no, labels)
            if isinstance(record, Product):
                if record.sku in seen:
                    yield BadRecord(record.sku, f"SKU appears more than once in {statement}")
                    continue
                seen.add(record.sku)
            yield record

    def read_stock(self, *, with_labels: bool = True) -> Iterator[StockLevel | BadRecord]:
        self.profile.statement("read_stock")
        labels = self._labels() if with_labels else {}
        seen: set[str] = set()
        for row_no, (columns, row) in enumerate(self._rows("read_stock"), start=1):
            sku = to_text(columns.get(row, "sku")).strip()
            if not sku:
                yield BadRecord(f"row {row_no}", "empty SKU")
                continue
            if sku in seen:
                yield BadRecord(sku, "SKU appears more than once in read_stock (sum per SKU with GROUP BY)")
                continue
            seen.add(sku)
            try:
                on_hand = _decimal(columns.get(row, "on_hand"), "on_hand")
                reserved = _decimal(columns.get(row, "reserved"), "reserved")
            except ValueError as exc:
                yield BadRecord(sku, str(exc))
                continue
            yield StockLevel(sku=sku, on_hand=on_hand or Decimal(0), reserved=reserved or Decimal(0),
                             labels=labels.get(sku, frozenset()))

    def read_order_statuses(self, *, changed_since: datetime | None = None
                            ) -> Iterator[OrderStatus | BadRecord]:
        use_changed = changed_since is not None and self.supports_statuses_changed_since
        statement = "read_order_statuses_changed" if use_changed else "read_order_statuses"
        self.profile.statement(statement)
        params = {"changed_since": changed_since} if use_changed else {}
        for row_no, (columns, row) in enumerate(self._rows(statement, params), start=1):
            ref = to_text(columns.get(row, "external_ref")).strip()
            if not ref:
                continue  # an ERP order that did not come from a shop
            status = to_text(columns.get(row, "status")).strip()
            erp_key = to_text(columns.get(row, "erp_key")).strip()
            if not status:
                yield BadRecord(ref, f"empty status (row {row_no}, ERP key {erp_key or '?'})")
                continue
            try:
                changed_at = to_utc(columns.get(row, "changed_at"))
            except ValueError as exc:
                yield BadRecord(ref, f"changed_at: {exc}")
                continue
            yield OrderStatus(external_ref=ref, erp_status=status, erp_key=erp_key, changed_at=changed_at)

    def find_order(self, external_ref: str) -> str | None:
        key = self._read_value("find_order", {"external_ref": external_ref})
        return None if key is None else to_text(key)

    # -- orders ----------------------------------------------------------------------------------

    @staticmethod
    def _customer_values(order: Order) -> dict[str, Any]:
        customer = order.customer
        email = (customer.email or order.billing.email).strip()
        values: dict[str, Any] = {
            "email": email,
            "customer_ref": email.lower() if email else f"guest-{order.shop_id}",
            "external_ref": order.shop_id,
            "first_name": customer.first_name or order.billing.first_name,
            "last_name": customer.last_name or order.billing.last_name,
            "company": customer.company or order.billing.company,
            "phone": customer.phone or order.billing.phone,
            "tax_id": customer.tax_id,
            "shop_customer_id": customer.shop_customer_id,
            "now": datetime.now(UTC),
        }
        for prefix, address in (("billing", order.billing), ("shipping", order.shipping)):
            for name in address.__slots__:
                values[f"{prefix}_{name}"] = getattr(address, name)
        return values

    @staticmethod
    def _order_values(order: Order, customer: Mapping[str, Any], customer_key: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "external_ref": order.shop_id,
            "number": order.number,
            "status": order.status,
            "created_at": order.created_at,
            "modified_at": order.modified_at,
            "currency": order.currency,
            "total": order.total,
            "shipping_total": order.shipping_total,
            "tax_total": order.tax_total,
            "payment_method": order.payment_method,
            "customer_note": order.customer_note,
            "customer_key": customer_key,
            "customer_ref": customer["customer_ref"],
            "line_count": len(order.lines),
            "now": datetime.now(UTC),
            "shop_customer_id": order.customer.shop_customer_id,
        }
        for name in ("email", "first_name", "last_name", "company", "phone", "tax_id"):
            values[f"customer_{name}"] = customer[name]
        for prefix, address in (("billing", order.billing), ("shipping", order.shipping)):
            for name in address.__slots__:
                values[f"{prefix}_{name}"] = getattr(address, name)
        return values

    def _product_keys(self, cursor: Any, order: Order) -> dict[str, Any]:
        keys: dict[str, Any] = {}
        unknown: list[str] = []
        for line_no, line in enumerate(order.lines, start=1):
            sku = line.sku.strip()
            if not sku:
                raise RecordError(f"order {order.number} (shop id {order.shop_id}): line {line_no} "
                                  f"'{line.name}' has no SKU")
            if sku in keys or sku in unknown:
                continue
            key = self._value(cursor, "find_product_key", {"sku": sku})
            if key is None:
                unknown.append(sku)
            else:
                keys[sku] = key
        if unknown:
            listed = ", ".join(f"'{s}'" for s in unknown)
            raise RecordError(f"order {order.number} (shop id {order.shop_id}): unknown SKU {listed} "
                              "(no such product in the ERP)")
        return keys

    def _customer_key(self, cursor: Any, values: Mapping[str, Any]) -> Any:
        if not self.profile.has("insert_customer"):
            return None
        if values["email"]:
            key = self._value(cursor, "find_customer", values)
            if key is not None:
                return key
        self._execute(cursor, "insert_customer", values)
        key = self._value(cursor, "find_customer", values)
        if key is None:
            raise ErpError(f"{self.profile.name} profile: find_customer does not find the customer that "
                           f"insert_customer just wrote (customer_ref {values['customer_ref']!r}); "
                           "find_customer must match :customer_ref (guests have no e-mail)")
        return key

    def import_order(self, order: Order) -> tuple[str, bool]:
        """Customer + header + lines in ONE transaction, after checking the external reference in it.

        Returns (ERP key, created). A duplicate external reference written meanwhile by a concurrent
        writer is not an error: (its key, False). Data problems -> RecordError, others -> ErpError.
        """
        self.profile.require("import-orders")
        conn = self.connection
        label = f"order {order.number} (shop id {order.shop_id})"
        crash_point("erp-order-begin")
        cursor = None
        try:
            conn.begin()
            cursor = conn.cursor()
            existing = self._value(cursor, "find_order", {"external_ref": order.shop_id})
            if existing is not None:
                conn.rollback()
                return to_text(existing), False
            statuses = self.profile.order_statuses
            if statuses and order.status not in statuses:
                raise RecordError(f"{label}: status '{order.status}' is not an order status of this ERP "
                                  f"({', '.join(statuses)}); map the shop status in the integration's settings")
            product_keys = self._product_keys(cursor, order)
            customer = self._customer_values(order)
            customer_key = self._customer_key(cursor, customer)
            self._execute(cursor, "insert_order", self._order_values(order, customer, customer_key))
            crash_point("erp-order-header-written")
            order_key = self._value(cursor, "find_order", {"external_ref": order.shop_id})
            if order_key is None:
                raise ErpError(f"{self.profile.name} profile: find_order does not find the order that "
                               f"insert_order just wrote ({label}); insert_order must store :external_ref")
            for line_no, line in enumerate(order.lines, start=1):
                sku = line.sku.strip()
                self._execute(cursor, "insert_order_line", {
                    "order_key": order_key, "external_ref": order.shop_id, "line_no": line_no, "sku": sku,
                    "name": line.name, "quantity": line.quantity, "unit_price": line.unit_price,
                    "total": line.total, "tax": line.tax, "net_total": line.total - line.tax,
                    "product_key": product_keys[sku], "shop_line_id": line.shop_line_id,
                })
            crash_point("erp-order-before-commit")
            conn.commit()
        except (RecordError, ErpError, ConfigError):
            conn.rollback()
            raise
        except conn.errors as exc:
            conn.rollback()
            if is_duplicate_key(exc):
                key = self.find_order(order.shop_id)
                if key is not None:  # a concurrent writer imported it first
                    return key, False
                raise RecordError(f"{label}: the ERP refused it as a duplicate: {error_text(exc)}") from exc
            if is_data_error(exc):
                raise RecordError(f"{label}: the ERP refused it: {error_text(exc)}") from exc
            raise ErpError(f"{label}: {self.profile.name} profile failed on "
                           f"{conn.server_info()}: {error_text(exc)}") from exc
        except BaseException:
            conn.rollback()
            raise
        finally:
            if cursor is not None:
                with contextlib.suppress(Exception):
                    cursor.close()
        crash_point("erp-order-after-commit")
        return to_text(order_key), True

    # -- products (shop -> ERP) ------------------------------------------------------------------

    def find_product(self, sku: str) -> Product | None:
        for columns, row in self._rows("find_product", {"sku": sku}):
            record = self._product(columns, row, 1, {})
            if isinstance(record, BadRecord):
                raise RecordError(f"product {sku}: ERP row cannot be read: {record.reason}")
            return record
        return None

    def _product_values(self, product: Product) -> dict[str, Any]:
        return {
            "sku": product.sku, "name": product.name, "price": product.price, "sale_price": product.sale_price,
            "description": product.description, "short_description": product.short_description,
            "categories": CATEGORY_SEPARATOR.join(product.categories),
            "category": product.categories[0] if product.categories else "",
            "tax_class": product.tax_class, "weight": product.weight, "ean": product.ean,
            "active": product.active, "parent_sku": product.parent_sku,
            "modified_at": datetime.now(UTC),
        }

    def _write_product(self, statement: str, product: Product) -> None:
        self.profile.require("import-products")
        conn = self.connection
        cursor = None
        try:
            conn.begin()
            cursor = conn.cursor()
            self._execute(cursor, statement, self._product_values(product))
            conn.commit()
        except conn.errors as exc:
            conn.rollback()
            if is_data_error(exc):
                raise RecordError(f"product {product.sku}: the ERP refused {statement}: {error_text(exc)}") from exc
            raise self._fail(statement, exc) from exc
        except BaseException:
            conn.rollback()
            raise
        finally:
            if cursor is not None:
                with contextlib.suppress(Exception):
                    cursor.close()

    def insert_product(self, product: Product) -> None:
        self._write_product("insert_product", product)

    def update_product(self, product: Product) -> None:
        self._write_product("update_product", product)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> ProfiledErpDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_erp(connection_string: str, profile_name_or_path: str | Path | Profile, *,
             password: str | None = None) -> ProfiledErpDatabase:
    """Load the profile (ConfigError first, before any connection attempt), then connect."""
    profile = profile_name_or_path if isinstance(profile_name_or_path, Profile) \
        else load_profile(profile_name_or_path)
    return ProfiledErpDatabase(open_connection(connection_string, password=password), profile)


def _main(argv: Sequence[str] | None = None) -> int:
    """`python -m trayapp.erp.database CONNECTION PROFILE`: check a profile against a database, read-only.

    For integrators writing a profile: runs test_connection, then reads everything once and prints
    counts and the first bad records. The password for a `{password}` placeholder comes from
    $TRAYAPP_ERP_PASSWORD or is asked for.
    """
    import argparse
    import getpass
    import os
    import sys

    parser = argparse.ArgumentParser(prog="python -m trayapp.erp.database", description=_main.__doc__)
    parser.add_argument("connection", help="'sqlite:///path.db' or an ODBC connection string")
    parser.add_argument("profile", help="profile name or path to a .toml file")
    parser.add_argument("--show", type=int, default=3, metavar="N", help="print the first N records of each kind")
    args = parser.parse_args(argv)
    password = os.environ.get("TRAYAPP_ERP_PASSWORD")
    if password is None and "{password}" in args.connection and sys.stdin.isatty():
        password = getpass.getpass("ERP database password: ")
    try:
        with open_erp(args.connection, args.profile, password=password) as erp:
            print(erp.test_connection())
            readers: list[tuple[str, Any]] = []
            if erp.profile.has("read_products"):
                readers.append(("products", erp.read_products))
            if erp.profile.has("read_stock"):
                readers.append(("stock levels", erp.read_stock))
            if erp.profile.has("read_order_statuses"):
                readers.append(("order statuses", erp.read_order_statuses))
            for title, reader in readers:
                good = bad = 0
                for record in reader():
                    if isinstance(record, BadRecord):
                        bad += 1
                        if bad <= args.show:
                            print(f"  bad: {record.key}: {record.reason}")
                    else:
                        good += 1
                        if good <= args.show:
                            print(f"  {record}")
                print(f"{title}: {good} read, {bad} bad")
    except (ConfigError, ErpError, RecordError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())

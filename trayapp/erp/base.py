"""The ERP side's interface, driven by a profile (named SQL statements, see docs/profiles.md).

Readers yield canonical records or `BadRecord` (one bad row never stops a run). Writers of one
record run in one ERP transaction: committed whole or rolled back whole. Data problems in one record
raise `RecordError`; connection or schema problems raise `ErpError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

from trayapp.model import BadRecord, Order, OrderStatus, Product, StockLevel


@runtime_checkable
class ErpConnector(Protocol):
    supports_products_changed_since: bool  # the profile has a "changed since" products statement
    supports_statuses_changed_since: bool

    def test_connection(self) -> str:
        """A one-line description on success ("SQLite 3.40, demo profile"); raises ErpError otherwise."""

    def read_products(self, *, changed_since: datetime | None = None,
                      with_labels: bool = True) -> Iterator[Product | BadRecord]:
        """Products, with labels filled in when asked (reading them costs a query over all labels).
        changed_since is honoured only when supported."""

    def read_stock(self, *, with_labels: bool = True) -> Iterator[StockLevel | BadRecord]:
        """Stock of every SKU, with labels filled in when asked. Always a full read: ERPs change stock
        without touching timestamps."""

    def read_order_statuses(self, *, changed_since: datetime | None = None) -> Iterator[OrderStatus | BadRecord]:
        """Statuses of ERP orders that came from the shop (those with an external reference)."""

    def find_order(self, external_ref: str) -> str | None:
        """ERP key of the order carrying this external reference (shop order id), or None."""

    def import_order(self, order: Order) -> tuple[str, bool]:
        """Write customer + header (external reference = order.shop_id) + lines in ONE transaction,
        after checking the external reference inside that transaction. Returns (ERP key, created);
        created is False when the order was already there (nothing written)."""

    def find_product(self, sku: str) -> Product | None: ...

    def insert_product(self, product: Product) -> None:
        """Create the product (own transaction)."""

    def update_product(self, product: Product) -> None:
        """Overwrite the product's synchronised fields (own transaction)."""

    def close(self) -> None: ...

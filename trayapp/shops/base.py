"""The shop side's interface. One implementation per platform (woocommerce.py, later prestashop.py,
shopify.py); operations only talk to this protocol.

Conventions every connector follows:
- A *shop ref* is the connector's own opaque string for a product or variation (WooCommerce uses
  "123" for a product and "45:123" for variation 123 of product 45). The engine stores it in
  bindings and hands it back, never parses it.
- Readers yield canonical records, or `BadRecord` for one the connector cannot map: one bad record
  never stops the iteration.
- Writers batch internally (at most `batch_size` objects per request) and return one `ItemResult`
  per input record, in input order; a record the shop rejected is an `ItemResult(ok=False)`.
- Whole-run failures (unreachable, authentication, malformed answers after retries) raise
  `ConnectionFailure` / `ShopError`.
- Datetimes in and out are aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from trayapp.model import BadRecord, ItemResult, Order, Product


@dataclass(frozen=True, slots=True)
class ShopSettings:
    platform: str
    url: str  # shop base URL, e.g. https://shop.example.com
    key: str | None = None  # API key / consumer key (from the keyring)
    secret: str | None = None  # API secret / consumer secret (from the keyring)
    timeout: float = 60.0  # seconds per request (connect and read)
    requests_per_second: float = 10.0  # per-shop throttle, shared by every connector of this URL
    batch_size: int = 100  # objects per batch write; capped at the platform's maximum
    retries: int = 5  # attempts after the first on 5xx/429/timeouts/resets
    backoff_factor: float = 0.5  # seconds; doubles per retry
    allow_insecure_http: bool = False  # plain HTTP to a non-loopback host


@dataclass(frozen=True, slots=True)
class StockUpdate:
    sku: str
    shop_ref: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ProductUpdate:
    shop_ref: str
    product: Product
    fields: tuple[str, ...]  # which of model.PRODUCT_FIELDS to send


@runtime_checkable
class ShopConnector(Protocol):
    platform: str
    max_batch_size: int  # platform limit of objects per batch request
    max_page_size: int  # platform limit of records per list page

    def test_connection(self) -> str:
        """A one-line description of the shop on success ("WooCommerce 8.9 at ..."); raises otherwise."""

    def iter_orders(self, *, modified_after: datetime | None = None, statuses: Sequence[str] = (),
                    ids: Sequence[str] | None = None) -> Iterator[Order | BadRecord]:
        """Orders in the given statuses (all when empty) modified after the instant, oldest id first;
        or exactly the orders with these ids (statuses still apply)."""

    def update_order_statuses(self, updates: Sequence[tuple[str, str]]) -> list[ItemResult]:
        """(shop order id, shop status) pairs; ItemResult.key is the order id."""

    def iter_products(self, *, modified_after: datetime | None = None,
                      skus: Sequence[str] | None = None) -> Iterator[Product | BadRecord]:
        """Products (and variations, with parent_sku set) modified after the instant, or with these SKUs.
        Each carries shop_ref and modified_at."""

    def find_products(self, skus: Iterable[str]) -> dict[str, str]:
        """SKU -> shop ref for those of the SKUs that exist in the shop (products and variations)."""

    def create_products(self, products: Sequence[Product]) -> list[ItemResult]:
        """Create products; ItemResult.key is the SKU, shop_ref the new id."""

    def update_products(self, updates: Sequence[ProductUpdate]) -> list[ItemResult]:
        """Update only the listed fields of existing products; ItemResult.key is the SKU."""

    def set_stock(self, updates: Sequence[StockUpdate]) -> list[ItemResult]:
        """Set managed stock quantities (and stock status); ItemResult.key is the SKU."""

    def close(self) -> None: ...

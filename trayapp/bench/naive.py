"""The naive baseline: the same logical work as trayapp's operations, done one record at a time.

This is what a first script against the WooCommerce REST API usually looks like, and what the benchmark
compares trayapp with. It is correct (same payloads, same results in the shop and the ERP), but:

- one HTTP request per record: `GET /products?sku=X` to find the product, then one `PUT` (update) or
  `POST` (create) for it; stock likewise (GET by SKU, then PUT the quantity);
- no batching (WooCommerce's `/batch` endpoints are not used);
- no change detection and no local state: every run sends every product and every stock level;
- orders: the shop's orders are listed page by page (WooCommerce's default page size), and for each
  one the ERP is asked for the external reference (`find_order`) and the order inserted when missing.

It uses `requests` directly (one keep-alive Session, no throttle, no retries) and trayapp's ERP
connector (`open_erp`, profile "demo"); the WooCommerce order JSON is read with trayapp's `map_order`,
so both sides insert identical ERP orders.

Each function can stop after `limit` records (the rest is read from the ERP and counted, not sent) so a
caller can extrapolate; the time returned is the time up to that point.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import requests

from trayapp.config import DEFAULT_STATUS_TO_ERP
from trayapp.erp.database import open_erp
from trayapp.model import BadRecord, Product, decimal_text
from trayapp.shops.woocommerce import map_order

API_PREFIX = "/wp-json/wc/v3"


@dataclass(slots=True)
class NaiveResult:
    task: str
    processed: int = 0  # records handled (sent / imported / checked)
    total: int = 0  # records there were (processed + those left out by the limit)
    seconds: float = 0.0  # wall time for the processed records
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def limited(self) -> bool:
        return self.processed < self.total

    def as_dict(self) -> dict[str, Any]:
        return {"task": self.task, "processed": self.processed, "total": self.total,
                "seconds": round(self.seconds, 4), "limited": self.limited, "created": self.created,
                "updated": self.updated, "skipped": self.skipped, "failed": self.failed,
                "failures": self.failures[:10]}


class NaiveShop:
    """Plain requests against the WooCommerce REST API v3."""

    def __init__(self, url: str, timeout: float = 120.0) -> None:
        self.api = url.rstrip("/") + API_PREFIX
        self.timeout = timeout
        self.session = requests.Session()

    def close(self) -> None:
        self.session.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.api}/{path}", timeout=self.timeout, **kwargs)
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"{method} {path}: HTTP {response.status_code}: {response.text[:200]}")
        return response.json()

    def find(self, sku: str) -> dict[str, Any] | None:
        """The product or variation with this SKU (one GET)."""
        wanted = sku.strip().casefold()
        for raw in self._call("GET", "products", params={"sku": sku, "status": "any"}):
            if str(raw.get("sku") or "").strip().casefold() == wanted:
                return raw
        return None

    def categories(self) -> dict[str, int]:
        """Category name (case-folded) -> id, every page."""
        out: dict[str, int] = {}
        page = 1
        while True:
            items = self._call("GET", "products/categories", params={"per_page": 100, "page": page})
            for item in items:
                out.setdefault(html.unescape(item["name"]).casefold(), int(item["id"]))
            if len(items) < 100:
                return out
            page += 1

    def create_category(self, name: str) -> int:
        response = self.session.post(f"{self.api}/products/categories", json={"name": name}, timeout=self.timeout)
        data = response.json()
        if response.status_code == 400 and data.get("code") == "term_exists":
            return int(data["data"]["resource_id"])
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"POST products/categories: HTTP {response.status_code}: {response.text[:200]}")
        return int(data["id"])

    def save(self, existing: dict[str, Any] | None, payload: dict[str, Any], parent_id: int | None) -> str:
        """PUT the existing product/variation, or POST a new one (under parent_id for a variation)."""
        if existing is not None:
            if existing.get("type") == "variation":
                self._call("PUT", f"products/{existing['parent_id']}/variations/{existing['id']}", json=payload)
            else:
                self._call("PUT", f"products/{existing['id']}", json=payload)
            return "updated"
        if parent_id is not None:
            self._call("POST", f"products/{parent_id}/variations", json=payload)
        else:
            self._call("POST", "products", json=payload)
        return "created"

    def orders(self, statuses: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        """Every order in these statuses, page by page (WooCommerce's default page size)."""
        page = 1
        while True:
            response = self.session.get(f"{self.api}/orders", timeout=self.timeout,
                                        params={"status": ",".join(statuses), "orderby": "id", "order": "asc",
                                                "page": page})
            if response.status_code != 200:
                raise RuntimeError(f"GET orders: HTTP {response.status_code}: {response.text[:200]}")
            yield from response.json()
            if page >= int(response.headers.get("X-WP-TotalPages", "0") or 0):
                return
            page += 1


def product_payload(product: Product, variation: bool, category_ids: list[int]) -> dict[str, Any]:
    """Everything trayapp writes for a product, every time."""
    out: dict[str, Any] = {
        "sku": product.sku,
        "regular_price": decimal_text(product.price),
        "sale_price": decimal_text(product.sale_price),
        "description": product.description,
        "tax_class": product.tax_class,
        "weight": decimal_text(product.weight),
        "global_unique_id": product.ean,
        "status": "publish" if product.active else ("private" if variation else "draft"),
    }
    if not variation:
        out.update(type="simple", name=product.name, short_description=product.short_description,
                   categories=[{"id": cid} for cid in category_ids])
    return out


def _limit_reached(result: NaiveResult, limit: int | None) -> bool:
    return limit is not None and result.processed >= limit


def export_products(erp_connection: str, shop_url: str, *, limit: int | None = None,
                    profile: str = "demo") -> NaiveResult:
    """Every ERP product to the shop: GET by SKU, then PUT or POST. Categories are looked up once (and
    created when missing), a variation's parent by one more GET by SKU."""
    result = NaiveResult("export-products")
    start = time.perf_counter()
    shop = NaiveShop(shop_url)
    try:
        with open_erp(erp_connection, profile) as erp:
            categories = shop.categories()
            for product in erp.read_products():
                if isinstance(product, BadRecord):
                    result.failed += 1
                    result.failures.append(f"{product.key}: {product.reason}")
                    continue
                result.total += 1
                if _limit_reached(result, limit):
                    continue
                variation = product.parent_sku is not None
                ids = []
                if not variation:
                    for name in product.categories:
                        if name.casefold() not in categories:
                            categories[name.casefold()] = shop.create_category(name)
                        ids.append(categories[name.casefold()])
                existing = shop.find(product.sku)
                parent_id = None
                if existing is None and variation:
                    parent = shop.find(product.parent_sku or "")
                    if parent is None:
                        result.failed += 1
                        result.failures.append(f"{product.sku}: parent {product.parent_sku} is not in the shop")
                        result.processed += 1
                        continue
                    parent_id = int(parent["id"])
                outcome = shop.save(existing, product_payload(product, variation, ids), parent_id)
                result.created += outcome == "created"
                result.updated += outcome == "updated"
                result.processed += 1
                if _limit_reached(result, limit):
                    result.seconds = time.perf_counter() - start
    finally:
        shop.close()
    if not result.limited:
        result.seconds = time.perf_counter() - start
    return result


def update_stock(erp_connection: str, shop_url: str, *, limit: int | None = None, profile: str = "demo",
                 buffer: int = 0) -> NaiveResult:
    """Every ERP stock level to the shop: GET by SKU, then PUT the available quantity."""
    result = NaiveResult("update-stock")
    start = time.perf_counter()
    shop = NaiveShop(shop_url)
    try:
        with open_erp(erp_connection, profile) as erp:
            for level in erp.read_stock():
                if isinstance(level, BadRecord):
                    result.failed += 1
                    result.failures.append(f"{level.key}: {level.reason}")
                    continue
                result.total += 1
                if _limit_reached(result, limit):
                    continue
                quantity = level.available(buffer)
                payload = {"manage_stock": True, "stock_quantity": quantity,
                           "stock_status": "instock" if quantity > 0 else "outofstock"}
                existing = shop.find(level.sku)
                if existing is None:
                    result.skipped += 1  # not in the shop
                else:
                    shop.save(existing, payload, None)
                    result.updated += 1
                result.processed += 1
                if _limit_reached(result, limit):
                    result.seconds = time.perf_counter() - start
    finally:
        shop.close()
    if not result.limited:
        result.seconds = time.perf_counter() - start
    return result


def import_orders(erp_connection: str, shop_url: str, *, limit: int | None = None, profile: str = "demo",
                  statuses: tuple[str, ...] = ("processing", "on-hold")) -> NaiveResult:
    """Every shop order in these statuses: ask the ERP for its external reference, insert it when missing."""
    result = NaiveResult("import-orders")
    start = time.perf_counter()
    shop = NaiveShop(shop_url)
    try:
        with open_erp(erp_connection, profile) as erp:
            for raw in shop.orders(statuses):
                result.total += 1
                if _limit_reached(result, limit):
                    continue
                order = map_order(raw)
                if erp.find_order(order.shop_id) is not None:
                    result.skipped += 1
                else:
                    status = DEFAULT_STATUS_TO_ERP.get(order.status, order.status)
                    _key, created = erp.import_order(replace(order, status=status))
                    result.created += created
                    result.skipped += not created
                result.processed += 1
                if _limit_reached(result, limit):
                    result.seconds = time.perf_counter() - start
    finally:
        shop.close()
    if not result.limited:
        result.seconds = time.perf_counter() - start
    return result


TASKS = {"export-products": export_products, "update-stock": update_stock, "import-orders": import_orders}

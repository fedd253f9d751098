"""WooCommerce REST API v3 connector (`<shop>/wp-json/wc/v3/`).

Platform facts this code relies on (checked against WooCommerce's source, see docs/field-notes.md):
- Auth: HTTPS -> HTTP Basic with the consumer key/secret. Plain HTTP -> OAuth 1.0a one-legged,
  parameters in the query string; WooCommerce stores every nonce, so each attempt is signed afresh
  (see `http.SigningAdapter`).
- Lists page with `page`/`per_page` (max 100) and `X-WP-TotalPages`. Date filters compare in the
  site's local time unless `dates_are_gmt=true`; and WordPress converts a filter value that carries a
  zone ("Z", "+00:00") into *site local* wall time before comparing, even against the GMT column.
  So we send the UTC wall time without a zone suffix together with `dates_are_gmt=true`.
- `GET /products?sku=a,b` matches products *and* variations (WooCommerce switches the query to both
  post types when `sku` is given); SKUs compare case-insensitively (MySQL collation).
- Batch endpoints take at most 100 objects and answer 200 with a per-item `error`; a batch update of
  an order with an unknown status silently stores "pending", so applied statuses are verified.
- Variations can only be written through `/products/<parent>/variations[/batch]`.
- Names come back HTML-escaped ("A &amp; B"); categories are written by id, not by name.

Shop refs: "123" for a product, "45:123" for variation 123 of product 45.
"""

from __future__ import annotations

import html
import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import requests

from trayapp.errors import ConfigError, ShopError
from trayapp.model import (
    PRODUCT_FIELDS,
    Address,
    BadRecord,
    Customer,
    ItemResult,
    Order,
    OrderLine,
    Product,
    decimal_text,
    to_decimal,
    utc,
)
from trayapp.shops.base import ProductUpdate, ShopSettings, StockUpdate
from trayapp.shops.http import (
    DEFAULT_MAX_RETRY_AFTER,
    RETRY_STATUSES,
    chunked,
    make_session,
    redact,
    safe_url,
)

log = logging.getLogger(__name__)

API_PREFIX = "/wp-json/wc/v3"
MAX_BATCH = 100
MAX_PAGE = 100
SKU_CHUNK = 50  # SKUs per `sku=` lookup (keeps URLs short)
SKU_CHUNK_CHARS = 1500
DUPLICATE_SKU_CODES = frozenset({"product_invalid_sku", "woocommerce_rest_product_not_created"})
ORDER_FIELDS = ",".join((
    "id", "number", "status", "currency", "date_created_gmt", "date_modified_gmt", "total", "total_tax",
    "shipping_total", "payment_method", "customer_id", "customer_note", "billing", "shipping", "line_items",
))
PRODUCT_LIST_FIELDS = ",".join((
    "id", "parent_id", "type", "status", "sku", "name", "regular_price", "sale_price", "description",
    "short_description", "categories", "tax_class", "weight", "global_unique_id", "date_modified_gmt",
))
VARIATION_FIELDS = ",".join((
    "id", "parent_id", "status", "sku", "name", "regular_price", "sale_price", "description", "tax_class",
    "weight", "global_unique_id", "date_modified_gmt",
))
ADDRESS_FIELDS = ("first_name", "last_name", "company", "address_1", "address_2", "city", "postcode",
                  "country", "state", "email", "phone")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class _ItemError:
    code: str
    message: str


class _ItemFailure(Exception):
    """One record cannot be sent (e.g. its category cannot be created); the batch goes on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_ref(shop_ref: str) -> tuple[int | None, int]:
    """'123' -> (None, 123); '45:123' -> (45, 123). Raises ValueError for anything else."""
    text = str(shop_ref).strip()
    parent_text, sep, own = text.partition(":")
    if sep:
        parent, oid = int(parent_text), int(own)
        if parent <= 0 or oid <= 0:
            raise ValueError(shop_ref)
        return parent, oid
    oid = int(text)
    if oid <= 0:
        raise ValueError(shop_ref)
    return None, oid


def make_ref(raw: dict[str, Any]) -> str:
    parent = _int_or_zero(raw.get("parent_id"))
    if raw.get("type") == "variation" and parent:
        return f"{parent}:{int(raw['id'])}"
    return str(int(raw["id"]))


def wc_date(value: datetime) -> str:
    """UTC wall time without zone suffix, seconds precision (send with dates_are_gmt=true; see module doc)."""
    return utc(value).replace(tzinfo=None, microsecond=0).isoformat()


def parse_gmt(value: Any) -> datetime:
    """A WooCommerce `*_gmt` field ("2026-11-21T10:15:00", no zone: it is UTC) as aware UTC."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"missing or invalid GMT date {value!r}")
    return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


def _order_id(value: Any) -> int:
    parent, oid = parse_ref(str(value))
    if parent is not None:
        raise ValueError(value)
    return oid


def _int_or_zero(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _money(value: Any, what: str, *, required: bool = True) -> Decimal:
    amount = to_decimal(value)
    if amount is None:
        if required:
            raise ValueError(f"{what} is missing")
        return Decimal(0)
    return amount


def _item_error(answer: Any) -> _ItemError | None:
    if not isinstance(answer, dict):
        return _ItemError("invalid_response", "the shop's batch answer for this item is not an object")
    error = answer.get("error")
    if not error:
        return None
    if isinstance(error, dict):
        return _ItemError(_text(error.get("code")) or "error", _text(error.get("message")) or "rejected")
    return _ItemError("error", _text(error))


class WooCommerceConnector:
    """ShopConnector for WooCommerce (see trayapp.shops.base for the contract)."""

    platform = "woocommerce"
    max_batch_size = MAX_BATCH
    max_page_size = MAX_PAGE

    def __init__(self, settings: ShopSettings, *, page_size: int = MAX_PAGE,
                 max_retry_after: float = DEFAULT_MAX_RETRY_AFTER, malformed_retries: int = 2) -> None:
        if (settings.key is None) != (settings.secret is None) or settings.key == "" or settings.secret == "":
            raise ConfigError("Set both the consumer key and the consumer secret (or neither, for an open "
                              "demo shop)", key="key")
        self.settings = settings
        self.page_size = max(1, min(int(page_size), MAX_PAGE))
        self.batch_size = max(1, min(int(settings.batch_size), MAX_BATCH))
        self.malformed_retries = max(0, int(malformed_retries))
        self.auth_mode = "none"
        sign = None
        if settings.key is not None and settings.secret is not None:
            if settings.url.strip().lower().startswith("https://"):
                self.auth_mode = "basic"
            else:
                self.auth_mode = "oauth1"
                sign = _oauth_signer(settings.key, settings.secret)
        self._session = make_session(settings, max_retry_after=max_retry_after, sign=sign)
        if self.auth_mode == "basic":
            self._session.auth = (settings.key or "", settings.secret or "")
        self.base_url = self._session.base_url
        self.api_url = self.base_url + API_PREFIX
        self.request_counts = self._session.request_counts
        self._categories: dict[str, int] | None = None

    # ---------------------------------------------------------------------------------------------
    # HTTP plumbing

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> WooCommerceConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                 body: Any = None) -> requests.Response:
        url = f"{self.api_url}/{path.lstrip('/')}"
        log.debug("%s %s", method, safe_url(url))
        return self._session.request(method, url, params=params, json=body)

    def _error(self, response: requests.Response, method: str, path: str) -> ShopError:
        status = response.status_code
        code, message = "", ""
        try:
            data = json.loads(response.content.decode("utf-8-sig") or "null")
        except ValueError:
            data = None
        if isinstance(data, dict):
            code, message = _text(data.get("code")), _text(data.get("message"))
        where = f"{method} {API_PREFIX}/{path.lstrip('/')}"
        said = f" ({code}: {message})" if code or message else ""
        if status == 401:
            hint = "check the consumer key and secret"
            lowered = message.lower()
            if "timestamp" in lowered:
                hint = "check this computer's clock (OAuth signatures are only valid for 15 minutes)"
            elif "signature" in lowered:
                hint = ("check the consumer key and secret, and that the shop URL is exactly the site "
                        "address configured in WordPress (OAuth signs the URL)")
            elif "permission" in lowered:
                hint = "give the API key Read/Write permissions in WooCommerce > Settings > Advanced > REST API"
            text = f"The shop refused the API key (HTTP 401{said}): {hint}"
        elif status == 403:
            text = (f"The shop forbids {where} (HTTP 403{said}); check the key's user and permissions, or a "
                    "firewall/security plugin in front of the shop")
        elif status == 404 and code in ("", "rest_no_route"):
            text = (f"The shop has no WooCommerce REST API at {safe_url(self.api_url)} (HTTP 404{said}): is "
                    "WooCommerce active, and are WordPress permalinks enabled?")
        elif 300 <= status < 400:
            location = safe_url(response.headers.get("Location", "")) or "another address"
            text = f"The shop redirects {where} to {location}; enter that address as the shop URL"
        elif status in RETRY_STATUSES:
            text = (f"The shop answered {where} with HTTP {status}{said} after "
                    f"{self._session.retries} retries; try again later")
        else:
            text = f"The shop rejected {where}: HTTP {status}{said}"
        return ShopError(redact(text), status=status, code=code)

    def _check(self, response: requests.Response, method: str, path: str) -> None:
        if not 200 <= response.status_code < 300:
            raise self._error(response, method, path)

    @staticmethod
    def _decode(response: requests.Response) -> Any:
        return json.loads(response.content.decode("utf-8-sig"))

    def _malformed(self, response: requests.Response, method: str, path: str, attempts: int) -> ShopError:
        start = response.content[:80].decode("utf-8", "replace").replace("\n", " ")
        times = f" {attempts} times" if attempts > 1 else ""
        return ShopError(redact(f"The shop answered {method} {API_PREFIX}/{path} with malformed JSON{times} "
                                f"(starts with {start!r}; a PHP notice or a plugin printing output?)"),
                         status=response.status_code, code="malformed_json")

    def _get(self, path: str, params: dict[str, Any] | None = None) -> tuple[Any, requests.Response]:
        """GET and decode; a malformed body is fetched again a couple of times, then ShopError."""
        attempts = self.malformed_retries + 1
        for attempt in range(1, attempts + 1):
            response = self._request("GET", path, params=params)
            self._check(response, "GET", path)
            try:
                return self._decode(response), response
            except ValueError:
                log.warning("Malformed JSON from GET %s%s (attempt %d of %d)", API_PREFIX, "/" + path,
                            attempt, attempts)
                if attempt == attempts:
                    raise self._malformed(response, "GET", path, attempts) from None
                time.sleep(self.settings.backoff_factor * (2 ** (attempt - 1)))
        raise AssertionError("unreachable")

    def _post(self, path: str, body: Any) -> tuple[Any, requests.Response]:
        response = self._request("POST", path, body=body)
        self._check(response, "POST", path)
        try:
            return self._decode(response), response
        except ValueError:
            # Not repeated here: the write may have been applied. The run fails; the next one re-sends
            # (all our writes are idempotent or converge on the SKU).
            raise self._malformed(response, "POST", path, 1) from None

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[Any]:
        query = dict(params)
        query["per_page"] = self.page_size
        page = 1
        while True:
            query["page"] = page
            data, response = self._get(path, query)
            if not isinstance(data, list):
                raise ShopError(f"The shop answered GET {API_PREFIX}/{path} with {type(data).__name__} "
                                "instead of a list", status=response.status_code, code="invalid_response")
            yield from data
            try:
                total_pages = int(response.headers.get("X-WP-TotalPages", ""))
            except ValueError:
                total_pages = -1
            if not data:
                return
            if total_pages >= 0:
                if page >= total_pages:
                    return
            elif len(data) < self.page_size:
                return
            page += 1

    # ---------------------------------------------------------------------------------------------
    # Connection test

    def test_connection(self) -> str:
        response = self._request("GET", "system_status", params={"_fields": "environment"})
        version = ""
        if response.status_code in (403, 404):
            # Keys of users without manage_woocommerce, or hosts that block system_status: a cheap list.
            self._get("products", {"per_page": 1, "_fields": "id"})
        else:
            self._check(response, "GET", "system_status")
            try:
                data = self._decode(response)
            except ValueError:
                raise self._malformed(response, "GET", "system_status", 1) from None
            environment = data.get("environment") if isinstance(data, dict) else None
            if isinstance(environment, dict):
                version = _text(environment.get("version"))
            # system_status needs no product permission: prove the key can read the catalogue too.
            self._get("products", {"per_page": 1, "_fields": "id"})
        label = f"WooCommerce {version}" if version else "WooCommerce"
        return f"{label} at {safe_url(self.base_url)}"

    # ---------------------------------------------------------------------------------------------
    # Orders

    def iter_orders(self, *, modified_after: datetime | None = None, statuses: Sequence[str] = (),
                    ids: Sequence[str] | None = None) -> Iterator[Order | BadRecord]:
        params: dict[str, Any] = {
            "orderby": "id",
            "order": "asc",
            "_fields": ORDER_FIELDS,
            "status": ",".join(statuses) if statuses else "any",
        }
        if ids is not None:
            numbers: set[int] = set()
            for oid in ids:
                try:
                    numbers.add(_order_id(oid))
                except ValueError:
                    yield BadRecord(str(oid), "not a WooCommerce order id")
            for chunk in chunked(sorted(numbers), MAX_PAGE):
                query = dict(params, include=",".join(str(n) for n in chunk))
                yield from self._map_orders(self._pages("orders", query))
            return
        if modified_after is not None:
            params["modified_after"] = wc_date(modified_after)
            params["dates_are_gmt"] = "true"
        yield from self._map_orders(self._pages("orders", params))

    def _map_orders(self, raws: Iterable[Any]) -> Iterator[Order | BadRecord]:
        for raw in raws:
            try:
                yield map_order(raw)
            except (KeyError, ValueError, TypeError, ArithmeticError, AttributeError) as exc:
                key = str(raw.get("id", "?")) if isinstance(raw, dict) else "?"
                reason = f"cannot read order: {type(exc).__name__}: {exc}"
                log.warning("Order %s: %s", key, reason)
                yield BadRecord(key, reason)

    def update_order_statuses(self, updates: Sequence[tuple[str, str]]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(updates)
        entries: list[tuple[int, dict[str, Any]]] = []
        for index, (order_id, status) in enumerate(updates):
            try:
                oid = _order_id(order_id)
            except ValueError:
                results[index] = ItemResult(str(order_id), False, error="not a WooCommerce order id",
                                            code="invalid_id")
                continue
            entries.append((index, {"id": oid, "status": status}))
        answers = self._batch("orders/batch", "update", [payload for _, payload in entries])
        for (index, payload), answer in zip(entries, answers, strict=True):
            key = str(updates[index][0])
            error = _item_error(answer)
            if error is not None:
                results[index] = ItemResult(key, False, error=error.message, code=error.code)
                continue
            stored = answer.get("status") if isinstance(answer, dict) else None
            if stored is not None and stored != payload["status"]:
                results[index] = ItemResult(
                    key, False, code="status_not_applied",
                    error=f"the shop stored status '{stored}' instead of '{payload['status']}' "
                          "(is that status known to the shop?)")
                continue
            results[index] = ItemResult(key, True, shop_ref=str(payload["id"]))
        return [result for result in results if result is not None]

    # ---------------------------------------------------------------------------------------------
    # Products: reading

    def iter_products(self, *, modified_after: datetime | None = None,
                      skus: Sequence[str] | None = None) -> Iterator[Product | BadRecord]:
        if skus is not None:
            yield from self._products_by_sku(skus)
            return
        params: dict[str, Any] = {"orderby": "id", "order": "asc", "status": "any",
                                  "_fields": PRODUCT_LIST_FIELDS + ",variations"}
        if modified_after is not None:
            params["modified_after"] = wc_date(modified_after)
            params["dates_are_gmt"] = "true"
        modified_parents: set[int] = set()
        for raw in self._pages("products", params):
            yield self._map_product_safe(raw)
            if isinstance(raw, dict) and raw.get("type") == "variable":
                modified_parents.add(_int_or_zero(raw.get("id")))
                yield from self._variations(raw)
        if modified_after is None:
            return
        # A variation can change without its parent's date moving: ask every other variable product
        # for its variations modified in the window.
        parent_params = {"orderby": "id", "order": "asc", "status": "any", "type": "variable",
                         "_fields": "id,sku,name,categories"}
        for parent in self._pages("products", parent_params):
            if isinstance(parent, dict) and _int_or_zero(parent.get("id")) not in modified_parents:
                yield from self._variations(parent, modified_after)

    def _variations(self, parent: dict[str, Any],
                    modified_after: datetime | None = None) -> Iterator[Product | BadRecord]:
        parent_id = _int_or_zero(parent.get("id"))
        params: dict[str, Any] = {"orderby": "id", "order": "asc", "_fields": VARIATION_FIELDS}
        if modified_after is not None:
            params["modified_after"] = wc_date(modified_after)
            params["dates_are_gmt"] = "true"
        for raw in self._pages(f"products/{parent_id}/variations", params):
            if isinstance(raw, dict):
                raw = {**raw, "type": "variation", "parent_id": parent_id}
            yield self._map_product_safe(raw, parent)

    def _products_by_sku(self, skus: Sequence[str]) -> Iterator[Product | BadRecord]:
        wanted = _clean_skus(skus)
        raws = [raw for raw in self._lookup_skus(wanted, PRODUCT_LIST_FIELDS) if _sku_matches(raw, wanted)]
        parent_ids = sorted({_int_or_zero(raw.get("parent_id")) for raw in raws
                             if raw.get("type") == "variation"} - {0})
        parents: dict[int, dict[str, Any]] = {}
        for chunk in chunked(parent_ids, MAX_PAGE):
            query = {"include": ",".join(map(str, chunk)), "status": "any", "_fields": "id,sku,name,categories"}
            for parent in self._pages("products", query):
                if isinstance(parent, dict):
                    parents[_int_or_zero(parent.get("id"))] = parent
        for raw in raws:
            parent = parents.get(_int_or_zero(raw.get("parent_id"))) if raw.get("type") == "variation" else None
            yield self._map_product_safe(raw, parent)

    def _map_product_safe(self, raw: Any, parent: dict[str, Any] | None = None) -> Product | BadRecord:
        try:
            return map_product(raw, parent)
        except (KeyError, ValueError, TypeError, ArithmeticError, AttributeError) as exc:
            key = (_text(raw.get("sku")) or f"product {raw.get('id', '?')}") if isinstance(raw, dict) else "?"
            return BadRecord(key, f"cannot read product: {exc}")

    def _lookup_skus(self, wanted: list[str], fields: str) -> list[dict[str, Any]]:
        """Raw products and variations for these SKUs via `GET /products?sku=a,b,c`."""
        found: dict[int, dict[str, Any]] = {}
        plain = [sku for sku in wanted if "," not in sku]
        groups: list[list[str]] = []
        current: list[str] = []
        length = 0
        for sku in plain:
            if current and (len(current) >= SKU_CHUNK or length + len(sku) + 1 > SKU_CHUNK_CHARS):
                groups.append(current)
                current, length = [], 0
            current.append(sku)
            length += len(sku) + 1
        if current:
            groups.append(current)
        # A SKU with a comma is only found on its own (WooCommerce also matches the whole string).
        groups.extend([sku] for sku in wanted if "," in sku)
        for group in groups:
            query = {"sku": ",".join(group), "status": "any", "orderby": "id", "order": "asc",
                     "_fields": fields + ",type,parent_id"}
            for raw in self._pages("products", query):
                if isinstance(raw, dict) and "id" in raw:
                    found[_int_or_zero(raw["id"])] = raw
        return [found[key] for key in sorted(found)]

    def find_products(self, skus: Iterable[str]) -> dict[str, str]:
        wanted = _clean_skus(skus)
        if not wanted:
            return {}
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for raw in self._lookup_skus(wanted, "id,sku"):
            sku = _text(raw.get("sku"))
            if not sku:
                continue
            try:
                ref = make_ref(raw)
            except (KeyError, TypeError, ValueError):
                continue
            exact.setdefault(sku, ref)
            folded.setdefault(sku.strip().casefold(), ref)
        result: dict[str, str] = {}
        for sku in wanted:
            ref = exact.get(sku) or folded.get(sku.strip().casefold())
            if ref is not None:
                result[sku] = ref
        return result

    # ---------------------------------------------------------------------------------------------
    # Products: writing

    def create_products(self, products: Sequence[Product]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(products)
        parent_skus = {p.parent_sku for p in products if p.parent_sku}
        parent_refs = self.find_products(parent_skus) if parent_skus else {}
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for index, product in enumerate(products):
            if not product.sku:
                results[index] = ItemResult("", False, error="a product needs a SKU", code="missing_sku")
                continue
            variation = bool(product.parent_sku)
            if variation:
                parent_ref = parent_refs.get(product.parent_sku or "")
                if parent_ref is None or ":" in parent_ref:
                    results[index] = ItemResult(product.sku, False, code="parent_not_found",
                                                error=f"parent product '{product.parent_sku}' is not in the shop")
                    continue
                path = f"products/{parent_ref}/variations/batch"
            else:
                path = "products/batch"
            try:
                payload = {"sku": product.sku, **self._product_payload(product, PRODUCT_FIELDS, variation)}
            except _ItemFailure as exc:
                results[index] = ItemResult(product.sku, False, error=exc.message, code=exc.code)
                continue
            if not variation:
                payload["type"] = "simple"
            groups.setdefault(path, []).append((index, payload))

        duplicates: list[tuple[int, _ItemError]] = []
        for path, entries in groups.items():
            answers = self._batch(path, "create", [payload for _, payload in entries])
            parent_id = path.split("/")[1] if "/variations/" in path else None
            for (index, _payload), answer in zip(entries, answers, strict=True):
                sku = products[index].sku
                error = _item_error(answer)
                if error is None:
                    oid = _int_or_zero(answer.get("id"))
                    if not oid:
                        results[index] = ItemResult(sku, False, error="the shop returned no id",
                                                    code="invalid_response")
                    else:
                        results[index] = ItemResult(sku, True, shop_ref=f"{parent_id}:{oid}" if parent_id else str(oid))
                elif error.code in DUPLICATE_SKU_CODES:
                    duplicates.append((index, error))
                else:
                    results[index] = ItemResult(sku, False, error=error.message, code=error.code)

        if duplicates:
            # A retried create (the first attempt was applied, its answer lost) or a product created in
            # the shop by hand: take over the product holding the SKU, so creation converges.
            refs = self.find_products(products[index].sku for index, _ in duplicates)
            pending: list[tuple[int, ProductUpdate]] = []
            for index, error in duplicates:
                sku = products[index].sku
                ref = refs.get(sku)
                if ref is None:
                    results[index] = ItemResult(sku, False, code=error.code, error=(
                        f"{error.message} (the SKU is taken, but no product with it can be listed: "
                        "perhaps one in the trash)"))
                else:
                    log.info("SKU %s already exists in the shop as %s: updating it instead", sku, ref)
                    pending.append((index, ProductUpdate(ref, products[index], PRODUCT_FIELDS)))
            if pending:
                updated = self.update_products([update for _, update in pending])
                for (index, update), result in zip(pending, updated, strict=True):
                    results[index] = ItemResult(products[index].sku, result.ok,
                                                shop_ref=update.shop_ref if result.ok else None,
                                                error=result.error, code=result.code)
        return [result for result in results if result is not None]

    def update_products(self, updates: Sequence[ProductUpdate]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(updates)
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for index, update in enumerate(updates):
            sku = update.product.sku
            try:
                parent, oid = parse_ref(update.shop_ref)
            except ValueError:
                results[index] = ItemResult(sku, False, error=f"invalid shop reference '{update.shop_ref}'",
                                            code="invalid_ref")
                continue
            try:
                payload = {"id": oid, **self._product_payload(update.product, update.fields, parent is not None)}
            except _ItemFailure as exc:
                results[index] = ItemResult(sku, False, error=exc.message, code=exc.code)
                continue
            path = f"products/{parent}/variations/batch" if parent else "products/batch"
            groups.setdefault(path, []).append((index, payload))
        self._apply_updates(groups, [u.product.sku for u in updates], [u.shop_ref for u in updates], results)
        return [result for result in results if result is not None]

    def set_stock(self, updates: Sequence[StockUpdate]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(updates)
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for index, update in enumerate(updates):
            try:
                parent, oid = parse_ref(update.shop_ref)
                quantity = int(update.quantity)
            except (TypeError, ValueError):
                results[index] = ItemResult(update.sku, False, error=f"invalid shop reference '{update.shop_ref}' "
                                            "or quantity", code="invalid_ref")
                continue
            payload = {"id": oid, "manage_stock": True, "stock_quantity": quantity,
                       "stock_status": "instock" if quantity > 0 else "outofstock"}
            path = f"products/{parent}/variations/batch" if parent else "products/batch"
            groups.setdefault(path, []).append((index, payload))
        self._apply_updates(groups, [u.sku for u in updates], [u.shop_ref for u in updates], results)
        return [result for result in results if result is not None]

    def _apply_updates(self, groups: dict[str, list[tuple[int, dict[str, Any]]]], keys: list[str],
                       refs: list[str], results: list[ItemResult | None]) -> None:
        for path, entries in groups.items():
            answers = self._batch(path, "update", [payload for _, payload in entries])
            for (index, _payload), answer in zip(entries, answers, strict=True):
                error = _item_error(answer)
                if error is None:
                    results[index] = ItemResult(keys[index], True, shop_ref=refs[index])
                else:
                    results[index] = ItemResult(keys[index], False, error=error.message, code=error.code)

    def _product_payload(self, product: Product, fields: Iterable[str], variation: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in fields:
            if name == "name":
                if not variation:  # a variation's name is derived from its parent and attributes
                    out["name"] = product.name
            elif name == "price":
                out["regular_price"] = decimal_text(product.price)
            elif name == "sale_price":
                out["sale_price"] = decimal_text(product.sale_price)
            elif name == "description":
                out["description"] = product.description
            elif name == "short_description":
                if not variation:
                    out["short_description"] = product.short_description
            elif name == "categories":
                if not variation:
                    out["categories"] = [{"id": cid} for cid in self._category_ids(product.categories)]
            elif name == "tax_class":
                out["tax_class"] = product.tax_class
            elif name == "weight":
                out["weight"] = decimal_text(product.weight)
            elif name == "ean":
                out["global_unique_id"] = product.ean
            elif name == "active":
                out["status"] = "publish" if product.active else ("private" if variation else "draft")
            else:
                log.debug("Product field %r is not written to WooCommerce", name)
        return out

    def _category_ids(self, names: Iterable[str]) -> list[int]:
        """Category ids for names (case-insensitive); missing categories are created."""
        wanted = [name.strip() for name in names if name and name.strip()]
        if not wanted:
            return []
        if self._categories is None:
            self._categories = {}
            params = {"orderby": "id", "order": "asc", "_fields": "id,name", "hide_empty": "false"}
            for raw in self._pages("products/categories", params):
                if isinstance(raw, dict) and raw.get("id"):
                    self._categories.setdefault(html.unescape(_text(raw.get("name"))).casefold(),
                                                int(raw["id"]))
        missing = list(dict.fromkeys(name for name in wanted if name.casefold() not in self._categories))
        if missing:
            answers = self._batch("products/categories/batch", "create", [{"name": name} for name in missing])
            for name, answer in zip(missing, answers, strict=True):
                error = _item_error(answer)
                if error is None:
                    self._categories[name.casefold()] = int(answer["id"])
                    continue
                data = answer.get("error", {}).get("data") if isinstance(answer, dict) else None
                existing = _int_or_zero(data.get("resource_id")) if isinstance(data, dict) else 0
                if error.code == "term_exists" and existing:
                    self._categories[name.casefold()] = existing
                else:
                    raise _ItemFailure(error.code, f"cannot create category '{name}': {error.message}")
        return [self._categories[name.casefold()] for name in dict.fromkeys(wanted)]

    def _batch(self, path: str, op: str, items: list[dict[str, Any]]) -> list[Any]:
        """Per-item answers, aligned with `items`, sent in chunks of at most batch_size objects."""
        answers: list[Any] = []
        for chunk in chunked(items, self.batch_size):
            answers.extend(self._batch_chunk(path, op, chunk))
        return answers

    def _batch_chunk(self, path: str, op: str, chunk: list[dict[str, Any]]) -> list[Any]:
        response = self._request("POST", path, body={op: chunk})
        if response.status_code == 413 and len(chunk) > 1:
            # The shop (or a proxy's body limit) takes fewer objects than configured: halve and go on.
            half = len(chunk) // 2
            log.warning("The shop refused %d objects in one batch (HTTP 413); sending %d and %d",
                        len(chunk), half, len(chunk) - half)
            return self._batch_chunk(path, op, chunk[:half]) + self._batch_chunk(path, op, chunk[half:])
        self._check(response, "POST", path)
        try:
            data = self._decode(response)
        except ValueError:
            raise self._malformed(response, "POST", path, 1) from None
        answers = data.get(op) if isinstance(data, dict) else None
        if not isinstance(answers, list):
            raise ShopError(f"The shop's answer to POST {API_PREFIX}/{path} has no '{op}' list",
                            status=response.status_code, code="invalid_response")
        if len(answers) != len(chunk):
            log.warning("Batch %s answered %d items for %d sent", path, len(answers), len(chunk))
        missing = {"error": {"code": "missing_in_response",
                             "message": "the shop's batch answer has no entry for this item"}}
        return [answers[i] if i < len(answers) else missing for i in range(len(chunk))]


# -------------------------------------------------------------------------------------------------
# Mapping


def _clean_skus(skus: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(sku for sku in (str(s) for s in skus if s is not None) if sku.strip()))


def _sku_matches(raw: dict[str, Any], wanted: list[str]) -> bool:
    sku = _text(raw.get("sku")).strip().casefold()
    return bool(sku) and sku in {w.strip().casefold() for w in wanted}


def _address(raw: Any) -> Address:
    data = raw if isinstance(raw, dict) else {}
    return Address(**{name: _text(data.get(name)).strip() for name in ADDRESS_FIELDS})


def map_order(raw: Any) -> Order:
    """A WooCommerce order object -> Order; raises (KeyError/ValueError/TypeError) when unmappable."""
    if not isinstance(raw, dict):
        raise TypeError("the order is not a JSON object")
    oid = raw["id"]
    if isinstance(oid, bool) or not isinstance(oid, int) or oid <= 0:
        raise ValueError(f"invalid order id {oid!r}")
    created = parse_gmt(raw.get("date_created_gmt"))
    modified = parse_gmt(raw.get("date_modified_gmt") or raw.get("date_created_gmt"))
    billing = _address(raw.get("billing"))
    shipping = _address(raw.get("shipping"))
    customer = Customer(
        email=billing.email,
        first_name=billing.first_name,
        last_name=billing.last_name,
        company=billing.company,
        phone=billing.phone,
        shop_customer_id=str(_int_or_zero(raw.get("customer_id"))),
    )
    lines = []
    for line in raw.get("line_items") or []:
        if not isinstance(line, dict):
            raise TypeError("an order line is not a JSON object")
        quantity = to_decimal(line.get("quantity"))
        if quantity is None:
            raise ValueError(f"line {line.get('id', '?')} has no quantity")
        net = _money(line.get("total"), "line total")
        tax = _money(line.get("total_tax"), "line tax", required=False)
        gross = net + tax
        unit = (gross / quantity).quantize(CENT, rounding=ROUND_HALF_UP) if quantity else Decimal(0)
        lines.append(OrderLine(
            sku=_text(line.get("sku")).strip(),
            name=html.unescape(_text(line.get("name"))),
            quantity=quantity,
            unit_price=unit,
            total=gross,
            tax=tax,
            shop_line_id=_text(line.get("id")),
        ))
    status = raw.get("status")
    if not isinstance(status, str) or not status:
        raise ValueError("the order has no status")
    return Order(
        shop_id=str(oid),
        number=_text(raw.get("number")) or str(oid),
        status=status,
        created_at=created,
        modified_at=modified,
        currency=_text(raw.get("currency")),
        total=_money(raw.get("total"), "order total"),
        customer=customer,
        billing=billing,
        shipping=shipping,
        lines=lines,
        shipping_total=_money(raw.get("shipping_total"), "shipping total", required=False),
        tax_total=_money(raw.get("total_tax"), "tax total", required=False),
        payment_method=_text(raw.get("payment_method")),
        customer_note=_text(raw.get("customer_note")),
    )


def map_product(raw: Any, parent: dict[str, Any] | None = None) -> Product | BadRecord:
    """A WooCommerce product or variation object -> Product (BadRecord when it has no SKU)."""
    if not isinstance(raw, dict):
        raise TypeError("the product is not a JSON object")
    ref = make_ref(raw)
    sku = _text(raw.get("sku")).strip()
    is_variation = raw.get("type") == "variation"
    if not sku:
        kind = "variation" if is_variation else "product"
        return BadRecord(f"{kind} {ref}", f"the shop's {kind} {ref} has no SKU")
    categories = raw.get("categories") or (parent.get("categories") if parent and is_variation else None) or []
    name = _text(raw.get("name")) or (_text(parent.get("name")) if parent else "")
    modified = raw.get("date_modified_gmt")
    parent_sku = None
    if is_variation:
        parent_sku = _text(parent.get("sku")).strip() if parent else ""
        parent_sku = parent_sku or None
    return Product(
        sku=sku,
        name=html.unescape(name),
        price=to_decimal(raw.get("regular_price")),
        sale_price=to_decimal(raw.get("sale_price")),
        description=_text(raw.get("description")),
        short_description=_text(raw.get("short_description")),
        categories=tuple(html.unescape(_text(c.get("name"))) for c in categories if isinstance(c, dict)),
        tax_class=_text(raw.get("tax_class")),
        weight=to_decimal(raw.get("weight")),
        ean=_text(raw.get("global_unique_id")).strip(),
        active=raw.get("status") == "publish",
        parent_sku=parent_sku,
        shop_ref=ref,
        modified_at=parse_gmt(modified) if modified else None,
    )


def _oauth_signer(key: str, secret: str) -> Any:
    """Signs a prepared request with OAuth 1.0a one-legged HMAC-SHA256, parameters in the query string.

    oauthlib only signs query parameters (and form bodies), never our JSON bodies: the same set
    WooCommerce verifies ($_GET + $_POST).
    """
    from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, SIGNATURE_TYPE_QUERY
    from requests_oauthlib import OAuth1

    auth = OAuth1(key, client_secret=secret, signature_method=SIGNATURE_HMAC_SHA256,
                  signature_type=SIGNATURE_TYPE_QUERY)

    def sign(request: requests.PreparedRequest) -> requests.PreparedRequest:
        return auth(request)  # type: ignore[no-any-return]

    return sign

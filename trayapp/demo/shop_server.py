"""A WooCommerce-compatible REST API v3 shop on 127.0.0.1: the contract server for tests, the
benchmark's shop and the demo shop.

Standard library only. Reproduces the behaviour a connector must cope with, as WooCommerce's own
source does it (WC_REST_CRUD_Controller, WC_REST_Controller::batch_items, WC_REST_Authentication,
WP_Date_Query):

- lists: `page`/`per_page` (default 10, more than 100 -> 400 `rest_invalid_param`), `X-WP-Total`,
  `X-WP-TotalPages`, `Link`; default order `date desc`; `include`, `status`, `sku` (comma list; matches
  products *and* variations, case-insensitively), `type`, `_fields`;
- date filters compare against the site's *local* columns unless `dates_are_gmt=true`; a filter value
  with a zone ("Z", "+02:00") is first converted to site-local wall time (as WordPress does), and one
  without a zone is taken as a wall time;
- batch endpoints: more than `max_batch` objects -> 413; item failures are items with an `error`;
- auth when a consumer key is set: HTTP Basic (also over this plain-HTTP server, as if TLS-terminated),
  `consumer_key`/`consumer_secret` query parameters, or OAuth 1.0a one-legged (HMAC-SHA1/SHA256,
  15-minute timestamp window, nonces single-use), with WooCommerce's error codes and messages;
- names are stored the way wp_kses stores them ("A &amp; B").

Instrumentation: `request_counts`, `reset_counts()`, `inject()` faults (HTTP 500/502/503, 429 with
Retry-After, delays, connection resets, malformed JSON), and direct store helpers for tests.
Run standalone: `python -m trayapp.demo.shop_server --port 8099 --seed-products 20 --orders-every 30`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import html
import json
import logging
import math
import os
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

log = logging.getLogger(__name__)

API_PREFIX = "/wp-json/wc/v3"
WC_VERSION = "9.4.2"
WP_VERSION = "6.7.1"
ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash")
PRODUCT_STATUSES = ("draft", "pending", "private", "publish", "future", "trash")
PRODUCT_TYPES = ("simple", "grouped", "external", "variable")
STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
ORDERBY = ("date", "id", "include", "title", "slug", "modified")
TERM_ORDERBY = ("id", "include", "name", "slug", "term_group", "description", "count")
OAUTH_WINDOW = 15 * 60
ADDRESS_KEYS = ("first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode",
                "country", "email", "phone")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)?$")
_BARE_AMPERSAND = re.compile(r"&(?!(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
_CENT = Decimal("0.01")

FIRST_NAMES = ("Anna", "Piotr", "Maria", "Jan", "Lena", "Tomasz", "Eva", "Lukas", "Sophie", "Marek", "Zofia", "Hugo")
LAST_NAMES = ("Nowak", "Kowalska", "Schmidt", "Müller", "Dubois", "Wiśniewski", "Novák", "Rossi", "Smith",
              "Lewandowska")
CITIES = (("Warszawa", "00-001", "PL"), ("Kraków", "30-001", "PL"), ("Berlin", "10115", "DE"), ("Wien", "1010", "AT"),
          ("Praha", "110 00", "CZ"), ("Lyon", "69001", "FR"))


class ApiError(Exception):
    """A WP_Error: answered as {"code", "message", "data": {"status", ...}}."""

    def __init__(self, status: int, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.data = {"status": status, **data}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": self.data}


def _invalid_param(name: str, why: str) -> ApiError:
    return ApiError(400, "rest_invalid_param", f"Invalid parameter(s): {name}", params={name: why})


@dataclass(frozen=True, slots=True)
class Fault:
    """A misbehaviour to inject: kind is "status", "delay" (wait, then process), "late" (process, then
    wait: the write is applied but its answer comes late), "reset" or "malformed"."""

    kind: str
    status: int = 0
    retry_after: float | None = None
    seconds: float = 0.0

    @classmethod
    def http(cls, status: int, retry_after: float | None = None) -> Fault:
        return cls("status", status=status, retry_after=retry_after)

    @classmethod
    def rate_limited(cls, retry_after: float = 1.0) -> Fault:
        return cls("status", status=429, retry_after=retry_after)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        return cls("delay", seconds=seconds)

    @classmethod
    def late(cls, seconds: float) -> Fault:
        return cls("late", seconds=seconds)

    @classmethod
    def reset(cls) -> Fault:
        return cls("reset")

    @classmethod
    def malformed(cls) -> Fault:
        return cls("malformed")


def _as_fault(fault: Fault | int | str) -> Fault:
    if isinstance(fault, Fault):
        return fault
    if isinstance(fault, int):
        return Fault.rate_limited() if fault == 429 else Fault.http(fault)
    text = str(fault).strip().lower()
    if text in ("reset", "malformed"):
        return Fault(text)
    if text.startswith(("delay:", "late:")):
        kind, _, seconds = text.partition(":")
        return Fault(kind, seconds=float(seconds))
    if text.isdigit():
        return _as_fault(int(text))
    raise ValueError(f"unknown fault {fault!r}")


@dataclass(slots=True)
class _Response:
    status: int
    body: Any = None
    headers: dict[str, str] | None = None
    raw: bytes | None = None
    action: str = ""  # "reset": close the socket without answering


def _fmt(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%S") if value is not None else None


def _kses(text: str) -> str:
    """What wp_kses does to a title: bare ampersands become &amp;."""
    return _BARE_AMPERSAND.sub("&amp;", text)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", html.unescape(text).lower()).strip("-")
    return slug or "product"


def _money_text(value: Decimal) -> str:
    return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def _price(value: Any, name: str) -> str:
    """A price as WooCommerce stores it ('' or a non-negative decimal string); ApiError otherwise."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise _invalid_param(name, f"{name} is not a valid price.")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise _invalid_param(name, f"{name} is not a valid price.") from None
    if not amount.is_finite() or amount < 0:
        raise _invalid_param(name, f"{name} is not a valid price.")
    return str(value).strip()


def _bool_param(query: Mapping[str, str], name: str, default: bool = False) -> bool:
    if name not in query:
        return default
    value = query[name].strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no", ""):
        return False
    raise _invalid_param(name, f"{name} is not of type boolean.")


def _int_list(query: Mapping[str, str], name: str) -> list[int]:
    raw = query.get(name, "")
    out = []
    for part in re.split(r"[,\s]+", raw.strip()):
        if part:
            try:
                out.append(abs(int(part)))
            except ValueError:
                raise _invalid_param(name, f"{name}[0] is not of type integer.") from None
    return [n for n in out if n]


def _filter_fields(obj: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """WordPress `_fields`: top-level names and dotted nested paths."""
    out: dict[str, Any] = {}
    for field in fields:
        parts = field.split(".")
        src: Any = obj
        dst = out
        for index, part in enumerate(parts):
            if not isinstance(src, dict) or part not in src:
                break
            if index == len(parts) - 1:
                dst[part] = src[part]
            else:
                nxt = dst.setdefault(part, {})
                if not isinstance(nxt, dict):
                    break
                dst, src = nxt, src[part]
    return out


class ShopServer:
    """The shop. Use as a context manager, or start()/stop(); `url` is the site address."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, consumer_key: str | None = None,
                 consumer_secret: str | None = None, site_utc_offset_minutes: int = 60, max_batch: int = 100,
                 latency: float = 0.0) -> None:
        if (consumer_key is None) != (consumer_secret is None):
            raise ValueError("give both consumer_key and consumer_secret, or neither")
        self.host = host
        self.port = port
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.offset = timedelta(minutes=site_utc_offset_minutes)
        self.max_batch = max_batch
        self.latency = latency
        self.currency = "EUR"
        self.request_counts: Counter[str] = Counter()
        self.requests_log: list[tuple[str, str]] = []  # (method, path) of every request, for tests
        self._lock = threading.RLock()
        self._products: dict[int, dict[str, Any]] = {}
        self._orders: dict[int, dict[str, Any]] = {}
        self._categories: dict[int, dict[str, Any]] = {}
        self._next_post_id = 100
        self._next_term_id = 15
        self._next_item_id = 1
        self._nonces: dict[str, float] = {}
        self._faults: list[list[Any]] = []  # [fault, remaining, path_prefix]
        self._httpd: ThreadingHTTPServer | None = None
        self._url = ""
        self._thread: threading.Thread | None = None
        self._order_stop = threading.Event()
        self._order_thread: threading.Thread | None = None
        self._add_category("Uncategorized")

    # ---------------------------------------------------------------------------------------------
    # Life cycle

    @property
    def url(self) -> str:
        if not self._url:
            raise RuntimeError("the shop server is not started")
        return self._url

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    def start(self) -> ShopServer:
        if self._httpd is not None:
            return self
        handler = type("ShopRequestHandler", (_Handler,), {"shop": self})
        server_class: type[ThreadingHTTPServer] = _QuietServer
        if ":" in self.host:
            server_class = type("QuietServer6", (_QuietServer,), {"address_family": socket.AF_INET6})
        self._httpd = server_class((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self._url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"shop-server-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stop_placing_orders()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ShopServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------------------------------------
    # Instrumentation

    def reset_counts(self) -> None:
        with self._lock:
            self.request_counts.clear()
            self.requests_log.clear()

    def inject(self, fault: Fault | int | str, count: int = 1, path_prefix: str | None = None) -> None:
        """Misbehave on the next `count` requests (whose path starts with path_prefix, full or relative
        to /wp-json/wc/v3). Faults are applied after authentication, as errors inside WordPress are."""
        with self._lock:
            self._faults.append([_as_fault(fault), count, path_prefix])

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, path: str, rel: str) -> Fault | None:
        with self._lock:
            for entry in self._faults:
                fault, remaining, prefix = entry
                if remaining <= 0:
                    continue
                if prefix is None or path.startswith(prefix) or rel.startswith(prefix):
                    entry[1] -= 1
                    self._faults = [e for e in self._faults if e[1] > 0]
                    return fault
        return None

    # ---------------------------------------------------------------------------------------------
    # Time

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    def _local(self, value: datetime) -> datetime:
        return (value.astimezone(UTC) + self.offset).replace(tzinfo=None)

    def _gmt(self, value: datetime) -> datetime:
        return value.astimezone(UTC).replace(tzinfo=None)

    def _aware(self, value: datetime | None) -> datetime:
        if value is None:
            return self.now()
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(microsecond=0)

    # ---------------------------------------------------------------------------------------------
    # Store helpers (for tests and the demo)

    def _new_post_id(self) -> int:
        self._next_post_id += 1
        return self._next_post_id

    def _add_category(self, name: str, parent: int = 0) -> dict[str, Any]:
        self._next_term_id += 1
        term = {"id": self._next_term_id, "name": _kses(name), "slug": _slug(name), "parent": parent,
                "description": "", "display": "default", "image": None, "menu_order": 0, "count": 0}
        self._categories[term["id"]] = term
        return term

    def add_category(self, name: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._add_category(name))

    def add_product(self, sku: str, name: str | None = None, *, price: str | Decimal | float = "10.00",
                    sale_price: str = "", type: str = "simple", status: str = "publish",
                    parent_id: int | None = None, parent_sku: str | None = None,
                    stock_quantity: int | None = None, manage_stock: bool | None = None,
                    categories: Iterable[str] = (), description: str = "", short_description: str = "",
                    tax_class: str = "", weight: str = "", global_unique_id: str = "",
                    created_gmt: datetime | None = None, modified_gmt: datetime | None = None) -> dict[str, Any]:
        """Insert a product (or, with parent_id/parent_sku, a variation) directly; returns its JSON."""
        with self._lock:
            if parent_sku is not None:
                parent = self._find_sku(parent_sku)
                if parent is None:
                    raise KeyError(f"no product with SKU {parent_sku!r}")
                parent_id = parent["id"]
            if parent_id is not None and parent_id not in self._products:
                raise KeyError(f"no product {parent_id}")
            if sku and self._find_sku(sku) is not None:
                raise ValueError(f"duplicate SKU {sku!r}")
            created = self._aware(created_gmt)
            modified = self._aware(modified_gmt) if modified_gmt else created
            category_ids = []
            for cname in categories:
                term = self._category_by_name(cname) or self._add_category(cname)
                category_ids.append(term["id"])
            variation = parent_id is not None
            record = {
                "id": self._new_post_id(),
                "parent_id": parent_id or 0,
                "type": "variation" if variation else type,
                "status": status,
                "name": _kses(name if name is not None else f"Product {sku}"),
                "sku": sku,
                "global_unique_id": global_unique_id,
                "regular_price": "" if price in ("", None) else str(price),
                "sale_price": sale_price,
                "description": description,
                "short_description": short_description,
                "category_ids": [] if variation else category_ids,
                "tax_class": tax_class,
                "weight": weight,
                "manage_stock": bool(manage_stock if manage_stock is not None else stock_quantity is not None),
                "stock_quantity": stock_quantity,
                "stock_status": "instock",
                "backorders": "no",
                "total_sales": 0,
                "menu_order": 0,
                "created": created,
                "modified": modified,
            }
            self._sync_stock_status(record)
            self._products[record["id"]] = record
            return self._render_product(record)

    def add_variation(self, parent_sku: str, sku: str, **kwargs: Any) -> dict[str, Any]:
        return self.add_product(sku, parent_sku=parent_sku, **kwargs)

    def seed_products(self, skus: Iterable[str] | int, *, price: str = "19.99", stock: int = 25,
                      rng: random.Random | None = None) -> list[dict[str, Any]]:
        """Demo catalogue: these SKUs (or N generated ones) as published simple products with stock."""
        rng = rng or random.Random(7)
        if isinstance(skus, int):
            skus = [f"DEMO-{n:04d}" for n in range(1, skus + 1)]
        nouns = ("Mug", "T-shirt", "Notebook", "Lamp", "Backpack", "Scarf", "Poster", "Candle", "Bottle", "Cap")
        added = []
        for sku in skus:
            with self._lock:
                if self._find_sku(sku) is not None:
                    continue
            noun = rng.choice(nouns)
            added.append(self.add_product(sku, f"{noun} {sku}", price=price, stock_quantity=stock,
                                          categories=[f"{noun}s"]))
        return added

    def add_order(self, line_items: Iterable[tuple[str, int] | Mapping[str, Any]] = (), *,
                  status: str = "processing", customer_id: int = 0, billing: Mapping[str, str] | None = None,
                  shipping: Mapping[str, str] | None = None, currency: str | None = None,
                  shipping_total: str | Decimal = "0.00", payment_method: str = "bacs", customer_note: str = "",
                  created_gmt: datetime | None = None, modified_gmt: datetime | None = None,
                  reduce_stock: bool = False) -> dict[str, Any]:
        """Insert an order directly. A line is (sku, quantity) or a dict with sku/product_id, quantity and
        optionally price, total, total_tax, name. Returns the order's JSON."""
        with self._lock:
            created = self._aware(created_gmt)
            modified = self._aware(modified_gmt) if modified_gmt else created
            lines = [self._make_line(item) for item in line_items]
            record = self._new_order(lines, status=status, customer_id=customer_id, billing=billing,
                                     shipping=shipping, currency=currency, shipping_total=shipping_total,
                                     payment_method=payment_method, customer_note=customer_note,
                                     created=created, modified=modified)
            if reduce_stock:
                self._reduce_stock(record)
            return self._render_order(record)

    def place_random_order(self, rng: random.Random | None = None) -> dict[str, Any] | None:
        """A customer checkout: 1-3 random purchasable products, status processing, stock reduced."""
        rng = rng or random.Random()
        with self._lock:
            candidates = [p for p in self._products.values()
                          if p["status"] == "publish" and p["sku"] and p["type"] in ("simple", "variation")
                          and p["regular_price"] != "" and p["stock_status"] != "outofstock"]
            if not candidates:
                return None
            picks = rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3)))
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            city, postcode, country = rng.choice(CITIES)
            email = f"{first}.{last}@example.com".lower().encode("ascii", "ignore").decode()
            address = {"first_name": first, "last_name": last, "company": "",
                       "address_1": f"Main Street {rng.randint(1, 99)}", "address_2": "", "city": city,
                       "state": "", "postcode": postcode, "country": country}
            billing = {**address, "email": email, "phone": f"+48 600 {rng.randint(100, 999)} {rng.randint(100, 999)}"}
            lines = [self._make_line({"product_id": p["id"], "quantity": rng.randint(1, 3)}) for p in picks]
            now = self.now()
            record = self._new_order(lines, status="processing", customer_id=rng.choice((0, 0, rng.randint(2, 50))),
                                     billing=billing, shipping=address, currency=None, shipping_total="5.00",
                                     payment_method="bacs", customer_note="", created=now, modified=now)
            self._reduce_stock(record)
            return self._render_order(record)

    def start_placing_orders(self, every_seconds: float, rng: random.Random | None = None) -> None:
        """Demo: a background thread places a random order every N seconds until stopped."""
        self.stop_placing_orders()
        self._order_stop = threading.Event()
        stop = self._order_stop
        generator = rng or random.Random()

        def run() -> None:
            while not stop.wait(every_seconds):
                try:
                    order = self.place_random_order(generator)
                    if order:
                        log.info("Demo shop: order %s placed (%s %s)", order["id"], order["total"], order["currency"])
                except Exception:  # the demo must keep running
                    log.exception("Demo shop: placing an order failed")

        self._order_thread = threading.Thread(target=run, name="shop-server-orders", daemon=True)
        self._order_thread.start()

    def stop_placing_orders(self) -> None:
        self._order_stop.set()
        if self._order_thread is not None:
            self._order_thread.join(timeout=5)
            self._order_thread = None

    def get_product(self, product_id: int) -> dict[str, Any] | None:
        with self._lock:
            record = self._products.get(product_id)
            return self._render_product(record) if record else None

    def get_product_by_sku(self, sku: str) -> dict[str, Any] | None:
        with self._lock:
            record = self._find_sku(sku)
            return self._render_product(record) if record else None

    def all_products(self, *, include_variations: bool = True) -> list[dict[str, Any]]:
        with self._lock:
            return [self._render_product(p) for _, p in sorted(self._products.items())
                    if include_variations or p["type"] != "variation"]

    def get_order(self, order_id: int) -> dict[str, Any] | None:
        with self._lock:
            record = self._orders.get(order_id)
            return self._render_order(record) if record else None

    def all_orders(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._render_order(o) for _, o in sorted(self._orders.items())]

    def set_modified(self, kind: str, record_id: int, when: datetime) -> None:
        """Set a product's or order's modification time (UTC) directly."""
        with self._lock:
            store = self._orders if kind == "order" else self._products
            store[record_id]["modified"] = self._aware(when)

    def save_state(self, path: str | os.PathLike[str]) -> None:
        """Write the catalogue, orders and id counters to a JSON file (atomically), for the demo."""
        def encode(record: dict[str, Any]) -> dict[str, Any]:
            return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()}

        with self._lock:
            state = {
                "version": 1,
                "next_post_id": self._next_post_id,
                "next_term_id": self._next_term_id,
                "next_item_id": self._next_item_id,
                "products": [encode(p) for _, p in sorted(self._products.items())],
                "orders": [encode(o) for _, o in sorted(self._orders.items())],
                "categories": [dict(t) for _, t in sorted(self._categories.items())],
            }
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, target)

    def load_state(self, path: str | os.PathLike[str]) -> None:
        """Replace the store with what save_state wrote."""
        state = json.loads(Path(path).read_text(encoding="utf-8"))

        def decode(record: dict[str, Any]) -> dict[str, Any]:
            out = dict(record)
            for key in ("created", "modified", "paid"):
                if isinstance(out.get(key), str):
                    out[key] = datetime.fromisoformat(out[key])
            return out

        with self._lock:
            self._products = {int(p["id"]): decode(p) for p in state.get("products", [])}
            self._orders = {int(o["id"]): decode(o) for o in state.get("orders", [])}
            self._categories = {int(t["id"]): dict(t) for t in state.get("categories", [])}
            self._next_post_id = max([int(state.get("next_post_id", 100)), *self._products, *self._orders])
            self._next_term_id = max([int(state.get("next_term_id", 15)), *self._categories])
            self._next_item_id = int(state.get("next_item_id", 1))

    def categories(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._render_category(t) for _, t in sorted(self._categories.items())]

    # ---------------------------------------------------------------------------------------------
    # Records

    def _find_sku(self, sku: str, *, exclude_id: int | None = None) -> dict[str, Any] | None:
        wanted = sku.strip().casefold()
        if not wanted:
            return None
        for record in self._products.values():
            if record["id"] != exclude_id and record["status"] != "trash" and \
                    record["sku"].strip().casefold() == wanted:
                return record
        return None

    def _category_by_name(self, name: str, parent: int = 0) -> dict[str, Any] | None:
        wanted = html.unescape(name).strip().casefold()
        for term in self._categories.values():
            if term["parent"] == parent and html.unescape(term["name"]).strip().casefold() == wanted:
                return term
        return None

    def _sync_stock_status(self, record: dict[str, Any]) -> None:
        if record["manage_stock"] and record["stock_quantity"] is not None and record["type"] != "variable":
            if record["stock_quantity"] > 0:
                record["stock_status"] = "instock"
            else:
                record["stock_status"] = "onbackorder" if record["backorders"] != "no" else "outofstock"

    def _make_line(self, item: tuple[str, int] | Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(item, Mapping):
            sku, quantity = item
            item = {"sku": sku, "quantity": quantity}
        product = None
        if item.get("product_id"):
            product = self._products.get(int(item["product_id"]))
        elif item.get("variation_id"):
            product = self._products.get(int(item["variation_id"]))
        elif item.get("sku"):
            product = self._find_sku(str(item["sku"]))
        quantity = item.get("quantity", 1)
        try:
            qty_dec = Decimal(str(quantity))
        except InvalidOperation:
            qty_dec = Decimal(0)
        if "price" in item:
            price = Decimal(str(item["price"]))
        elif product is not None:
            price = Decimal(product["sale_price"] or product["regular_price"] or "0")
        else:
            price = Decimal(0)
        total = Decimal(str(item["total"])) if "total" in item else price * qty_dec
        total_tax = Decimal(str(item.get("total_tax", "0")))
        self._next_item_id += 1
        is_variation = product is not None and product["type"] == "variation"
        name = item.get("name") or (product["name"] if product else "Removed product")
        return {
            "id": self._next_item_id,
            "name": name,
            "product_id": (product["parent_id"] if is_variation else product["id"]) if product else 0,
            "variation_id": product["id"] if is_variation else 0,
            "quantity": quantity,
            "tax_class": "",
            "subtotal": _money_text(total),
            "subtotal_tax": _money_text(total_tax),
            "total": _money_text(total),
            "total_tax": _money_text(total_tax),
            "taxes": [],
            "meta_data": [],
            "sku": item["sku"] if "sku" in item else (product["sku"] if product else ""),
            "price": float(price),
            "image": {"id": "", "src": ""},
            "parent_name": None,
        }

    def _new_order(self, lines: list[dict[str, Any]], *, status: str, customer_id: int,
                   billing: Mapping[str, str] | None, shipping: Mapping[str, str] | None, currency: str | None,
                   shipping_total: str | Decimal, payment_method: str, customer_note: str,
                   created: datetime, modified: datetime) -> dict[str, Any]:
        def dec(value: Any) -> Decimal:
            try:
                return Decimal(str(value))
            except InvalidOperation:
                return Decimal(0)

        line_total = sum((dec(line["total"]) for line in lines), Decimal(0))
        line_tax = sum((dec(line["total_tax"]) for line in lines), Decimal(0))
        ship = dec(shipping_total)
        oid = self._new_post_id()
        record = {
            "id": oid,
            "status": status,
            "currency": currency or self.currency,
            "customer_id": customer_id,
            "billing": {key: "" for key in ADDRESS_KEYS} | dict(billing or {}),
            "shipping": {key: "" for key in ADDRESS_KEYS if key != "email"} | dict(shipping or {}),
            "line_items": lines,
            "shipping_total": _money_text(ship),
            "total": _money_text(line_total + line_tax + ship),
            "total_tax": _money_text(line_tax),
            "payment_method": payment_method,
            "payment_method_title": {"bacs": "Direct bank transfer", "cod": "Cash on delivery"}.get(payment_method,
                                                                                                    payment_method),
            "customer_note": customer_note,
            "order_key": f"wc_order_{hashlib.sha1(str(oid).encode()).hexdigest()[:13]}",
            "created": created,
            "modified": modified,
            "paid": created if status in ("processing", "completed") else None,
        }
        self._orders[oid] = record
        return record

    def _reduce_stock(self, order: dict[str, Any]) -> None:
        for line in order["line_items"]:
            product = self._products.get(line["variation_id"] or line["product_id"])
            if product and product["manage_stock"] and product["stock_quantity"] is not None:
                product["stock_quantity"] -= int(line["quantity"])
                product["total_sales"] += int(line["quantity"])
                self._sync_stock_status(product)

    # ---------------------------------------------------------------------------------------------
    # Rendering

    def _dates(self, record: dict[str, Any]) -> dict[str, str | None]:
        return {
            "date_created": _fmt(self._local(record["created"])),
            "date_created_gmt": _fmt(self._gmt(record["created"])),
            "date_modified": _fmt(self._local(record["modified"])),
            "date_modified_gmt": _fmt(self._gmt(record["modified"])),
        }

    def _render_category(self, term: dict[str, Any]) -> dict[str, Any]:
        count = sum(1 for p in self._products.values() if term["id"] in p["category_ids"])
        return {**term, "count": count}

    def _render_product(self, p: dict[str, Any]) -> dict[str, Any]:
        price = p["sale_price"] or p["regular_price"]
        variation = p["type"] == "variation"
        out: dict[str, Any] = {
            "id": p["id"],
            "name": p["name"],
            "slug": _slug(p["name"]) if not variation else "",
            "permalink": f"{self._url}/?p={p['id']}",
            **self._dates(p),
            "type": p["type"],
            "status": p["status"],
            "featured": False,
            "catalog_visibility": "visible",
            "description": p["description"],
            "short_description": p["short_description"],
            "sku": p["sku"],
            "global_unique_id": p["global_unique_id"],
            "price": price,
            "regular_price": p["regular_price"],
            "sale_price": p["sale_price"],
            "on_sale": bool(p["sale_price"]),
            "purchasable": price != "",
            "total_sales": p["total_sales"],
            "virtual": False,
            "downloadable": False,
            "tax_status": "taxable",
            "tax_class": p["tax_class"],
            "manage_stock": p["manage_stock"],
            "stock_quantity": p["stock_quantity"],
            "backorders": p["backorders"],
            "backorders_allowed": p["backorders"] != "no",
            "backordered": False,
            "stock_status": p["stock_status"],
            "weight": p["weight"],
            "dimensions": {"length": "", "width": "", "height": ""},
            "parent_id": p["parent_id"],
            "categories": [{"id": t["id"], "name": t["name"], "slug": t["slug"]}
                           for t in (self._categories.get(cid) for cid in p["category_ids"]) if t],
            "tags": [],
            "images": [],
            "attributes": [],
            "variations": sorted(v["id"] for v in self._products.values()
                                 if v["parent_id"] == p["id"] and v["type"] == "variation"),
            "menu_order": p["menu_order"],
            "meta_data": [],
        }
        return out

    def _render_variation(self, p: dict[str, Any]) -> dict[str, Any]:
        full = self._render_product(p)
        keys = ("id", "type", "parent_id", "name", "date_created", "date_created_gmt", "date_modified",
                "date_modified_gmt", "description", "permalink", "sku", "global_unique_id", "price",
                "regular_price", "sale_price", "on_sale", "status", "purchasable", "virtual", "downloadable",
                "tax_status", "tax_class", "manage_stock", "stock_quantity", "stock_status", "backorders",
                "backorders_allowed", "backordered", "weight", "dimensions", "attributes", "menu_order",
                "meta_data")
        out = {key: full[key] for key in keys}
        out["image"] = None
        return out

    def _render_order(self, o: dict[str, Any]) -> dict[str, Any]:
        paid = o.get("paid")
        return {
            "id": o["id"],
            "parent_id": 0,
            "status": o["status"],
            "currency": o["currency"],
            "version": WC_VERSION,
            "prices_include_tax": False,
            **self._dates(o),
            "discount_total": "0.00",
            "discount_tax": "0.00",
            "shipping_total": o["shipping_total"],
            "shipping_tax": "0.00",
            "cart_tax": o["total_tax"],
            "total": o["total"],
            "total_tax": o["total_tax"],
            "customer_id": o["customer_id"],
            "order_key": o["order_key"],
            "billing": dict(o["billing"]),
            "shipping": dict(o["shipping"]),
            "payment_method": o["payment_method"],
            "payment_method_title": o["payment_method_title"],
            "transaction_id": "",
            "customer_ip_address": "127.0.0.1",
            "customer_user_agent": "",
            "created_via": "checkout",
            "customer_note": o["customer_note"],
            "date_completed": None,
            "date_completed_gmt": None,
            "date_paid": _fmt(self._local(paid)) if paid else None,
            "date_paid_gmt": _fmt(self._gmt(paid)) if paid else None,
            "cart_hash": "",
            "number": str(o["id"]),
            "meta_data": [],
            "line_items": [dict(line) for line in o["line_items"]],
            "tax_lines": [],
            "shipping_lines": [],
            "fee_lines": [],
            "coupon_lines": [],
            "refunds": [],
            "currency_symbol": "€" if o["currency"] == "EUR" else o["currency"],
        }

    # ---------------------------------------------------------------------------------------------
    # Authentication (WC_REST_Authentication)

    def _authenticate(self, method: str, path: str, query: dict[str, str],
                      headers: Mapping[str, str]) -> tuple[bool, ApiError | None, bool]:
        """(authenticated, error, basic_attempted)."""
        if self.consumer_key is None or self.consumer_secret is None:
            return True, None, False
        key = secret = None
        if query.get("consumer_key") and query.get("consumer_secret"):
            key, secret = query["consumer_key"], query["consumer_secret"]
        else:
            header = headers.get("Authorization", "")
            if header[:6].lower() == "basic ":
                try:
                    decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                    key, _, secret = decoded.partition(":")
                except (ValueError, UnicodeDecodeError):
                    key = secret = None
        if key and secret and hmac.compare_digest(key.encode(), self.consumer_key.encode()):
            if hmac.compare_digest(secret.encode(), self.consumer_secret.encode()):
                return True, None, True
            return False, ApiError(401, "woocommerce_rest_authentication_error",
                                   "Consumer secret is invalid."), True
            # an unknown key: WooCommerce goes on to try OAuth
        return self._oauth(method, path, query, headers)

    def _oauth(self, method: str, path: str, query: dict[str, str],
               headers: Mapping[str, str]) -> tuple[bool, ApiError | None, bool]:
        params = dict(query)
        header = headers.get("Authorization", "").strip()
        if header.startswith("OAuth "):
            for match in re.finditer(r'(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))', header):
                params[match.group(1)] = unquote(match.group(3) if match.group(3) else (match.group(4) or ""))
        required = ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature",
                    "oauth_signature_method")
        missing = [name for name in required if not params.get(name)]
        if len(missing) == len(required):
            return False, None, False  # not trying OAuth at all: an anonymous request
        if missing:
            word = "parameter" if len(missing) == 1 else "parameters"
            return False, ApiError(401, "woocommerce_rest_authentication_missing_parameter",
                                   f"Missing OAuth {word} {', '.join(missing)}"), False
        assert self.consumer_key is not None and self.consumer_secret is not None
        if not hmac.compare_digest(params["oauth_consumer_key"].encode(), self.consumer_key.encode()):
            return False, ApiError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid."), False
        signature_method = params["oauth_signature_method"]
        consumer_signature = unquote(params.pop("oauth_signature").replace(" ", "+"))
        if signature_method not in ("HMAC-SHA1", "HMAC-SHA256"):
            return False, ApiError(401, "woocommerce_rest_authentication_error",
                                   "Invalid signature - signature method is invalid."), False
        expected = self.oauth_signature(method, self.url + path, params, self.consumer_secret, signature_method)
        if not hmac.compare_digest(expected.encode(), consumer_signature.encode()):
            return False, ApiError(401, "woocommerce_rest_authentication_error",
                                   "Invalid signature - provided signature does not match."), False
        try:
            timestamp = int(params["oauth_timestamp"])
        except ValueError:
            timestamp = 0
        now = time.time()
        if timestamp < now - OAUTH_WINDOW or timestamp > now + OAUTH_WINDOW:
            return False, ApiError(401, "woocommerce_rest_authentication_error", "Invalid timestamp."), False
        nonce = params["oauth_nonce"]
        with self._lock:
            self._nonces = {n: t for n, t in self._nonces.items() if t >= now - OAUTH_WINDOW}
            if nonce in self._nonces:
                return False, ApiError(401, "woocommerce_rest_authentication_error",
                                       "Invalid nonce - nonce has already been used."), False
            self._nonces[nonce] = now
        return True, None, False

    @staticmethod
    def oauth_signature(method: str, url: str, params: Mapping[str, str], consumer_secret: str,
                        signature_method: str = "HMAC-SHA256") -> str:
        """WooCommerce's signature: parameters sorted by name (strcmp), names and values RFC 3986-encoded,
        each `name=value` encoded again, joined with %26; key = consumer secret + '&'."""
        def enc(text: str) -> str:
            return quote(text, safe="")

        items = sorted(((k, v) for k, v in params.items() if k != "oauth_signature"), key=lambda kv: kv[0].encode())
        query = "%26".join(enc(f"{enc(k)}={enc(v)}") for k, v in items)
        base = f"{method.upper()}&{enc(url)}&{query}"
        digest = hashlib.sha256 if signature_method == "HMAC-SHA256" else hashlib.sha1
        mac = hmac.new(f"{consumer_secret}&".encode(), base.encode(), digest).digest()
        return base64.b64encode(mac).decode()

    # ---------------------------------------------------------------------------------------------
    # HTTP entry point

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> _Response:
        parts = urlsplit(target)
        path = parts.path
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        with self._lock:
            self.request_counts[method] += 1
            self.requests_log.append((method, path))
        if self.latency > 0:
            time.sleep(self.latency)
        if path.rstrip("/") == "/wp-json":
            return _Response(200, {"name": "trayapp demo shop", "url": self.url, "namespaces": ["wc/v3"]})
        if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            return _Response(404, ApiError(404, "rest_no_route",
                                           "No route was found matching the URL and request method.").body())
        rel = path[len(API_PREFIX):] or "/"
        authenticated, auth_error, basic = self._authenticate(method, path, query, headers)
        if auth_error is not None:
            extra = {"WWW-Authenticate": 'Basic realm="WooCommerce API. Use a consumer key in the username field '
                                         'and a consumer secret in the password field."'} if basic else None
            return _Response(401, auth_error.body(), headers=extra)
        fault = self._take_fault(path, rel)
        if fault is not None:
            response = self._apply_fault(fault)
            if response is not None:
                return response
        response = self._process(method, path, rel, query, body, authenticated)
        if fault is not None and fault.kind == "late":
            time.sleep(fault.seconds)
        return response

    def _process(self, method: str, path: str, rel: str, query: dict[str, str], body: bytes,
                 authenticated: bool) -> _Response:
        try:
            payload: Any = None
            if body:
                try:
                    payload = json.loads(body.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise ApiError(400, "rest_invalid_json", "Invalid JSON body passed.",
                                   json_error_code=4, json_error_message="Syntax error") from None
            with self._lock:
                return self._dispatch(method, rel, query, payload, authenticated)
        except ApiError as exc:
            return _Response(exc.status, exc.body())
        except Exception as exc:  # a bug here must still answer like a server would
            log.exception("shop server failed on %s %s", method, path)
            return _Response(500, ApiError(500, "internal_server_error", f"{type(exc).__name__}: {exc}").body())

    def _apply_fault(self, fault: Fault) -> _Response | None:
        if fault.kind == "delay":
            time.sleep(fault.seconds)
            return None
        if fault.kind == "late":
            return None
        if fault.kind == "reset":
            return _Response(0, action="reset")
        if fault.kind == "malformed":
            return _Response(200, raw=b'{"id": 1, "name": "broken', headers={"Content-Type": "application/json"})
        headers: dict[str, str] = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(int(fault.retry_after)) if float(fault.retry_after).is_integer() \
                else str(fault.retry_after)
        if fault.status == 500:
            return _Response(500, ApiError(500, "internal_server_error",
                                           "There has been a critical error on this website.").body(), headers=headers)
        reason = {429: "Too Many Requests", 502: "Bad Gateway", 503: "Service Unavailable",
                  504: "Gateway Timeout"}.get(fault.status, "Error")
        page = f"<html><head><title>{fault.status} {reason}</title></head><body><h1>{reason}</h1></body></html>"
        headers["Content-Type"] = "text/html; charset=UTF-8"
        return _Response(fault.status, raw=page.encode(), headers=headers)

    # ---------------------------------------------------------------------------------------------
    # Routing

    def _dispatch(self, method: str, rel: str, query: dict[str, str], payload: Any,
                  authenticated: bool) -> _Response:
        editable = method in ("POST", "PUT", "PATCH")
        routes: list[tuple[str, tuple[str, ...], str, Any]] = [
            (r"/system_status", ("GET",), "list", self._system_status),
            (r"/products", ("GET",), "list", self._list_products),
            (r"/products", ("POST",), "create", self._create_product_request),
            (r"/products/batch", ("POST", "PUT", "PATCH"), "batch", self._batch_products),
            (r"/products/categories", ("GET",), "list", self._list_categories),
            (r"/products/categories", ("POST",), "create", self._create_category_request),
            (r"/products/categories/batch", ("POST", "PUT", "PATCH"), "batch", self._batch_categories),
            (r"/products/(\d+)/variations", ("GET",), "list", self._list_variations),
            (r"/products/(\d+)/variations", ("POST",), "create", self._create_variation_request),
            (r"/products/(\d+)/variations/batch", ("POST", "PUT", "PATCH"), "batch", self._batch_variations),
            (r"/products/(\d+)/variations/(\d+)", ("GET",), "view", self._get_variation),
            (r"/products/(\d+)/variations/(\d+)", ("POST", "PUT", "PATCH"), "edit", self._update_variation_request),
            (r"/products/(\d+)", ("GET",), "view", self._get_product),
            (r"/products/(\d+)", ("POST", "PUT", "PATCH"), "edit", self._update_product_request),
            (r"/products/(\d+)", ("DELETE",), "delete", self._delete_product_request),
            (r"/orders", ("GET",), "list", self._list_orders),
            (r"/orders", ("POST",), "create", self._create_order_request),
            (r"/orders/batch", ("POST", "PUT", "PATCH"), "batch", self._batch_orders),
            (r"/orders/(\d+)", ("GET",), "view", self._get_order),
            (r"/orders/(\d+)", ("POST", "PUT", "PATCH"), "edit", self._update_order_request),
            (r"/orders/(\d+)", ("DELETE",), "delete", self._delete_order_request),
        ]
        del editable
        for pattern, methods, action, handler in routes:
            match = re.fullmatch(pattern, rel.rstrip("/") or "/")
            if match and method in methods:
                if not authenticated:
                    raise self._permission_error(action)
                args = [int(group) for group in match.groups()]
                return handler(*args, query=query, payload=payload)
        raise ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")

    @staticmethod
    def _permission_error(action: str) -> ApiError:
        code, message = {
            "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
            "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
            "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
            "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
            "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
            "batch": ("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource."),
        }[action]
        return ApiError(401, code, message)

    # ---------------------------------------------------------------------------------------------
    # Lists

    def _list(self, records: list[dict[str, Any]], query: dict[str, str], render: Any, path: str,
              *, date_filters: bool = True, orderby_choices: tuple[str, ...] = ORDERBY,
              default_orderby: str = "date", default_order: str = "desc",
              sort_keys: Mapping[str, Any] | None = None) -> _Response:
        try:
            page = int(query.get("page", "1") or 1)
        except ValueError:
            raise _invalid_param("page", "page is not of type integer.") from None
        if page < 1:
            raise _invalid_param("page", "page must be greater than or equal to 1")
        try:
            per_page = int(query.get("per_page", "10") or 10)
        except ValueError:
            raise _invalid_param("per_page", "per_page is not of type integer.") from None
        if not 1 <= per_page <= 100:
            raise _invalid_param("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
        order = query.get("order", default_order) or default_order
        if order not in ("asc", "desc"):
            raise _invalid_param("order", "order is not one of asc and desc.")
        orderby = query.get("orderby", default_orderby) or default_orderby
        if orderby not in orderby_choices:
            raise _invalid_param("orderby", f"orderby is not one of {', '.join(orderby_choices)}.")
        include = _int_list(query, "include")
        exclude = set(_int_list(query, "exclude"))
        if include:
            wanted = set(include)
            records = [r for r in records if r["id"] in wanted]
        if exclude:
            records = [r for r in records if r["id"] not in exclude]
        if date_filters:
            records = self._date_filter(records, query)
        search = query.get("search", "").strip().casefold()
        if search:
            records = [r for r in records if search in html.unescape(r.get("name", "")).casefold()]
        keys = {
            "date": lambda r: (r["created"], r["id"]),
            "modified": lambda r: (r["modified"], r["id"]),
            "id": lambda r: r["id"],
            "title": lambda r: (html.unescape(r.get("name", "")).casefold(), r["id"]),
            "name": lambda r: (html.unescape(r.get("name", "")).casefold(), r["id"]),
            "slug": lambda r: (_slug(r.get("name", "")), r["id"]),
            "include": lambda r: include.index(r["id"]) if r["id"] in include else len(include),
            **(sort_keys or {}),
        }
        records = sorted(records, key=keys.get(orderby, keys["id"]), reverse=(order == "desc"))
        total = len(records)
        pages = math.ceil(total / per_page) if total else 0
        if "offset" in query:
            try:
                start = max(0, int(query["offset"]))
            except ValueError:
                raise _invalid_param("offset", "offset is not of type integer.") from None
        else:
            start = (page - 1) * per_page
        items = [render(r) for r in records[start:start + per_page]]
        fields = [f.strip() for f in query.get("_fields", "").split(",") if f.strip()]
        if fields:
            items = [_filter_fields(item, fields) for item in items]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        base = self.url + API_PREFIX + path
        if page > 1:
            links.append(f'<{base}?{urlencode({**query, "page": min(page - 1, max(pages, 1))})}>; rel="prev"')
        if pages > page:
            links.append(f'<{base}?{urlencode({**query, "page": page + 1})}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return _Response(200, items, headers=headers)

    def _date_filter(self, records: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
        use_gmt = _bool_param(query, "dates_are_gmt")
        for name, column, later in (("after", "created", True), ("before", "created", False),
                                    ("modified_after", "modified", True), ("modified_before", "modified", False)):
            if name not in query:
                continue
            bound = self._wall_time(name, query[name])
            convert = self._gmt if use_gmt else self._local
            if later:
                records = [r for r in records if convert(r[column]) > bound]
            else:
                records = [r for r in records if convert(r[column]) < bound]
        return records

    def _wall_time(self, name: str, value: str) -> datetime:
        """What WP_Date_Query compares with: a zoned value becomes site-local wall time, a zone-less one
        is taken as it is (whatever column it is compared against)."""
        if not _DATE_RE.match(value.strip()):
            raise _invalid_param(name, "Invalid date.")
        text = value.strip().replace("z", "Z").replace("Z", "+00:00").replace(" ", "T")
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is not None:
            parsed = self._local(parsed)
        return parsed.replace(microsecond=0)

    def _system_status(self, *, query: dict[str, str], payload: Any) -> _Response:
        body = {
            "environment": {"home_url": self.url, "site_url": self.url, "version": WC_VERSION,
                            "wp_version": WP_VERSION, "wp_multisite": False, "language": "en_US",
                            "server_info": "trayapp demo shop", "php_version": "8.2.0", "default_timezone": "UTC"},
            "settings": {"api_enabled": True, "currency": self.currency, "currency_symbol": "€",
                         "gmt_offset": str(self.offset.total_seconds() / 3600)},
            "active_plugins": [{"plugin": "woocommerce/woocommerce.php", "name": "WooCommerce",
                                "version": WC_VERSION}],
        }
        fields = [f.strip() for f in query.get("_fields", "").split(",") if f.strip()]
        return _Response(200, _filter_fields(body, fields) if fields else body)

    def _single(self, obj: dict[str, Any], query: dict[str, str], status: int = 200) -> _Response:
        fields = [f.strip() for f in query.get("_fields", "").split(",") if f.strip()]
        return _Response(status, _filter_fields(obj, fields) if fields else obj)

    # ---------------------------------------------------------------------------------------------
    # Products

    def _list_products(self, *, query: dict[str, str], payload: Any) -> _Response:
        records = list(self._products.values())
        sku = query.get("sku", "")
        if sku:
            # WooCommerce switches the query to products *and* variations when sku is given; the
            # whole string counts as one more SKU.
            wanted = {s.strip().casefold() for s in sku.split(",")}
            if "," in sku:
                wanted.add(sku.strip().casefold())
            records = [r for r in records if r["sku"] and r["sku"].strip().casefold() in wanted]
        else:
            records = [r for r in records if r["type"] != "variation"]
        statuses = [s.strip() for s in (query.get("status") or "any").split(",") if s.strip()] or ["any"]
        for status in statuses:
            if status not in ("any", *PRODUCT_STATUSES):
                raise _invalid_param("status", f"status is not one of any, {', '.join(PRODUCT_STATUSES)}.")
        if "any" in statuses:
            records = [r for r in records if r["status"] != "trash"]
        else:
            records = [r for r in records if r["status"] in statuses]
        ptype = query.get("type", "")
        if ptype:
            if ptype not in PRODUCT_TYPES:
                raise _invalid_param("type", f"type is not one of {', '.join(PRODUCT_TYPES)}.")
            records = [r for r in records if r["type"] == ptype]
        return self._list(records, query, self._render_product, "/products")

    def _get_product(self, product_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        record = self._products.get(product_id)
        if record is None:
            raise ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        return self._single(self._render_product(record), query)

    def _list_variations(self, product_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        parent = self._products.get(product_id)
        if parent is None or parent["type"] == "variation":
            raise ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        records = [r for r in self._products.values() if r["parent_id"] == product_id and r["type"] == "variation"]
        status = query.get("status", "any") or "any"
        records = [r for r in records if (r["status"] != "trash" if status == "any" else r["status"] == status)]
        sku = query.get("sku", "")
        if sku:
            wanted = {s.strip().casefold() for s in sku.split(",")}
            records = [r for r in records if r["sku"].strip().casefold() in wanted]
        return self._list(records, query, self._render_variation, f"/products/{product_id}/variations")

    def _get_variation(self, product_id: int, variation_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        record = self._products.get(variation_id)
        if record is None or record["type"] != "variation" or record["parent_id"] != product_id:
            raise ApiError(404, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.")
        return self._single(self._render_variation(record), query)

    def _apply_product_fields(self, record: dict[str, Any], data: Mapping[str, Any], *, variation: bool) -> None:
        """Validate everything first, then write: a failing item leaves the record untouched."""
        changes: dict[str, Any] = {}
        if "sku" in data:
            sku = str(data["sku"] or "").strip()
            if sku:
                existing = self._find_sku(sku, exclude_id=record.get("id"))
                if existing is not None:
                    raise ApiError(400, "product_invalid_sku", "Invalid or duplicated SKU.",
                                   resource_id=existing["id"], unique_sku=f"{sku}-1")
            changes["sku"] = sku
        for name in ("regular_price", "sale_price"):
            if name in data:
                changes[name] = _price(data[name], name)
        if "global_unique_id" in data:
            gid = str(data["global_unique_id"] or "").strip()
            if gid:
                if not re.fullmatch(r"[0-9-]+", gid):
                    raise ApiError(400, "product_invalid_global_unique_id",
                                   "Invalid or duplicated GTIN, UPC, EAN or ISBN.")
                for other in self._products.values():
                    if other["id"] != record.get("id") and other["status"] != "trash" and \
                            other["global_unique_id"] == gid:
                        raise ApiError(400, "product_invalid_global_unique_id",
                                       "Invalid or duplicated GTIN, UPC, EAN or ISBN.", resource_id=other["id"])
            changes["global_unique_id"] = gid
        if "status" in data:
            status = str(data["status"])
            changes["status"] = status if status in PRODUCT_STATUSES else "draft"
        if "type" in data and not variation:
            ptype = str(data["type"])
            changes["type"] = ptype if ptype in PRODUCT_TYPES else "simple"
        for name in ("description", "tax_class", "weight"):
            if name in data:
                changes[name] = "" if data[name] is None else str(data[name])
        if not variation:
            if "name" in data:
                changes["name"] = _kses(str(data["name"] or ""))
            if "short_description" in data:
                changes["short_description"] = str(data["short_description"] or "")
            if "categories" in data:
                ids = []
                for item in data["categories"] or []:
                    cid = int(item.get("id", 0)) if isinstance(item, Mapping) else 0
                    if cid in self._categories:
                        ids.append(cid)
                changes["category_ids"] = ids
        elif "name" in data:
            changes["name"] = _kses(str(data["name"] or ""))
        if "manage_stock" in data:
            changes["manage_stock"] = bool(data["manage_stock"]) and data["manage_stock"] != "parent"
        if "stock_quantity" in data:
            try:
                quantity = data["stock_quantity"]
                changes["stock_quantity"] = None if quantity is None else int(float(quantity))
            except (TypeError, ValueError):
                raise _invalid_param("stock_quantity", "stock_quantity is not of type integer.") from None
        if "stock_status" in data:
            if data["stock_status"] not in STOCK_STATUSES:
                raise _invalid_param("stock_status", f"stock_status is not one of {', '.join(STOCK_STATUSES)}.")
            changes["stock_status"] = data["stock_status"]
        if "backorders" in data:
            if data["backorders"] not in ("no", "notify", "yes"):
                raise _invalid_param("backorders", "backorders is not one of no, notify, and yes.")
            changes["backorders"] = data["backorders"]
        if "menu_order" in data:
            changes["menu_order"] = int(data["menu_order"] or 0)
        record.update(changes)
        self._sync_stock_status(record)

    def _create_product(self, data: Any, *, parent_id: int | None = None) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise ApiError(400, "rest_invalid_param", "Invalid parameter(s): body")
        if data.get("id"):
            kind = "product_variation" if parent_id else "product"
            raise ApiError(400, f"woocommerce_rest_{kind}_exists", f"Cannot create existing {kind}.")
        now = self.now()
        record: dict[str, Any] = {
            "id": 0, "parent_id": parent_id or 0, "type": "variation" if parent_id else "simple",
            "status": "publish", "name": "Product" if not parent_id else "", "sku": "", "global_unique_id": "",
            "regular_price": "", "sale_price": "", "description": "", "short_description": "", "category_ids": [],
            "tax_class": "", "weight": "", "manage_stock": False, "stock_quantity": None, "stock_status": "instock",
            "backorders": "no", "total_sales": 0, "menu_order": 0, "created": now, "modified": now,
        }
        self._apply_product_fields(record, data, variation=parent_id is not None)
        if parent_id and not record["name"]:
            record["name"] = self._products[parent_id]["name"]
        record["id"] = self._new_post_id()
        self._products[record["id"]] = record
        return record

    def _update_product(self, data: Any, *, parent_id: int | None = None) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise ApiError(400, "rest_invalid_param", "Invalid parameter(s): body")
        try:
            pid = int(data.get("id") or 0)
        except (TypeError, ValueError):
            pid = 0
        record = self._products.get(pid)
        if parent_id is None:
            if record is None or record["status"] == "trash":
                raise ApiError(400, "woocommerce_rest_product_invalid_id", "Invalid ID.")
            if record["type"] == "variation":
                raise ApiError(404, "woocommerce_rest_invalid_product_id",
                               "To manipulate product variations you should use the "
                               "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.")
        elif record is None or record["type"] != "variation" or record["parent_id"] != parent_id:
            raise ApiError(400, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.")
        self._apply_product_fields(record, data, variation=parent_id is not None)
        record["modified"] = self.now()  # WooCommerce touches post_modified on every save
        return record

    def _delete_product(self, pid: int, *, parent_id: int | None = None) -> dict[str, Any]:
        record = self._products.get(pid)
        if record is None or (parent_id is not None and record["parent_id"] != parent_id):
            kind = "product_variation" if parent_id else "product"
            raise ApiError(404, f"woocommerce_rest_{kind}_invalid_id", "Invalid ID.")
        rendered = self._render_variation(record) if parent_id else self._render_product(record)
        for child in [c for c in self._products.values() if c["parent_id"] == pid and c["type"] == "variation"]:
            del self._products[child["id"]]
        del self._products[pid]
        return rendered

    def _require_parent(self, product_id: int) -> None:
        parent = self._products.get(product_id)
        if parent is None or parent["type"] == "variation":
            raise ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")

    def _create_product_request(self, *, query: dict[str, str], payload: Any) -> _Response:
        return self._single(self._render_product(self._create_product(payload)), query, 201)

    def _update_product_request(self, product_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        data = {**(payload if isinstance(payload, Mapping) else {}), "id": product_id}
        return self._single(self._render_product(self._update_product(data)), query)

    def _delete_product_request(self, product_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        return self._single(self._delete_product(product_id), query)

    def _create_variation_request(self, product_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        self._require_parent(product_id)
        return self._single(self._render_variation(self._create_product(payload, parent_id=product_id)), query, 201)

    def _update_variation_request(self, product_id: int, variation_id: int, *, query: dict[str, str],
                                  payload: Any) -> _Response:
        data = {**(payload if isinstance(payload, Mapping) else {}), "id": variation_id}
        return self._single(self._render_variation(self._update_product(data, parent_id=product_id)), query)

    # ---------------------------------------------------------------------------------------------
    # Batches (WC_REST_Controller::batch_items)

    def _batch(self, payload: Any, create: Any, update: Any, delete: Any) -> _Response:
        if not isinstance(payload, Mapping):
            payload = {}
        ops = {op: payload.get(op) for op in ("create", "update", "delete") if payload.get(op)}
        total = sum(len(items) if isinstance(items, list) else 1 for items in ops.values())
        if total > self.max_batch:
            raise ApiError(413, "woocommerce_rest_request_entity_too_large",
                           f"Unable to accept more than {self.max_batch} items for this request.")
        response: dict[str, list[Any]] = {}
        for op, handler in (("create", create), ("update", update), ("delete", delete)):
            items = ops.get(op)
            if not items:
                continue
            if not isinstance(items, list):
                items = [items]
            out = response.setdefault(op, [])
            for item in items:
                try:
                    out.append(handler(item))
                except ApiError as exc:
                    if op == "create":
                        item_id: Any = 0
                    elif op == "update":
                        item_id = item.get("id", 0) if isinstance(item, Mapping) else 0
                    else:
                        item_id = item
                    out.append({"id": item_id, "error": {"code": exc.code, "message": exc.message,
                                                         "data": exc.data}})
        return _Response(200, response)

    def _batch_products(self, *, query: dict[str, str], payload: Any) -> _Response:
        return self._batch(
            payload,
            lambda item: self._render_product(self._create_product(item)),
            lambda item: self._render_product(self._update_product(item)),
            lambda item: self._delete_product(int(item)),
        )

    def _batch_variations(self, product_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        self._require_parent(product_id)
        return self._batch(
            payload,
            lambda item: self._render_variation(self._create_product(item, parent_id=product_id)),
            lambda item: self._render_variation(self._update_product(item, parent_id=product_id)),
            lambda item: self._delete_product(int(item), parent_id=product_id),
        )

    # ---------------------------------------------------------------------------------------------
    # Categories

    def _list_categories(self, *, query: dict[str, str], payload: Any) -> _Response:
        return self._list(list(self._categories.values()), query, self._render_category, "/products/categories",
                          date_filters=False, orderby_choices=TERM_ORDERBY, default_orderby="name",
                          default_order="asc",
                          sort_keys={"count": lambda r: (self._render_category(r)["count"], r["id"])})

    def _create_category(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping) or not str(data.get("name") or "").strip():
            raise ApiError(400, "rest_missing_callback_param", "Missing parameter(s): name", params=["name"])
        parent = int(data.get("parent") or 0)
        existing = self._category_by_name(str(data["name"]), parent)
        if existing is not None:
            raise ApiError(400, "term_exists", "A term with the name provided already exists with this parent.",
                           resource_id=existing["id"])
        return self._render_category(self._add_category(str(data["name"]).strip(), parent))

    def _create_category_request(self, *, query: dict[str, str], payload: Any) -> _Response:
        return self._single(self._create_category(payload), query, 201)

    def _batch_categories(self, *, query: dict[str, str], payload: Any) -> _Response:
        def update(item: Any) -> dict[str, Any]:
            term = self._categories.get(int(item.get("id") or 0)) if isinstance(item, Mapping) else None
            if term is None:
                raise ApiError(400, "woocommerce_rest_term_invalid", "Resource does not exist.")
            if item.get("name"):
                term["name"] = _kses(str(item["name"]))
            return self._render_category(term)

        def delete(item: Any) -> dict[str, Any]:
            term = self._categories.pop(int(item), None)
            if term is None:
                raise ApiError(404, "woocommerce_rest_term_invalid", "Resource does not exist.")
            return self._render_category(term)

        return self._batch(payload, self._create_category, update, delete)

    # ---------------------------------------------------------------------------------------------
    # Orders

    def _list_orders(self, *, query: dict[str, str], payload: Any) -> _Response:
        statuses = [s.strip() for s in (query.get("status") or "any").split(",") if s.strip()] or ["any"]
        for status in statuses:
            if status not in ("any", *ORDER_STATUSES):
                raise _invalid_param("status", f"status[0] is not one of any, {', '.join(ORDER_STATUSES)}.")
        records = list(self._orders.values())
        if "any" not in statuses:
            records = [r for r in records if r["status"] in statuses]
        else:
            records = [r for r in records if r["status"] != "trash"]
        if query.get("customer"):
            try:
                customer = int(query["customer"])
            except ValueError:
                raise _invalid_param("customer", "customer is not of type integer.") from None
            records = [r for r in records if r["customer_id"] == customer]
        return self._list(records, query, self._render_order, "/orders")

    def _get_order(self, order_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        record = self._orders.get(order_id)
        if record is None:
            raise ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return self._single(self._render_order(record), query)

    def _check_order_status(self, status: Any) -> str:
        if status not in ORDER_STATUSES:
            raise _invalid_param("status", f"status is not one of {', '.join(ORDER_STATUSES)}.")
        return str(status)

    def _create_order(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise ApiError(400, "rest_invalid_param", "Invalid parameter(s): body")
        if data.get("id"):
            raise ApiError(400, "woocommerce_rest_shop_order_exists", "Cannot create existing shop_order.")
        status = self._check_order_status(data.get("status", "pending"))
        lines = []
        for item in data.get("line_items") or []:
            if not isinstance(item, Mapping):
                raise _invalid_param("line_items", "line_items[0] is not of type object.")
            if not (item.get("product_id") or item.get("variation_id") or item.get("sku")):
                raise ApiError(400, "woocommerce_rest_required_product_reference",
                               "Product ID or SKU is required.")
            lines.append(self._make_line(item))
        now = self.now()
        shipping_total = sum((Decimal(str(s.get("total", "0"))) for s in data.get("shipping_lines") or []
                              if isinstance(s, Mapping)), Decimal(0))
        record = self._new_order(lines, status=status, customer_id=int(data.get("customer_id") or 0),
                                 billing=data.get("billing"), shipping=data.get("shipping"),
                                 currency=data.get("currency"), shipping_total=shipping_total,
                                 payment_method=str(data.get("payment_method") or ""),
                                 customer_note=str(data.get("customer_note") or ""), created=now, modified=now)
        return self._render_order(record)

    def _update_order(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise ApiError(400, "rest_invalid_param", "Invalid parameter(s): body")
        try:
            oid = int(data.get("id") or 0)
        except (TypeError, ValueError):
            oid = 0
        record = self._orders.get(oid)
        if record is None:
            raise ApiError(400, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        if "status" in data:
            status = self._check_order_status(data["status"])
            if status in ("processing", "completed") and not record.get("paid"):
                record["paid"] = self.now()
            record["status"] = status
        for name in ("billing", "shipping"):
            if isinstance(data.get(name), Mapping):
                record[name] = {**record[name], **{k: str(v) for k, v in data[name].items()}}
        if "customer_note" in data:
            record["customer_note"] = str(data["customer_note"] or "")
        record["modified"] = self.now()
        return self._render_order(record)

    def _delete_order(self, oid: int) -> dict[str, Any]:
        record = self._orders.pop(oid, None)
        if record is None:
            raise ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return self._render_order(record)

    def _create_order_request(self, *, query: dict[str, str], payload: Any) -> _Response:
        return self._single(self._create_order(payload), query, 201)

    def _update_order_request(self, order_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        data = {**(payload if isinstance(payload, Mapping) else {}), "id": order_id}
        return self._single(self._update_order(data), query)

    def _delete_order_request(self, order_id: int, *, query: dict[str, str], payload: Any) -> _Response:
        return self._single(self._delete_order(order_id), query)

    def _batch_orders(self, *, query: dict[str, str], payload: Any) -> _Response:
        return self._batch(payload, self._create_order, self._update_order, lambda item: self._delete_order(int(item)))


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping kept-alive connections (or timing out) are normal here, not tracebacks.
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("shop server: client %s went away: %s", client_address, error)
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two send() calls: without TCP_NODELAY the body waits for the client's
    # delayed ACK, about 40 ms per request on Linux loopback.
    disable_nagle_algorithm = True
    server_version = "Apache"
    sys_version = ""
    shop: ShopServer

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines carry OAuth signatures and keys in their query strings: log the path only.
        clean = tuple(re.sub(r"\?\S*", "", arg) if isinstance(arg, str) else arg for arg in args)
        log.debug("shop server: " + format, *clean)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        response = self.shop.handle(self.command, self.path, self.headers, body)
        if response.action == "reset":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            return
        if response.raw is not None:
            data = response.raw
        else:
            data = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=UTF-8", **(response.headers or {})}
        try:
            self.send_response(response.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except OSError:  # the client gave up (e.g. its timeout hit during an injected delay)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trayapp.demo.shop_server",
                                     description="A WooCommerce-compatible demo shop on 127.0.0.1")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--key", help="consumer key (auth off when not given)")
    parser.add_argument("--secret", help="consumer secret")
    parser.add_argument("--seed-products", type=int, default=0, metavar="N", help="add N demo products")
    parser.add_argument("--orders-every", type=float, default=0.0, metavar="SECONDS",
                        help="place a random customer order every SECONDS")
    parser.add_argument("--utc-offset-minutes", type=int, default=60, help="the site's time zone offset")
    args = parser.parse_args(argv)
    if (args.key is None) != (args.secret is None):
        parser.error("give both --key and --secret, or neither")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    server = ShopServer(args.host, args.port, consumer_key=args.key, consumer_secret=args.secret,
                        site_utc_offset_minutes=args.utc_offset_minutes)
    server.start()
    if args.seed_products:
        server.seed_products(args.seed_products)
    if args.orders_every > 0:
        server.start_placing_orders(args.orders_every)
    print(f"Demo shop (WooCommerce REST API v3) at {server.url}{API_PREFIX}/  - Ctrl+C to stop", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Canonical records exchanged between the ERP side and the shop side.

Both sides map their own shapes to these records; operations only ever see these. Money and
quantities are `Decimal` (ODBC drivers may hand back floats; `to_decimal` turns them back into the
shortest exact decimal). All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

# Product fields that can be synchronised, in a fixed order. Field ownership (which side masters a
# field) is configured per integration with these names.
PRODUCT_FIELDS: tuple[str, ...] = (
    "name",
    "price",
    "sale_price",
    "description",
    "short_description",
    "categories",
    "tax_class",
    "weight",
    "ean",
    "active",
)


def to_decimal(value: Any) -> Decimal | None:
    """Exact Decimal from str/int/float/Decimal; None/'' -> None. Raises ValueError when not a number.

    Floats go through `repr`, the shortest string that round-trips, so 19.99 stays 19.99 rather than
    19.989999999999998436805981327779591083526611328125.
    """
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        try:
            result = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def decimal_text(value: Decimal | None) -> str:
    """Canonical text of a decimal: no exponent, no trailing zeros beyond the unit ('10', '19.9')."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def utc(value: datetime) -> datetime:
    """The same instant as an aware UTC datetime; naive values are taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(slots=True)
class Product:
    sku: str
    name: str = ""
    price: Decimal | None = None  # regular price
    sale_price: Decimal | None = None
    description: str = ""
    short_description: str = ""
    categories: tuple[str, ...] = ()
    tax_class: str = ""
    weight: Decimal | None = None
    ean: str = ""
    active: bool = True  # published in the shop / active in the ERP
    parent_sku: str | None = None  # set for a variation of a variable product
    labels: frozenset[str] = frozenset()  # ERP tags/groups used for export scope
    shop_ref: str | None = None  # shop-side id when read from the shop (opaque, see ShopConnector)
    modified_at: datetime | None = None  # UTC, when the reading side knows it

    def field_values(self, names: tuple[str, ...] | list[str] = PRODUCT_FIELDS) -> dict[str, Any]:
        """The chosen synchronisable fields in canonical, JSON-friendly form (for hashing/diffs)."""
        out: dict[str, Any] = {}
        for name in names:
            value = getattr(self, name)
            if isinstance(value, Decimal) or (value is None and name in ("price", "sale_price", "weight")):
                value = decimal_text(value)
            elif isinstance(value, tuple):
                value = sorted(value)
            out[name] = value
        return out


@dataclass(slots=True)
class StockLevel:
    sku: str
    on_hand: Decimal
    reserved: Decimal = Decimal(0)
    labels: frozenset[str] = frozenset()

    def available(self, buffer: Decimal | int = 0) -> int:
        """On hand - reserved - buffer, rounded down, never negative (no overselling)."""
        value = (self.on_hand - self.reserved - Decimal(buffer)).to_integral_value(rounding=ROUND_FLOOR)
        return max(0, int(value))


@dataclass(slots=True)
class Address:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""
    state: str = ""
    email: str = ""
    phone: str = ""


@dataclass(slots=True)
class Customer:
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    phone: str = ""
    tax_id: str = ""
    shop_customer_id: str = ""  # "0" or "" for guest checkouts


@dataclass(slots=True)
class OrderLine:
    sku: str
    name: str
    quantity: Decimal
    unit_price: Decimal  # gross unit price as charged
    total: Decimal  # gross line total
    tax: Decimal = Decimal(0)
    shop_line_id: str = ""


@dataclass(slots=True)
class Order:
    shop_id: str  # the shop's order id: written on the ERP order as its external reference
    number: str  # the number the customer sees
    status: str  # shop status, e.g. "processing"
    created_at: datetime  # UTC
    modified_at: datetime  # UTC
    currency: str
    total: Decimal
    customer: Customer
    billing: Address
    shipping: Address
    lines: list[OrderLine] = field(default_factory=list)
    shipping_total: Decimal = Decimal(0)
    tax_total: Decimal = Decimal(0)
    payment_method: str = ""
    customer_note: str = ""


@dataclass(slots=True)
class OrderStatus:
    """An ERP order's status, as read from the ERP (ERP status vocabulary)."""

    external_ref: str  # shop order id
    erp_status: str
    erp_key: str = ""  # ERP order id/number, for messages
    changed_at: datetime | None = None


@dataclass(slots=True)
class ItemResult:
    """Outcome of one record inside a batch write: either ok (with the shop id) or an error reason."""

    key: str  # SKU, order id, ...: the record as the caller named it
    ok: bool
    shop_ref: str | None = None
    error: str = ""
    code: str = ""  # the platform's error code, e.g. "product_invalid_sku"


def fingerprint(values: Any) -> str:
    """A stable content hash of JSON-friendly data (dict keys sorted); used for change detection."""
    data = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def record_dict(record: Any) -> dict[str, Any]:
    """Dataclass -> plain dict (shallow), for dry-run listings and JSON output."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass(slots=True)
class BadRecord:
    """A record one side could not read or map (malformed data); reported, never silently dropped."""

    key: str
    reason: str

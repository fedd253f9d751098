"""The benchmark's shop: `ShopServer` with three indexes, so that its own cost stays flat with the catalogue.

The contract server (trayapp.demo.shop_server) finds a product by SKU, checks a GTIN for uniqueness and
lists a product's variations by scanning every product, for every product it writes or renders
(O(n^2) for a catalogue). Measured with both in one process: a full export of 10,000 products takes
33 s against this subclass's 2.7 s, and the quadratic part grows 100x at 100,000 products (about an
hour); the benchmark would then measure the server, not trayapp. This subclass keeps those three lookups in
dictionaries and otherwise runs the contract server's own code (routing, validation, rendering,
batches, counters). Behaviour is the same, with one exception: when an item carries both an invalid
SKU and an invalid GTIN, the GTIN error is reported first.

The same indexes would belong in shop_server.py itself (reported in docs/benchmark.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from trayapp.demo.shop_server import ApiError, ShopServer


def _sku_key(sku: Any) -> str:
    return str(sku or "").strip().casefold()


class _Catalogue(dict):
    """The product store (id -> record), indexing SKU, GTIN and parent on every insert and delete.

    Records change SKU/GTIN in place only through `_apply_product_fields`, which calls `reindex`.
    Index entries are candidates: lookups re-check the record itself.
    """

    def __init__(self, records: Mapping[int, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.by_sku: dict[str, set[int]] = {}
        self.by_gtin: dict[str, set[int]] = {}
        self.children: dict[int, set[int]] = {}
        self._keys: dict[int, tuple[str, str]] = {}
        for key, record in (records or {}).items():
            self[key] = record

    def __setitem__(self, key: int, record: dict[str, Any]) -> None:
        if key in self:
            self._unindex(key)
        super().__setitem__(key, record)
        self._index(key, record)

    def __delitem__(self, key: int) -> None:
        self._unindex(key)
        super().__delitem__(key)

    def pop(self, key: int, *default: Any) -> Any:
        if key in self:
            self._unindex(key)
        return super().pop(key, *default)

    def _index(self, key: int, record: dict[str, Any]) -> None:
        sku, gtin = _sku_key(record.get("sku")), str(record.get("global_unique_id") or "")
        self._keys[key] = (sku, gtin)
        if sku:
            self.by_sku.setdefault(sku, set()).add(key)
        if gtin:
            self.by_gtin.setdefault(gtin, set()).add(key)
        parent = record.get("parent_id") or 0
        if parent:
            self.children.setdefault(parent, set()).add(key)

    def _unindex(self, key: int) -> None:
        sku, gtin = self._keys.pop(key, ("", ""))
        self.by_sku.get(sku, set()).discard(key)
        self.by_gtin.get(gtin, set()).discard(key)
        parent = super().get(key, {}).get("parent_id") or 0
        if parent:
            self.children.get(parent, set()).discard(key)

    def reindex(self, record: dict[str, Any]) -> None:
        key = record.get("id")
        if key in self and super().get(key) is record:
            self._unindex(key)
            self._index(key, record)


class IndexedShopServer(ShopServer):
    """ShopServer whose SKU, GTIN and variation lookups are dictionary look-ups (see module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = self._products = _Catalogue(self._products)

    def load_state(self, path: Any) -> None:
        super().load_state(path)  # assigns a plain dict
        with self._lock:
            self.catalogue = self._products = _Catalogue(self._products)

    def _find_sku(self, sku: str, *, exclude_id: int | None = None) -> dict[str, Any] | None:
        wanted = _sku_key(sku)
        if not wanted:
            return None
        catalogue = self.catalogue
        for key in sorted(catalogue.by_sku.get(wanted, ())):
            record = catalogue.get(key)
            if record is not None and record["id"] != exclude_id and record["status"] != "trash" and \
                    _sku_key(record["sku"]) == wanted:
                return record
        return None

    def _apply_product_fields(self, record: dict[str, Any], data: Mapping[str, Any], *, variation: bool) -> None:
        gtin: str | None = None
        if isinstance(data, Mapping) and "global_unique_id" in data:
            gtin = str(data["global_unique_id"] or "").strip()
            if gtin:
                if not re.fullmatch(r"[0-9-]+", gtin):
                    raise ApiError(400, "product_invalid_global_unique_id",
                                   "Invalid or duplicated GTIN, UPC, EAN or ISBN.")
                catalogue = self.catalogue
                for key in sorted(catalogue.by_gtin.get(gtin, ())):
                    other = catalogue.get(key)
                    if other is not None and other["id"] != record.get("id") and other["status"] != "trash" and \
                            other["global_unique_id"] == gtin:
                        raise ApiError(400, "product_invalid_global_unique_id",
                                       "Invalid or duplicated GTIN, UPC, EAN or ISBN.", resource_id=other["id"])
            data = {name: value for name, value in data.items() if name != "global_unique_id"}
        super()._apply_product_fields(record, data, variation=variation)
        if gtin is not None:
            record["global_unique_id"] = gtin
        self.catalogue.reindex(record)

    def _render_product(self, p: dict[str, Any]) -> dict[str, Any]:
        # The base class lists variations by scanning self._products: give it only this product's children.
        catalogue = self.catalogue
        subset = {key: catalogue[key] for key in catalogue.children.get(p["id"], ()) if key in catalogue}
        with self._lock:
            self._products = subset  # type: ignore[assignment]
            try:
                return super()._render_product(p)
            finally:
                self._products = catalogue

    def _list_products(self, *, query: dict[str, str], payload: Any) -> Any:
        sku = query.get("sku", "")
        if not sku:
            return super()._list_products(query=query, payload=payload)
        # Narrow the store to the candidates for these SKUs; the base class filters them as usual.
        catalogue = self.catalogue
        wanted = {_sku_key(s) for s in sku.split(",")} | {_sku_key(sku)}
        keys = set().union(*(catalogue.by_sku.get(w, set()) for w in wanted))
        subset = {key: catalogue[key] for key in sorted(keys) if key in catalogue}
        with self._lock:
            self._products = subset  # type: ignore[assignment]
            try:
                return super()._list_products(query=query, payload=payload)
            finally:
                self._products = catalogue

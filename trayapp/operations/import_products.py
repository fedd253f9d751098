"""import-products (shop -> ERP): products created or edited in the shop reach the ERP.

1. Read the shop's products changed since the watermark (minus overlap).
2. Compare a content hash of the shop-mastered fields with what was last seen or written: equal ->
   nothing (this is also how trayapp's own writes from export-products are not echoed back).
3. A SKU the ERP lacks is created with every field; an existing product gets only the
   shop-mastered fields (the ERP keeps the fields it masters), and only if something differs.
4. One bad product is recorded and retried (its hash is not stored); the watermark moves only when
   the run did not fail as a whole.
"""

from __future__ import annotations

from dataclasses import replace

from trayapp.errors import RecordError
from trayapp.model import BadRecord, Product, fingerprint
from trayapp.operations.base import RunContext
from trayapp.operations.export_products import ENTITY, EXPORT, IMPORT, product_problem


def run(ctx: RunContext) -> None:
    fields = ctx.integration.shop_fields
    known = ctx.known_hashes(IMPORT)
    retry = ctx.journal.open_failures(ctx.name, ctx.op.name)
    sources = [ctx.shop.iter_products(modified_after=ctx.since())]
    if retry:
        sources.append(ctx.shop.iter_products(skus=sorted(retry)))
    seen: set[str] = set()
    for source in sources:
        for product in source:
            ctx.check()
            key = product.key if isinstance(product, BadRecord) else product.sku
            if key in seen:
                continue
            seen.add(key)
            if isinstance(product, BadRecord):
                ctx.failed(product.key, f"unreadable shop product: {product.reason}")
            elif ctx.scope.in_range(product.sku):
                _import_one(ctx, product, fields, known)
    ctx.move_watermark(ctx.started_at)


def _import_one(ctx: RunContext, product: Product, fields: tuple[str, ...], known: dict[str, str]) -> None:
    digest = fingerprint(product.field_values(fields))
    if known.get(product.sku) == digest:
        ctx.skipped(product.sku, "unchanged")
        return
    problem = product_problem(product)
    if problem:
        ctx.failed(product.sku, problem)
        return
    existing = ctx.erp.find_product(product.sku)
    if existing is None:
        action = "create"
        merged = product
    else:
        merged = replace(existing, **{name: getattr(product, name) for name in fields})
        action = "update" if merged.field_values() != existing.field_values() else "skip"
    if ctx.dry_run:
        {"create": ctx.created, "update": ctx.updated, "skip": ctx.skipped}[action](product.sku, product.name)
        return
    try:
        if action == "create":
            ctx.erp.insert_product(merged)
        elif action == "update":
            ctx.erp.update_product(merged)
    except RecordError as exc:
        ctx.failed(product.sku, f"the ERP refused product {product.sku}: {exc}")
        return
    ctx.journal.set_hashes(ctx.name, IMPORT, [(product.sku, digest)])
    if action == "create":
        # Now in the ERP with the shop's values: export-products must not send them straight back.
        erp_digest = fingerprint(merged.field_values(ctx.integration.erp_fields))
        ctx.journal.set_hashes(ctx.name, EXPORT, [(product.sku, erp_digest)])
    if product.shop_ref:
        ctx.journal.bind(ctx.name, ENTITY, [(product.shop_ref, product.sku)])
    {"create": ctx.created, "update": ctx.updated, "skip": ctx.skipped}[action](product.sku, product.name)

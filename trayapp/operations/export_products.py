"""export-products (ERP -> shop): products created or changed in the ERP are created/updated in the shop.

1. Read the ERP's products: only those changed since the watermark when the profile can say so,
   and a full read at least every `full_scan_every` (ERPs change prices without timestamps).
2. Keep products carrying one of the configured labels (if any).
3. Compare a content hash of the ERP-mastered fields with what was last sent: unchanged -> nothing.
4. Products the shop does not know yet (no binding, SKU not found) are created with all fields;
   known ones get only the ERP-mastered fields. Parents before variations; batches of the
   platform's size; each item's error is recorded and retried next run (its hash is not stored).
5. What was written is recorded for import-products too, so it is not echoed back.
"""

from __future__ import annotations

from datetime import timedelta

from trayapp.model import BadRecord, Product, fingerprint
from trayapp.operations.base import RunContext
from trayapp.shops.base import ProductUpdate

ENTITY = "product"
EXPORT = "export-products"
IMPORT = "import-products"
STOCK = "stock"


def run(ctx: RunContext) -> None:
    fields = ctx.integration.erp_fields
    labels = set(ctx.op.labels)
    full = _needs_full_scan(ctx)
    since = None if full else ctx.since()
    known = ctx.known_hashes(EXPORT)
    bound = ctx.journal.erp_bindings(ctx.name, ENTITY)  # SKU -> shop ref
    changed: list[Product] = []
    seen: set[str] = set()

    def consider(product: Product | BadRecord, *, retry: bool = False) -> None:
        if isinstance(product, BadRecord):
            ctx.failed(product.key, f"unreadable ERP product: {product.reason}")
            return
        seen.add(product.sku)
        in_labels = retry or not labels or labels & product.labels  # a retried product was in scope before
        if not in_labels or not ctx.scope.in_range(product.sku):
            return
        problem = product_problem(product)
        if problem:
            ctx.failed(product.sku, problem)
        elif known.get(product.sku) == fingerprint(product.field_values(fields)):
            ctx.skipped(product.sku, "unchanged")
        else:
            changed.append(product)

    for product in ctx.erp.read_products(changed_since=since, with_labels=bool(labels)):
        ctx.check()
        consider(product)
    # Products that failed before are read again even when the ERP says they did not change.
    for sku in ctx.journal.open_failures(ctx.name, ctx.op.name):
        if sku not in seen and (product := ctx.erp.find_product(sku)) is not None:
            consider(product, retry=True)

    resolve_unbound(ctx, [p.sku for p in changed], bound)
    creates = [p for p in changed if p.sku not in bound]
    # Sorted so that records written through one endpoint (the variations of one product) share batches.
    updates = sorted((ProductUpdate(bound[p.sku], p, fields) for p in changed if p.sku in bound),
                     key=lambda u: u.shop_ref)

    if ctx.dry_run:
        for product in creates:
            ctx.created(product.sku, product.name)
        for update in updates:
            ctx.updated(update.product.sku, update.product.name)
        return

    size = ctx.shop.max_batch_size
    # Two passes: a variation can only be created once its parent exists in the shop.
    variations = sorted((p for p in creates if p.parent_sku is not None), key=lambda p: (p.parent_sku, p.sku))
    for phase in ([p for p in creates if p.parent_sku is None], variations):
        for start in range(0, len(phase), size):
            ctx.check()
            batch = phase[start:start + size]
            _record(ctx, batch, ctx.shop.create_products(batch), created=True)
    for start in range(0, len(updates), size):
        ctx.check()
        batch = updates[start:start + size]
        _record(ctx, [u.product for u in batch], ctx.shop.update_products(batch), created=False)
        ctx.progress(start + size, len(updates))

    ctx.move_watermark(ctx.started_at)
    if full:
        ctx.move_watermark(ctx.started_at, "full")


def _record(ctx: RunContext, products: list[Product], results, *, created: bool) -> None:
    by_sku = {p.sku: p for p in products}
    export_hashes, import_hashes, bindings, new_skus = [], [], [], []
    for item in results:
        product = by_sku.get(item.key)
        if product is None:
            continue
        if not item.ok:
            ctx.failed(item.key, f"the shop refused product {item.key}: {item.error}")
            continue
        export_hashes.append((item.key, fingerprint(product.field_values(ctx.integration.erp_fields))))
        if created:
            # The shop now holds our values for the fields it masters too: not a change to import.
            import_hashes.append((item.key, fingerprint(product.field_values(ctx.integration.shop_fields))))
            new_skus.append(item.key)
            ctx.created(item.key, product.name)
        else:
            ctx.updated(item.key, product.name)
        if item.shop_ref:
            bindings.append((item.shop_ref, item.key))
    ctx.journal.bind(ctx.name, ENTITY, bindings)
    ctx.journal.set_hashes(ctx.name, EXPORT, export_hashes)
    if import_hashes:
        ctx.journal.set_hashes(ctx.name, IMPORT, import_hashes)
        # A product the shop did not have: its stock must be sent even if unchanged in the ERP.
        ctx.journal.forget_hashes(ctx.name, STOCK, new_skus)


def resolve_unbound(ctx: RunContext, skus: list[str], bound: dict[str, str]) -> None:
    """Look up in the shop the SKUs without a binding yet; bind (and add to `bound`) those it has."""
    unbound = [sku for sku in skus if sku not in bound]
    if not unbound:
        return
    found = ctx.shop.find_products(unbound)
    bound.update(found)
    if not ctx.dry_run:
        ctx.journal.bind(ctx.name, ENTITY, [(ref, sku) for sku, ref in found.items()])


def product_problem(product: Product) -> str:
    """Why the shop would reject this product, found before sending it (empty when fine)."""
    if not product.sku.strip():
        return "product without SKU"
    if not product.name.strip():
        return f"product {product.sku} has no name"
    for name in ("price", "sale_price"):
        value = getattr(product, name)
        if value is not None and value < 0:
            return f"product {product.sku} has a negative {name.replace('_', ' ')} ({value})"
    if product.sale_price is not None and product.price is not None and product.sale_price > product.price:
        return f"product {product.sku}: sale price {product.sale_price} is above the price {product.price}"
    return ""


def _needs_full_scan(ctx: RunContext) -> bool:
    if ctx.scope.kind != "incremental" or not ctx.erp.supports_products_changed_since:
        return ctx.scope.kind != "since"
    last_full = ctx.journal.watermark(ctx.name, ctx.watermark_name("full"))
    return last_full is None or ctx.started_at - last_full >= timedelta(seconds=ctx.op.full_scan_every)


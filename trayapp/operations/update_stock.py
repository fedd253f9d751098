"""update-stock (ERP -> shop): the available quantity of each SKU reaches the shop.

1. Read the stock of every SKU from the ERP - always all of it: ERPs change stock without touching
   any timestamp, so only a content comparison finds every change.
2. Keep SKUs carrying one of the configured labels (if any).
3. Available = on hand - reserved - buffer, rounded down, never negative (no overselling).
4. Send only quantities that differ from what the shop was last sent, in batches.
5. SKUs the shop does not have are remembered as missing and looked for again only every
   `recheck_missing_every` (or when export-products creates them), not on every run.
"""

from __future__ import annotations

from datetime import timedelta

from trayapp.model import BadRecord
from trayapp.operations.base import RunContext
from trayapp.operations.export_products import ENTITY, STOCK, resolve_unbound
from trayapp.shops.base import StockUpdate

MISSING = "missing:"


def run(ctx: RunContext) -> None:
    labels = set(ctx.op.labels)
    known = ctx.known_hashes(STOCK)
    bound = ctx.journal.erp_bindings(ctx.name, ENTITY)  # SKU -> shop ref
    recheck = _recheck_missing_due(ctx)
    changed: dict[str, int] = {}
    for level in ctx.erp.read_stock(with_labels=bool(labels)):
        ctx.check()
        if isinstance(level, BadRecord):
            ctx.failed(level.key, f"unreadable ERP stock: {level.reason}")
            continue
        if (labels and not labels & level.labels) or not ctx.scope.in_range(level.sku):
            continue
        quantity = level.available(ctx.op.buffer)
        stored = known.get(level.sku)
        if stored == str(quantity) or (stored == f"{MISSING}{quantity}" and not recheck):
            ctx.skipped(level.sku, "unchanged")
            continue
        changed[level.sku] = quantity

    resolve_unbound(ctx, list(changed), bound)
    missing = [sku for sku in changed if sku not in bound]
    for sku in missing:
        ctx.skipped(sku, "not in the shop")
    updates = [StockUpdate(sku, bound[sku], quantity) for sku, quantity in changed.items() if sku in bound]
    # Sorted by shop ref, records the platform writes through one endpoint (e.g. the variations of one
    # product) share batches instead of being spread over many.
    updates.sort(key=lambda u: u.shop_ref)

    if ctx.dry_run:
        for update in updates:
            ctx.updated(update.sku, f"stock -> {update.quantity}")
        return
    ctx.journal.set_hashes(ctx.name, STOCK, [(sku, f"{MISSING}{changed[sku]}") for sku in missing])
    size = ctx.shop.max_batch_size
    for start in range(0, len(updates), size):
        ctx.check()
        batch = updates[start:start + size]
        results = ctx.shop.set_stock(batch)
        wanted = {u.sku: u.quantity for u in batch}
        ctx.journal.set_hashes(ctx.name, STOCK, [(r.key, str(wanted[r.key])) for r in results if r.ok])
        for item in results:
            if item.ok:
                ctx.updated(item.key, f"stock -> {wanted[item.key]}")
            else:
                ctx.failed(item.key, f"the shop refused stock {wanted[item.key]} for {item.key}: {item.error}")
        ctx.progress(start + size, len(updates))
    if recheck:
        ctx.move_watermark(ctx.started_at, "missing-check")


def _recheck_missing_due(ctx: RunContext) -> bool:
    if ctx.scope.kind != "incremental":
        return True
    last = ctx.journal.watermark(ctx.name, ctx.watermark_name("missing-check"))
    return last is None or ctx.started_at - last >= timedelta(seconds=ctx.op.recheck_missing_every)

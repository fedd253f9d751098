"""update-order-statuses (ERP -> shop): status changes made in the ERP reach the shop.

1. Read the statuses of the ERP orders that came from the shop (those with an external reference).
2. Map each ERP status to a shop status (status_map.to_shop); unmapped statuses are not sent.
3. Send only what differs from what the shop was last told (or showed when the order was imported),
   in batches; each item's own error is recorded and the order is tried again next run.
"""

from __future__ import annotations

from trayapp.model import BadRecord
from trayapp.operations.base import RunContext
from trayapp.operations.import_orders import STATUS_DIRECTION, shop_order_id, status_hash


def run(ctx: RunContext) -> None:
    known = ctx.known_hashes(STATUS_DIRECTION)
    to_shop = ctx.integration.status_to_shop
    pending: list[tuple[str, str]] = []
    for row in ctx.erp.read_order_statuses():
        ctx.check()
        if isinstance(row, BadRecord):
            ctx.failed(row.key, f"unreadable ERP order status: {row.reason}")
            continue
        order_id = shop_order_id(ctx.integration.order_ref_prefix, row.external_ref)
        if order_id is None or not ctx.scope.in_range(order_id):
            continue
        if ctx.scope.kind == "since" and row.changed_at and ctx.scope.since and row.changed_at < ctx.scope.since:
            continue
        shop_status = to_shop.get(row.erp_status)
        if shop_status is None:
            ctx.skipped(order_id, f"ERP status '{row.erp_status}' is not mapped to a shop status")
            continue
        if known.get(order_id) == status_hash(shop_status):
            ctx.skipped(order_id, "unchanged")
            continue
        pending.append((order_id, shop_status))

    if ctx.dry_run:
        for ref, status in pending:
            ctx.updated(ref, f"status -> {status}")
        return
    wanted = dict(pending)
    size = ctx.shop.max_batch_size
    for start in range(0, len(pending), size):
        ctx.check()
        results = ctx.shop.update_order_statuses(pending[start:start + size])
        done = [(r.key, status_hash(wanted[r.key])) for r in results if r.ok]
        ctx.journal.set_hashes(ctx.name, STATUS_DIRECTION, done)
        for item in results:
            if item.ok:
                ctx.updated(item.key, f"status -> {wanted[item.key]}")
            else:
                ctx.failed(item.key, f"the shop refused status '{wanted[item.key]}': {item.error}")
        ctx.progress(start + size, len(pending))
    ctx.move_watermark(ctx.started_at)

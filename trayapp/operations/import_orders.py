"""import-orders (shop -> ERP): new shop orders become ERP orders, each exactly once.

1. Read the shop's orders in the configured statuses changed since the watermark (minus overlap),
   plus every order that failed or was held back before (the retry list).
2. Skip orders already bound in the journal (cheap), hold back orders younger than the settle delay.
3. For each other order: the ERP connector checks the external reference and writes customer,
   header and lines in ONE ERP transaction; only then is the journal binding written. A crash
   between the two leaves an ERP order without binding, which step 3 of the next run finds by its
   external reference and binds, without writing it again.
4. One bad order is recorded with its reason and stays on the retry list; the others go on.
5. The watermark moves to the start of this run (never past a held-back order), only if the run did
   not fail as a whole.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from trayapp.crashpoints import crash_point
from trayapp.errors import RecordError
from trayapp.model import BadRecord, Order
from trayapp.operations.base import RunContext

ENTITY = "order"
STATUS_DIRECTION = "order-status"


def run(ctx: RunContext) -> None:
    retry = ctx.journal.open_failures(ctx.name, ctx.op.name)
    statuses = ctx.op.statuses
    settle_before = ctx.started_at - timedelta(seconds=ctx.op.settle_delay)
    oldest_held: datetime | None = None
    seen: set[str] = set()

    for order in _orders(ctx, statuses, retry):
        ctx.check()
        key = order.key if isinstance(order, BadRecord) else order.shop_id
        if key in seen:  # the retry list and the incremental read may both return an order
            continue
        seen.add(key)
        if isinstance(order, BadRecord):
            ctx.failed(order.key, f"unreadable order: {order.reason}")
            continue
        if ctx.journal.binding(ctx.name, ENTITY, order.shop_id) is not None:
            ctx.skipped(order.shop_id, "already imported")
            continue
        if ctx.op.settle_delay and order.created_at > settle_before:
            oldest_held = min(oldest_held or order.modified_at, order.modified_at)
            ctx.skipped(order.shop_id, "held back: younger than the settle delay", resolved=False)
            continue
        _import_one(ctx, order)
        ctx.progress(len(seen))

    # Orders on the retry list that the shop no longer returns (deleted, or moved to a status we do
    # not import) are settled: they are no longer ours to import.
    if not ctx.dry_run:
        gone = [key for key in retry if key not in seen]
        ctx.succeeded.update(gone)

    mark = ctx.started_at if oldest_held is None else min(ctx.started_at, oldest_held)
    ctx.move_watermark(mark)


def _orders(ctx: RunContext, statuses: tuple[str, ...], retry: dict[str, str]):
    if ctx.scope.kind == "range":
        first, last = int(ctx.scope.first or 0), int(ctx.scope.last or 0)
        ids = [str(n) for n in range(first, last + 1)]
        yield from ctx.shop.iter_orders(ids=ids, statuses=statuses)
        return
    yield from ctx.shop.iter_orders(modified_after=ctx.since(), statuses=statuses)
    if retry:
        yield from ctx.shop.iter_orders(ids=sorted(retry, key=_numeric), statuses=statuses)


def _import_one(ctx: RunContext, order: Order) -> None:
    erp_status = ctx.integration.status_to_erp.get(order.status, order.status)
    reference = external_ref(ctx.integration.order_ref_prefix, order.shop_id)
    detail = f"order {order.number}: {len(order.lines)} line(s), {order.total} {order.currency}"
    if ctx.dry_run:
        existing = ctx.erp.find_order(reference)
        if existing is None:
            ctx.created(order.shop_id, detail)
        else:
            ctx.skipped(order.shop_id, f"already in the ERP as {existing}")
        return
    problem = _validate(order)
    if problem:
        ctx.failed(order.shop_id, f"order {order.number}: {problem}")
        return
    try:
        erp_key, created = ctx.erp.import_order(replace(order, shop_id=reference, status=erp_status))
    except RecordError as exc:
        ctx.failed(order.shop_id, f"order {order.number}: {exc}")
        return
    crash_point("order-before-binding")
    ctx.journal.bind(ctx.name, ENTITY, [(order.shop_id, erp_key)])
    # What the shop shows now is what update-order-statuses must not send back.
    ctx.journal.set_hashes(ctx.name, STATUS_DIRECTION, [(order.shop_id, status_hash(order.status))])
    crash_point("order-after-binding")
    if created:
        ctx.created(order.shop_id, detail)
    else:
        ctx.skipped(order.shop_id, f"already in the ERP as {erp_key}")


def _validate(order: Order) -> str:
    if not order.lines:
        return "has no lines"
    for number, line in enumerate(order.lines, start=1):
        if not line.sku:
            return f"line {number} ({line.name or 'unnamed'}) has no SKU"
        if line.quantity <= 0:
            return f"line {number} ({line.sku}) has quantity {line.quantity}"
    return ""


def external_ref(prefix: str, shop_order_id: str) -> str:
    """The ERP's external reference of a shop order: the shop's id, after the integration's prefix (several
    shops importing into one ERP database each have their own prefix)."""
    return prefix + shop_order_id


def shop_order_id(prefix: str, reference: str) -> str | None:
    """The shop order id in an ERP external reference, or None when the reference belongs to another
    integration (another prefix) or was not written by trayapp."""
    if not reference.startswith(prefix):
        return None
    rest = reference[len(prefix):]
    return rest if rest.isdigit() else None


def status_hash(shop_status: str) -> str:
    return shop_status


def _numeric(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)

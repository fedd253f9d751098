"""Runs one operation of one integration: locks, history, watermarks, failures, the result.

Every run - scheduled, from the CLI, from the tray - goes through `Engine.run`. It holds a lock per
(integration, operation) that also works across processes, so a manual sync and a scheduled one
never process the same records at once, and product import/export of one integration never
overlap. Whole-run failures become a failed RunResult (and leave watermarks where they were);
per-record failures are counted, kept in the history and retried.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from trayapp.config import OPERATIONS, Integration
from trayapp.erp.base import ErpConnector
from trayapp.errors import Cancelled, ConfigError, TrayappError
from trayapp.journal import Journal, now_utc
from trayapp.operations.base import RunContext, RunResult, Scope
from trayapp.secrets import get_secret
from trayapp.shops.base import ShopConnector, ShopSettings

log = logging.getLogger(__name__)

PRODUCT_OPERATIONS = ("export-products", "import-products")
HISTORY_DAYS = 90

ErpFactory = Callable[[Integration], ErpConnector]
ShopFactory = Callable[[Integration], ShopConnector]
Listener = Callable[[str, RunResult], None]  # ("started" | "finished", result)


def open_erp_side(integration: Integration) -> ErpConnector:
    from trayapp.erp.database import open_erp

    password = get_secret(integration.name, integration.erp.password_secret) \
        if integration.erp.password_secret else None
    return open_erp(integration.erp.connection, integration.erp.profile, password=password)


def shop_settings(integration: Integration) -> ShopSettings:
    shop = integration.shop
    key = get_secret(integration.name, shop.key_secret) if shop.key_secret else None
    secret = get_secret(integration.name, shop.secret_secret) if shop.secret_secret else None
    return ShopSettings(platform=shop.platform, url=shop.url, key=key, secret=secret, timeout=shop.timeout,
                        requests_per_second=shop.requests_per_second, batch_size=shop.batch_size,
                        retries=shop.retries, allow_insecure_http=shop.allow_insecure_http)


def open_shop_side(integration: Integration) -> ShopConnector:
    from trayapp.shops.registry import open_shop

    return open_shop(shop_settings(integration))


def operation_module(name: str):
    if name not in OPERATIONS:
        raise ConfigError(f"unknown operation '{name}'; expected one of: {', '.join(OPERATIONS)}")
    return importlib.import_module(f"trayapp.operations.{name.replace('-', '_')}")


class Engine:
    def __init__(self, journal: Journal, locks_dir: Path, *, open_erp: ErpFactory = open_erp_side,
                 open_shop: ShopFactory = open_shop_side, keep_quiet_runs: bool = True) -> None:
        self.journal = journal
        self.locks_dir = Path(locks_dir)
        self.locks_dir.mkdir(parents=True, exist_ok=True)
        self._open_erp, self._open_shop = open_erp, open_shop
        self.keep_quiet_runs = keep_quiet_runs  # event history off: runs that did nothing are not kept
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()

    def add_listener(self, listener: Listener) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _emit(self, event: str, result: RunResult) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event, result)
            except Exception:  # a listener's bug must not fail a sync
                log.exception("run listener failed")

    def lock_path(self, integration: str, name: str) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in integration)
        return self.locks_dir / f"{safe}.{name}.lock"

    def run(self, integration: Integration, operation: str, *, trigger: str = "manual",
            scope: Scope | None = None, dry_run: bool = False, cancel: threading.Event | None = None,
            progress: Callable[[int, int | None], None] | None = None,
            wait: float | None = None) -> RunResult:
        """Run now. `wait`: seconds to wait for a run of the same operation elsewhere (default: manual
        runs wait 10 minutes, scheduled runs not at all -> status 'busy', nothing recorded)."""
        module = operation_module(operation)
        scope = scope or Scope()
        result = RunResult(integration.name, operation, trigger, scope.describe(), dry_run, now_utc())
        locks = [FileLock(self.lock_path(integration.name, operation))]
        if operation in PRODUCT_OPERATIONS:
            locks.append(FileLock(self.lock_path(integration.name, "products")))
        timeout = wait if wait is not None else (600.0 if trigger == "manual" else 0.0)
        held: list[FileLock] = []
        try:
            for lock in locks:
                lock.acquire(timeout=timeout)
                held.append(lock)
        except Timeout:
            for lock in reversed(held):
                lock.release()
            result.status = "busy"
            result.error = "another run of this operation (or of the other product operation) is in progress"
            result.finished_at = now_utc()
            return result
        result.started_at = now_utc()  # the run starts once it holds its locks
        try:
            return self._run_locked(integration, operation, module, result, scope, dry_run, cancel, progress)
        finally:
            for lock in reversed(held):
                lock.release()

    def _run_locked(self, integration, operation, module, result, scope, dry_run, cancel, progress) -> RunResult:
        op_config = integration.operation(operation)
        # Holding the lock, any 'running' row of this operation is left over from a killed process.
        self.journal.mark_interrupted_runs(integration.name, operation)
        if not dry_run:
            result.run_id = self.journal.start_run(integration.name, operation, result.trigger, result.scope,
                                                   result.started_at)
        ctx = RunContext(integration=integration, operation=op_config, journal=self.journal, scope=scope,
                         dry_run=dry_run, result=result, open_erp=lambda: self._open_erp(integration),
                         open_shop=lambda: self._open_shop(integration), cancel=cancel, progress=progress)
        retry_before = {} if dry_run else self.journal.open_failures(integration.name, operation)
        self._emit("started", result)
        log.info("%s %s: started (%s%s%s)", integration.name, operation, result.trigger,
                 f", {result.scope}" if result.scope else "", ", dry run" if dry_run else "")
        try:
            module.run(ctx)
            result.status = "partial" if result.failed else "ok"
        except Cancelled:
            result.status = "cancelled"
            result.error = "stopped before the end; finished records are kept"
        except TrayappError as exc:
            result.status = "failed"
            result.error = str(exc)
        except Exception as exc:
            log.exception("%s %s: unexpected error", integration.name, operation)
            result.status = "failed"
            result.error = f"unexpected error ({type(exc).__name__}: {exc}); see the log file"
        finally:
            try:
                ctx.close()
            except Exception:
                log.warning("closing the connections failed", exc_info=True)
        result.finished_at = now_utc()
        if not dry_run:
            self._record(integration, operation, ctx, result, retry_before)
        level = logging.WARNING if result.status in ("failed", "partial") else logging.INFO
        log.log(level, "%s %s: %s in %.1fs (created %d, updated %d, skipped %d, failed %d)%s",
                integration.name, operation, result.status, result.duration, result.created, result.updated,
                result.skipped, result.failed, f": {result.error}" if result.error else "")
        for key, reason in result.failures[:20]:
            log.warning("%s %s: %s: %s", integration.name, operation, key, reason)
        self._emit("finished", result)
        return result

    def _record(self, integration: Integration, operation: str, ctx: RunContext, result: RunResult,
                retry_before: dict[str, str]) -> None:
        name = integration.name
        if result.failures:
            self.journal.note_failures(name, operation, result.failures)
        settled = [key for key in retry_before if key in ctx.succeeded]
        if settled:
            self.journal.clear_failures(name, operation, settled)
        if result.trigger == "scheduled" and result.status in ("ok", "partial"):
            for mark, value in ctx.pending_watermarks.items():
                self.journal.set_watermark(name, mark, value)
        assert result.run_id is not None
        self.journal.finish_run(result.run_id, status=result.status, finished_at=result.finished_at or now_utc(),
                                created=result.created, updated=result.updated, skipped=result.skipped,
                                failed=result.failed, duration=result.duration, error=result.error,
                                failures=result.failures)
        quiet = result.status == "ok" and not (result.created or result.updated)
        if quiet and not self.keep_quiet_runs:
            self.journal.drop_older_quiet_runs(result.run_id)

    def prune_history(self, days: int = HISTORY_DAYS) -> int:
        return self.journal.prune_runs(now_utc() - timedelta(days=days))

"""What every operation gets: the run context (sides, journal, scope, counters) and the run result."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from trayapp.config import Integration, OperationConfig
from trayapp.erp.base import ErpConnector
from trayapp.errors import Cancelled
from trayapp.journal import Journal
from trayapp.shops.base import ShopConnector

MAX_LISTED_SKIPS = 500  # a dry run lists every create/update, and this many skips


@dataclass(frozen=True, slots=True)
class Scope:
    """Which records a run looks at.

    incremental: what changed since the operation's watermark (scheduled runs; the default);
    all: everything; since: changed since a date; range: record numbers first..last (order ids,
    or SKUs for products and stock). force: send even records whose content hash says unchanged.
    """

    kind: str = "incremental"
    since: datetime | None = None
    first: str | None = None
    last: str | None = None
    force: bool = False

    def describe(self) -> str:
        text = {"incremental": "changes", "all": "all"}.get(self.kind, "")
        if self.kind == "since" and self.since:
            text = f"since {self.since.isoformat(timespec='seconds')}"
        elif self.kind == "range":
            text = f"range {self.first}..{self.last}"
        return text + (" (forced)" if self.force else "")

    def in_range(self, key: str) -> bool:
        """For range scopes: numeric keys compare as numbers, others as text."""
        if self.kind != "range":
            return True
        first, last = self.first or "", self.last or ""
        if key.isdigit() and first.isdigit() and last.isdigit():
            return int(first) <= int(key) <= int(last)
        return first <= key <= last


@dataclass(slots=True)
class PlannedChange:
    action: str  # create | update | skip | fail
    key: str
    detail: str = ""


@dataclass(slots=True)
class RunResult:
    integration: str
    operation: str
    trigger: str  # scheduled | manual
    scope: str
    dry_run: bool
    started_at: datetime
    run_id: int | None = None
    status: str = "running"  # ok | partial | failed | cancelled | busy
    finished_at: datetime | None = None
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    error: str = ""
    failures: list[tuple[str, str]] = field(default_factory=list)
    planned: list[PlannedChange] = field(default_factory=list)

    @property
    def duration(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "run_id": self.run_id, "integration": self.integration, "operation": self.operation,
            "trigger": self.trigger, "scope": self.scope, "dry_run": self.dry_run, "status": self.status,
            "started_at": self.started_at.isoformat(), "duration": round(self.duration, 3),
            "created": self.created, "updated": self.updated, "skipped": self.skipped,
            "failed": self.failed, "error": self.error,
            "failures": [{"key": k, "reason": r} for k, r in self.failures],
        }
        if self.dry_run:
            data["planned"] = [{"action": p.action, "key": p.key, "detail": p.detail} for p in self.planned]
        return data


class RunContext:
    """One run of one operation: lazily opened sides, counters, watermarks to move on success."""

    def __init__(self, *, integration: Integration, operation: OperationConfig, journal: Journal,
                 scope: Scope, dry_run: bool, result: RunResult,
                 open_erp: Callable[[], ErpConnector], open_shop: Callable[[], ShopConnector],
                 cancel: threading.Event | None = None,
                 progress: Callable[[int, int | None], None] | None = None) -> None:
        self.integration = integration
        self.name = integration.name
        self.op = operation
        self.journal = journal
        self.scope = scope
        self.dry_run = dry_run
        self.result = result
        self.started_at = result.started_at
        self._open_erp, self._open_shop = open_erp, open_shop
        self._erp: ErpConnector | None = None
        self._shop: ShopConnector | None = None
        self._cancel = cancel or threading.Event()
        self._progress = progress
        self.pending_watermarks: dict[str, datetime] = {}
        self.succeeded: set[str] = set()
        self._listed_skips = 0

    # -- sides, opened on first use and closed by the engine

    @property
    def erp(self) -> ErpConnector:
        if self._erp is None:
            self._erp = self._open_erp()
        return self._erp

    @property
    def shop(self) -> ShopConnector:
        if self._shop is None:
            self._shop = self._open_shop()
        return self._shop

    def close(self) -> None:
        for side in (self._shop, self._erp):
            if side is not None:
                side.close()

    # -- scope and watermarks

    def watermark_name(self, suffix: str = "") -> str:
        return self.op.name + (f":{suffix}" if suffix else "")

    def since(self, suffix: str = "") -> datetime | None:
        """Lower bound for "changed since" reads: the watermark minus the overlap (incremental runs),
        the scope's date (since), or None (all, range, first run)."""
        if self.scope.kind == "since":
            return self.scope.since
        if self.scope.kind != "incremental":
            return None
        mark = self.journal.watermark(self.name, self.watermark_name(suffix))
        return mark - timedelta(seconds=self.integration.overlap) if mark else None

    def move_watermark(self, value: datetime, suffix: str = "") -> None:
        """Applied by the engine only if the run ends without a run-level error, only for scheduled
        runs (manual runs never move them), and never in a dry run."""
        self.pending_watermarks[self.watermark_name(suffix)] = value

    def known_hashes(self, direction: str) -> dict[str, str]:
        """Stored content hashes, or none at all when the scope forces a resend."""
        return {} if self.scope.force else self.journal.hashes(self.name, direction)

    # -- counting

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("stopped on request")

    def progress(self, done: int, total: int | None = None) -> None:
        if self._progress is not None:
            self._progress(done, total)

    def created(self, key: str, detail: str = "") -> None:
        self.result.created += 1
        self.succeeded.add(key)
        if self.dry_run:
            self.result.planned.append(PlannedChange("create", key, detail))

    def updated(self, key: str, detail: str = "") -> None:
        self.result.updated += 1
        self.succeeded.add(key)
        if self.dry_run:
            self.result.planned.append(PlannedChange("update", key, detail))

    def skipped(self, key: str = "", detail: str = "", *, resolved: bool = True) -> None:
        self.result.skipped += 1
        if key and resolved:
            self.succeeded.add(key)
        if self.dry_run and key and self._listed_skips < MAX_LISTED_SKIPS:
            self._listed_skips += 1
            self.result.planned.append(PlannedChange("skip", key, detail))

    def failed(self, key: str, reason: str) -> None:
        self.result.failed += 1
        self.result.failures.append((key, reason))
        if self.dry_run:
            self.result.planned.append(PlannedChange("fail", key, reason))

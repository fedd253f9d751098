"""What the tray shows, as plain data (no Qt): the icon state, and which operations are failing.

Kept free of widgets so the rules are unit-testable:
- `icon_state(TrayStatus)` is a pure function;
- `Health` remembers, per (integration, operation), whether its latest real run failed, and says
  when an operation *starts* failing or *recovers* (the only moments worth a notification).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from trayapp.journal import Journal, RunRecord
from trayapp.operations.base import RunResult

Key = tuple[str, str]  # (integration, operation)

FAILING_STATUSES = frozenset({"failed", "partial"})
# Statuses that say something about an operation's health. "cancelled" (stopped by the user or at
# quit), "interrupted" (the process died) and "busy" (another run held the lock) say nothing: the
# previous verdict stands.
VERDICT_STATUSES = frozenset({"ok", "partial", "failed"})


class IconState(StrEnum):
    STOPPED = "stopped"  # automatic sync paused, or nothing scheduled
    RUNNING = "running"  # automatic sync on, waiting for the next run
    SYNCING = "syncing"  # an operation runs right now
    WARNING = "warning"  # some operation's latest run failed (or some of its records did)


@dataclass(frozen=True, slots=True)
class TrayStatus:
    paused: bool = False
    scheduled: int = 0  # jobs this process schedules (active integrations, enabled operations)
    running: frozenset[Key] = frozenset()
    failing: frozenset[Key] = frozenset()
    config_error: str = ""
    stopping: bool = False
    background: frozenset[str] = frozenset()  # integrations another process's scheduler drives


def icon_state(status: TrayStatus) -> IconState:
    """Syncing wins (something is happening now, even a manual run while paused, or a run of the
    background scheduler); then stopped (the user must see that nothing will run, whatever failed
    before) - unless another process's scheduler runs some integration: that one goes on; then
    warning; else running. While quitting, the icon stops showing "running"."""
    if status.running:
        return IconState.SYNCING
    if status.stopping or ((status.paused or status.scheduled == 0) and not status.background):
        return IconState.STOPPED
    if status.failing or status.config_error:
        return IconState.WARNING
    return IconState.RUNNING


@dataclass(frozen=True, slots=True)
class HealthChange:
    key: Key
    failing: bool  # True: started failing; False: recovered
    result: RunResult | RunRecord


@dataclass(slots=True)
class Health:
    """The latest verdict (ok / partial / failed) per operation, from the journal and then from runs."""

    statuses: dict[Key, str] = field(default_factory=dict)

    @classmethod
    def from_journal(cls, journal: Journal) -> Health:
        health = cls()
        for key, run in journal.last_runs().items():
            verdict = run if run.status in VERDICT_STATUSES else _last_verdict(journal, key)
            if verdict is not None:
                health.statuses[key] = verdict.status
        return health

    def failing(self, integrations: Iterable[str] | None = None) -> frozenset[Key]:
        """Failing operations, of these integrations only (a removed integration's past is no alarm)."""
        names = None if integrations is None else set(integrations)
        return frozenset(key for key, status in self.statuses.items()
                         if status in FAILING_STATUSES and (names is None or key[0] in names))

    def apply(self, result: RunResult | RunRecord) -> HealthChange | None:
        """Record a finished run (from this process's engine, or another's from the journal); returns
        the change if the operation started failing or recovered. Dry runs write nothing and prove
        nothing about the real thing: ignored."""
        if getattr(result, "dry_run", False) or result.status not in VERDICT_STATUSES:
            return None
        key = (result.integration, result.operation)
        before = self.statuses.get(key)
        self.statuses[key] = result.status
        was_failing = before in FAILING_STATUSES
        now_failing = result.status in FAILING_STATUSES
        if now_failing and not was_failing:
            return HealthChange(key, True, result)
        if was_failing and not now_failing:
            return HealthChange(key, False, result)
        return None


def _last_verdict(journal: Journal, key: Key, depth: int = 50) -> RunRecord | None:
    for run in journal.runs(limit=depth, integration=key[0], operation=key[1]):
        if run.status in VERDICT_STATUSES:
            return run
    return None


def latest_by_integration(last: Mapping[Key, RunRecord]) -> dict[str, RunRecord]:
    """The most recent run of each integration (any operation)."""
    latest: dict[str, RunRecord] = {}
    for (name, _operation), run in last.items():
        if name not in latest or run.id > latest[name].id:
            latest[name] = run
    return latest

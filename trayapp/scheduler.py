"""The scheduler service (no Qt): one APScheduler job per (integration, operation).

- BackgroundScheduler; jobs coalesce, never overlap themselves (max_instances=1: an overrunning run
  makes the next tick skip, not queue) and run however late (misfire_grace_time=None), so runs
  missed during sleep/suspend run once on resume; a watchdog notices wall-clock jumps and wakes
  the scheduler at once.
- Scheduled runs happen only when the integration is active AND automatic sync is on, the
  operation is enabled, and now is inside one of the integration's time windows.
- A per-integration lock file, held for as long as this process drives the integration, makes sure
  two processes (tray and background service, two users) never schedule the same integration.
- Config changes (saved by the UI, the CLI or an editor) are applied without a restart.
- stop() lets running operations finish their current record (an order is committed or rolled back
  whole) and returns when they have.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from apscheduler.executors.pool import ThreadPoolExecutor as JobExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from filelock import FileLock, Timeout

from trayapp.config import OPERATIONS, Config, load_config
from trayapp.engine import Engine
from trayapp.errors import ConfigError
from trayapp.journal import now_utc
from trayapp.operations.base import RunResult, Scope

log = logging.getLogger(__name__)

WATCHDOG_PERIOD = 2.0  # seconds between watchdog checks (config changes, clock jumps, lock retries)
CLOCK_JUMP = 30.0  # a wall-clock gap this much larger than the period means suspend/resume
START_STAGGER = 1.0  # seconds between the first runs of an integration's operations


@dataclass(slots=True)
class JobState:
    integration: str
    operation: str
    interval: float
    next_run: datetime | None
    running: bool


class SchedulerService:
    def __init__(self, engine: Engine, config_path: Path, *, locks_dir: Path,
                 config_loader: Callable[[Path], Config] = load_config, run_at_start: bool = True) -> None:
        self.engine = engine
        self.config_path = Path(config_path)
        self.locks_dir = Path(locks_dir)
        self._load = config_loader
        self.run_at_start = run_at_start
        self.config = Config(path=self.config_path)
        self.config_error: str = ""
        self._config_stamp: tuple[int, int] | None = None
        self._scheduler = BackgroundScheduler(
            executors={"default": JobExecutor(max_workers=8)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone="UTC")
        self._driver_locks: dict[str, FileLock] = {}
        self._not_driven: set[str] = set()
        self._running: set[tuple[str, str]] = set()
        self._state_lock = threading.RLock()
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._manual = ThreadPoolExecutor(max_workers=2, thread_name_prefix="manual-sync")
        self._paused = False
        self.started = False
        self.state_listeners: list[Callable[[], None]] = []
        engine.add_listener(self._on_run_event)

    # ------------------------------------------------------------ lifecycle

    def start(self, *, paused: bool = False) -> None:
        self._paused = paused
        self._scheduler.start(paused=paused)
        self.started = True
        self.reload(force=True)
        self._watchdog = threading.Thread(target=self._watch, name="scheduler-watchdog", daemon=True)
        self._watchdog.start()
        log.info("scheduler started%s", " (paused)" if paused else "")
        self._notify_state()

    def stop(self, *, wait: bool = True) -> None:
        """Stop scheduling; running operations finish their current record and stop."""
        if not self.started:
            return
        self._stop.set()
        try:
            self._scheduler.shutdown(wait=wait)
        finally:
            self._manual.shutdown(wait=wait, cancel_futures=True)
            with self._state_lock:
                for lock in self._driver_locks.values():
                    lock.release(force=True)
                self._driver_locks.clear()
            self.started = False
            log.info("scheduler stopped")
            self._notify_state()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Stop automatic sync (manual runs still work)."""
        self._scheduler.pause()
        self._paused = True
        self._notify_state()

    def resume(self) -> None:
        self._scheduler.resume()
        self._paused = False
        self._notify_state()

    # ------------------------------------------------------------ configuration

    def reload(self, config: Config | None = None, *, force: bool = False) -> bool:
        """Apply the configuration (given, or read from the file when it changed). Returns whether
        anything was applied. An invalid file keeps the previous jobs and sets `config_error`."""
        if config is None:
            stamp = self._stamp()
            if not force and stamp == self._config_stamp:
                return False
            try:
                config = self._load(self.config_path)
            except ConfigError as exc:
                if self.config_error != str(exc):
                    log.error("configuration not applied: %s", exc)
                self.config_error = str(exc)
                self._config_stamp = stamp
                self._notify_state()
                return False
            self._config_stamp = stamp
        self.config_error = ""
        with self._state_lock:
            self.config = config
            self.engine.keep_quiet_runs = config.settings.event_history
            self._apply_jobs(config)
        self._notify_state()
        return True

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.config_path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _apply_jobs(self, config: Config) -> None:
        wanted: dict[str, float] = {}
        names = {i.name for i in config.integrations}
        for name in list(self._driver_locks):
            if name not in names:
                self._driver_locks.pop(name).release(force=True)
        self._not_driven &= names
        for integration in config.integrations:
            if not (integration.active and integration.automatic_sync):
                continue
            if not self._drive(integration.name):
                continue
            for operation in OPERATIONS:
                op = integration.operations.get(operation)
                if op is not None and op.enabled:
                    wanted[job_id(integration.name, operation)] = op.interval
        existing = {job.id: job for job in self._scheduler.get_jobs()}
        for jid, job in existing.items():
            if jid not in wanted:
                job.remove()
        stagger = 0
        for jid, interval in wanted.items():
            name, operation = split_job_id(jid)
            job = existing.get(jid)
            if job is None:
                first = now_utc() + timedelta(seconds=stagger * START_STAGGER) if self.run_at_start \
                    else now_utc() + timedelta(seconds=interval)
                stagger += 1
                self._scheduler.add_job(self._run_job, IntervalTrigger(seconds=interval), args=(name, operation),
                                        id=jid, name=f"{name}: {operation}", next_run_time=first)
            elif job.trigger.interval.total_seconds() != interval:
                job.reschedule(IntervalTrigger(seconds=interval))
                log.info("%s: interval now %gs", job.name, interval)

    def _drive(self, name: str) -> bool:
        """Hold the integration's driver lock (kept until removed or stopped); False if another
        process holds it."""
        if name in self._driver_locks:
            return True
        lock = FileLock(self.engine.lock_path(name, "driver"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if name not in self._not_driven:
                log.warning("integration %s is driven by another trayapp process; not scheduling it here", name)
            self._not_driven.add(name)
            return False
        self._driver_locks[name] = lock
        if name in self._not_driven:
            log.info("integration %s: now driven by this process", name)
        self._not_driven.discard(name)
        return True

    # ------------------------------------------------------------ runs

    def _run_job(self, name: str, operation: str) -> RunResult | None:
        if self._stop.is_set():
            return None
        try:
            integration = self.config.integration(name)
        except ConfigError:
            return None
        if not integration.in_window(now_utc()):
            log.debug("%s %s: outside the time windows, not run", name, operation)
            return None
        result = self.engine.run(integration, operation, trigger="scheduled", cancel=self._stop)
        if result.status == "busy":
            log.info("%s %s: skipped this time: %s", name, operation, result.error)
        return result

    def run_now(self, name: str, operations: Sequence[str] | None = None, *, scope: Scope | None = None,
                dry_run: bool = False, cancel: threading.Event | None = None,
                progress: Callable[[str, int, int | None], None] | None = None) -> Future[list[RunResult]]:
        """A manual run ("Sync now") on a worker thread; the future holds one result per operation."""
        integration = self.config.integration(name)
        ops = list(operations or [op for op in OPERATIONS if integration.operation(op).enabled])
        stop = cancel or threading.Event()

        def work() -> list[RunResult]:
            results = []
            for op in ops:
                if stop.is_set() or self._stop.is_set():
                    break
                report = (lambda done, total, op=op: progress(op, done, total)) if progress else None
                results.append(self.engine.run(integration, op, trigger="manual", scope=scope, dry_run=dry_run,
                                               cancel=_either(stop, self._stop), progress=report))
            return results

        return self._manual.submit(work)

    def _on_run_event(self, event: str, result: RunResult) -> None:
        key = (result.integration, result.operation)
        with self._state_lock:
            if event == "started":
                self._running.add(key)
            else:
                self._running.discard(key)

    # ------------------------------------------------------------ state

    def running_operations(self) -> set[tuple[str, str]]:
        with self._state_lock:
            return set(self._running)

    def not_driven(self) -> set[str]:
        return set(self._not_driven)

    def jobs(self) -> list[JobState]:
        running = self.running_operations()
        states = []
        for job in self._scheduler.get_jobs():
            name, operation = split_job_id(job.id)
            states.append(JobState(name, operation, job.trigger.interval.total_seconds(),
                                   getattr(job, "next_run_time", None), (name, operation) in running))
        return states

    def _notify_state(self) -> None:
        for listener in list(self.state_listeners):
            try:
                listener()
            except Exception:
                log.exception("state listener failed")

    def _watch(self) -> None:
        last_wall = time.time()
        while not self._stop.wait(WATCHDOG_PERIOD):
            wall = time.time()
            if wall - last_wall > WATCHDOG_PERIOD + CLOCK_JUMP:
                log.info("the clock jumped %.0fs (suspend/resume?): running missed operations", wall - last_wall)
                self._scheduler.wakeup()
            last_wall = wall
            try:
                changed = self.reload()
                if not changed and self._not_driven:
                    with self._state_lock:
                        self._apply_jobs(self.config)
            except Exception:
                log.exception("scheduler watchdog failed")


def is_driven(lock_path: Path) -> bool:
    """Whether some scheduler - in any process, this one included - drives the integration whose
    driver lock file is `lock_path` (`Engine.lock_path(name, "driver")`): it holds that lock."""
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False


def driver_lock_path(locks_dir: Path, integration: str) -> Path:
    """The driver lock file of `integration` in `locks_dir`, named as Engine.lock_path names it."""
    return Engine.lock_path(SimpleNamespace(locks_dir=Path(locks_dir)), integration, "driver")  # type: ignore[arg-type]


def driven_integrations(locks_dir: Path, names: Sequence[str]) -> dict[str, bool]:
    """is_driven for each integration name."""
    return {name: is_driven(driver_lock_path(locks_dir, name)) for name in names}


def job_id(integration: str, operation: str) -> str:
    return f"{integration}\x1f{operation}"


def split_job_id(jid: str) -> tuple[str, str]:
    name, _, operation = jid.partition("\x1f")
    return name, operation


class _either(threading.Event):
    """An event that is set when either of two events is (for cancel = user cancel OR shutdown)."""

    def __init__(self, a: threading.Event, b: threading.Event) -> None:
        super().__init__()
        self._a, self._b = a, b

    def is_set(self) -> bool:
        return self._a.is_set() or self._b.is_set()

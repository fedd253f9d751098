"""Background mode: integrations another process's scheduler drives - the background service, a
`trayapp run --headless` in a terminal, another user's tray app.

SchedulerService refuses to schedule an integration whose driver lock another process holds
(`not_driven()`). The tray then shows that scheduler's state instead of its own:

- `RemoteRuns` reads the runs the other process records in the shared journal (they do not come
  through this process's Engine listeners): which operations run now, and each run that finished
  since the last look, once - so the icon, the tooltip and the failing/recovered notifications
  follow the other scheduler's runs.
- `ServiceControl` is the background service behind the menu's "Background service ▸": its status,
  start and stop through trayapp.platform.service (systemctl / schtasks / launchctl: subprocesses,
  so always on a worker thread, the result handed back on the GUI thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Container, Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal

from trayapp.journal import Journal, RunRecord
from trayapp.paths import AppPaths
from trayapp.ui.settings.tasks import Tasks
from trayapp.ui.state import Key

log = logging.getLogger(__name__)

FETCH_LIMIT = 2000  # runs read per look; more than that since the last look means the held ones are stale


class RemoteRuns:
    """The runs of the integrations another process drives, from the shared journal.

    `poll()` reads the runs recorded since the last look, plus any still running then (the cursor
    stays before the oldest of those), so a run that started in one look and finished before the
    next is reported finished exactly once. Runs recorded before this object was made are not
    reported (the tray's Health read them from the journal at start); runs of this process are
    excluded by id."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        last = journal.last_runs().values()
        self._baseline = max((run.id for run in last), default=0)
        self._running_at_start = {run.id for run in last if run.status == "running"}  # their end is news
        self._cursor = min([self._baseline, *(i - 1 for i in self._running_at_start)])
        self._reported: set[int] = set()
        self.running: frozenset[Key] = frozenset()

    @property
    def cursor(self) -> int:
        """The next look reads the runs after this id."""
        return self._cursor

    def poll(self, integrations: Iterable[str], exclude: Container[int] = ()) -> tuple[frozenset[Key], list[RunRecord]]:
        """(operations of `integrations` running now, their runs finished since the last look - oldest first)."""
        names = set(integrations)
        rows = self.journal.runs(limit=FETCH_LIMIT, after_id=self._cursor)
        rows.reverse()  # oldest first
        latest: dict[Key, RunRecord] = {}
        finished: list[RunRecord] = []
        for run in rows:
            if run.integration not in names or run.id in exclude:
                continue
            latest[(run.integration, run.operation)] = run
            new = run.id > self._baseline or run.id in self._running_at_start
            if run.status != "running" and new and run.id not in self._reported:
                finished.append(run)
                self._reported.add(run.id)
        # a run is running only if it is its operation's latest: an older 'running' row was left by
        # a process that died (the next run of that operation marks it interrupted)
        live = [run for run in latest.values() if run.status == "running"]
        self.running = frozenset((run.integration, run.operation) for run in live)
        if rows:
            newest = rows[-1].id
            held = [run.id - 1 for run in live] if len(rows) < FETCH_LIMIT else []
            self._cursor = max(self._cursor, min([newest, *held]))
        self._reported = {i for i in self._reported if i > self._cursor}
        return self.running, finished


class ServiceControl(QObject):
    """The background service (trayapp.platform.service) seen from the tray: status, start, stop -
    each on a worker thread. `state` is the last ServiceStatus (None: not known yet), `error` why
    there is none (e.g. no service manager on this system), `busy` "start"/"stop" while asked."""

    changed = Signal()  # state, error or busy changed
    checked = Signal()  # a status check finished (whatever it found)
    done = Signal(str, str)  # "start" or "stop", and "" or the error

    def __init__(self, paths: AppPaths, manager: Callable[[AppPaths], Any] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self._manager = manager or _default_manager
        self.tasks = Tasks(self)
        self.state: Any = None  # trayapp.platform.service.ServiceStatus
        self.error = ""
        self.busy = ""
        self._checking = False
        self._check_again = False

    @property
    def running(self) -> bool | None:
        """Whether the background service runs (None: not known)."""
        if self.error:
            return False
        if self.state is None:
            return None
        return False if not self.state.installed else self.state.running

    def check(self) -> None:
        """Look at the service again (one look at a time; asked while looking, it looks once more)."""
        if self._checking:
            self._check_again = True
            return
        self._checking = True
        self.tasks.run(lambda: self._manager(self.paths).status(), self._on_status, self._on_status_error,
                       name="service-status")

    def start(self) -> None:
        self._act("start")

    def stop(self) -> None:
        self._act("stop")

    def _act(self, action: str) -> None:
        if self.busy:
            return
        self.busy = action
        self.changed.emit()
        log.info("background service: %s, asked from the tray", action)

        def work() -> Any:
            manager = self._manager(self.paths)
            getattr(manager, action)()
            return manager.status()

        self.tasks.run(work, lambda state: self._acted(action, state, ""),
                       lambda error: self._acted(action, None, str(error)), name=f"service-{action}")

    def _acted(self, action: str, state: Any, error: str) -> None:
        self.busy = ""
        if error:
            log.warning("background service: %s failed: %s", action, error)
        else:
            self.state, self.error = state, ""
        self.changed.emit()
        self.done.emit(action, error)
        if error:
            self.check()  # what it is now, after the failed attempt

    def _on_status(self, state: Any) -> None:
        self.state, self.error = state, ""
        self._checked()

    def _on_status_error(self, error: BaseException) -> None:
        log.info("background service: no status: %s", error)
        self.state, self.error = None, str(error) or type(error).__name__
        self._checked()

    def _checked(self) -> None:
        self._checking = False
        self.changed.emit()
        self.checked.emit()
        if self._check_again:
            self._check_again = False
            self.check()


def _default_manager(paths: AppPaths) -> Any:
    from trayapp.platform import service

    return service.default(paths)

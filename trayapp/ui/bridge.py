"""From the scheduler's worker threads to the GUI thread.

Engine listeners and SchedulerService.state_listeners are called on whatever thread runs a job,
reloads the configuration or stops the service. `EngineBridge` turns those calls into Qt signals
that are always *emitted on the bridge's own (GUI) thread*: the worker emits a private signal, a
queued connection delivers it to the bridge's thread, and only there are the public signals
emitted. So any slot connected to `run_started`, `run_finished` or `state_changed` - whatever
connection type - runs on the GUI thread and may touch widgets.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot

from trayapp.operations.base import RunResult
from trayapp.scheduler import SchedulerService

log = logging.getLogger(__name__)


def snapshot(result: RunResult) -> RunResult:
    """A copy the GUI can keep: the engine goes on mutating its RunResult on the worker thread."""
    return dataclasses.replace(result, failures=list(result.failures), planned=list(result.planned))


class EngineBridge(QObject):
    run_started = Signal(object)  # RunResult (a copy)
    run_finished = Signal(object)  # RunResult (a copy)
    state_changed = Signal()  # paused/resumed, configuration reloaded, stopped

    _run_event = Signal(str, object)  # emitted on worker threads
    _state_event = Signal()

    def __init__(self, service: SchedulerService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._attached = False
        self._run_event.connect(self._deliver_run, Qt.ConnectionType.QueuedConnection)
        self._state_event.connect(self._deliver_state, Qt.ConnectionType.QueuedConnection)
        self.attach()

    def attach(self) -> None:
        if not self._attached:
            self.service.engine.add_listener(self._on_run)
            self.service.state_listeners.append(self._on_state)
            self._attached = True

    def detach(self) -> None:
        """Stop listening (before this object is destroyed: a late job must not reach a dead QObject)."""
        if self._attached:
            self.service.engine.remove_listener(self._on_run)
            if self._on_state in self.service.state_listeners:
                self.service.state_listeners.remove(self._on_state)
            self._attached = False

    # -- any thread

    def _on_run(self, event: str, result: RunResult) -> None:
        try:
            self._run_event.emit(event, snapshot(result))
        except RuntimeError:  # the C++ object is gone (the app is quitting)
            log.debug("run event after the bridge was destroyed: %s %s", event, result.operation)

    def _on_state(self) -> None:
        try:
            self._state_event.emit()
        except RuntimeError:
            log.debug("state event after the bridge was destroyed")

    # -- the bridge's (GUI) thread

    @Slot(str, object)
    def _deliver_run(self, event: str, result: RunResult) -> None:
        (self.run_started if event == "started" else self.run_finished).emit(result)

    @Slot()
    def _deliver_state(self) -> None:
        self.state_changed.emit()

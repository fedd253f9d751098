"""Blocking work (database and shop connection tests, listing databases, keyring calls) off the GUI
thread, with the result handed back on the GUI thread.

`Tasks.run(fn, on_done, on_error)` starts `fn` on a daemon thread (a hung ODBC login must never keep
the process from quitting); the thread emits a signal, a queued connection delivers it to the
Tasks object's thread, and only there are `on_done(result)` / `on_error(exception)` called - so they
may touch widgets. When the Tasks object (a child of the dialog) is gone, late results are dropped.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class Tasks(QObject):
    finished = Signal(int)  # task id, after its callback ran (tests wait on this)
    idle = Signal()  # no task left running

    _result = Signal(int, object, object)  # id, result, error: emitted on the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None], *, name: str = "settings-task") -> int:
        task_id = next(self._ids)
        self._pending[task_id] = (on_done, on_error)

        def work() -> None:
            result: Any = None
            error: BaseException | None = None
            try:
                result = fn()
            except Exception as exc:  # handed to on_error on the GUI thread
                error = exc
            with contextlib.suppress(RuntimeError):  # the dialog (and this object) is gone
                self._result.emit(task_id, result, error)

        threading.Thread(target=work, name=f"{name}-{task_id}", daemon=True).start()
        return task_id

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: Any, error: BaseException | None) -> None:
        callbacks = self._pending.pop(task_id, None)
        if callbacks is not None:
            on_done, on_error = callbacks
            try:
                if error is None:
                    on_done(result)
                else:
                    on_error(error)
            except Exception:
                log.exception("a settings task's callback failed")
        self.finished.emit(task_id)
        if not self._pending:
            self.idle.emit()

"""Named points where crash-safety tests kill the process with SIGKILL.

`TRAYAPP_CRASH_AT=<point>[:<n>]` makes the n-th (default 1st) pass through `<point>` kill the
current process with SIGKILL - a real `kill -9`, no cleanup, no atexit. Unset (always, in
production) a crash point costs one dict lookup.
"""

from __future__ import annotations

import os
import signal
import threading

_lock = threading.Lock()
_counts: dict[str, int] = {}


def _target() -> tuple[str, int] | None:
    spec = os.environ.get("TRAYAPP_CRASH_AT")
    if not spec:
        return None
    name, _, nth = spec.partition(":")
    return name, int(nth or 1)


def crash_point(name: str) -> None:
    target = _target()
    if target is None or target[0] != name:
        return
    with _lock:
        _counts[name] = _counts.get(name, 0) + 1
        hit = _counts[name] == target[1]
    if hit:
        os.kill(os.getpid(), signal.SIGKILL)

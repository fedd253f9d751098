"""A guard against a PySide6 6.12.0 reference-count bug on CPython 3.11.

PySide6 6.12.0 (abi3 wheels) hands back `None` from void methods (setText, setChecked, update,
processEvents, ...) and `True` from `SignalInstance.emit()` / `disconnect()` without taking a
reference, as if they were immortal - which they are only from Python 3.12. On 3.11 every such call
costs `None` or `True` one reference; after some ten thousand calls (a settings session, a tray app
running for hours, a test session) CPython deallocates the singleton and aborts ("Fatal Python error:
none_dealloc" / "bool_dealloc"). PySide6 6.11.3 does not do this.

`keep_singletons_alive()` gives `None`, `True` and `False` references to spare, once: harmless where
the bug is absent, a no-op from Python 3.12 (immortal objects). The settings package calls it on
import; the application should call it at start (trayapp/ui/__init__.py), or pin PySide6 below 6.12.
"""

from __future__ import annotations

import ctypes
import sys

SPARE = 1 << 40  # some 10^12 calls
_done = False


def keep_singletons_alive() -> None:
    global _done
    if _done or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    _done = True
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += SPARE

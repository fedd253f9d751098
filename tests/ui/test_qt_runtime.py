"""The Qt binding itself: PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void method
call (and to True on every emit), so a long-running tray app eventually aborts with "none_dealloc".
pyproject.toml excludes that release; this test catches a binding with the same fault."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_void_calls_and_emits_keep_singleton_references(qapp) -> None:
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        emitter.setObjectName("x")
        emitter.fired.emit()
    assert sys.getrefcount(None) >= none_before - 50
    assert sys.getrefcount(True) >= true_before - 50

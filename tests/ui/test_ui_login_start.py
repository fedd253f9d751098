"""Started by the login session (`trayapp --autostart`): the real run_app brings up no window - no
first-start offer, the tray icon alone, or (no tray within the wait) the status window minimised.
A later start by the user brings that window forward."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from trayapp import __version__
from trayapp.paths import app_paths
from trayapp.ui import app as app_module
from trayapp.ui import tray as tray_module
from trayapp.ui.i18n import remove_translators
from trayapp.ui.tray import TrayController

ROOT = Path(__file__).resolve().parents[2]


class Seen:
    """What the app showed, looked at from inside its event loop."""

    def __init__(self) -> None:
        self.controllers: list[TrayController] = []
        self.mode = ""
        self.window_visible = False
        self.window_minimized = False
        self.boxes: list[str] = []


def run_app_and_look(monkeypatch: pytest.MonkeyPatch, *, after_ms: int, act: Callable[[Seen], None] | None = None,
                     **options) -> tuple[int, Seen]:
    """run_app(app_paths(), **options); `after_ms` into its event loop, record what is on screen, then
    quit through the controller (as the menu's Quit does)."""
    seen = Seen()

    class Recording(TrayController):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            seen.controllers.append(self)

    monkeypatch.setattr(app_module, "TrayController", Recording)

    def look() -> None:
        controller = seen.controllers[0]
        if act is not None:
            act(seen)
        seen.mode = controller.mode
        if controller.window is not None:
            seen.window_visible = controller.window.isVisible()
            seen.window_minimized = controller.window.isMinimized()
        seen.boxes = [w.windowTitle() for w in QApplication.topLevelWidgets()
                      if isinstance(w, QMessageBox) and w.isVisible()]
        for widget in QApplication.topLevelWidgets():  # a settings window opened by `act`
            if widget.isVisible() and widget is not controller.window:
                widget.hide()
        controller.quit()

    QTimer.singleShot(after_ms, look)
    try:
        code = app_module.run_app(app_paths().ensure(), **options)
    finally:
        remove_translators()  # run_app installed the system language's: other tests read the source texts
    return code, seen


def test_at_login_without_a_tray_only_a_minimised_status_window(qapp, home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray_module, "tray_available", lambda: False)
    code, seen = run_app_and_look(monkeypatch, after_ms=1500, autostart=True, tray_wait=0.3)
    assert code == 0
    assert seen.mode == "window" and seen.window_visible and seen.window_minimized
    assert seen.boxes == []  # nothing configured, yet no welcome offer at login


def test_at_login_with_a_tray_only_the_icon(qapp, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray_module, "tray_available", lambda: True)
    code, seen = run_app_and_look(monkeypatch, after_ms=500, autostart=True, tray_wait=0.3)
    assert code == 0
    assert seen.mode == "tray" and seen.controllers[0].window is None
    assert seen.boxes == []


def test_started_by_the_user_the_window_and_the_offer_come_up(qapp, home: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray_module, "tray_available", lambda: False)
    code, seen = run_app_and_look(monkeypatch, after_ms=1500, tray_wait=0.3)
    assert code == 0
    assert seen.mode == "window" and seen.window_visible and not seen.window_minimized
    assert seen.boxes == ["Welcome to trayapp"]


def test_a_start_by_the_user_brings_the_minimised_window_forward(qapp, home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray_module, "tray_available", lambda: False)
    code, seen = run_app_and_look(monkeypatch, after_ms=1500, act=lambda s: s.controllers[0].show_yourself(),
                                  autostart=True, tray_wait=0.3)
    assert code == 0
    assert seen.mode == "window" and seen.window_visible and not seen.window_minimized


def test_trayapp_autostart_starts_the_app_at_login(home: Path, tmp_path: Path) -> None:
    """The command the autostart entry runs: run_app gets autostart=True (the log says so), offers
    nothing, and quits on SIGTERM."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    log_file = app_paths().log_dir / "trayapp.log"
    process = subprocess.Popen([sys.executable, "-m", "trayapp", "--autostart"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
            if f"tray app {__version__} started at login" in text:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the app did not start at login:\n" + text)
        assert "offering the demo" not in text and "no system tray yet" in text
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()

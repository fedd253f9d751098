"""`trayapp` without a command: the tray app, with the scheduler running in-process.

run_app: one instance per user; the engine and SchedulerService (BackgroundScheduler: jobs run on
its worker threads, results reach the GUI through EngineBridge signals); the demo if asked for; the
tray icon, or a status window where no tray appears; on first start with nothing configured, an
offer to create the demo. Started at login (`--autostart`) it brings up no window: no offer, and a
status window (where no tray appears) minimised. SIGINT/SIGTERM quit as the menu's Quit does
(running operations finish).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from trayapp import __version__
from trayapp.paths import AppPaths
from trayapp.ui.i18n import install_translators
from trayapp.ui.icons import app_icon
from trayapp.ui.instance import Role, SingleInstance
from trayapp.ui.tray import TRAY_WAIT, TrayController

log = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR = 0, 2


def run_app(paths: AppPaths, demo: Any = None, *, autostart: bool = False, tray_wait: float = TRAY_WAIT) -> int:
    """Run the tray app until Quit; returns the process exit code. `demo`: a DemoRunner (not started).

    `autostart`: started by the login session (`trayapp --autostart`): no window comes up - no
    first-start offer, and where no tray appears within `tray_wait` the status window opens minimised."""
    app = QApplication.instance() or QApplication(["trayapp"])  # argv[0] names the X11 WM_CLASS
    assert isinstance(app, QApplication)
    app.setApplicationName("trayapp")
    app.setApplicationDisplayName("trayapp")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)  # closing a window (About, status window) never quits
    app.setWindowIcon(app_icon())
    install_translators(app)  # the system's language (or TRAYAPP_LANG), before any text is made

    instance = SingleInstance(paths.data_dir)
    role = instance.acquire()
    if role is Role.SECONDARY:
        log.info("trayapp is already running; asked it to show itself")
        return EXIT_OK
    if role is Role.UNRESPONSIVE:
        log.error("another trayapp holds %s but does not answer", instance.lock_path)
        QMessageBox.critical(None, QCoreApplication.translate("App", "trayapp"), QCoreApplication.translate(
            "App", "trayapp seems to be running already, but it does not answer.\n\n"
                   "If it hangs, end the trayapp process (in the task manager) and start trayapp again.\n"
                   "Lock file: %s") % instance.lock_path)
        return EXIT_ERROR

    from trayapp.cli import make_service

    service = make_service(paths)
    controller: TrayController | None = None
    signals: _SignalWatcher | None = None
    try:
        if demo is not None:
            try:
                demo.start()  # fast: a small SQLite file and a local HTTP server
            except Exception as exc:
                log.exception("the demo could not start")
                with contextlib.suppress(Exception):
                    demo.stop()
                QMessageBox.critical(None, QCoreApplication.translate("App", "trayapp demo"),
                                     QCoreApplication.translate("App", "The demo could not start: %s") % exc)
                return EXIT_ERROR
        controller = TrayController(service, paths, demo=demo)
        instance.show_requested.connect(controller.show_yourself)
        controller.stopped.connect(app.quit)
        signals = _SignalWatcher(controller)
        service.start()
        controller.present(tray_wait, minimized=autostart)
        if not service.config.integrations and not service.config_error and demo is None and not autostart:
            controller.offer_first_start()
        log.info("tray app %s started%s", __version__, " at login" if autostart else "")
        app.exec()
        return EXIT_OK
    finally:
        if signals is not None:
            signals.close()
        if service.started:  # the event loop ended some other way (session end): stop cleanly anyway
            service.stop(wait=True)
        running_demo = controller.demo if controller is not None else demo
        if running_demo is not None:
            with contextlib.suppress(Exception):
                running_demo.stop()
        if controller is not None:
            controller.dispose()
        instance.release()


class _SignalWatcher(QObject):
    """SIGINT/SIGTERM -> controller.quit(), through a socket the Qt loop watches (no polling timer:
    a Python signal handler alone would only run when the loop happens to call into Python)."""

    def __init__(self, controller: TrayController) -> None:
        super().__init__(controller)
        self._controller = controller
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno())
        self._previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wake)

    def _on_signal(self, signum: int, _frame: object) -> None:
        log.info("signal %d: quitting", signum)
        QTimer.singleShot(0, self._controller.quit)  # from the event loop, not from inside a handler

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._read.recv(64)  # the Python-level handler runs as soon as we are back in Python

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._read.close()
        self._write.close()

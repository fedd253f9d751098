"""The tray icon, its menu and tooltip: a thin layer over SchedulerService and the engine's journal.

Runs reach this class only through EngineBridge signals (on the GUI thread). The menu's dynamic
part (status line, Start/Stop, Sync now ▸) is rebuilt each time it is about to show. Where no
system tray exists (plain GNOME, or none appeared within TRAY_WAIT seconds of start) a small
status window with the same actions takes its place.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QCursor, QDesktopServices
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon, QWidget

from trayapp import __version__
from trayapp.config import OPERATIONS, Integration
from trayapp.errors import ConfigError
from trayapp.journal import RunRecord
from trayapp.operations.base import RunResult
from trayapp.paths import AppPaths
from trayapp.scheduler import SchedulerService
from trayapp.ui.background import RemoteRuns, ServiceControl
from trayapp.ui.bridge import EngineBridge
from trayapp.ui.icons import status_icon
from trayapp.ui.login import StartAtLogin
from trayapp.ui.state import Health, IconState, Key, TrayStatus, icon_state, latest_by_integration
from trayapp.ui.texts import clock, counts, operation_label, shorten, status_label

log = logging.getLogger(__name__)

TRAY_WAIT = 30.0  # seconds to wait at start for a tray host (it may start after us at login)
TRAY_POLL_MS = 1000
REFRESH_MS = 30_000  # tooltip/next-run refresh while idle
BACKGROUND_POLL_MS = 3000  # a look at who drives what, and at the journal for the other scheduler's runs
MESSAGE_MS = 10_000


def tray_available() -> bool:
    """Whether a system tray host is there now (False under `offscreen` and on plain GNOME)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class TrayController(QObject):
    """Owns the menu, the tray icon (or the status window) and the quit sequence."""

    notified = Signal(str, str)  # title, message: every notification shown (tray balloon or window)
    stopped = Signal()  # the service has stopped (and the demo with it): the app may quit now
    presented = Signal(str)  # "tray" or "window"

    _service_stopped = Signal()  # emitted on the quitting thread
    _manual_failed = Signal(str, str)  # integration, error; emitted on a manual-sync thread

    def __init__(self, service: SchedulerService, paths: AppPaths, *, demo=None,
                 open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
                 service_manager: Callable[[AppPaths], Any] | None = None,
                 parent: QObject | None = None) -> None:
        """`service_manager(paths)`: the background service's manager (default
        trayapp.platform.service.default); called on worker threads only."""
        super().__init__(parent)
        self.service = service
        self.paths = paths
        self.demo = demo  # a started DemoRunner, stopped after the service at quit
        self._open_url = open_url
        self.login = StartAtLogin(self)  # shared by the menu, the status window and Settings
        self.health = Health.from_journal(service.engine.journal)
        self.running: set[Key] = set(service.running_operations())
        # background mode: integrations another process's scheduler drives, and their runs
        self.background: frozenset[str] = frozenset()
        self.remote = RemoteRuns(service.engine.journal)
        self.remote_running: frozenset[Key] = frozenset()
        self._local_runs: set[int] = set()  # ids of this process's runs (the journal has them too)
        self.service_control = ServiceControl(paths, service_manager, self)
        self.service_control.changed.connect(self._show_service_state)
        self.service_control.done.connect(self._service_done)
        self.service_control.checked.connect(self._service_checked)
        self._service_status_wanted = False
        self.stopping = False
        self._config_error = service.config_error  # the one last told about
        self._shown_state: IconState | None = None
        self.mode = ""  # "", "tray", "window"
        self.window: QWidget | None = None
        self._dialogs: list[QWidget] = []  # non-modal dialogs kept alive while open
        self.settings_dialog: QWidget | None = None  # the one settings window, while open
        self.manual_dialog: QWidget | None = None  # the manual sync dialog: hidden, not deleted, when closed
        self.history_window: QWidget | None = None  # the event history window, while open
        self._submenus: list[QMenu] = []
        self._tray_deadline = 0.0
        self._start_minimized = False
        self._tray_timer = QTimer(self)
        self._tray_timer.setInterval(TRAY_POLL_MS)
        self._tray_timer.timeout.connect(self._poll_tray)

        self.bridge = EngineBridge(service, self)
        self.bridge.run_started.connect(self._on_run_started)
        self.bridge.run_finished.connect(self._on_run_finished)
        self.bridge.state_changed.connect(self._on_state_changed)
        self._service_stopped.connect(self._after_stop, Qt.ConnectionType.QueuedConnection)
        self._manual_failed.connect(self._on_manual_failed, Qt.ConnectionType.QueuedConnection)

        self._build_menu()
        self.tray = QSystemTrayIcon(self)
        self.tray.setContextMenu(self.menu)  # always: some hosts (AppIndicator) show nothing without one
        self.tray.activated.connect(self._on_activated)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start()
        self._background_timer = QTimer(self)
        self._background_timer.setInterval(BACKGROUND_POLL_MS)
        self._background_timer.timeout.connect(self.poll_background)
        self._background_timer.start()
        self.refresh()

    # ------------------------------------------------------------------ menu

    def _build_menu(self) -> None:
        self.menu = QMenu()
        self.menu.setToolTipsVisible(True)
        self.status_action = self.menu.addAction("")
        self.status_action.setEnabled(False)
        self.menu.addSeparator()
        self.toggle_action = self.menu.addAction("")
        self.toggle_action.triggered.connect(self.toggle_automatic_sync)
        self.sync_menu = QMenu(self.tr("Sync now"), self.menu)
        self.sync_menu.setToolTipsVisible(True)
        self.sync_menu.aboutToShow.connect(self._rebuild_sync_menu)
        self.menu.addMenu(self.sync_menu)
        self.manual_action = self.menu.addAction(self.tr("Manual sync…"))
        self.manual_action.triggered.connect(self.show_manual_sync)
        self.settings_action = self.menu.addAction(self.tr("Settings…"))
        self.settings_action.triggered.connect(self.show_settings)
        self.history_action = self.menu.addAction(self.tr("Event history…"))
        self.history_action.triggered.connect(self.show_history)
        self.log_action = self.menu.addAction(self.tr("Open log folder"))
        self.log_action.triggered.connect(self.open_log_folder)
        self.menu.addSeparator()
        self.login_action = self.menu.addAction(self.tr("Start at login"))
        self.login_action.setCheckable(True)
        self.login_action.triggered.connect(self.set_start_at_login)
        self.login.changed.connect(lambda: self.login.show_on(self.login_action))
        self.login.show_on(self.login_action)
        self.service_menu = QMenu(self.tr("Background service"), self.menu)
        self.service_menu.setToolTipsVisible(True)
        self.service_state_action = self.service_menu.addAction(self.tr("Checking…"))
        self.service_state_action.setEnabled(False)
        self.service_menu.addSeparator()
        self.service_start_action = self.service_menu.addAction(self.tr("Start"))
        self.service_start_action.triggered.connect(self.service_control.start)
        self.service_stop_action = self.service_menu.addAction(self.tr("Stop"))
        self.service_stop_action.triggered.connect(self.service_control.stop)
        self.service_menu.addSeparator()
        self.service_status_action = self.service_menu.addAction(self.tr("Status…"))
        self.service_status_action.triggered.connect(self.show_service_status)
        self.service_menu.aboutToShow.connect(self.service_control.check)
        self.menu.addMenu(self.service_menu)
        self._show_service_state()
        self.about_action = self.menu.addAction(self.tr("About trayapp"))
        self.about_action.triggered.connect(self.show_about)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction(self.tr("Quit"))
        self.quit_action.triggered.connect(self.quit)
        self.menu.aboutToShow.connect(self._rebuild_dynamic)

    def _unavailable(self, text: str, why: str) -> QAction:
        """Present in the menu, honestly disabled until its window exists."""
        action = self.menu.addAction(text)
        action.setEnabled(False)
        action.setToolTip(why)
        return action

    @Slot()
    def _rebuild_dynamic(self) -> None:
        self.refresh()
        self.login.refresh()  # it may have been changed elsewhere (trayapp autostart, the OS's settings)
        self._rebuild_sync_menu()

    @Slot()
    def _rebuild_sync_menu(self) -> None:
        menu = self.sync_menu
        menu.clear()
        self._submenus.clear()  # they have no parent: dropping them deletes them
        integrations = self.service.config.integrations
        menu.setEnabled(not self.stopping)
        if not integrations:
            menu.addAction(self.tr("No integration configured")).setEnabled(False)
            return
        for integration in integrations:
            submenu = QMenu(integration.name)
            submenu.setToolTipsVisible(True)
            menu.addMenu(submenu)
            self._submenus.append(submenu)
            self._fill_integration_menu(submenu, integration)

    def _fill_integration_menu(self, submenu: QMenu, integration: Integration) -> None:
        name = integration.name
        enabled = [op for op in OPERATIONS if integration.operation(op).enabled]
        everything = submenu.addAction(self.tr("All"))
        everything.setToolTip(self.tr("Every enabled operation of %s, one after the other") % name)
        everything.setEnabled(bool(enabled))
        everything.triggered.connect(lambda *_, n=name: self.sync_now(n))
        submenu.addSeparator()
        if not enabled:
            submenu.addAction(self.tr("No operation enabled")).setEnabled(False)
        for op in enabled:
            action = submenu.addAction(operation_label(op))
            action.setData(op)
            if (name, op) in self.running:
                action.setText(self.tr("%s (running)") % operation_label(op))
                action.setEnabled(False)
            action.triggered.connect(lambda *_, n=name, o=op: self.sync_now(n, [o]))

    # ------------------------------------------------------------------ actions

    @Slot()
    def toggle_automatic_sync(self) -> None:
        if not self.service.started or self.stopping:
            return
        if self.service.paused:
            self.service.resume()
            log.info("automatic sync started from the tray")
        else:
            self.service.pause()
            log.info("automatic sync stopped from the tray")
        self.refresh()

    def sync_now(self, name: str, operations: Sequence[str] | None = None) -> Future | None:
        """A manual run on the service's worker; its progress and result come back through the bridge."""
        if self.stopping:
            return None
        try:
            future = self.service.run_now(name, operations)
        except ConfigError as exc:  # the integration was removed since the menu was built
            self._on_manual_failed(name, str(exc))
            return None
        except RuntimeError as exc:  # the service is shutting down
            log.info("sync now refused: %s", exc)
            return None
        log.info("sync now: %s %s", name, ", ".join(operations or ["all enabled operations"]))

        def done(f: Future) -> None:  # on the worker thread: only emit
            if not f.cancelled() and f.exception() is not None:
                with contextlib.suppress(RuntimeError):  # the app is gone
                    self._manual_failed.emit(name, str(f.exception()))

        future.add_done_callback(done)
        return future

    @Slot(str, str)
    def _on_manual_failed(self, name: str, error: str) -> None:
        log.warning("sync now of %s failed: %s", name, error)
        self.notify(self.tr("Sync now: %s") % name, self.tr("Could not start: %s") % shorten(error, 200),
                    warning=True)

    @Slot(bool)
    def set_start_at_login(self, on: bool) -> bool:
        """The menu's or the status window's checkbox was clicked."""
        error = self.login.set_enabled(on)
        if error:
            self._message(QMessageBox.Icon.Warning, self.tr("Start at login"), error)
        return not error

    @Slot()
    def open_log_folder(self) -> None:
        folder = self.paths.log_dir
        folder.mkdir(parents=True, exist_ok=True)
        if not self._open_url(QUrl.fromLocalFile(str(folder))):
            self._message(QMessageBox.Icon.Warning, self.tr("Open log folder"),
                          self.tr("No file manager could open the log folder. It is:\n%s") % folder)

    @Slot()
    def show_manual_sync(self) -> QWidget:
        """The manual sync dialog (one; a run in progress goes on while it is hidden)."""
        from trayapp.ui.manual_sync import ManualSyncDialog

        if self.manual_dialog is None:
            self.manual_dialog = ManualSyncDialog(self.service, self.bridge, open_history=self.show_history)
            self._keep(self.manual_dialog)
        self.manual_dialog.show_and_raise()
        return self.manual_dialog

    @Slot()
    def show_history(self) -> QWidget:
        """The event history window (one; deleted when closed)."""
        from trayapp.ui.history import HistoryWindow

        if self.history_window is None:
            window = HistoryWindow(self.service.engine.journal, self.bridge, log_dir=self.paths.log_dir,
                                   integrations=lambda: [i.name for i in self.service.config.integrations],
                                   open_url=self._open_url)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda *_: setattr(self, "history_window", None))
            self._keep(window)
            self.history_window = window
        self.history_window.show_and_raise()
        return self.history_window

    @Slot()
    def show_about(self) -> QMessageBox:
        text = self.tr(
            "<p><b>trayapp %(version)s</b> - the Integration Scheduler: keeps an ERP database and online "
            "shops in sync.</p>"
            "<p>Configuration: %(config)s<br>Data (journal, demo): %(data)s<br>Logs: %(logs)s</p>") % {
            "version": __version__, "config": _html(self.paths.config_file), "data": _html(self.paths.data_dir),
            "logs": _html(self.paths.log_dir)}
        box = self._message(QMessageBox.Icon.Information, self.tr("About trayapp"), text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return box

    def _message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """A non-modal message box (a tray app has no main window to be modal to)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close)
        box.setModal(False)  # QMessageBox is application-modal by default: it would block the tray menu
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep(box)
        box.show()
        box.raise_()
        box.activateWindow()
        return box

    def _keep(self, widget: QWidget) -> None:
        self._dialogs.append(widget)
        widget.destroyed.connect(lambda *_: self._dialogs.remove(widget) if widget in self._dialogs else None)

    # ------------------------------------------------------------------ first start, demo

    def offer_first_start(self) -> QMessageBox:
        """Nothing configured: offer the demo, or the settings to set up an integration."""
        log.info("first start: nothing configured; offering the demo or the settings")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Welcome to trayapp"), self.tr(
            "No integration is set up yet.\n\n"
            "The demo connects a demo ERP database to a demo shop running on this computer, so you can "
            "watch orders, products and stock flow within a minute. Nothing outside this computer is "
            "touched."))
        box.setInformativeText(self.tr("To connect your own ERP database and shop, open the settings."))
        self.demo_button = box.addButton(self.tr("Create the demo integration"), QMessageBox.ButtonRole.AcceptRole)
        self.first_settings_button = box.addButton(self.tr("Open settings"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.demo_button)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.create_demo() if button is self.demo_button
                                  else self.show_settings() if button is self.first_settings_button else None)
        self._keep(box)
        box.show()
        return box

    def create_demo(self) -> bool:
        from trayapp.demo.runner import DemoRunner

        if self.demo is not None:
            return True
        runner = DemoRunner(self.paths)
        try:
            runner.start()  # fast: a small SQLite file and a local HTTP server
        except Exception as exc:
            log.exception("the demo could not start")
            runner.stop()
            self._message(QMessageBox.Icon.Critical, self.tr("Demo"),
                          self.tr("The demo could not start: %s") % exc)
            return False
        self.demo = runner
        self.service.reload()  # now, rather than at the watchdog's next look at the file
        assert runner.shop is not None
        self.notify(self.tr("Demo started"), self.tr(
            "A demo shop runs at %s and places an order now and then; the demo integration syncs it with "
            "the demo ERP. Watch the icon and its tooltip.") % runner.shop.url)
        return True

    # ------------------------------------------------------------------ presenting

    def present(self, tray_wait: float = TRAY_WAIT, *, minimized: bool = False) -> None:
        """Show the tray icon; if there is no tray, wait for one up to `tray_wait` seconds, then show
        the status window instead (`minimized`: started at login, so not in the user's face)."""
        self._start_minimized = minimized
        if tray_available():
            self.show_tray()
        elif tray_wait <= 0:
            self.show_window(minimized=minimized)
        else:
            log.info("no system tray yet; waiting up to %gs for one", tray_wait)
            self._tray_deadline = time.monotonic() + tray_wait
            self._tray_timer.start()

    @Slot()
    def _poll_tray(self) -> None:
        if tray_available():
            self._tray_timer.stop()
            self.show_tray()
        elif time.monotonic() >= self._tray_deadline:
            self._tray_timer.stop()
            log.info("no system tray appeared: showing the status window%s",
                     " minimised" if self._start_minimized else "")
            self.show_window(minimized=self._start_minimized)

    def show_tray(self) -> None:
        self._tray_timer.stop()
        self.mode = "tray"
        self.refresh()
        self.tray.show()
        if self.window is not None:
            self.window.hide()
        log.info("tray icon shown")
        self.presented.emit("tray")

    def show_window(self, *, minimized: bool = False) -> None:
        """The status window: minimised (in the taskbar only), or brought to the front (also out of
        the taskbar when it was minimised)."""
        from trayapp.ui.window import StatusWindow

        self._tray_timer.stop()
        self.mode = "window"
        if self.window is None:
            self.window = StatusWindow(self)
        self.refresh()
        if minimized:
            self.window.showMinimized()
        else:
            self.window.setWindowState(self.window.windowState() & ~Qt.WindowState.WindowMinimized)
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()
        self.presented.emit("window")

    @Slot()
    def show_yourself(self) -> None:
        """Another start of trayapp asked this one to come forward: its settings (and, where there is
        no tray icon yet, the status window) come to the front."""
        if self.mode != "tray":  # the status window, or still waiting for a tray
            self.show_window()
        self.show_settings()

    @Slot()
    def show_settings(self) -> QWidget | None:
        """The settings window: the open one brought forward, or a new one on the current configuration."""
        from trayapp.ui.settings.dialog import SettingsDialog

        if self.stopping:
            return None
        dialog = self.settings_dialog
        if dialog is None:
            dialog = SettingsDialog(self.service, login=self.login)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._settings_closed)
            self._keep(dialog)
            self.settings_dialog = dialog
        dialog.bring_forward()
        return dialog

    @Slot()
    def _settings_closed(self) -> None:
        self.settings_dialog = None

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # macOS opens the context menu itself on a click; elsewhere a left click shows it too
        if reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin":
            self.menu.popup(QCursor.pos())

    def notify(self, title: str, message: str, *, warning: bool = False) -> None:
        log.info("notification: %s: %s", title, message)
        self.notified.emit(title, message)
        if self.mode == "tray":
            icon = QSystemTrayIcon.MessageIcon.Warning if warning else QSystemTrayIcon.MessageIcon.Information
            self.tray.showMessage(title, message, icon, MESSAGE_MS)
        elif self.window is not None:
            self.window.show_message(title, message, warning=warning)

    # ------------------------------------------------------------------ runs and state

    # ------------------------------------------------------------------ background mode

    def background_is_service(self) -> bool:
        """Whether the other scheduler is (as far as known) the background service: it is, unless a
        look at the service found it not running (then it is e.g. `trayapp run --headless`)."""
        return self.service_control.running is not False

    @Slot()
    def poll_background(self) -> None:
        """Which integrations another process drives (SchedulerService does not schedule those), and
        their runs from the journal: running now, and finished since the last look."""
        if self.stopping:
            return
        active = {i.name for i in self.service.config.integrations if i.active and i.automatic_sync}
        background = frozenset(self.service.not_driven() & active) if self.service.started else frozenset()
        changed = background != self.background
        if changed:
            log.info("integrations driven by another process: %s", ", ".join(sorted(background)) or "none")
            self.background = background
            if background:
                self.service_control.check()  # the background service, or some other process?
        try:
            running, finished = self.remote.poll(background, self._local_runs)
        except Exception:  # the journal is busy or unreadable: try again at the next look
            log.warning("reading the other scheduler's runs failed", exc_info=True)
            running, finished = self.remote_running, []
        self._local_runs = {i for i in self._local_runs if i > self.remote.cursor}  # the looks have passed them
        for run in finished:
            self._verdict(run)
        if running != self.remote_running:
            self.remote_running = running
            changed = True
        if changed or finished:
            self.refresh()

    @Slot()
    def _show_service_state(self) -> None:
        """The Background service ▸ menu from what is known about the service."""
        control = self.service_control
        state = control.state
        start = stop = False
        reason = ""
        if control.busy:
            line = self.tr("Starting…") if control.busy == "start" else self.tr("Stopping…")
        elif control.error:
            line = self.tr("Not available here")
            reason = shorten(control.error, 300)
        elif state is None:
            line = self.tr("Checking…")
        elif not state.installed:
            line = self.tr("Not installed")
            reason = self.tr("The background service is not installed. To install it, in a terminal: %s") % (
                self._service_command("install"))
        elif state.running:
            line = self.tr("Running")
            stop = True
        elif state.running is None:
            line = self.tr("Installed (whether it runs is not known here)")
            start = stop = True
        else:
            line = self.tr("Stopped")
            start = True
        self.service_state_action.setText(line)
        self.service_state_action.setToolTip(reason)
        for action, enabled in ((self.service_start_action, start), (self.service_stop_action, stop)):
            action.setEnabled(enabled and not self.stopping)
            action.setToolTip("" if enabled else reason)
        if self.window is not None or self.background:
            self.refresh()

    def _service_command(self, action: str) -> str:
        if sys.platform == "win32":
            return self.tr("trayapp-cli service %s (as administrator)") % action
        return f"sudo trayapp service {action}"

    @Slot(str, str)
    def _service_done(self, action: str, error: str) -> None:
        if error:
            text = (self.tr("The background service could not be started.") if action == "start"
                    else self.tr("The background service could not be stopped."))
            hint = self.tr("You may need administrator rights; in a terminal: %s") % self._service_command(action)
            self._message(QMessageBox.Icon.Warning, self.tr("Background service"), f"{text}\n\n{error}\n\n{hint}")
            return
        if action == "start":
            self.notify(self.tr("Background service started"), self.tr(
                "The background service runs the integrations this app does not already run."))
        else:
            self.notify(self.tr("Background service stopped"), self.tr(
                "This app runs the integrations the background service ran, within seconds."))
        self.poll_background()

    @Slot()
    def show_service_status(self) -> None:
        """Status…: a fresh look at the service, then a window with what it found."""
        self._service_status_wanted = True
        self.service_control.check()

    @Slot()
    def _service_checked(self) -> None:
        if self._service_status_wanted:
            self._service_status_wanted = False
            self.service_status_box = self._message(QMessageBox.Icon.Information, self.tr("Background service"),
                                                    self.service_status_text())

    def service_status_text(self) -> str:
        control = self.service_control
        state = control.state
        if control.error or state is None:
            return self.tr("The background service is not available here:\n%s") % (
                control.error or self.tr("its state is not known"))
        if not state.installed:
            return self.tr("The background service is not installed.\n\nIt runs synchronisation when nobody is "
                           "logged in. To install it, in a terminal: %s") % self._service_command("install")
        yes_no = {True: self.tr("yes"), False: self.tr("no"), None: self.tr("not known")}
        lines = [
            self.tr("Running: %s") % yes_no[state.running],
            self.tr("Starts with the computer: %s") % yes_no[state.enabled],
            self.tr("Defined in: %s") % state.definition,
        ]
        if state.run_as:
            lines.append(self.tr("Runs as: %s") % state.run_as)
        driven = [item["name"] for item in state.integrations if item.get("driven")]
        if driven:
            lines.append(self.tr("Integrations a scheduler runs: %s") % ", ".join(driven))
        if self.background:
            lines.append(self.tr("Run by another process, not by this app: %s") % ", ".join(sorted(self.background)))
        lines.extend(state.hints)  # the service manager's own notes (English, from the command line tool)
        return "\n".join(lines)

    @Slot()
    def _on_state_changed(self) -> None:
        error = self.service.config_error
        if error and error != self._config_error:
            self.notify(self.tr("The configuration file has an error"), self.tr(
                "%s\nThe previous settings stay in effect until the file is fixed.") % shorten(error, 240),
                warning=True)
        self._config_error = error
        self.poll_background()  # a (re)load decides which integrations this process drives
        self.refresh()

    @Slot(object)
    def _on_run_started(self, result: RunResult) -> None:
        self.running.add((result.integration, result.operation))
        if result.run_id is not None:
            self._local_runs.add(result.run_id)
        self.refresh()

    @Slot(object)
    def _on_run_finished(self, result: RunResult) -> None:
        self.running.discard((result.integration, result.operation))
        if result.run_id is not None:
            self._local_runs.add(result.run_id)
        self._verdict(result)
        self.refresh()

    def _verdict(self, result: RunResult | RunRecord) -> None:
        """A finished run, of this process or of the background scheduler: the operation's health,
        and a notification when it starts failing or recovers."""
        change = self.health.apply(result)
        if change is not None and self._notifications_on(result.integration):
            label = operation_label(result.operation)
            if change.failing:
                self.notify(self.tr("%(integration)s: %(operation)s failed") % {
                    "integration": result.integration, "operation": label}, self._failure_text(result),
                    warning=True)
            else:
                self.notify(self.tr("%(integration)s: %(operation)s works again") % {
                    "integration": result.integration, "operation": label},
                    self.tr("The last run finished without errors (%s).") % counts(result))

    def _failure_text(self, result: RunResult | RunRecord) -> str:
        if result.status == "failed":
            return shorten(result.error or self.tr("The run failed; see the log."), 240)
        if isinstance(result, RunRecord):  # another process's run: its failed records are in the journal
            failures = self.service.engine.journal.run_failures(result.id)[:1]
        else:
            failures = result.failures
        first = failures[0] if failures else None
        text = self.tr("%n record(s) could not be synced; the others were. They are retried on the next run.",
                       "", result.failed)
        if first is not None:
            text += " " + shorten(f"{first[0]}: {first[1]}", 160)
        return text

    def _notifications_on(self, name: str) -> bool:
        try:
            return self.service.config.integration(name).notifications
        except ConfigError:
            return False

    def status(self) -> TrayStatus:
        names = [i.name for i in self.service.config.integrations]
        return TrayStatus(paused=self.service.paused,
                          scheduled=len(self.service.jobs()) if self.service.started else 0,
                          running=frozenset(self.running) | self.remote_running, failing=self.health.failing(names),
                          config_error=self.service.config_error, stopping=self.stopping,
                          background=self.background)

    @property
    def icon_state(self) -> IconState:
        return icon_state(self.status())

    @Slot()
    def refresh(self) -> None:
        """Icon, tooltip, status line, Start/Stop text (and the status window) from the current state."""
        status = self.status()
        state = icon_state(status)
        line = self.status_line(status)
        self.status_action.setText(line)
        self.status_action.setToolTip(status.config_error)
        self.toggle_action.setText(self.tr("Start automatic sync") if self.service.paused
                                   else self.tr("Stop automatic sync"))
        self.toggle_action.setEnabled(self.service.started and not self.stopping)
        self.quit_action.setEnabled(not self.stopping)
        self.sync_menu.setEnabled(not self.stopping)
        tooltip = self.tooltip(status, line)
        if state != self._shown_state:  # re-setting an unchanged icon makes some tray hosts repaint
            self._shown_state = state
            self.tray.setIcon(status_icon(state))
        if tooltip != self.tray.toolTip():
            self.tray.setToolTip(tooltip)
        if self.window is not None:
            self.window.update_status(state, line, tooltip)

    def status_line(self, status: TrayStatus) -> str:
        if status.stopping:
            return self.tr("Stopping: waiting for running operations…") if status.running else self.tr("Stopping…")
        if status.running:
            name, operation = sorted(status.running)[0]
            line = self.tr("Syncing: %(integration)s - %(operation)s") % {
                "integration": name, "operation": operation_label(operation)}
            if len(status.running) > 1:
                line += " " + self.tr("(+%n more)", "", len(status.running) - 1)
            return line
        if not self.service.started:
            return self.tr("Starting…")
        if status.config_error:
            return self.tr("The configuration file has an error; changes are not applied")
        if not self.service.config.integrations:
            return self.tr("No integration configured")
        if status.background and (status.paused or status.scheduled == 0):
            # what runs is run by another process's scheduler: say so, with how that one fares
            service = self.background_is_service()
            if status.failing:
                return (self.tr("Run by the background service; %n operation(s) failing", "", len(status.failing))
                        if service else
                        self.tr("Run by another trayapp process; %n operation(s) failing", "", len(status.failing)))
            return (self.tr("Automatic sync is on, run by the background service") if service
                    else self.tr("Automatic sync is on, run by another trayapp process"))
        if status.paused:
            return self.tr("Automatic sync is stopped")
        if status.scheduled == 0:
            return self.tr("Automatic sync: nothing to run (no active integration)")
        if status.failing:
            return self.tr("Automatic sync is on; %n operation(s) failing", "", len(status.failing))
        return self.tr("Automatic sync is on")

    def tooltip(self, status: TrayStatus, line: str) -> str:
        """'trayapp: <status>' and, per integration, its last result and its next run."""
        lines = [self.tr("trayapp: %s") % line]
        if status.config_error:
            lines.append(shorten(status.config_error, 160))
        last = self.service.engine.journal.last_runs()
        latest = latest_by_integration(last)
        next_runs: dict[str, datetime] = {}
        for job in self.service.jobs() if self.service.started else []:
            known = next_runs.get(job.integration)
            if job.next_run is not None and (known is None or job.next_run < known):
                next_runs[job.integration] = job.next_run
        for integration in self.service.config.integrations:
            name = integration.name
            run = latest.get(name)
            if run is None:
                last_text = self.tr("never run")
            else:
                last_text = self.tr("last: %(operation)s %(status)s at %(time)s (%(counts)s)") % {
                    "operation": operation_label(run.operation), "status": status_label(run.status),
                    "time": clock(run.started_at), "counts": counts(run)}
            lines.append(self.tr("%(integration)s: %(last)s; %(next)s") % {
                "integration": name, "last": last_text,
                "next": self._next_text(integration, next_runs.get(name), status)})
            failing = sorted(op for (n, op) in status.failing if n == name)
            if failing:
                lines.append("  " + self.tr("failing: %s") % ", ".join(operation_label(op) for op in failing))
        return "\n".join(lines)

    def _next_text(self, integration: Integration, next_run: datetime | None, status: TrayStatus) -> str:
        if not integration.active:
            return self.tr("inactive")
        if not integration.automatic_sync:
            return self.tr("automatic sync off")
        if integration.name in self.background:
            return (self.tr("run by the background service") if self.background_is_service()
                    else self.tr("run by another trayapp process"))
        if status.paused:
            return self.tr("automatic sync stopped")
        if next_run is None:
            return self.tr("no operation enabled") if not any(
                integration.operation(op).enabled for op in OPERATIONS) else self.tr("not scheduled")
        return self.tr("next: %s") % clock(next_run)

    # ------------------------------------------------------------------ quitting

    @Slot()
    def quit(self) -> None:
        """Stop scheduling, let running operations finish or roll back (off the GUI thread, with a
        visible "stopping" state), stop the demo, then emit `stopped`."""
        if self.stopping:
            return
        self.stopping = True
        for action in (self.toggle_action, self.quit_action):
            action.setEnabled(False)
        running = len(self.running)
        log.info("quitting: stopping the scheduler (%d operation(s) running)", running)
        self.refresh()
        if running:
            self.notify(self.tr("trayapp is stopping"),
                        self.tr("Waiting for %n running operation(s) to finish or roll back…", "", running))
        threading.Thread(target=self._stop_service, name="trayapp-quit", daemon=True).start()

    def _stop_service(self) -> None:
        try:
            self.service.stop(wait=True)
        except Exception:
            log.exception("stopping the scheduler failed")
        try:
            if self.demo is not None:
                self.demo.stop()
        except Exception:
            log.exception("stopping the demo failed")
        with contextlib.suppress(RuntimeError):
            self._service_stopped.emit()

    @Slot()
    def _after_stop(self) -> None:
        self.bridge.detach()
        self._refresh_timer.stop()
        self._tray_timer.stop()
        self._background_timer.stop()
        self.tray.hide()
        if self.window is not None:
            self.window.close()
        log.info("scheduler stopped; quitting")
        self.stopped.emit()


    def dispose(self) -> None:
        """Tear down in a safe order (window, dialogs, tray, then the menus they point to)."""
        self.bridge.detach()
        self._refresh_timer.stop()
        self._tray_timer.stop()
        self._background_timer.stop()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.manual_dialog is not None:
            self.manual_dialog.dispose()
            self.manual_dialog.deleteLater()
            self.manual_dialog = None
        for dialog in list(self._dialogs):
            dialog.close()
        self.tray.hide()
        self.tray.setContextMenu(None)
        self.sync_menu.clear()
        self._submenus.clear()
        self.menu.deleteLater()


def _html(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

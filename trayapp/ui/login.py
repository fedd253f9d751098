"""Start at login: the one switch behind the tray menu's checkbox, the status window's and the
Settings dialog's. All three go through this object, and it only through trayapp.platform.autostart
(the same implementation as `trayapp autostart enable|disable|status`).

The state is read when a view is about to show (a file or registry value: no thread needed) and
after every change; `changed` tells every view to redraw. A change that fails returns a readable
message for the view that asked to show.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

from trayapp.errors import TrayappError
from trayapp.platform import autostart

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoginState:
    supported: bool = True
    enabled: bool = False  # trayapp starts at login
    disabled_by_user: bool = False  # its entry is there, switched off in the system's startup settings
    location: str = ""  # where the entry lives (file, registry value)
    problem: str = ""  # why the state could not be read, or why this installation cannot write an entry


class StartAtLogin(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = LoginState()
        self.refresh()

    def refresh(self) -> LoginState:
        """Read the state from the system (cheap); emits `changed` when it differs from the last one."""
        try:
            enabled = autostart.is_enabled()
            if enabled is None:
                state = LoginState(supported=False)
            else:
                status = autostart.status()
                state = LoginState(True, enabled, status.disabled_by_user, status.path, status.problem)
        except (OSError, TrayappError, ValueError) as exc:  # an unreadable entry: say so, keep the switch usable
            log.warning("start at login: the entry could not be read: %s", exc)
            state = LoginState(problem=str(exc))
        if state != self.state:
            self.state = state
            self.changed.emit()
        return state

    def set_enabled(self, on: bool) -> str:
        """Switch start at login on or off; returns "" or what went wrong, to show to the user."""
        try:
            autostart.enable() if on else autostart.disable()
        except (OSError, TrayappError) as exc:
            log.warning("start at login could not be switched %s: %s", "on" if on else "off", exc)
            message = (self.tr("Start at login could not be switched on.") if on
                       else self.tr("Start at login could not be switched off."))
            self.refresh()
            self.changed.emit()  # the view that was clicked shows the real state again
            return f"{message}\n\n{exc}"
        log.info("start at login switched %s from the tray app", "on" if on else "off")
        self.refresh()
        self.changed.emit()
        return ""

    # ------------------------------------------------------------------ how views show it

    def text(self) -> str:
        if self.state.disabled_by_user:
            return self.tr("Start at login (switched off in the system's startup settings)")
        return self.tr("Start at login")

    def tooltip(self) -> str:
        state = self.state
        if not state.supported:
            return self.tr("Starting at login is not supported on this system (%s).") % sys.platform
        if state.disabled_by_user:
            return self.tr("trayapp's entry is switched off in the system's startup settings (%s), so it does "
                           "not start at login. Tick to switch it on again.") % state.location
        if state.problem:
            return self.tr("Start at login may not work: %s") % state.problem
        if state.enabled:
            return self.tr("trayapp starts in the tray when you log in (%s).") % state.location
        return self.tr("Start trayapp in the tray when you log in (no window comes up).")

    def show_on(self, view: QAction | QAbstractButton) -> None:
        """Checked, enabled, text and tooltip of a checkable action or a check box."""
        blocked = view.blockSignals(True)  # a programmatic setChecked is no user's click
        view.setChecked(self.state.enabled)
        view.blockSignals(blocked)
        view.setEnabled(self.state.supported)
        view.setText(self.text())
        view.setToolTip(self.tooltip())

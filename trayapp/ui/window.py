"""The status window: where the desktop has no system tray, it takes the tray icon's place.

It shows the same icon, status line and details as the tray tooltip, and offers the same actions:
its buttons are the tray menu's own QActions and menus, so both always agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from trayapp.ui.icons import app_icon, status_icon
from trayapp.ui.state import IconState

if TYPE_CHECKING:
    from trayapp.ui.tray import TrayController

ICON_SIZE = 32


class StatusWindow(QWidget):
    def __init__(self, controller: TrayController) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.controller = controller
        self.setWindowTitle("trayapp")
        self.setWindowIcon(app_icon())

        self.icon_label = QLabel()
        self.icon_label.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.status_label = QLabel()
        font = self.status_label.font()
        font.setBold(True)
        self.status_label.setFont(font)
        self.status_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.status_label, 1)

        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.toggle_button = QToolButton()
        self.toggle_button.setDefaultAction(controller.toggle_action)
        self.sync_button = QToolButton()
        self.sync_button.setText(self.tr("Sync now"))
        self.sync_button.setMenu(controller.sync_menu)
        self.sync_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button = QToolButton()
        self.menu_button.setText(self.tr("Menu"))
        self.menu_button.setMenu(controller.menu)
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.quit_button = QToolButton()
        self.quit_button.setDefaultAction(controller.quit_action)
        buttons = QHBoxLayout()
        for button in (self.toggle_button, self.sync_button, self.menu_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)

        self.login_box = QCheckBox()
        self.login_box.clicked.connect(controller.set_start_at_login)
        controller.login.changed.connect(self._show_login)
        self._show_login()

        hint = QLabel(self.tr("There is no system tray on this desktop, so trayapp shows this window instead. "
                              "Closing it keeps synchronisation running; start trayapp again to bring it back, "
                              "or use Quit to stop."))
        hint.setWordWrap(True)
        hint.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_label)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        layout.addWidget(self.login_box)
        layout.addWidget(hint)
        self.setMinimumWidth(480)

    def _show_login(self) -> None:
        self.controller.login.show_on(self.login_box)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.controller.login.refresh()  # changed elsewhere meanwhile (trayapp autostart, the OS's settings)

    def update_status(self, state: IconState, line: str, details: str) -> None:
        self.icon_label.setPixmap(status_icon(state).pixmap(ICON_SIZE, ICON_SIZE))
        self.status_label.setText(line)
        # the tooltip's first line is the status line again
        self.details_label.setText("\n".join(details.splitlines()[1:]))
        self.setWindowTitle(self.tr("trayapp - %s") % line)

    def show_message(self, title: str, text: str, *, warning: bool = False) -> None:
        """Notifications land here when there is no tray to show a balloon."""
        colour = "#b3261e" if warning else "palette(text)"
        self.message_label.setText(f"<b style='color:{colour}'>{_html(title)}</b><br>{_html(text)}")
        self.message_label.show()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

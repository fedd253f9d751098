"""Start at login from the tray menu, the status window and the Settings dialog: one switch, through
trayapp.platform.autostart, writing the real ~/.config/autostart/trayapp.desktop (in a temporary
XDG_CONFIG_HOME)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from trayapp.cli import main
from trayapp.platform import PlatformError, autostart
from trayapp.platform.autostart import parse_desktop_entry
from trayapp.scheduler import SchedulerService
from trayapp.ui.settings.dialog import SettingsDialog

if not sys.platform.startswith("linux"):  # pragma: no cover - the XDG entry is Linux's
    pytest.skip("the real XDG autostart file is Linux's", allow_module_level=True)


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg-system"))  # no system-wide entry here
    return tmp_path / "xdg" / "autostart" / "trayapp.desktop"


def open_menu(controller) -> None:
    controller.menu.aboutToShow.emit()


def messages() -> list[str]:
    return [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_one_switch_in_the_menu_the_status_window_and_settings(qtbot, xdg: Path, make_controller,
                                                               ui_service: SchedulerService) -> None:
    controller = make_controller(ui_service)
    controller.show_window()
    window = controller.window
    dialog = controller.show_settings()
    qtbot.addWidget(dialog)
    views = [controller.login_action, window.login_box, dialog.login_box]
    open_menu(controller)
    for view in views:
        assert view.isEnabled() and not view.isChecked() and view.text() == "Start at login"

    controller.login_action.trigger()  # the menu: on
    assert xdg.is_file()
    entry = parse_desktop_entry(xdg.read_text(encoding="utf-8"))
    assert entry["Exec"].endswith("--autostart") and entry.get("Hidden", "false") == "false"
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(xdg)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    assert autostart.is_enabled() is True
    assert all(view.isChecked() for view in views)
    assert str(xdg) in controller.login_action.toolTip()

    dialog.login_box.click()  # Settings: off, at once (nothing to Save)
    assert not xdg.exists() and autostart.is_enabled() is False
    assert not any(view.isChecked() for view in views)
    assert not dialog.save_button.isEnabled()

    window.login_box.click()  # the status window: on again
    assert xdg.is_file() and all(view.isChecked() for view in views)
    assert messages() == []


def test_the_command_line_and_the_tray_agree(xdg: Path, make_controller, ui_service: SchedulerService,
                                             capsys: pytest.CaptureFixture) -> None:
    controller = make_controller(ui_service)
    assert main(["autostart", "enable"]) == 0
    open_menu(controller)  # read again when the menu opens
    assert controller.login_action.isChecked()
    controller.login_action.trigger()
    assert main(["autostart", "status"]) == 0
    assert "Start at login: off" in capsys.readouterr().out


def test_switched_off_in_the_systems_startup_settings(qtbot, xdg: Path, make_controller,
                                                      ui_service: SchedulerService) -> None:
    autostart.enable()
    xdg.write_text(xdg.read_text(encoding="utf-8").replace("[Desktop Entry]\n", "[Desktop Entry]\nHidden=true\n"),
                   encoding="utf-8")  # what a desktop's "startup applications" tool writes
    assert autostart.status().disabled_by_user
    controller = make_controller(ui_service)
    dialog = controller.show_settings()
    qtbot.addWidget(dialog)
    open_menu(controller)
    for view in (controller.login_action, dialog.login_box):
        assert not view.isChecked() and view.isEnabled()
        assert view.text() == "Start at login (switched off in the system's startup settings)"
        assert "Tick to switch it on again" in view.toolTip()
    controller.login_action.trigger()  # the user asks for it: switched on again
    assert autostart.is_enabled() is True and not autostart.status().disabled_by_user
    assert controller.login_action.isChecked() and controller.login_action.text() == "Start at login"
    assert dialog.login_box.isChecked()


def test_not_supported_here(qtbot, xdg: Path, make_controller, ui_service: SchedulerService,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autostart, "backend_for", lambda platform=sys.platform: None)
    assert autostart.is_enabled() is None
    controller = make_controller(ui_service)
    dialog = SettingsDialog(ui_service)  # a dialog of its own reads the same
    qtbot.addWidget(dialog)
    for view in (controller.login_action, dialog.login_box):
        assert not view.isEnabled() and not view.isChecked()
        assert "not supported on this system" in view.toolTip()


def test_a_failure_is_said_in_words_and_the_switch_shows_the_truth(qtbot, xdg: Path, make_controller,
                                                                   ui_service: SchedulerService,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    controller = make_controller(ui_service)
    # a real failure: the autostart folder cannot be made (a file is in its way)
    xdg.parent.parent.mkdir(parents=True)
    xdg.parent.write_text("not a folder", encoding="utf-8")
    controller.login_action.trigger()
    assert not controller.login_action.isChecked()
    shown = messages()
    assert len(shown) == 1 and shown[0].startswith("Start at login could not be switched on.\n\n")
    assert str(xdg.parent) in shown[0]
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox):
            box.close()
    xdg.parent.unlink()

    # the implementation refuses (e.g. no windowless interpreter on Windows)
    def refuse():
        raise PlatformError("C:\\Python\\pythonw.exe does not exist: start at login needs the windowless "
                            "interpreter (pythonw.exe) next to python.exe, or an installed trayapp.exe")

    monkeypatch.setattr(autostart, "enable", refuse)
    dialog = controller.show_settings()
    qtbot.addWidget(dialog)
    dialog.login_box.click()
    assert not dialog.login_box.isChecked() and not controller.login_action.isChecked()
    assert dialog.login_message is not None and dialog.login_message.isVisible()
    assert "pythonw.exe does not exist" in dialog.login_message.text()
    assert not xdg.exists()
